// Gallery lightbox: click a headshot to see it full size; ←/→ move between the headshots shown,
// Esc (or the close button) closes. Without JavaScript the thumbnails' links still work.
(function () {
  "use strict";
  var grid = document.querySelector(".gallery-grid");
  var box = document.getElementById("lightbox");
  if (!grid || !box || typeof box.showModal !== "function") return;
  var image = box.querySelector("img");
  var caption = box.querySelector(".lightbox-caption");
  var items = Array.prototype.slice.call(grid.querySelectorAll("li.headshot"));
  var current = -1;

  function show(index) {
    if (!items.length) return;
    current = (index + items.length) % items.length;
    var item = items[current];
    image.src = item.getAttribute("data-full");
    image.alt = item.getAttribute("data-name");
    caption.textContent = item.getAttribute("data-name") + " (" + (current + 1) + " of " + items.length + ")";
    if (!box.open) box.showModal();
  }

  items.forEach(function (item, index) {
    var open = item.querySelector("a.open-lightbox");
    if (!open) return;
    open.addEventListener("click", function (event) {
      event.preventDefault();
      show(index);
    });
  });
  box.querySelector(".lightbox-prev").addEventListener("click", function () { show(current - 1); });
  box.querySelector(".lightbox-next").addEventListener("click", function () { show(current + 1); });
  box.querySelector(".lightbox-close").addEventListener("click", function () { box.close(); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
    if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
  });
})();
