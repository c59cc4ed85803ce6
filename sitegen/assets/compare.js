// The compare page: filters and sorting over the rows of the table, the choice kept in the URL, and a
// CSV of exactly the rows shown. Without JavaScript the filters stay hidden and the table shows as built.
// On a split site (the table has data-url) the page holds the rows of the latest plan only: the rows of
// the provinces (units) the reader chooses are loaded from their data files (compare/<unit>.json) when
// first needed, and made into rows as the page's template makes them (sitegen/pages/compare.py: row_data).
(function () {
  "use strict";
  var form = document.getElementById("compare-filters");
  var table = document.getElementById("compare-table");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var FILTERS = ["province", "today", "category", "year", "kind"];
  var dataUrl = table.getAttribute("data-url");  // "compare/{unit}.json" relative to the page, or null
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

  function element(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A row of a data file as the template (_partials/compare_row.html) makes it: text only, never markup.
  var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent; });
  var column = {};
  header.forEach(function (name, n) { column[name] = n; });
  function makeRow(d) {
    var tr = element("tr", {"class": (d.data.parent ? "part" : "target") + (d.press ? " press" : "")});
    Object.keys(d.data).forEach(function (k) { tr.setAttribute("data-" + k, d.data[k]); });
    tr.setAttribute("data-csv", JSON.stringify(d.csv));
    if (d.data.parent) {
      tr.appendChild(element("td", {colspan: "4", "class": "part-of"}, "\u21b3 " + table.getAttribute("data-part")));
    } else {
      tr.appendChild(element("th", {scope: "row", "data-label": labels[0]}, d.province));
      tr.appendChild(element("td", {"data-label": labels[1]}, d.year));
      var plan = element("td", {"data-label": labels[2]});
      plan.appendChild(element("a", {href: d.plan_url}, d.plan));
      plan.appendChild(document.createTextNode(" "));
      plan.appendChild(element("span", {"class": "muted"}, "(" + d.kind + ")"));
      tr.appendChild(plan);
      tr.appendChild(element("td", {"data-label": labels[3]}, d.category));
    }
    var subject = element("td", {"data-label": labels[4]});
    var written = d.csv[column.subject_text];
    subject.appendChild(d.subject_vi ? element("span", {lang: "vi"}, written) : document.createTextNode(written));
    tr.appendChild(subject);
    tr.appendChild(element("td", {"class": "num", "data-label": labels[5]}, d.value));
    tr.appendChild(element("td", {"data-label": labels[6]}, d.deadline));
    var level = element("td", {"data-label": labels[7]}, d.comparability);
    if (d.group) {
      level.appendChild(element("br"));
      level.appendChild(element("span", {"class": "muted"}, d.group));
    }
    tr.appendChild(level);
    var quote = element("td", {"data-label": labels[8]});
    quote.appendChild(element("q", {lang: "vi"}, d.csv[column.quote]));
    quote.appendChild(document.createTextNode(" "));
    quote.appendChild(element("a", {"class": "quote-link", href: d.quote_url}, table.getAttribute("data-quote-link")));
    tr.appendChild(quote);
    return tr;
  }

  function load(units) {
    var missing = units.filter(function (u) { return !loaded[u]; });
    return Promise.all(missing.map(function (u) {
      return fetch(dataUrl.replace("{unit}", encodeURIComponent(u))).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.json();
      });
    })).then(function (files) {
      files.forEach(function (data, n) {
        if (loaded[missing[n]]) return;
        // Rows the page already holds (the latest plan's) are not added twice, nor their parts.
        var skip = {};
        var rows = [];
        data.rows.forEach(function (d) {
          var id = d.data.id, parent = d.data.parent;
          if (id && have[id]) skip[id] = true;
          if ((id && skip[id]) || (parent && skip[parent])) return;
          var r = makeRow(d);
          r.hidden = true;
          body.appendChild(r);
          rows.push(r);
        });
        take(rows);
        (data.plans || []).forEach(function (p) { plans.push(p); });
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
          lines.push(JSON.parse(x.getAttribute("data-csv")).map(csvCell).join(","));
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
