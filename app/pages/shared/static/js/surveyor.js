/*
 * The surveyor's list page (/s/): filters, contact attempts, outcomes, local state
 * and conflicts.
 *
 * Attempts and outcomes are queued like interviews (outbox.js), so they can be
 * recorded with no connection. Each respondent shows what the phone still holds for
 * them (interview in progress, an outcome or attempt waiting to sync with its own
 * label, refused by the server), and people who asked to be contacted again come
 * first, by the time they gave (the server's order, with the phone's own call-backs
 * not yet synced). The Vietnamese names of outcomes and attempt results come from
 * the server with the page. Items the server refused are listed under "Cần xử lý"
 * with the reason; the surveyor hands each one over to the supervisors' queue before
 * it leaves the phone.
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

  var LABELS = {};

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("li.respondent"));
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  /* HH:MM dd/mm/yyyy in the phone's time, as the server writes it. */
  function formatTime(iso) {
    var d = new Date(iso);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" +
      pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  /* What the respondent's badge says about one item the phone holds. */
  function localLabel(item) {
    if (item.state === "queued" && item.kind === "outcome") {
      return (LABELS.outcome[item.body.outcome] || item.body.outcome) + " (chờ đồng bộ)";
    }
    if (item.state === "queued" && item.kind === "attempt") {
      return "Lần liên hệ: " + (LABELS.attempt[item.body.result] || item.body.result) + " (chờ đồng bộ)";
    }
    return LOCAL[item.state];
  }

  /* Attempts count and call-back time, with the attempts not yet synced. */
  function showAttempts(row, mine) {
    var queued = mine.filter(function (item) { return item.kind === "attempt" && item.state === "queued"; })
      .sort(function (a, b) {
        var ka = a.body.attempted_at + a.created_at, kb = b.body.attempted_at + b.created_at;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
    row.querySelector(".attempts .count").textContent = String(Number(row.dataset.attempts) + queued.length);
    var callback = row.dataset.callback;
    if (queued.length) {
      var last = queued[queued.length - 1].body;
      callback = last.result === "call_back" ? last.callback_at : "";
    }
    row.dataset.due = callback || "";
    var line = row.querySelector(".callback");
    line.hidden = !callback;
    if (callback) {
      var time = line.querySelector("time");
      time.dateTime = callback;
      time.textContent = formatTime(callback);
    }
  }

  /* Call-backs first, earliest first; the others in the server's order. */
  function sortRows() {
    var list = document.querySelector("ul.respondents");
    rows().sort(function (a, b) {
      var ka = a.dataset.due ? new Date(a.dataset.due).getTime() : Infinity;
      var kb = b.dataset.due ? new Date(b.dataset.due).getTime() : Infinity;
      if (ka !== kb) return ka < kb ? -1 : 1;
      return Number(a.dataset.order) - Number(b.dataset.order);
    }).forEach(function (row) { list.appendChild(row); });
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
      badge.textContent = mine.map(localLabel).join(", ");
      showAttempts(row, mine);
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
    sortRows();
    applyFilters();
  }

  function describe(item) {
    var row = rowOf(item.respondent_id);
    var who = row ? row.querySelector(".name").textContent : "#" + item.respondent_id;
    var what = { response: "Phiếu phỏng vấn", outcome: "Kết quả liên hệ", attempt: "Lần liên hệ" }[item.kind];
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
          if (response.ok) return outbox.remove(clientId);
          // Refused (e.g. the person is no longer assigned to this surveyor): say why.
          return response.json().then(function (error) {
            toast((error.detail || "Máy chủ không nhận mục này.") + " Mục này vẫn được giữ trên máy.");
          });
        })
        .catch(function () { toast("Cần có mạng để chuyển cho giám sát viên; mục này vẫn được giữ trên máy."); });
    });
  }

  function toast(text) {
    var p = document.getElementById("toast");
    p.textContent = text;
    p.hidden = false;
  }

  /* Queue what a card's form recorded (an outcome or an attempt) and send it when possible. */
  function queue(form, kind, fields, message) {
    var row = form.closest("li.respondent");
    var note = form.elements.note.value.trim();
    var body = Object.assign({
      client_id: SIPAS.uuid(),
      respondent_id: Number(row.dataset.respondent),
      note: note || null,
    }, fields);
    return outbox.put({
      client_id: body.client_id,
      kind: kind,
      state: "queued",
      respondent_id: body.respondent_id,
      body: body,
      created_at: new Date().toISOString(),
    }).then(function () {
      form.reset();
      if (kind === "attempt") showCallbackField(form);
      form.closest("details").open = false;
      toast(message);
      outbox.sync(true);
    });
  }

  function recordOutcome(form) {
    return queue(form, "outcome", { outcome: form.elements.outcome.value }, "Đã ghi kết quả; sẽ gửi khi có mạng.");
  }

  /* A datetime-local value ("2024-10-01T08:30", the phone's time) as an ISO instant. */
  function instant(value) {
    return new Date(value).toISOString();
  }

  function localNow() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function showCallbackField(form) {
    var callback = form.querySelector(".callback-at");
    var needed = form.elements.result.value === "call_back";
    callback.hidden = !needed;
    form.elements.callback_at.required = needed;
  }

  /* When the attempt happened: now, to the millisecond, unless the surveyor changed the
   * time the form proposed (attempts recorded a minute apart keep their order). */
  function attemptedAt(input) {
    return input.value === input.dataset.proposed ? new Date().toISOString() : instant(input.value);
  }

  function recordAttempt(form) {
    var result = form.elements.result.value;
    return queue(form, "attempt", {
      attempted_at: attemptedAt(form.elements.attempted_at),
      result: result,
      callback_at: result === "call_back" ? instant(form.elements.callback_at.value) : null,
    }, "Đã ghi lần liên hệ; sẽ gửi khi có mạng.");
  }

  /* Names for the interview page's heading (the list page is the only one that has them). */
  function rememberNames() {
    var names = {};
    rows().forEach(function (row) { names[row.dataset.respondent] = row.querySelector(".name").textContent; });
    localStorage.setItem("sipas-respondents", JSON.stringify(names));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("ul.respondents");
    LABELS = { outcome: JSON.parse(list.dataset.outcomeLabels), attempt: JSON.parse(list.dataset.attemptLabels) };
    document.getElementById("filter-unit").addEventListener("change", applyFilters);
    document.getElementById("filter-status").addEventListener("change", applyFilters);
    document.addEventListener("submit", function (event) {
      if (event.target.classList.contains("outcome-form")) {
        event.preventDefault();
        recordOutcome(event.target);
      } else if (event.target.classList.contains("attempt-form")) {
        event.preventDefault();
        recordAttempt(event.target);
      }
    });
    document.addEventListener("change", function (event) {
      if (event.target.name === "result") showCallbackField(event.target.form);
    });
    document.querySelectorAll("details.attempt").forEach(function (details) {
      details.addEventListener("toggle", function () {
        var when = details.querySelector('input[name="attempted_at"]');
        if (details.open && !when.value) when.value = when.dataset.proposed = localNow();
      });
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
