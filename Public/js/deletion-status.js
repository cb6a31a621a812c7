// Live deletion status: the server pushes the request's state over Server-Sent Events; when it is
// done the page reloads, so the server shows the receipt.
(function () {
  "use strict";
  var panel = document.getElementById("deletion-live");
  var state = document.getElementById("deletion-state");
  if (!panel || !state || !window.EventSource) return;
  if (state.className.indexOf("status-completed") >= 0) return;
  var source = new EventSource(panel.getAttribute("data-events"));
  source.addEventListener("status", function (event) {
    var live = JSON.parse(event.data);
    state.textContent = live.label;
    state.className = "status status-" + live.status;
    if (live.status === "completed") {
      source.close();
      window.location.reload();
    }
  });
})();
