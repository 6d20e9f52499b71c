/* The report's tables: sort by a click on a column header (numbers as numbers) and filter rows with
   a text box. Every string in the tables comes from the web: this script reads textContent and moves
   existing elements; it never parses anything as HTML. */
(function () {
  "use strict";
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var api = { ready: false, tables: 0 };
  window.citegraphReport = api;

  function tableLabel(table) {
    if (table.caption) return table.caption.textContent.trim();
    return table.getAttribute("aria-label") || "table";
  }

  function sortKey(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return null;
    var text = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (!numeric) {
      text = text.trim();
      return text === "" ? null : text;
    }
    // Counts carry thousands separators ("100,000"); a dash or blank means no value.
    var value = parseFloat(text.replace(/[,\s\u00a0]/g, ""));
    return isNaN(value) ? null : value;
  }

  function sortTable(table, th) {
    var numeric = th.classList.contains("num");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      return { row: row, key: sortKey(row, th.cellIndex, numeric), i: i };
    });
    keyed.sort(function (a, b) {
      // Rows without a value go last in either direction; ties keep their order.
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.i - b.i : (a.key === null ? 1 : -1);
      }
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return (ascending ? c : -c) || a.i - b.i;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    var header = table.tHead && table.tHead.rows[0];
    if (!header) return;
    Array.prototype.forEach.call(header.cells, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cg-sort";
      button.title = "Sort by this column";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, th); });
    });
  }

  function addFilter(table) {
    var body = table.tBodies[0];
    var tools = document.createElement("div");
    tools.className = "cg-tools";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "cg-filter";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter the rows of " + tableLabel(table));
    var shown = document.createElement("span");
    shown.className = "cg-shown";
    tools.appendChild(input);
    tools.appendChild(shown);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var visible = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var hide = query !== "" && row.textContent.toLowerCase().indexOf(query) === -1;
        row.hidden = hide;
        if (!hide) visible += 1;
      });
      shown.textContent = query ? visible + " of " + body.rows.length + " rows" : "";
    });
    var wrap = table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
    wrap.parentNode.insertBefore(tools, wrap);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.data"), function (table) {
    if (!table.tBodies.length) return;
    makeSortable(table);
    addFilter(table);
    api.tables += 1;
  });
  api.ready = true;
})();
