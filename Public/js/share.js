// Share links: "Copy" puts the link on the clipboard and says so; where the clipboard cannot be
// written (an insecure origin, a denied permission) the link is selected for the person to copy.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button.copy-share"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var item = button.closest("li");
    var status = item ? item.querySelector(".copy-status") : null;
    function say(text) { if (status) status.textContent = text; }
    button.addEventListener("click", function () {
      if (!field) return;
      var selectIt = function () {
        field.focus();
        field.select();
        say("Press Ctrl+C (⌘C on a Mac) to copy the selected link.");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = "Copied";
          say("The link is on your clipboard.");
          window.setTimeout(function () { button.textContent = "Copy"; }, 2500);
        }, selectIt);
      } else {
        selectIt();
      }
    });
  });
})();
