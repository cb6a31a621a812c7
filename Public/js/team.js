// The manager's member table follows the members' states live: every few seconds it asks the
// team's dashboard (the same JSON as GET /api/v1/teams/{id}/members) and updates each person's
// state in place. Without JavaScript the page shows the states as they were when it was loaded.
(function () {
  "use strict";
  var table = document.getElementById("team-members");
  if (!table || !window.fetch) return;
  var url = table.getAttribute("data-api");

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (dashboard) {
        if (!dashboard) return;
        var rows = table.querySelectorAll("tr.member");
        dashboard.members.forEach(function (member) {
          for (var i = 0; i < rows.length; i++) {
            if (rows[i].getAttribute("data-email") !== member.email) continue;
            var state = rows[i].querySelector(".member-state");
            if (state && !state.classList.contains("state-" + member.state)) {
              state.className = "member-state state-" + member.state;
              state.textContent = member.state_label;
            }
          }
        });
        var seats = document.getElementById("seat-summary");
        if (seats) {
          var s = dashboard.team.seats;
          seats.textContent = "Seats: " + s.purchased + " bought, " + s.used + " used, " + s.reserved + " kept for invited people, " + s.free + " free.";
        }
      })
      .catch(function () {});
  }

  setInterval(refresh, 3000);
})();
