// Makes every chart of the page interactive; loaded only on pages with charts.
// Each chart is already there, drawn at build time (a static SVG, sitegen/chartsvg.py): the chart
// library (1.1 MB) is loaded after the page, and each chart is redrawn with it once it has arrived.
(function () {
  "use strict";
  // Beside charts.js, as the page links it (a relative address: the page names only its own scripts).
  var LIBRARY = (document.currentScript && document.currentScript.getAttribute("src") || "").replace(/charts\.js(\?.*)?$/, "plotly-basic.min.js");
  // No mode bar: the axes do not zoom, and its camera saved a bare image (no title, no source); the
  // page's own download buttons give the framed one.
  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  var PHONE = 560; // below this width, bar charts lie on their side: long labels read across, none rotated
  var clone = function (o) { return JSON.parse(JSON.stringify(o)); };
  var loading = null;
  // The chart library, loaded once (by the page, or at once by a download button pressed before).
  function library() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = LIBRARY; s.async = true;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  // A bar chart turned on its side for a narrow screen: categories down the left, values across.
  function sideways(spec, width) {
    var bars = spec.data.filter(function (t) { return t.type === "bar"; });
    if (width >= PHONE || !bars.length || bars.length !== spec.data.length) return spec;
    var s = clone(spec), L = s.layout, n = 0;
    s.data.forEach(function (t) {
      var x = t.x; t.x = t.y; t.y = x; t.orientation = "h"; n = Math.max(n, t.y.length);
      if (t.error_y) { t.error_x = t.error_y; delete t.error_y; }
      if (t.hovertemplate) t.hovertemplate = t.hovertemplate.replace(/%\{x\}/g, "%{TMP}").replace(/%\{y\}/g, "%{x}").replace(/%\{TMP\}/g, "%{y}");
    });
    var xa = L.xaxis || {}, ya = L.yaxis || {};
    L.xaxis = Object.assign({}, ya, { automargin: true, fixedrange: true });
    L.yaxis = Object.assign({}, xa, { automargin: true, fixedrange: true, autorange: "reversed", tickangle: 0 });
    delete L.yaxis.range; delete L.yaxis.rangemode;
    // Room right of the longest bar for its value ("≥ 1 lần/tháng"): on a phone that is nearly half the width.
    // A share's axis ends at 100% (a full bar is all of it), its value written inside the bar when it fits.
    var share = L.meta && L.meta.share;
    if (ya.range) L.xaxis.range = share ? ya.range : [0, ya.range[1] / 1.2 * 2];
    if (share) s.data.forEach(function (t) { t.textposition = "auto"; });
    if (xa.tickvals) { L.yaxis.tickvals = xa.tickvals; L.yaxis.ticktext = xa.ticktext; }
    L.margin = Object.assign({}, L.margin, { l: 8, r: 24, b: 48 });
    L.height = Math.max(260, n * (bars.length > 1 ? 34 : 44) + 140 + (L.showlegend ? 40 * Math.ceil(bars.length / 2) : 0));
    return s;
  }

  // Text as plotly must be given it to draw it literally (sitegen/charts.py plot_text).
  var plotText = function (s) { return s.replace(/&/g, "&#38;").replace(/</g, "&#60;").replace(/>/g, "&#62;"); };
  // A text on lines of at most `width` characters, broken between words (Python's textwrap.wrap).
  function wrapText(text, width) {
    var lines = [], line = "";
    text.split(/\s+/).filter(Boolean).forEach(function (w) {
      while (w.length > width) { if (line) { lines.push(line); line = ""; } lines.push(w.slice(0, width)); w = w.slice(width); }
      if (!w) return;
      if (line && line.length + 1 + w.length > width) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) lines.push(line);
    return lines;
  }
  // What each bar's hover adds after the lines the figure keeps: the subject as written and the quote,
  // from the row of the page's table for that bar (sitegen/charts.py page_figure). The chart's own
  // table has a row per bar; a category page's targets table (its table_ref) a row per bar, each
  // followed by its parts (class child), the subject as written in class sw on an English page.
  function hoverLines(fig, cells) {
    var ref = fig.querySelector(".chart-table-ref a"), rows, pick;
    if (ref) {
      var table = document.getElementById(ref.getAttribute("href").slice(1));
      rows = table ? [].filter.call(table.tBodies[0].rows, function (r) { return !r.classList.contains("child"); }) : [];
      var english = document.documentElement.lang !== "vi";
      pick = function (r) {
        var sw = r.cells[1].querySelector(".sw"), q = r.cells[5].querySelector("q");
        return [sw ? sw.textContent : english ? "" : r.cells[1].textContent, q ? q.textContent : ""];
      };
    } else {
      var body = fig.querySelector(".chart-table tbody");
      rows = body ? [].slice.call(body.rows) : [];
      pick = function (r) { return cells.map(function (c) { return r.cells[c] ? r.cells[c].textContent : ""; }); };
    }
    return function (kept, i) {
      var more = rows[i] ? pick(rows[i]) : ["", ""], subject = more[0].trim(), quote = more[1].trim();
      var lines = kept.concat(subject ? wrapText(subject, 60) : ["—"]);
      if (rows[i]) lines = lines.concat(wrapText("\u201c" + quote + "\u201d", 60));
      return lines.map(function (ln, n) { return n < kept.length ? ln : plotText(ln); }).join("<br>");
    };
  }
  // A chart's figure as the page ships it, completed from the page (parsed once; callers get a copy).
  var figures = new Map();
  function figure(el) {
    if (!figures.has(el)) {
      var spec = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
      var cells = spec.layout.meta && spec.layout.meta.hover_cells;
      if (cells) {
        var line = hoverLines(el.closest("figure"), cells);
        spec.data.forEach(function (t) { if (t.hovertext) t.hovertext = t.hovertext.map(line); });
      }
      figures.set(el, spec);
    }
    return clone(figures.get(el));
  }

  function draw(el) {
    var spec = figure(el);
    spec = sideways(spec, el.clientWidth || window.innerWidth);
    // Light text on a dark page: the page's own scheme (an embed's is its embedding page's, not the system's).
    var scheme = getComputedStyle(document.documentElement).colorScheme || "";
    if (scheme === "dark" || (scheme !== "light" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches)) {
      spec.layout.font = Object.assign({}, spec.layout.font, { color: "#ececec" });
    }
    var still = el.querySelector(".chart-static");
    if (still) still.remove(); // the build's drawing gives way to the interactive one
    return Plotly.react(el, spec.data, spec.layout, config).then(function () { el.setAttribute("data-drawn", "true"); });
  }
  var plots = document.querySelectorAll("[data-chart]");
  library().then(function () { plots.forEach(draw); });
  // Crossing the phone width redraws (rotating a phone, resizing a window).
  var wasPhone = window.innerWidth < PHONE;
  window.addEventListener("resize", function () {
    var phone = window.innerWidth < PHONE;
    if (phone !== wasPhone && window.Plotly) { wasPhone = phone; plots.forEach(draw); }
  });

  // ---- Downloaded images that stand alone: title, subtitle, chart, legend notes, source, site, URL, version,
  // on an opaque white background whatever the reader's colour scheme, in the page's language.
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var measure = document.createElement("canvas").getContext("2d");
  function wrap(text, size, bold, width, maxLines) {
    measure.font = (bold ? "bold " : "") + size + "px " + FONT;
    var words = String(text).split(/\s+/).filter(Boolean), lines = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && measure.measureText(next).width > width) { lines.push(line); line = w; } else { line = next; }
    });
    if (line) lines.push(line);
    if (lines.length > maxLines) { lines = lines.slice(0, maxLines); lines[maxLines - 1] += " …"; }
    return lines;
  }
  var esc = function (s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); };

  // What the image prints that the page shows around the chart, read from it (sitegen/chartimage.py
  // image_meta ships the rest): the title, the source line, the chart's own subtitle when the image has
  // none of its own, and its notes, the last followed by the list of what it leaves out, then the legend.
  function pageWords(fig, meta) {
    var text = function (el) { return el ? el.textContent.trim() : ""; };
    var all = function (sel) { return [].map.call(fig.querySelectorAll(sel), text); };
    meta.title = text(document.getElementById(fig.id + "-title"));
    meta.source = text(fig.querySelector(".chart-source"));
    if (meta.subtitle == null) meta.subtitle = text(fig.querySelector(".chart-subtitle"));
    var notes = all(".chart-notes p"), omitted = all(".chart-notes li");
    if (omitted.length && notes.length) notes[notes.length - 1] += " " + omitted.join("; ") + ".";
    meta.notes = notes.concat(meta.legend || []);
    return meta;
  }

  function frame(meta, W, H) {
    var url = meta.url_rel ? new URL(meta.url_rel, location.href).href : meta.url;
    var pad = Math.round(W * 0.04), inner = W - 2 * pad, y = pad, parts = [];
    var block = function (text, size, bold, colour, maxLines, gap) {
      wrap(text, size, bold, inner, maxLines).forEach(function (ln) {
        y += size * 1.25;
        parts.push('<text x="' + pad + '" y="' + y.toFixed(1) + '" font-size="' + size + '"' + (bold ? ' font-weight="bold"' : "") +
          ' fill="' + colour + '">' + esc(ln) + "</text>");
      });
      y += gap;
    };
    block(meta.title, Math.round(W / 36), true, "#1a1a1a", 3, 4);
    block(meta.subtitle, Math.round(W / 54), false, "#444444", 2, 10);
    var top = y, tail = [], ty = 0;
    var tailBlock = function (text, size, bold, colour, maxLines) {
      wrap(text, size, bold, inner, maxLines).forEach(function (ln) {
        ty += size * 1.3; tail.push([ty, size, bold, colour, ln]);
      });
      ty += 4;
    };
    var small = Math.round(W / 72);
    meta.notes.forEach(function (n) { tailBlock(n, small, false, "#333333", 3); });
    tailBlock(meta.source, small, false, "#333333", 4);
    tailBlock(meta.footer.replace("{url}", url), small, true, "#0b5394", 2);
    var chartH = Math.max(120, H - top - ty - pad);
    var bottom = top + chartH + 6;
    tail.forEach(function (t) {
      parts.push('<text x="' + pad + '" y="' + (bottom + t[0]).toFixed(1) + '" font-size="' + t[1] + '"' + (t[2] ? ' font-weight="bold"' : "") +
        ' fill="' + t[3] + '">' + esc(t[4]) + "</text>");
    });
    return { parts: parts, top: top, chartH: chartH, inner: inner, pad: pad, url: url };
  }

  function imageSvg(plot, meta, W, H) {
    var spec = figure(plot);
    var f = frame(meta, W, H);
    var L = spec.layout;
    L.paper_bgcolor = "#ffffff"; L.plot_bgcolor = "#ffffff";
    L.font = Object.assign({}, L.font, { color: "#1a1a1a" });
    // A chart taller than the room the frame leaves (the network: a row per node) is drawn at its own
    // height, as wide as it must be to keep the frame's proportions, then scaled down whole: squeezed into
    // the room instead, its rows would print their labels over each other.
    // Its rows are drawn 30% closer than on the page (a line of text still fits in each), so that
    // the labels shrink less.
    var natural = Math.max(f.chartH, Math.round((L.height || 0) * 0.7)), scale = f.chartH / natural, w = Math.round(f.inner / scale);
    L.width = w; L.height = natural; delete L.title;
    return library().then(function (Plotly) {
      return Plotly.toImage({ data: spec.data, layout: L, config: { staticPlot: true } }, { format: "svg", width: w, height: natural });
    }).then(function (dataUrl) {
        var chart = decodeURIComponent(dataUrl.slice(dataUrl.indexOf(",") + 1)).replace(/^<\?xml[^>]*>/, "");
        chart = chart.replace(/^<svg[^>]*>/, function (tag) {
          return tag.replace(/\s(width|height|viewBox|x|y)="[^"]*"/g, "").replace(/^<svg/, '<svg x="' + f.pad + '" y="' + f.top.toFixed(1) +
            '" width="' + f.inner + '" height="' + f.chartH + '" viewBox="0 0 ' + w + " " + natural + '"');
        });
        return '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="' + W + '" height="' + H +
          '" viewBox="0 0 ' + W + " " + H + '" xml:lang="' + meta.lang + '" lang="' + meta.lang + '" font-family="' + esc(FONT) + '">' +
          "<title>" + esc(meta.title) + "</title>" +
          '<rect x="0" y="0" width="' + W + '" height="' + H + '" fill="#ffffff"/>' + f.parts.join("") + chart + "</svg>";
      });
  }

  function toPng(svg, W, H) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () {
        var c = document.createElement("canvas"); c.width = W; c.height = H;
        var g = c.getContext("2d"); g.fillStyle = "#ffffff"; g.fillRect(0, 0, W, H); g.drawImage(img, 0, 0, W, H);
        resolve(c.toDataURL("image/png"));
      };
      img.onerror = reject;
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    });
  }

  function save(href, name) {
    var a = document.createElement("a"); a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }

  document.querySelectorAll("button.download-image").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var fig = document.getElementById(btn.getAttribute("data-target"));
      var plot = fig && fig.querySelector("[data-chart]");
      var metaEl = fig && document.getElementById(btn.getAttribute("data-target") + "-image");
      if (!plot || !metaEl) return;
      var meta = pageWords(fig, JSON.parse(metaEl.textContent));
      var choice = fig.querySelector("select.image-size");
      var size = (choice ? choice.value : "1200x675").split("x").map(Number);
      var W = size[0], H = size[1], format = btn.getAttribute("data-format");
      var name = meta.filename + "-" + W + "x" + H + "." + format;
      imageSvg(plot, meta, W, H).then(function (svg) {
        if (format === "svg") return save(URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })), name);
        return toPng(svg, W, H).then(function (png) { save(png, name); });
      });
    });
  });
})();
