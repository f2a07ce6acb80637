/*
 * A citizen's personal link (/r/<token>).
 *
 * Answers are saved on the server as the citizen goes (a partial response),
 * with the screen the citizen is on: shortly after each change, at once when
 * moving to another screen, and when the page is left. Every save is a
 * keep-alive request, so one started by «Tiếp» reaches the server even if the
 * page is closed right after. Reopening the link starts from the saved answers
 * on the saved screen. "Gửi phiếu" submits the response; the server then
 * refuses any further submission. The save URL is derived from the page's own
 * address, so the token is never written into the page.
 *
 * The questionnaire opens in the language asked for by ?lang= (a letter may link
 * to the Khmer form), else in the one last chosen on this device, else in the
 * default language; the choice is kept on the device only (never the token).
 */
(function () {
  "use strict";
  var SIPAS = window.SIPAS;
  var DELAY = 600;
  var KEEPALIVE_LIMIT = 60000; /* browsers refuse keep-alive bodies over 64 KiB */

  var url = location.pathname.replace(/\/+$/, "") + "/answers";
  var state = document.getElementById("save-state");
  var hotline = "";
  var saved = null; /* the last body the server acknowledged */
  var sending = null; /* the body of the request under way */
  var current = null;
  var screen = null;
  var timer = null;
  var queue = Promise.resolve();
  var LANGUAGE_KEY = "sipas-citizen-language";

  function put(body) {
    return fetch(url, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: body,
      credentials: "omit",
      keepalive: body.length < KEEPALIVE_LIMIT,
    });
  }

  function draft() {
    return JSON.stringify({ answers: current, complete: false, screen: screen });
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function finished(title, text) {
    document.getElementById("survey").hidden = true;
    document.querySelector("section.intro").hidden = true;
    var switcher = document.querySelector(".sv-languages");
    if (switcher) switcher.hidden = true;
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
      finished("Đường link không còn hiệu lực", hotline
        ? "Xin gọi số điện thoại đường dây nóng " + hotline + " (cũng được ghi trên thư mời)."
        : "Xin gọi số điện thoại đường dây nóng ghi trên thư mời.");
    }
  }

  /* Save the current answers and screen unless they are already saved. */
  function save() {
    clearTimeout(timer);
    var body = draft();
    if (body === saved) return queue;
    queue = queue.then(function () {
      if (body === saved) return;
      state.textContent = "Đang lưu…";
      sending = body;
      return put(body).then(function (response) {
        sending = null;
        if (response.ok) {
          saved = body;
          state.textContent = "Đã lưu lúc " + clock();
        } else {
          state.textContent = "Chưa lưu được; sẽ thử lại.";
          handleRefusal(response);
        }
      }, function () {
        sending = null;
        state.textContent = "Chưa lưu được (không có mạng?); sẽ thử lại.";
      });
    });
    return queue;
  }

  /* The page is going away: send what is not saved at once, without waiting for the
     request under way (a keep-alive request outlives the page). */
  function saveOnLeaving() {
    clearTimeout(timer);
    var body = draft();
    if (body !== saved && body !== sending) put(body).catch(function () {});
  }

  function submit(answers) {
    current = answers;
    clearTimeout(timer);
    var body = JSON.stringify({ answers: answers, complete: true, screen: screen });
    return queue.then(function () { return put(body); }).then(function (response) {
      if (response.ok) {
        saved = body;
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
    var root = document.getElementById("survey");
    var initial = JSON.parse(document.getElementById("saved-answers").textContent);
    var resume = root.dataset.screen === "" ? null : Number(root.dataset.screen);
    hotline = root.dataset.hotline || "";
    current = initial;
    if (Object.keys(initial).length) state.textContent = "Tiếp tục từ chỗ ông/bà đã dừng lần trước.";
    new SIPAS.Form(root, {
      answers: initial,
      screen: resume,
      language: new URLSearchParams(location.search).get("lang") || localStorage.getItem(LANGUAGE_KEY),
      onLanguage: function (language) { localStorage.setItem(LANGUAGE_KEY, language); },
      onChange: function (answers, shown) {
        current = answers;
        if (screen !== null && shown !== screen) {
          screen = shown;
          save();
          return;
        }
        screen = shown;
        clearTimeout(timer);
        timer = setTimeout(save, DELAY);
      },
      onSubmit: submit,
    });
    /* What the page opened with is what the server has: nothing to save yet. */
    clearTimeout(timer);
    saved = draft();
    window.addEventListener("pagehide", saveOnLeaving);
  });
})();
