/*
 * The progress bar of a case-list import: asks the job's status every second, without
 * reloading, and reloads once the job has finished (the server then opens the row
 * report, or shows why the file was refused).
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("case-import");
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = document.getElementById("import-status");
    function show(job) {
      if (job.status === "succeeded" || job.status === "failed") {
        window.location.reload();
        return true;
      }
      var fraction = job.progress.fraction;
      if (job.status === "queued") {
        text.textContent = "Tệp đã được nhận và đang chờ đến lượt kiểm tra.";
      } else if (fraction === null) {
        bar.removeAttribute("value");
        text.textContent = "Máy chủ đang kiểm tra và lưu từng dòng.";
      } else {
        var percent = Math.floor(fraction * 100);
        bar.value = percent;
        text.textContent = "Máy chủ đang kiểm tra và lưu từng dòng: đã đọc " + percent + "% tệp (" +
          Math.round(job.progress.done / 1048576) + " / " + Math.round(job.progress.total / 1048576) + " MB).";
      }
      return false;
    }
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (job) { if (!show(job)) window.setTimeout(poll, 1000); })
        .catch(function () {
          text.textContent = "Chưa hỏi được tiến độ (mất kết nối?); sẽ thử lại.";
          window.setTimeout(poll, 3000);
        });
    }
    poll();
  });
})();
