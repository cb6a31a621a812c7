// Live order status: the server pushes state, progress and ETA over Server-Sent Events; if the
// stream is unavailable the page polls the JSON twin. When the order finishes, the page reloads
// so it shows the outcome (and the notification bell its new count).
(function () {
  "use strict";
  var panel = document.getElementById("order-live");
  if (!panel) return;
  var state = document.getElementById("order-state");
  var bar = document.getElementById("order-progress");
  var text = document.getElementById("order-progress-text");
  var eta = document.getElementById("order-eta");
  var initial = state ? state.className : "";
  var finals = ["completed", "failed", "refunded", "deleted"];
  var polling = null;

  function show(progress) {
    if (state) {
      state.textContent = progress.label;
      state.className = "status status-" + progress.status;
    }
    if (bar) { bar.max = Math.max(progress.total, 1); bar.value = progress.done; }
    if (text) text.textContent = progress.done + " of " + progress.total + " headshots made";
    if (eta) {
      if (progress.eta_min_minutes != null) {
        eta.textContent = "Estimated: ready in about " + progress.eta_min_minutes +
          (progress.eta_max_minutes !== progress.eta_min_minutes ? "–" + progress.eta_max_minutes : "") + " minutes.";
      } else if (finals.indexOf(progress.status) >= 0) {
        eta.textContent = "";
      }
    }
    if (finals.indexOf(progress.status) >= 0 && initial.indexOf("status-" + progress.status) < 0) {
      window.location.reload();
    }
  }

  function poll() {
    if (polling) return;
    polling = window.setInterval(function () {
      fetch(panel.getAttribute("data-status"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (progress) { if (progress) show(progress); });
    }, 3000);
  }

  if (finals.indexOf((state && state.className || "").replace("status status-", "")) >= 0) return;
  if (!window.EventSource) return poll();
  var source = new EventSource(panel.getAttribute("data-events"));
  source.addEventListener("status", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) poll();
  });
})();
