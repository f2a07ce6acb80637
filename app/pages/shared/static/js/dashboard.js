/* The dashboard's live part is fetched again every few seconds, without reloading. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var live = document.getElementById("live");
    var status = document.getElementById("refreshed");
    if (!live || !status) return;
    var every = Number(status.dataset.every || 30) * 1000;
    function refresh() {
      fetch(window.location.pathname + "?fragment=1", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          live.innerHTML = html;
          status.textContent = "Cập nhật lúc " + new Date().toLocaleTimeString("vi-VN");
        })
        .catch(function () {
          status.textContent = "Chưa cập nhật được (mất kết nối?); sẽ thử lại.";
        });
    }
    window.setInterval(refresh, every);
  });
})();
