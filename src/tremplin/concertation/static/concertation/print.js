// The "Imprimer" button of the agenda and minutes pages (progressive enhancement: the page
// prints the same with the browser's own command).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
