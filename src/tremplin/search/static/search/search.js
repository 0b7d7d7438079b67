// The header's search box as a combobox (WAI-ARIA 1.2 list autocomplete): suggestions as one
// types (debounced), arrow keys to move, Enter to open, Escape to close. Without JavaScript
// the form still submits to /recherche/.
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector("[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = document.getElementById("header-search-status");
    var url = form.dataset.suggestUrl;
    var timer = null;
    var seq = 0;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function active() { return list.querySelector("[aria-selected=true]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(option) {
      options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
      if (option) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function announce(n) {
      var text = n === 1 ? form.dataset.countOne : form.dataset.countMany.replace("%(n)s", n);
      status.textContent = text;
    }

    function load() {
      var q = input.value.trim();
      if (q.length < 2) { close(); list.innerHTML = ""; return; }
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (mine !== seq) { return; }  // an older answer arriving after a newer one
          list.innerHTML = html;
          var n = options().filter(function (o) { return o.id !== "suggest-all"; }).length;
          if (options().length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            close();
          }
          announce(n);
        })
        .catch(function () { close(); });
    }

    function go(option) { if (option && option.dataset.href) { window.location.assign(option.dataset.href); } }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    });
    input.addEventListener("keydown", function (event) {
      var all = options();
      var current = all.indexOf(active());
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (all.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { return; } }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = current === -1 ? (step === 1 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
        select(all[next]);
      } else if (event.key === "Enter") {
        if (!list.hidden && active()) { event.preventDefault(); go(active()); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); select(null); } else { input.value = ""; }
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      go(option);
    });
    input.addEventListener("blur", function () { close(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.header-search").forEach(setup);
  });
})();
