// Kindling status UI, bundled with the jar.
// 1. Click a column header of a sortable table to sort by it (numbers by their data-v).
// 2. While the application runs (<body data-refresh="2">), fetch the page again every 2 seconds and
//    swap in its new <main>, until the page says the application ended.
(function () {
  "use strict";

  function makeSortable(root) {
    root.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, column) {
        th.addEventListener("click", function () {
          var body = table.tBodies[0];
          if (!body) { return; }
          var ascending = !th.classList.contains("asc");
          table.querySelectorAll("thead th").forEach(function (h) { h.classList.remove("asc", "desc"); });
          th.classList.add(ascending ? "asc" : "desc");
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[column], y = b.cells[column];
            var vx = x && x.dataset.v !== undefined ? Number(x.dataset.v) : (x ? x.textContent : "");
            var vy = y && y.dataset.v !== undefined ? Number(y.dataset.v) : (y ? y.textContent : "");
            var c = (typeof vx === "number" && typeof vy === "number") ? vx - vy : String(vx).localeCompare(String(vy));
            return ascending ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  }

  function keepLive() {
    var seconds = Number(document.body.dataset.refresh);
    if (!seconds) { return; }
    var timer = setInterval(function () {
      fetch(location.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("main");
          var current = document.querySelector("main");
          if (fresh && current) {
            current.replaceWith(fresh);
            makeSortable(fresh);
          }
          if (!doc.body.dataset.refresh) {
            clearInterval(timer);
            delete document.body.dataset.refresh;
          }
        })
        .catch(function () { clearInterval(timer); }); // the application ended and its UI with it
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    makeSortable(document);
    keepLive();
  });
})();
