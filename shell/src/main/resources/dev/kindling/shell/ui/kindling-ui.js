// Kindling status UI: click a column header of a sortable table to sort by it (numbers by data-v).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
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
});
