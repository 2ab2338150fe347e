/* Draws every chart on the page from the JSON embedded next to it, and lets readers show or
   hide each chart's data table (the table stays readable by screen readers either way). */
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof Plotly === "undefined") { return; }
    var chart = JSON.parse(source.textContent);
    Plotly.newPlot(el, chart.data, chart.layout, chart.config).then(function () {
      untabbable(el);
      el.on("plotly_afterplot", function () { untabbable(el); });
      el.setAttribute("data-drawn", "");
    });
  }
  // The drawing is hidden from screen readers (its data table carries the numbers), so its
  // controls (zoom, download) stay out of the keyboard's tab order too.
  function untabbable(el) {
    el.querySelectorAll("a, button, input, select, [tabindex]").forEach(function (node) {
      node.setAttribute("tabindex", "-1");
    });
  }
  function toggle(button) {
    var table = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    table.classList.toggle("collapsed", open);
    button.textContent = open ? button.getAttribute("data-show") : button.getAttribute("data-hide");
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
  document.querySelectorAll("[data-toggle-table]").forEach(function (button) {
    button.addEventListener("click", function () { toggle(button); });
  });
})();
