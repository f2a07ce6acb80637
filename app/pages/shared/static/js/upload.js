/*
 * Case-list upload with a progress bar. The form works without this script; with it,
 * the file is sent by XMLHttpRequest so the page shows how much has been sent, then
 * opens the page that follows the import job (case_import.js) until the row report.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("case-upload");
    if (!form) return;
    var box = form.querySelector(".upload-progress");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[role=status]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.floor((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = "Đã gửi " + percent + "% (" + Math.round(e.loaded / 1048576) + " / " + Math.round(e.total / 1048576) + " MB)";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        text.textContent = "Đã gửi xong; đang mở trang theo dõi việc nạp…";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        text.textContent = "Mất kết nối khi gửi tệp; xin thử lại.";
      });
      xhr.send(new FormData(form));
    });
  });
})();
