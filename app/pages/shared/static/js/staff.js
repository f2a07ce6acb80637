/* Staff pages: the print button of the letters page; the box that ticks every movable
   person of the reassignment table. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("print");
    if (button) button.addEventListener("click", function () { window.print(); });
    var all = document.getElementById("tick-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("#roster input[name=respondent_ids]").forEach(function (box) {
          box.checked = all.checked;
        });
      });
    }
  });
})();
