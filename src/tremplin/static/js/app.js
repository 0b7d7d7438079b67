// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // A table wider than the screen scrolls sideways: keyboard users must be able to reach it
  // (WCAG 2.1.1), so an overflowing wrapper becomes a focusable, labelled region.
  function markScrollableTables(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          var caption = wrap.querySelector("caption");
          wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
          wrap.dataset.autoRegion = "1";
        }
      } else if (wrap.dataset.autoRegion) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        delete wrap.dataset.autoRegion;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { markScrollableTables(); });
  document.addEventListener("htmx:afterSettle", function (event) { markScrollableTables(event.target); });
  // Once per frame while resizing (a few reads of scrollWidth): the region is right as soon
  // as the new layout is painted.
  var resizeFrame = 0;
  window.addEventListener("resize", function () {
    if (!resizeFrame) {
      resizeFrame = requestAnimationFrame(function () {
        resizeFrame = 0;
        markScrollableTables();
      });
    }
  });
})();
