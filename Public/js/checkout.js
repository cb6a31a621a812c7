// Checkout choices checked as they are made: how many styles the chosen package allows (boxes past
// the limit are disabled, and a package switched to a smaller one says how many to untick), and
// the consent box, before the form is sent. The server checks the same rules; this only says so sooner.
// The sandbox's payment page loads it too, for the back-forward cache check below.
(function () {
  "use strict";
  // A checkout page restored from the back-forward cache would show a payment form for an order that
  // may have been paid since: ask the server again, which sends a paid order's pages to the order.
  window.addEventListener("pageshow", function (event) { if (event.persisted) window.location.reload(); });
  var form = document.querySelector("form[action$='/checkout']");
  if (!form) return;
  var packages = Array.prototype.slice.call(form.querySelectorAll("input[name=package]"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='presets[]']"));
  var consent = document.getElementById("consent");
  var count = document.getElementById("styles-count");
  var consentError = document.getElementById("consent-error");
  var blocked = document.getElementById("pay-blocked");

  function chosenPackage() {
    for (var i = 0; i < packages.length; i++) if (packages[i].checked) return packages[i];
    return null;
  }

  // What stops the form, in words; "" when it can go.
  function problem() {
    var pkg = chosenPackage();
    var max = pkg ? parseInt(pkg.getAttribute("data-max-presets"), 10) : boxes.length;
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    if (count) {
      count.textContent = chosen + " of up to " + max + " style" + (max === 1 ? "" : "s") + " chosen" +
        (pkg ? " for " + pkg.getAttribute("data-name") + "." : ".");
    }
    boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= max; });
    if (!pkg) return "Choose a package.";
    if (chosen === 0) return "Choose at least one style.";
    if (chosen > max) {
      return pkg.getAttribute("data-name") + " includes up to " + max + " styles: untick " + (chosen - max) + ".";
    }
    return "";
  }

  function update() {
    var text = problem();
    if (blocked) {
      blocked.textContent = text;
      blocked.hidden = text === "";
    }
    if (consentError && consent && consent.checked) consentError.hidden = true;
  }

  // A package comes with every style it includes: until the customer ticks or unticks a style by
  // hand, choosing a package ticks its styles (the first ones, as many as it includes).
  var stylesChosenByHand = false;
  boxes.forEach(function (box) {
    box.addEventListener("change", function () { stylesChosenByHand = true; update(); });
  });
  packages.forEach(function (input) {
    input.addEventListener("change", function () {
      if (!stylesChosenByHand && input.checked) {
        var max = parseInt(input.getAttribute("data-max-presets"), 10);
        boxes.forEach(function (box, index) { box.disabled = false; box.checked = index < max; });
      }
      update();
    });
  });
  if (consent) consent.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    var text = problem();
    if (!text && consent && !consent.checked) {
      if (consentError) {
        consentError.textContent = "Please tick the box to agree to how we handle your photos.";
        consentError.hidden = false;
      }
      text = "Please agree to how we handle your photos (the box above).";
      consent.focus();
    }
    if (text) {
      event.preventDefault();
      if (blocked) { blocked.textContent = text; blocked.hidden = false; }
    }
  });
  update();
})();
