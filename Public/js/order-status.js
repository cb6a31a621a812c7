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
  var latest = document.getElementById("order-latest");
  // A re-run of a completed order: followed until it is done, then the page reloads.
  var remaking = panel.getAttribute("data-remaking") === "true";

  // The newest delivered headshots, newest first: images already shown are kept, new ones added.
  function showLatest(ids) {
    var template = latest.getAttribute("data-thumbnail");
    var shown = {};
    Array.prototype.forEach.call(latest.querySelectorAll("img[data-id]"), function (img) {
      shown[img.getAttribute("data-id")] = img.parentNode;
    });
    ids.forEach(function (id, index) {
      id = id.toLowerCase();
      var item = shown[id];
      if (!item) {
        item = document.createElement("li");
        var img = document.createElement("img");
        img.src = template.replace("00000000-0000-0000-0000-000000000000", id);
        img.alt = "One of your new headshots";
        img.setAttribute("data-id", id);
        item.appendChild(img);
      }
      if (latest.children[index] !== item) latest.insertBefore(item, latest.children[index] || null);
      delete shown[id];
    });
    Object.keys(shown).forEach(function (id) { latest.removeChild(shown[id]); });
  }

  function show(progress) {
    if (state) {
      state.textContent = progress.label;
      state.className = "status status-" + progress.status;
    }
    if (bar) { bar.max = Math.max(progress.total, 1); bar.value = progress.done; }
    if (text) text.textContent = (progress.remaking ? "Re-making: " : "") + progress.done + " of " + progress.total + " headshots made";
    if (eta) {
      if (progress.eta_text) eta.textContent = progress.eta_text;
      else if (finals.indexOf(progress.status) >= 0) eta.textContent = "";
    }
    if (latest && progress.latest_headshots) showLatest(progress.latest_headshots);
    if (finals.indexOf(progress.status) >= 0 && initial.indexOf("status-" + progress.status) < 0) {
      window.location.reload();
    } else if (remaking && !progress.remaking) {
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

  if (!remaking && finals.indexOf((state && state.className || "").replace("status status-", "")) >= 0) return;
  if (!window.EventSource) return poll();
  var source = new EventSource(panel.getAttribute("data-events"));
  source.addEventListener("status", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) poll();
  });
})();
