/*
 * Paper data entry (/staff/campaigns/<id>/paper): staff type in returned paper
 * questionnaires with the keyboard only.
 *
 * Each item is one text field taking the answer's code; Enter checks the field
 * and moves to the next item still asked (skip logic from form.js: an item hidden
 * by an earlier answer is cleared, dimmed and skipped), Ctrl+Enter saves. The
 * server validates exactly as for every other channel (mode "paper"), and a
 * client_id made when the form starts makes a double save harmless. Saving with
 * missing or wrong answers names each problem next to its field and brings the
 * first one into view with the cursor in it.
 */
(function () {
  "use strict";
  var SIPAS = window.SIPAS;
  var SCALES = { likert5: true, expectation3: true };

  var form, rows, status, clientId;

  function parse(row, text) {
    var type = row.dataset.type;
    var raw = text.trim();
    if (!raw) return { value: null };
    var options = JSON.parse(row.dataset.options || "[]");
    if (type === "multiple_choice") {
      var codes = raw.split(/[\s,;.]+/).filter(Boolean);
      var unknown = codes.filter(function (c) { return options.indexOf(c) < 0; });
      if (unknown.length) return { error: "Không có mã " + unknown.join(", ") };
      return { value: options.filter(function (o) { return codes.indexOf(o) >= 0; }) };
    }
    if (SCALES[type] || type === "single_choice") {
      var code = raw.toLowerCase() === "na" ? "na" : raw;
      if (options.indexOf(code) < 0) return { error: "Mã phải là một trong: " + options.join(", ") };
      return { value: SCALES[type] && code !== "na" ? parseInt(code, 10) : code };
    }
    if (type === "number") {
      var number = Number(raw.replace(",", "."));
      var d = row.dataset;
      if (!Number.isFinite(number)) return { error: "Phải là một số" };
      if (d.integer && !Number.isInteger(number)) return { error: "Phải là số nguyên" };
      if ((d.min !== undefined && number < Number(d.min)) || (d.max !== undefined && number > Number(d.max))) {
        return { error: "Ngoài khoảng " + (d.min || "…") + "–" + (d.max || "…") };
      }
      return { value: number };
    }
    return { value: raw.normalize("NFC") };
  }

  function input(row) { return row.querySelector("input.key"); }

  /* Show (or clear) the problem of a row next to its field. */
  function mark(row, message) {
    row.classList.toggle("bad", !!message);
    var note = row.querySelector(".paper-error");
    note.textContent = message || "";
    note.hidden = !message;
  }

  /* Answers of the items still asked, applying skip logic in form order. */
  function collect() {
    var answers = {};
    var visible = new Set();
    rows.forEach(function (row) {
      var conditions = JSON.parse(row.dataset.showIf || "[]");
      var shown = SIPAS.isVisible(conditions, answers, visible);
      row.classList.toggle("hidden-by-skip", !shown);
      input(row).disabled = !shown;
      if (!shown) {
        input(row).value = "";
        mark(row, null);
        return;
      }
      visible.add(row.dataset.code);
      var parsed = parse(row, input(row).value);
      if (parsed.value !== null && parsed.value !== undefined) answers[row.dataset.code] = parsed.value;
    });
    return answers;
  }

  function nextField(from) {
    var fields = Array.prototype.slice.call(form.querySelectorAll("input:not([disabled])"));
    var next = fields[fields.indexOf(from) + 1];
    (next || document.getElementById("paper-save")).focus();
  }

  function start() {
    clientId = SIPAS.uuid();
    form.reset();
    rows.forEach(function (row) { mark(row, null); });
    collect();
    document.getElementById("paper-respondent").focus();
  }

  function save() {
    var answers = collect();
    var bad = rows.filter(function (row) {
      if (input(row).disabled) return false;
      var parsed = parse(row, input(row).value);
      var missing = parsed.value === null && row.dataset.required === "1";
      mark(row, parsed.error || (missing ? "Chưa nhập (câu bắt buộc)" : null));
      return parsed.error || missing;
    });
    if (bad.length) {
      var first = bad[0];
      status.textContent = "Chưa lưu: " + bad.length + " câu chưa nhập hoặc chưa đúng, đầu tiên là câu " +
        first.querySelector(".code").textContent + " (ô viền đỏ).";
      first.scrollIntoView({ block: "center" });
      input(first).focus({ preventScroll: true });
      return;
    }
    var respondent = document.getElementById("paper-respondent").value.trim();
    status.textContent = "Đang lưu…";
    fetch("/staff/api/campaigns/" + form.dataset.campaign + "/paper", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content,
      },
      body: JSON.stringify({ client_id: clientId, respondent_id: respondent ? Number(respondent) : null, answers: answers }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          start();
          status.textContent = "Đã lưu phiếu số " + body.id + ". Nhập phiếu tiếp theo.";
          return;
        }
        (body.fields || []).forEach(function (field) {
          var row = form.querySelector('.paper-row[data-code="' + field.item + '"]');
          if (row) mark(row, field.message);
        });
        var reasons = {
          respondent_already_answered: "Người này đã trả lời (phiếu đầu tiên được tính); phiếu này không được lưu.",
          invalid_answers: "Máy chủ không nhận một số câu trả lời (ô viền đỏ).",
        };
        status.textContent = reasons[body.error] || ("Chưa lưu được: " + (body.detail || response.status));
      });
    }, function () {
      status.textContent = "Chưa lưu được: không kết nối được máy chủ. Bấm Ctrl+Enter để thử lại.";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("paper");
    rows = Array.prototype.slice.call(form.querySelectorAll(".paper-row[data-code]"));
    status = document.getElementById("paper-status");
    form.addEventListener("input", function (event) {
      var row = event.target.closest(".paper-row[data-code]");
      if (row) mark(row, null);
      collect();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) { save(); return; }
      if (event.target.id === "paper-save") { save(); return; }
      var row = event.target.closest(".paper-row[data-code]");
      if (row) {
        var parsed = parse(row, event.target.value);
        mark(row, parsed.error || null);
        if (parsed.error) return;
      }
      collect();
      nextField(event.target);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    start();
  });
})();
