// The compare page: filters and sorting over the table the page already holds (every target of the page,
// with its parts), the choice kept in the URL, and a CSV of exactly the rows shown. Without JavaScript the
// filters stay hidden and the full table shows.
(function () {
  "use strict";
  var form = document.getElementById("compare-filters");
  var table = document.getElementById("compare-table");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var FILTERS = ["province", "today", "category", "year", "kind"];
  var tops = Array.prototype.filter.call(body.rows, function (r) { return r.classList.contains("target"); });
  var partsOf = {};
  Array.prototype.forEach.call(body.rows, function (r) {
    if (r.classList.contains("part")) (partsOf[r.getAttribute("data-parent")] = partsOf[r.getAttribute("data-parent")] || []).push(r);
  });
  var count = document.getElementById("compare-count");
  var link = document.getElementById("compare-csv");
  var header = JSON.parse(document.getElementById("compare-csv-columns").textContent);

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  function num(r, key, missing) {
    var v = r.getAttribute("data-" + key);
    return v === "" || v === null ? missing : parseFloat(v);
  }

  var SORTS = {
    group: function (a, b) { return num(a, "order", 0) - num(b, "order", 0); },
    year: function (a, b) { return num(a, "year", 0) - num(b, "year", 0) || SORTS.group(a, b); },
    province: function (a, b) { return a.getAttribute("data-province").localeCompare(b.getAttribute("data-province"), "vi") || SORTS.group(a, b); },
    value_desc: function (a, b) { return num(b, "value", -Infinity) - num(a, "value", -Infinity) || SORTS.group(a, b); },
    value_asc: function (a, b) { return num(a, "value", Infinity) - num(b, "value", Infinity) || SORTS.group(a, b); },
    deadline: function (a, b) { return num(a, "deadline", Infinity) - num(b, "deadline", Infinity) || SORTS.group(a, b); }
  };

  function csvCell(v) {
    v = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function update(push) {
    var want = {};
    FILTERS.forEach(function (f) { want[f] = checked(f); });
    var sort = form.elements.sort.value in SORTS ? form.elements.sort.value : "group";
    var shown = tops.filter(function (r) {
      // data-today may name several present-day provinces (space-separated): any one of them matches.
      return FILTERS.every(function (f) {
        var have = (r.getAttribute("data-" + f) || "").split(f === "today" ? " " : "\u0000");
        return !want[f].length || have.some(function (v) { return want[f].indexOf(v) >= 0; });
      });
    });
    var order = tops.slice().sort(SORTS[sort]);
    var lines = [header.map(csvCell).join(",")];
    var nParts = 0;
    order.forEach(function (r) {
      var on = shown.indexOf(r) >= 0;
      var rows = [r].concat(partsOf[r.getAttribute("data-id")] || []);
      rows.forEach(function (x) {
        body.appendChild(x);
        x.hidden = !on;
        if (on) {
          lines.push(JSON.parse(x.getAttribute("data-csv")).map(csvCell).join(","));
          if (x !== r) nParts += 1;
        }
      });
    });
    count.textContent = count.getAttribute("data-template").replace("{n}", shown.length).replace("{m}", nParts);
    link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\n") + "\n");
    var params = new URLSearchParams();
    FILTERS.forEach(function (f) { want[f].forEach(function (v) { params.append(f, v); }); });
    if (sort !== "group") params.set("sort", sort);
    var query = params.toString();
    if (push) history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  // The URL's choice first: a link reproduces the view.
  var params = new URLSearchParams(location.search);
  FILTERS.forEach(function (f) {
    var values = params.getAll(f);
    form.querySelectorAll("input[name='" + f + "']").forEach(function (i) { i.checked = values.indexOf(i.value) >= 0; });
  });
  if (params.get("sort") in SORTS) form.elements.sort.value = params.get("sort");
  form.hidden = false;
  document.getElementById("compare-tools").hidden = false;
  form.addEventListener("change", function () { update(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
  form.addEventListener("reset", function () { setTimeout(function () { update(true); }, 0); });
  update(false);
})();
