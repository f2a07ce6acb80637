/*
 * A citizen's personal link (/r/<token>).
 *
 * Answers are saved on the server as the citizen goes (a partial response):
 * shortly after each change, at once when moving to another screen, and when
 * the page is left. Reopening the link starts from the saved answers, at the
 * first screen that still needs an answer. "Gửi phiếu" submits the response; the
 * server then refuses any further submission. The save URL is derived from the
 * page's own address, so the token is never written into the page.
 */
(function () {
  "use strict";
  var SIPAS = window.SIPAS;
  var DELAY = 600;

  var url = location.pathname.replace(/\/+$/, "") + "/answers";
  var state = document.getElementById("save-state");
  var saved = null;
  var current = null;
  var screen = null;
  var timer = null;
  var queue = Promise.resolve();

  function put(answers, complete, keepalive) {
    return fetch(url, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ answers: answers, complete: complete }),
      credentials: "omit",
      keepalive: !!keepalive,
    });
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function finished(title, text) {
    document.getElementById("survey").hidden = true;
    document.querySelector("section.intro").hidden = true;
    var done = document.getElementById("done");
    if (title) done.querySelector("h1").textContent = title;
    if (text) done.querySelector("p").textContent = text;
    done.hidden = false;
    window.scrollTo(0, 0);
  }

  function handleRefusal(response) {
    if (response.status === 409) {
      finished("Khảo sát đã hoàn thành", "Khảo sát này đã được trả lời. Xin cảm ơn ông/bà!");
    } else if (response.status === 404) {
      finished("Đường link không còn hiệu lực", "Xin liên hệ số điện thoại hỗ trợ ghi trên thư mời.");
    }
  }

  /* Save the current answers unless they are already saved. */
  function save(keepalive) {
    clearTimeout(timer);
    var body = JSON.stringify(current);
    if (body === saved) return queue;
    queue = queue.then(function () {
      if (body === saved) return;
      state.textContent = "Đang lưu…";
      return put(JSON.parse(body), false, keepalive).then(function (response) {
        if (response.ok) {
          saved = body;
          state.textContent = "Đã lưu lúc " + clock();
        } else {
          state.textContent = "Chưa lưu được; sẽ thử lại.";
          handleRefusal(response);
        }
      }, function () {
        state.textContent = "Chưa lưu được (không có mạng?); sẽ thử lại.";
      });
    });
    return queue;
  }

  function submit(answers) {
    current = answers;
    clearTimeout(timer);
    return queue.then(function () { return put(answers, true, false); }).then(function (response) {
      if (response.ok) {
        saved = JSON.stringify(answers);
        finished();
        return;
      }
      if (response.status === 409 || response.status === 404) {
        handleRefusal(response);
        return;
      }
      return response.json().then(function (error) {
        var items = (error.fields || []).map(function (f) { return f.item; }).filter(Boolean);
        throw new Error("Chưa gửi được: máy chủ không nhận câu trả lời" +
          (items.length ? " của các câu " + items.join(", ") : "") + ". Xin kiểm tra lại.");
      });
    }, function () {
      throw new Error("Chưa gửi được (không có mạng?). Câu trả lời vẫn được giữ; xin bấm «Gửi phiếu» lại.");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var initial = JSON.parse(document.getElementById("saved-answers").textContent);
    saved = JSON.stringify(initial);
    current = initial;
    if (Object.keys(initial).length) state.textContent = "Tiếp tục từ chỗ ông/bà đã dừng lần trước.";
    new SIPAS.Form(document.getElementById("survey"), {
      answers: initial,
      onChange: function (answers, shown) {
        current = answers;
        if (screen !== null && shown !== screen) {
          screen = shown;
          save(false);
          return;
        }
        screen = shown;
        clearTimeout(timer);
        timer = setTimeout(function () { save(false); }, DELAY);
      },
      onSubmit: submit,
    });
    window.addEventListener("pagehide", function () { save(true); });
  });
})();
