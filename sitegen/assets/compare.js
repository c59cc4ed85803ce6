// The compare page: filters and sorting over the rows of the table, the choice kept in the URL, and a
// CSV of exactly the rows shown. Without JavaScript the filters stay hidden and the table shows as built.
// On a split site (the table has data-url) the page holds the rows of the latest plan only: the rows of
// the provinces (units) the reader chooses are taken, when first needed, from their units' own tables
// (compare/<unit>.html, the same rows with the same data-* attributes: one copy of each row on the site).
// A row's data-csv leaves out the cells it shows (the subject as written, the quote: null), read here
// from the row itself.
(function () {
  "use strict";
  var form = document.getElementById("compare-filters");
  var table = document.getElementById("compare-table");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var FILTERS = ["province", "today", "category", "year", "kind"];
  var dataUrl = table.getAttribute("data-url");  // "compare/{unit}.html" relative to the page, or null
  var defaultPlan = table.getAttribute("data-default-plan");
  var tops = [];
  var partsOf = {};
  var have = {};  // target row id -> true once in the table
  var loaded = {};  // unit -> true once its rows are in the table
  var count = document.getElementById("compare-count");
  var link = document.getElementById("compare-csv");
  var header = JSON.parse(document.getElementById("compare-csv-columns").textContent);
  var generation = 0;
  // The plans the rows come from (more are added as units load): an empty choice says why it is empty.
  var plans = JSON.parse(document.getElementById("compare-plans").textContent);
  var empty = document.getElementById("compare-empty");

  function take(rows) {
    Array.prototype.forEach.call(rows, function (r) {
      if (r.classList.contains("part")) {
        (partsOf[r.getAttribute("data-parent")] = partsOf[r.getAttribute("data-parent")] || []).push(r);
      } else {
        tops.push(r);
        have[r.getAttribute("data-id")] = true;
      }
    });
  }
  take(body.rows);

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  // The units whose rows the choice needs (split site): the provinces at signing ticked, else those
  // today's provinces ticked are made of; none: the page's own rows (the latest plan).
  function unitsFor(want) {
    if (want.province.length) return want.province;
    if (want.today.length) {
      var units = [];
      form.querySelectorAll("input[name='today']").forEach(function (i) {
        if (i.checked) units = units.concat((i.getAttribute("data-units") || "").split(" "));
      });
      return units.filter(function (u, n) { return u && units.indexOf(u) === n; });
    }
    return [];
  }

  // A row's CSV cells: its data-csv, with the cells it leaves out read from the row (the subject as
  // written is the fifth cell from the end, the quote the row's <q>: _partials/compare_row.html).
  var column = {};
  header.forEach(function (name, n) { column[name] = n; });
  function csvOf(r) {
    var cells = JSON.parse(r.getAttribute("data-csv"));
    cells[column.subject_text] = r.cells[r.cells.length - 5].textContent;
    cells[column.quote] = r.querySelector("q").textContent;
    return cells;
  }

  // A unit's page is one folder down (compare/<unit>.html): its links lead out of compare/ with one
  // "../" more than the same link on this page (pages/compare.py: moved_down).
  function movedUp(r) {
    Array.prototype.forEach.call(r.querySelectorAll("a[href^='../']"), function (a) {
      a.setAttribute("href", a.getAttribute("href").slice(3));
    });
    return r;
  }

  function load(units) {
    var missing = units.filter(function (u) { return !loaded[u]; });
    return Promise.all(missing.map(function (u) {
      return fetch(dataUrl.replace("{unit}", encodeURIComponent(u))).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.text();
      });
    })).then(function (pages) {
      pages.forEach(function (html, n) {
        if (loaded[missing[n]]) return;
        // Parsed inert (no script runs, nothing loads); its table's rows are taken in.
        var doc = new DOMParser().parseFromString(html, "text/html");
        var their = doc.querySelector("table.compare-table");
        if (!their || !their.tBodies[0]) throw new Error("no compare table in " + missing[n]);
        // Rows the page already holds (the latest plan's) are not added twice, nor their parts.
        var skip = {};
        var rows = [];
        Array.prototype.slice.call(their.tBodies[0].rows).forEach(function (d) {
          var id = d.getAttribute("data-id"), parent = d.getAttribute("data-parent");
          if (id && have[id]) skip[id] = true;
          if ((id && skip[id]) || (parent && skip[parent])) return;
          var r = movedUp(document.importNode(d, true));
          r.hidden = true;
          body.appendChild(r);
          rows.push(r);
        });
        take(rows);
        var theirPlans = doc.querySelector("script.compare-plans");
        JSON.parse(theirPlans ? theirPlans.textContent : "[]").forEach(function (p) { plans.push(p); });
        loaded[missing[n]] = true;
      });
    });
  }

  function num(r, key, missing) {
    var v = r.getAttribute("data-" + key);
    return v === "" || v === null ? missing : parseFloat(v);
  }

  var SORTS = {
    group: function (a, b) {
      var x = a.getAttribute("data-order"), y = b.getAttribute("data-order");
      return x < y ? -1 : x > y ? 1 : 0;
    },
    year: function (a, b) { return num(a, "year", 0) - num(b, "year", 0) || SORTS.group(a, b); },
    province: function (a, b) { return a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"), "vi") || SORTS.group(a, b); },
    value_desc: function (a, b) { return num(b, "value", -Infinity) - num(a, "value", -Infinity) || SORTS.group(a, b); },
    value_asc: function (a, b) { return num(a, "value", Infinity) - num(b, "value", Infinity) || SORTS.group(a, b); },
    deadline: function (a, b) { return num(a, "deadline", Infinity) - num(b, "deadline", Infinity) || SORTS.group(a, b); }
  };

  function csvCell(v) {
    v = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function wanted() {
    var want = {};
    FILTERS.forEach(function (f) { want[f] = checked(f); });
    return want;
  }

  // Why a choice shows no row, from the plans it matches: none in the corpus, plans that set no
  // target, or targets in none of the categories ticked.
  function why(want, units) {
    var matching = plans.filter(function (p) {
      if (units && (units.length ? units.indexOf(p.unit) < 0 : p.id !== defaultPlan)) return false;
      if (want.province.length && want.province.indexOf(p.unit) < 0) return false;
      if (want.today.length && !p.today.some(function (t) { return want.today.indexOf(t) >= 0; })) return false;
      return (!want.year.length || want.year.indexOf(p.year) >= 0) && (!want.kind.length || want.kind.indexOf(p.kind) >= 0);
    });
    var seen = {};
    matching = matching.filter(function (p) { return seen[p.id] ? false : (seen[p.id] = true); });
    if (!matching.length) return empty.getAttribute("data-no-plan");
    var none = matching.filter(function (p) { return !p.targets && p.in_text; }).map(function (p) { return p.label; });
    var notInText = matching.filter(function (p) { return !p.targets && !p.in_text; }).map(function (p) { return p.label; });
    var others = matching.filter(function (p) { return p.targets; }).map(function (p) { return p.label; });
    var text = [];
    if (none.length) text.push(empty.getAttribute("data-no-targets").replace("{plans}", none.join(", ")));
    if (notInText.length) text.push(empty.getAttribute("data-not-in-text").replace("{plans}", notInText.join(", ")));
    if (others.length) text.push(empty.getAttribute("data-other-categories").replace("{plans}", others.join(", ")));
    return text.join(" ");
  }

  function show(want, units) {
    var sort = form.elements.sort.value in SORTS ? form.elements.sort.value : "group";
    var shown = tops.filter(function (r) {
      if (units && (units.length ? units.indexOf(r.getAttribute("data-province")) < 0
                                 : r.getAttribute("data-id").indexOf(defaultPlan + "/") !== 0)) return false;
      // data-today may name several present-day provinces (space-separated): any one of them matches.
      return FILTERS.every(function (f) {
        var have = (r.getAttribute("data-" + f) || "").split(f === "today" ? " " : "\u0000");
        return !want[f].length || have.some(function (v) { return want[f].indexOf(v) >= 0; });
      });
    });
    var on = {};
    shown.forEach(function (r) { on[r.getAttribute("data-id")] = true; });
    var order = tops.slice().sort(SORTS[sort]);
    var lines = [header.map(csvCell).join(",")];
    var nParts = 0;
    order.forEach(function (r) {
      var visible = on[r.getAttribute("data-id")] === true;
      [r].concat(partsOf[r.getAttribute("data-id")] || []).forEach(function (x) {
        body.appendChild(x);
        x.hidden = !visible;
        if (visible) {
          lines.push(csvOf(x).map(csvCell).join(","));
          if (x !== r) nParts += 1;
        }
      });
    });
    count.textContent = count.getAttribute("data-template").replace("{n}", shown.length).replace("{m}", nParts);
    if (table.caption) table.caption.textContent = count.textContent;  // the table says what it holds now
    empty.hidden = shown.length > 0;
    empty.textContent = shown.length ? "" : why(want, units);
    link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\n") + "\n");
    table.removeAttribute("aria-busy");
  }

  function update(push) {
    var want = wanted();
    var sort = form.elements.sort.value in SORTS ? form.elements.sort.value : "group";
    var params = new URLSearchParams();
    FILTERS.forEach(function (f) { want[f].forEach(function (v) { params.append(f, v); }); });
    if (sort !== "group") params.set("sort", sort);
    var query = params.toString();
    if (push) history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    // The other language's compare page opens with the same choice (the values are ids, the same in both).
    var other = document.querySelector("a.lang-switch");
    if (other) {
      var there = new URL(other.getAttribute("data-base") || other.getAttribute("href"), location.href);
      if (!other.hasAttribute("data-base")) other.setAttribute("data-base", other.getAttribute("href"));
      there.search = query ? "?" + query : "";
      other.href = there.href;
    }
    if (!dataUrl) {
      show(want, null);
      return;
    }
    var units = unitsFor(want);
    var mine = ++generation;
    if (units.some(function (u) { return !loaded[u]; })) {
      table.setAttribute("aria-busy", "true");
      count.textContent = count.getAttribute("data-loading");
      link.removeAttribute("href");
    }
    load(units).then(function () {
      if (mine === generation) show(want, units);  // a later choice has its own turn
    }, function () {
      if (mine !== generation) return;
      Array.prototype.forEach.call(body.rows, function (r) { r.hidden = true; });  // none of the rows chosen
      table.removeAttribute("aria-busy");
      count.textContent = count.getAttribute("data-failed");
      link.removeAttribute("href");
    });
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
