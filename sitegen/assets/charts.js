// Draws every chart on the page from its JSON block; loaded only on pages with charts.
(function () {
  "use strict";
  if (!window.Plotly) return;
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
    if (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches) {
      spec.layout.font = Object.assign({}, spec.layout.font, { color: "#ececec" });
    }
    Plotly.newPlot(el, spec.data, spec.layout, config).then(function () { el.setAttribute("data-drawn", "true"); });
  });
  document.querySelectorAll("button.download-image").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var fig = document.getElementById(btn.getAttribute("data-target"));
      var plot = fig && fig.querySelector("[data-chart]");
      if (!plot) return;
      Plotly.downloadImage(plot, { format: btn.getAttribute("data-format"), filename: plot.getAttribute("data-filename"), width: 1000, height: 560 });
    });
  });
})();
