// The dashboard's charts: the rows come from the page's data island (#dashboard-charts, JSON), one
// ECharts chart per [data-chart] box; no inline script (CSP).
(function () {
  "use strict";

  function draw() {
    var island = document.getElementById("dashboard-charts");
    if (!island || typeof window.echarts === "undefined") { return; }
    var charts = JSON.parse(island.textContent);
    var drawn = [];
    charts.forEach(function (chart) {
      var box = document.querySelector('[data-chart="' + chart.id + '"]');
      if (!box) { return; }
      var instance = window.echarts.init(box, null, { renderer: "svg" });
      instance.setOption({
        animation: false,
        grid: { left: 8, right: 8, top: 8 + 22 * Math.ceil(chart.series.length / 2), bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { type: "plain", top: 0, textStyle: { fontSize: 11 } },
        xAxis: { type: "category", data: chart.categories, axisLabel: { fontSize: 10, hideOverlap: true } },
        yAxis: { type: "value", axisLabel: { fontSize: 10 } },
        series: chart.series.map(function (s) {
          return { name: s.name, type: chart.kind, data: s.values, connectNulls: false, symbolSize: 4 };
        })
      });
      drawn.push(instance);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
