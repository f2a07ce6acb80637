/*
 * The surveyor's interview page (/s/interview/<campaign>?respondent=<id>).
 *
 * The interview is an IndexedDB item (outbox.js) from the first screen on: its
 * client_id is made when it starts and every answer is saved at once, so a
 * reload, a closed tab or a flat battery loses nothing, with or without a
 * connection. Submitting from the review screen queues it for sync. The language
 * the questionnaire is shown in is kept with the draft, so a reload keeps it; a
 * new interview starts in the default language.
 */
(function () {
  "use strict";
  var SIPAS = window.SIPAS;
  var outbox = SIPAS.outbox;

  function showState(text) {
    var box = document.getElementById("interview-state");
    box.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    var back = document.createElement("a");
    back.href = "/s/";
    back.className = "button";
    back.textContent = "Về danh sách";
    box.appendChild(p);
    box.appendChild(back);
    box.hidden = false;
    document.getElementById("survey").hidden = true;
  }

  function start(root) {
    var respondentId = Number(new URLSearchParams(location.search).get("respondent"));
    var campaignId = Number(root.dataset.campaign);
    if (!respondentId) {
      showState("Không rõ người được phỏng vấn; hãy chọn từ danh sách.");
      return;
    }
    var names = JSON.parse(localStorage.getItem("sipas-respondents") || "{}");
    document.getElementById("respondent-label").textContent =
      "Người được phỏng vấn: " + (names[respondentId] || "#" + respondentId);

    outbox.forRespondent(respondentId).then(function (items) {
      var interviews = items.filter(function (item) { return item.kind === "response"; });
      if (interviews.some(function (item) { return item.state !== "draft"; })) {
        showState("Phiếu của người này đã được ghi trên máy và đang chờ đồng bộ (hoặc cần xử lý).");
        return;
      }
      var draft = interviews[0] || {
        client_id: SIPAS.uuid(),
        kind: "response",
        state: "draft",
        respondent_id: respondentId,
        campaign_id: campaignId,
        answers: {},
        screen: null,
        started_at: new Date().toISOString(),
      };
      var saving = outbox.put(draft);
      root.dataset.clientId = draft.client_id;
      new SIPAS.Form(root, {
        answers: draft.answers,
        screen: draft.screen,
        language: draft.language,
        onLanguage: function (language) {
          draft.language = language;
          saving = saving.then(function () { return outbox.put(draft); });
        },
        onChange: function (answers, screen) {
          draft.answers = answers;
          draft.screen = screen;
          saving = saving.then(function () { return outbox.put(draft); });
        },
        onSubmit: function (answers) {
          draft.answers = answers;
          draft.state = "queued";
          draft.body = {
            client_id: draft.client_id,
            respondent_id: respondentId,
            answers: answers,
            started_at: draft.started_at,
          };
          draft.queued_at = new Date().toISOString();
          return saving.then(function () { return outbox.put(draft); }).then(function () {
            sessionStorage.setItem("sipas-saved", "Đã lưu phiếu trên máy; sẽ gửi khi có mạng.");
            location.href = "/s/";
          });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    start(document.getElementById("survey"));
  });
})();
