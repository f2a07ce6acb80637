/*
 * The surveyor's list page (/s/): filters, outcomes, local state and conflicts.
 *
 * Outcomes are queued like interviews (outbox.js), so they can be recorded with
 * no connection. Each respondent shows what the phone still holds for them
 * (interview in progress, waiting to sync, refused by the server). Items the
 * server refused are listed under "Cần xử lý" with the reason; the surveyor hands
 * each one over (kept in the server's audit trail) before it leaves the phone.
 */
(function () {
  "use strict";
  var SIPAS = window.SIPAS;
  var outbox = SIPAS.outbox;

  var LOCAL = {
    draft: "Đang phỏng vấn dở",
    queued: "Chờ đồng bộ",
    conflict: "Cần xử lý",
  };

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("li.respondent"));
  }

  function rowOf(respondentId) {
    return document.querySelector('li.respondent[data-respondent="' + respondentId + '"]');
  }

  function applyFilters() {
    var unit = document.getElementById("filter-unit").value;
    var status = document.getElementById("filter-status").value;
    rows().forEach(function (row) {
      var matchesUnit = !unit || row.dataset.unit === unit;
      var matchesStatus = !status ||
        (status.indexOf("local-") === 0 ? (row.dataset.local || "").split(" ").indexOf(status.slice(6)) >= 0 : row.dataset.status === status);
      row.hidden = !(matchesUnit && matchesStatus);
    });
  }

  function showLocalState(items) {
    var byRespondent = {};
    items.forEach(function (item) {
      (byRespondent[item.respondent_id] = byRespondent[item.respondent_id] || []).push(item);
    });
    rows().forEach(function (row) {
      var mine = byRespondent[row.dataset.respondent] || [];
      var states = mine.map(function (item) { return item.state; });
      row.dataset.local = states.join(" ");
      var badge = row.querySelector(".badge.local");
      badge.hidden = !states.length;
      badge.textContent = states.map(function (s) { return LOCAL[s]; }).join(", ");
      var draft = mine.filter(function (item) { return item.kind === "response" && item.state === "draft"; })[0];
      var sent = mine.some(function (item) { return item.kind === "response" && item.state !== "draft"; });
      var start = row.querySelector("a.start");
      if (start) {
        start.hidden = sent;
        start.textContent = draft ? "Tiếp tục phỏng vấn" : "Phỏng vấn";
      }
      var discard = row.querySelector(".discard-draft");
      if (discard) {
        discard.hidden = !draft;
        discard.dataset.clientId = draft ? draft.client_id : "";
      }
    });
    applyFilters();
  }

  function describe(item) {
    var row = rowOf(item.respondent_id);
    var who = row ? row.querySelector(".name").textContent : "#" + item.respondent_id;
    var what = item.kind === "response" ? "Phiếu phỏng vấn" : "Kết quả liên hệ";
    return what + " — " + who;
  }

  function showConflicts(items) {
    var section = document.getElementById("conflicts");
    var list = section.querySelector(".conflict-list");
    var conflicts = items.filter(function (item) { return item.state === "conflict"; });
    section.hidden = !conflicts.length;
    list.textContent = "";
    conflicts.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "conflict";
      li.dataset.clientId = item.client_id;
      var title = document.createElement("strong");
      title.textContent = describe(item);
      var reason = document.createElement("p");
      var error = item.error || {};
      // The server's sentence, from the message catalogue (app/core/messages.py).
      reason.textContent = error.detail || ("Máy chủ từ chối (mã " + error.status + ").");
      li.appendChild(title);
      li.appendChild(reason);
      (error.fields || []).forEach(function (field) {
        var p = document.createElement("p");
        p.className = "small";
        p.textContent = field.message;
        li.appendChild(p);
      });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hand-over";
      button.textContent = "Chuyển cho giám sát viên";
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function refresh() {
    return outbox.all().then(function (items) {
      showLocalState(items);
      showConflicts(items);
    });
  }

  function handOver(clientId) {
    return outbox.get(clientId).then(function (item) {
      return fetch("/s/api/session", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
        .then(function (session) {
          return fetch("/s/api/conflicts", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token },
            body: JSON.stringify({
              client_id: item.client_id,
              kind: item.kind,
              respondent_id: item.respondent_id,
              body: item.body,
              error: item.error || {},
            }),
          });
        })
        .then(function (response) {
          if (!response.ok) throw new Error();
          return outbox.remove(clientId);
        })
        .catch(function () { toast("Cần có mạng để chuyển cho giám sát viên; mục này vẫn được giữ trên máy."); });
    });
  }

  function toast(text) {
    var p = document.getElementById("toast");
    p.textContent = text;
    p.hidden = false;
  }

  function recordOutcome(form) {
    var row = form.closest("li.respondent");
    var clientId = SIPAS.uuid();
    var note = form.elements.note.value.trim();
    var body = {
      client_id: clientId,
      respondent_id: Number(row.dataset.respondent),
      outcome: form.elements.outcome.value,
      note: note || null,
    };
    return outbox.put({
      client_id: clientId,
      kind: "outcome",
      state: "queued",
      respondent_id: body.respondent_id,
      body: body,
      created_at: new Date().toISOString(),
    }).then(function () {
      form.reset();
      form.closest("details").open = false;
      toast("Đã ghi kết quả; sẽ gửi khi có mạng.");
      outbox.sync(true);
    });
  }

  /* Names for the interview page's heading (the list page is the only one that has them). */
  function rememberNames() {
    var names = {};
    rows().forEach(function (row) { names[row.dataset.respondent] = row.querySelector(".name").textContent; });
    localStorage.setItem("sipas-respondents", JSON.stringify(names));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("filter-unit").addEventListener("change", applyFilters);
    document.getElementById("filter-status").addEventListener("change", applyFilters);
    document.addEventListener("submit", function (event) {
      if (!event.target.classList.contains("outcome-form")) return;
      event.preventDefault();
      recordOutcome(event.target);
    });
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target.classList.contains("hand-over")) {
        handOver(target.closest("li.conflict").dataset.clientId);
      } else if (target.classList.contains("discard-draft")) {
        if (window.confirm("Huỷ phiếu đang phỏng vấn dở của người này?")) outbox.remove(target.dataset.clientId);
      }
    });
    var saved = sessionStorage.getItem("sipas-saved");
    if (saved) {
      sessionStorage.removeItem("sipas-saved");
      toast(saved);
    }
    rememberNames();
    window.addEventListener("sipas:outbox", refresh);
    refresh();
    var state = document.getElementById("offline-state");
    if (!navigator.onLine) state.textContent = "Không có mạng: đang dùng bản lưu trên máy.";
    new MutationObserver(function () {
      var ready = document.body.dataset.offlineReady;
      state.textContent = ready === "1" ? "Sẵn sàng làm việc khi không có mạng." : "Chưa lưu được đủ trang để làm việc khi không có mạng.";
    }).observe(document.body, { attributes: true, attributeFilter: ["data-offline-ready"] });
  });
})();
