// Small enhancements; every page reads fine without them.
(function () {
  "use strict";
  // Citations and embed codes are completed when read: a site path becomes an absolute URL made
  // from this page's own address (the build leaves it relative unless the site's address is known),
  // and the access-date blanks get today's date. The same function serves charts.js's images.
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var now = new Date();
  var dates = { "dd/mm/yyyy": pad(now.getDate()) + "/" + pad(now.getMonth() + 1) + "/" + now.getFullYear(),
    "yyyy-mm-dd": now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()),
    "yyyy/mm/dd": now.getFullYear() + "/" + pad(now.getMonth() + 1) + "/" + pad(now.getDate()),
    // English citations: "6 December 2026" (citeblock.ACCESS_TOKENS["en"]).
    "d Month yyyy": now.getDate() + " " + ["January", "February", "March", "April", "May", "June", "July",
      "August", "September", "October", "November", "December"][now.getMonth()] + " " + now.getFullYear() };
  var escapeRe = function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
  var complete = function (text, pairs) {
    (pairs || []).slice().sort(function (a, b) { return b[0].length - a[0].length; }).forEach(function (pr) {
      var abs = new URL(pr[1], location.href).href;
      // Only the path standing alone (not inside a longer path or an absolute URL).
      text = text.replace(new RegExp("(?<![\\w/.:-])" + escapeRe(pr[0]) + "(?![\\w/-])", "g"), function () { return abs; });
    });
    Object.keys(dates).forEach(function (k) { text = text.split(k).join(dates[k]); });
    return text;
  };
  window.kehoachComplete = complete;
  // A chart page shown as an embed (#embed, #embed-dark) inside another page's frame tells that page
  // its height, so that the embed code's script makes the frame as tall as the chart and its source.
  if (window.parent !== window && /^#embed(-dark)?$/.test(location.hash)) {
    var tell = function () {
      var main = document.querySelector("main");
      var height = main ? main.getBoundingClientRect().bottom + window.scrollY : document.body.scrollHeight;
      window.parent.postMessage({ kehoachEmbedHeight: Math.ceil(height) + 8 }, "*");
    };
    window.addEventListener("load", tell);
    if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  }
  document.querySelectorAll("textarea[data-urls], textarea[data-accessed]").forEach(function (box) {
    var pairs = box.hasAttribute("data-urls") ? JSON.parse(box.getAttribute("data-urls")) : [];
    box.value = complete(box.value, pairs);
  });
  // Copy buttons for citations and embed snippets.
  document.querySelectorAll("button.copy").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var field = document.getElementById(btn.getAttribute("data-copy"));
      if (!field) return;
      var done = function () { var old = btn.textContent; btn.textContent = btn.getAttribute("data-done"); setTimeout(function () { btn.textContent = old; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(field.value).then(done, function () { field.select(); }); }
      else { field.select(); try { document.execCommand("copy"); done(); } catch (e) { /* leave it selected */ } }
    });
  });
  // Give Pagefind's search box a visible label (its own UI labels it by title only).
  var search = document.getElementById("search");
  var labelSearch = function () {
    var input = search && search.querySelector("input.pagefind-ui__search-input");
    if (!input || input.id) return !!input;
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input"; label.className = "search-label"; label.textContent = search.getAttribute("data-label");
    search.parentNode.insertBefore(label, search);
    return true;
  };
  if (search && search.hasAttribute("data-label") && !labelSearch()) {
    var watch = new MutationObserver(function () { if (labelSearch()) watch.disconnect(); });
    watch.observe(search, { childList: true, subtree: true });
  }
  // A table wider than the screen scrolls in its box: make that box reachable from the keyboard.
  var scrollers = document.querySelectorAll(".table-scroll");
  var markScrollable = function () {
    scrollers.forEach(function (box) {
      var table = box.querySelector("table");
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0"); box.setAttribute("role", "region");
        var cap = table && table.caption;
        if (cap && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", cap.textContent.trim());
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-label");
      }
    });
  };
  if (scrollers.length) {
    markScrollable();
    window.addEventListener("resize", markScrollable);
    document.querySelectorAll("details").forEach(function (d) { d.addEventListener("toggle", markScrollable); });
  }
  // Highlight every segment of the quote the URL points at.
  function highlight() {
    document.querySelectorAll("mark.quote.current").forEach(function (m) { m.classList.remove("current"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("q-") !== 0) return;
    var key = id.slice(2).replace(/-\d+$/, "");
    document.querySelectorAll("mark.quote").forEach(function (m) {
      if ((m.getAttribute("data-for") || "").split(" ").indexOf(key) >= 0) m.classList.add("current");
    });
  }
  window.addEventListener("hashchange", highlight);
  highlight();
  // Arriving from search (?highlight=term): mark the words found, accents or not, and show the first.
  var terms = new URLSearchParams(location.search).getAll("highlight").join(" ");
  var main = document.getElementById("main");
  if (terms && main) {
    var strip = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase(); };
    var words = strip(terms).split(/\s+/).filter(function (w) { return w.length > 1; });
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    var nodes = [], first = null;
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, folded = strip(text);
      if (folded.length !== text.length) return; // keep offsets exact: NFC Vietnamese folds 1:1
      var hits = [];
      words.forEach(function (w) { var i = folded.indexOf(w); while (i >= 0) { hits.push([i, i + w.length]); i = folded.indexOf(w, i + w.length); } });
      if (!hits.length || node.parentNode.closest("script,textarea,mark")) return;
      hits.sort(function (a, b) { return a[0] - b[0]; });
      var frag = document.createDocumentFragment(), pos = 0;
      hits.forEach(function (h) {
        if (h[0] < pos) return;
        frag.appendChild(document.createTextNode(text.slice(pos, h[0])));
        var m = document.createElement("mark"); m.className = "search-hit"; m.textContent = text.slice(h[0], h[1]);
        frag.appendChild(m); if (!first) first = m; pos = h[1];
      });
      frag.appendChild(document.createTextNode(text.slice(pos)));
      node.parentNode.replaceChild(frag, node);
    });
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
  }
  // Sortable, filterable tables (the legal index).
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("thead th").forEach(function (th, col) {
      var b = document.createElement("button"); b.type = "button"; b.textContent = th.textContent;
      th.textContent = ""; th.appendChild(b); th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) { var c = r.cells[col]; return c.getAttribute("data-sort") || c.textContent.trim(); };
        rows.sort(function (a, z) { var x = key(a), y = key(z); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll("form[data-filter-table]").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); };
    var apply = function () {
      var level = form.elements.level.value, type = form.elements.type.value, q = fold(form.elements.q.value.trim());
      var status = form.elements.status ? form.elements.status.value : "";
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var ok = (!level || r.getAttribute("data-level") === level) && (!type || r.getAttribute("data-type") === type) && (!status || r.getAttribute("data-status") === status) && (!q || fold(r.textContent).indexOf(q) >= 0);
        r.hidden = !ok;
      });
    };
    form.addEventListener("input", apply); form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  });
})();
