/* Observatory atlas: map hover and sortable tables. Plain JavaScript, no outside resource. */
(function () {
  "use strict";

  function unitOf(target) {
    return target && target.closest ? target.closest("a[data-n]") : null;
  }

  document.querySelectorAll("figure.map").forEach(function (figure) {
    var info = figure.querySelector(".info");
    if (!info) { return; }
    function show(event) {
      var unit = unitOf(event.target);
      if (unit) { info.textContent = unit.getAttribute("data-n") + ": " + unit.getAttribute("data-v"); }
    }
    function hide(event) {
      if (unitOf(event.target)) { info.textContent = info.getAttribute("data-empty"); }
    }
    figure.addEventListener("mouseover", show);
    figure.addEventListener("focusin", show);
    figure.addEventListener("mouseout", hide);
    figure.addEventListener("focusout", hide);
  });

  function sortKey(cell) {
    var key = cell.getAttribute("data-sort");
    if (key === null) { return { text: cell.textContent.trim() }; }
    if (key === "") { return { missing: true }; }
    return { number: parseFloat(key) };
  }

  function compare(a, b) {
    if (a.missing || b.missing) { return (a.missing ? 1 : 0) - (b.missing ? 1 : 0); }
    if (a.number !== undefined && b.number !== undefined) { return a.number - b.number; }
    return String(a.text).localeCompare(String(b.text), document.documentElement.lang);
  }

  function sortBy(table, column, heading) {
    var body = table.tBodies[0];
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(sortKey(r1.cells[column]), sortKey(r2.cells[column]));
      var missing = sortKey(r1.cells[column]).missing || sortKey(r2.cells[column]).missing;
      return ascending || missing ? order : -order;
    });
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (heading, column) {
      heading.tabIndex = 0;
      heading.addEventListener("click", function () { sortBy(table, column, heading); });
      heading.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, column, heading); }
      });
    });
  });

  document.querySelectorAll("button.print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
