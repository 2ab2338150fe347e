// Shows the unit, baseline and target of the chosen figure beside the value being typed.
"use strict";
(function () {
  function refresh() {
    var subject = document.getElementById("id_subject");
    var metric = document.getElementById("id_metric");
    var out = document.getElementById("actual-reference");
    if (!subject || !metric || !out || !subject.value || !metric.value) { return; }
    var url = "../reference/?subject=" + encodeURIComponent(subject.value) + "&metric=" + encodeURIComponent(metric.value);
    if (!/\/add\/$/.test(window.location.pathname)) { url = "../" + url; }
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var parts = ["单位：" + (data.unit || "—")];
      if (!data.targets.length) { parts.push("该指标没有规划目标"); }
      data.targets.forEach(function (t) { parts.push(t.plan + "：基数 " + t.baseline + "，目标 " + t.target); });
      out.textContent = parts.join("；");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    ["id_subject", "id_metric"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.addEventListener("change", refresh); }
    });
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("select2:select", "#id_subject, #id_metric", refresh);
    }
    refresh();
  });
})();
