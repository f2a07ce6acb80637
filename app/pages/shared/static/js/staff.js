/* Staff pages: the print button of the letters page. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("print");
    if (button) button.addEventListener("click", function () { window.print(); });
  });
})();
