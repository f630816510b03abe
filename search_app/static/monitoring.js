/* Monitoring dashboards: draws each figure with Chart.js (static/vendor/chartjs, loaded before this file)
 * from the JSON in its data-chart attribute (labels, datasets with their drill-down links). No inline
 * script anywhere (Content-Security-Policy). Series are told apart by colour AND pattern (hatching, dots,
 * lines) or, on line charts, by dash and point shape, so a chart reads in black-and-white print and
 * without colour vision. Clicking a bar or point opens the list of cases behind it; the same numbers,
 * with the same links, are in the table under each chart. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }

  // Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "cross", "star", "crossRot", "line"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 4], [12, 2]];

  function pattern(index, colour) {
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size; tile.height = size;
    var g = tile.getContext("2d");
    g.fillStyle = colour;
    g.globalAlpha = 0.35;
    g.fillRect(0, 0, size, size);
    g.globalAlpha = 1;
    g.strokeStyle = colour; g.fillStyle = colour; g.lineWidth = 2;
    var kind = index % 8;
    g.beginPath();
    if (kind === 0) { g.fillRect(0, 0, size, size); }
    else if (kind === 1) { g.moveTo(0, size); g.lineTo(size, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(size - 2, size + 2); g.lineTo(size + 2, size - 2); }
    else if (kind === 2) { g.arc(size / 2, size / 2, 2, 0, 2 * Math.PI); g.fill(); }
    else if (kind === 3) { g.moveTo(0, 0); g.lineTo(size, size); g.moveTo(size, 0); g.lineTo(0, size); }
    else if (kind === 4) { g.moveTo(0, size / 2); g.lineTo(size, size / 2); }
    else if (kind === 5) { g.moveTo(size / 2, 0); g.lineTo(size / 2, size); }
    else if (kind === 6) { g.moveTo(0, 0); g.lineTo(size, size); }
    else { g.strokeRect(1, 1, size - 2, size - 2); }
    g.stroke();
    return g.createPattern(tile, "repeat");
  }

  function datasets(spec) {
    return spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      var common = { label: d.label, data: d.data, links: d.links, borderColor: colour, borderWidth: 1.5 };
      if (spec.type === "line") {
        common.backgroundColor = colour;
        common.borderDash = DASHES[i % DASHES.length];
        common.pointStyle = POINTS[i % POINTS.length];
        common.pointRadius = 4;
        common.borderWidth = 2;
        common.fill = false;
        return common;
      }
      common.backgroundColor = pattern(i, colour);
      return common;
    });
  }

  function draw(holder) {
    var spec;
    try { spec = JSON.parse(holder.getAttribute("data-chart")); } catch (e) { return; }
    if (!spec || !spec.labels || !spec.labels.length) { return; }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", holder.getAttribute("data-title") + ". " + holder.getAttribute("data-alt"));
    var rows = spec.labels.length;
    var tall = spec.horizontal ? Math.max(220, Math.min(1400, 36 + rows * (spec.stacked || spec.single ? 24 : 12 * spec.datasets.length + 8))) : 320;
    holder.style.height = tall + "px";
    holder.appendChild(canvas);
    var valueAxis = {
      beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0, color: "#1d2733" },
      grid: { color: "#d5dbe3" }, title: { display: true, text: spec.unit, color: "#1d2733" }
    };
    if (spec.percent) { valueAxis.max = 100; valueAxis.ticks.callback = function (v) { return v + "%"; }; }
    var labelAxis = { stacked: !!spec.stacked, ticks: { autoSkip: !spec.horizontal, color: "#1d2733" }, grid: { display: false } };
    var chart = new window.Chart(canvas, {
      type: spec.type === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets(spec) },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true, maintainAspectRatio: false, animation: false, devicePixelRatio: 2,
        scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: !spec.single, position: "bottom", labels: { color: "#1d2733", usePointStyle: spec.type === "line" } },
          tooltip: { callbacks: { footer: function () { return holder.getAttribute("data-hint"); } } }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var hit = elements[0];
          var link = (spec.datasets[hit.datasetIndex].links || [])[hit.index];
          if (link) { window.location.assign(link); }
        }
      }
    });
    holder.chart = chart;
    return chart;
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), function (holder) {
    var chart = draw(holder);
    if (chart) { charts.push(chart); }
  });
  document.documentElement.setAttribute("data-charts-drawn", String(charts.length));
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
