/* Sorting and filtering of the site's tables; without scripts every row is simply shown. */
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return (cell.getAttribute("data-value") || cell.textContent || "").trim().toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      if (!th.classList.contains("sort")) return;
      th.tabIndex = 0;
      function sort() {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
  document.querySelectorAll("form.filters").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    var count = form.querySelector(".count");
    if (!table) return;
    function apply() {
      var words = ((form.querySelector("input[type=search]") || {}).value || "").toLowerCase().split(/\s+/).filter(Boolean);
      var selects = form.querySelectorAll("select[data-attr]");
      var flags = form.querySelectorAll("input[type=checkbox][data-attr]");
      var shown = 0, rows = table.tBodies[0].rows;
      Array.prototype.forEach.call(rows, function (row) {
        var text = (row.getAttribute("data-search") || row.textContent).toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
        Array.prototype.forEach.call(selects, function (s) {
          if (s.value) {
            var values = (row.getAttribute("data-" + s.getAttribute("data-attr")) || "").split(" ");
            ok = ok && values.indexOf(s.value) !== -1;
          }
        });
        Array.prototype.forEach.call(flags, function (f) {
          if (f.checked) ok = ok && row.getAttribute("data-" + f.getAttribute("data-attr")) === "1";
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = shown + " of " + rows.length + " shown";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  });
})();
