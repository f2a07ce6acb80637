/*
 * SIPAS questionnaire form (no build step, no dependencies).
 *
 * Turns the markup of templates/form.html into a form shown one block per
 * screen: skip logic applied as the respondent answers (an item hidden by its
 * show_if conditions is cleared), required items enforced before moving on, a
 * progress indicator, back/next that keep every answer, and a review screen
 * before submitting. Used by interview.js (surveyors) and citizen.js (personal
 * links); paper.js uses SIPAS.isVisible only.
 *
 * Answer values are those of questionnaires/answers.py: likert5/expectation3 an
 * integer or "na", single_choice an option code, multiple_choice a list of codes
 * in form order, number a number, text a string.
 *
 * A form offered in several languages has a switcher (.sv-lang buttons, on the
 * page: one form a page) and the texts of each other language (.sv-texts, from
 * app/pages/shared/forms.py; the page itself is in the default one): switching
 * replaces the text of every [data-t] element of the page, marks each with the
 * language it is really in (lang; a missing translation shows the default text,
 * and the buttons and messages around stay in the page's language) and never
 * touches the answers, which are codes in every language.
 */
(function () {
  "use strict";
  var SIPAS = (window.SIPAS = window.SIPAS || {});

  /*
   * Mirror of questionnaires/answers.py is_visible: every condition must hold; a
   * condition on an item that is itself hidden does not hold; a multiple-choice
   * answer matches when any selected option is listed.
   */
  function isVisible(conditions, answers, visible) {
    for (var i = 0; i < conditions.length; i++) {
      var condition = conditions[i];
      if (!visible.has(condition.item)) return false;
      var value = answers[condition.item];
      if (value === undefined || value === null) return false;
      var given = Array.isArray(value) ? value.map(String) : [String(value)];
      if (!given.some(function (v) { return condition.in.indexOf(v) >= 0; })) return false;
    }
    return true;
  }

  /* Mirror of questionnaires/answers.py visible_items; items: [{code, show_if}] in order. */
  function visibleItems(items, answers) {
    var visible = new Set();
    items.forEach(function (item) {
      if (isVisible(item.show_if, answers, visible)) visible.add(item.code);
    });
    return visible;
  }

  SIPAS.isVisible = isVisible;
  SIPAS.visibleItems = visibleItems;

  /* A UUID v4 for client_id (crypto.randomUUID needs a secure context: https or localhost). */
  SIPAS.uuid = function () {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)]
      .map(function (p) { return p.join(""); }).join("-");
  };

  var SCALES = { likert5: true, expectation3: true };

  function readValue(item) {
    var el = item.el;
    if (item.type === "multiple_choice") {
      var chosen = Array.prototype.map.call(el.querySelectorAll("input:checked"), function (i) { return i.value; });
      return chosen.length ? chosen : null;
    }
    if (SCALES[item.type] || item.type === "single_choice") {
      var checked = el.querySelector("input:checked");
      if (!checked) return null;
      if (SCALES[item.type] && checked.value !== "na") return parseInt(checked.value, 10);
      return checked.value;
    }
    var raw = el.querySelector(".sv-input").value.trim();
    if (!raw) return null;
    if (item.type === "number") return Number(raw.replace(",", "."));
    return raw.normalize("NFC");
  }

  function writeValue(item, value) {
    var el = item.el;
    if (item.type === "number" || item.type === "text") {
      el.querySelector(".sv-input").value = value === null || value === undefined ? "" : String(value);
      return;
    }
    var wanted = value === null || value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
    el.querySelectorAll("input").forEach(function (input) { input.checked = wanted.indexOf(input.value) >= 0; });
  }

  /* The problem with an item's current state, in Vietnamese, or null. */
  function problemOf(item, value) {
    var d = item.el.dataset;
    if (value === null) return item.required ? "Xin trả lời câu hỏi này." : null;
    if (item.type === "number") {
      if (!Number.isFinite(value)) return "Xin nhập một số.";
      if (d.integer && !Number.isInteger(value)) return "Xin nhập một số nguyên.";
      if ((d.min !== undefined && value < Number(d.min)) || (d.max !== undefined && value > Number(d.max))) {
        return "Xin nhập một số từ " + (d.min || "…") + " đến " + (d.max || "…") + ".";
      }
    }
    if (item.type === "multiple_choice" && d.maxSelected && value.length > Number(d.maxSelected)) {
      return "Chọn tối đa " + d.maxSelected + " phương án.";
    }
    return null;
  }

  function labelOf(item, value) {
    if (value === null || value === undefined) return "—";
    if (item.type === "number" || item.type === "text") return String(value);
    var values = Array.isArray(value) ? value : [value];
    return values.map(function (v) {
      var input = item.el.querySelector('input[value="' + String(v) + '"]');
      return input ? input.nextElementSibling.textContent : String(v);
    }).join("; ");
  }

  /*
   * new SIPAS.Form(formElement, options)
   *   options.answers   answers to start from (a saved draft or partial response)
   *   options.screen    screen to open (block index; blocks.length = review);
   *                     default: resumeScreen()
   *   options.onChange(answers, screen)  after every change and every move
   *   options.onSubmit(answers) -> Promise  from the review screen
   *   options.language  language to show the questionnaire in (if offered)
   *   options.onLanguage(language)  after the respondent switches language
   */
  function Form(root, options) {
    var self = this;
    this.root = root;
    this.options = options || {};
    this.blocks = Array.prototype.slice.call(root.querySelectorAll(".sv-block"));
    this.review = root.querySelector(".sv-review");
    this.items = Array.prototype.map.call(root.querySelectorAll(".sv-item"), function (el) {
      return {
        el: el,
        code: el.dataset.code,
        type: el.dataset.type,
        required: el.dataset.required === "1",
        show_if: JSON.parse(el.dataset.showIf || "[]"),
        block: self.blocks.indexOf(el.closest(".sv-block")),
      };
    });
    this.answers = {};
    this.visible = new Set();
    this.screen = 0;
    var start = this.options.answers || {};
    this.items.forEach(function (item) {
      if (start[item.code] !== undefined && start[item.code] !== null) {
        writeValue(item, start[item.code]);
        self.answers[item.code] = readValue(item);
      }
    });
    this.refresh();
    root.addEventListener("change", function (event) { self.changed(event.target); });
    root.addEventListener("input", function (event) {
      if (event.target.classList.contains("sv-input")) self.changed(event.target);
    });
    root.querySelector(".sv-next").addEventListener("click", function () { self.next(); });
    root.querySelector(".sv-back").addEventListener("click", function () { self.back(); });
    root.querySelector(".sv-submit").addEventListener("click", function () { self.submit(); });
    this.review.addEventListener("click", function (event) {
      var target = event.target.closest("[data-goto]");
      if (target) self.show(Number(target.dataset.goto));
    });
    this.setupLanguages();
    var screen = this.options.screen;
    this.show(typeof screen === "number" && this.isShown(screen) ? screen : this.resumeScreen());
  }

  Form.prototype.setupLanguages = function () {
    var self = this;
    var texts = document.querySelector(".sv-texts");
    this.defaultLanguage = this.root.dataset.language;
    this.language = this.defaultLanguage;
    if (!texts) return;
    this.texts = JSON.parse(texts.textContent);
    /* The page is rendered in the default language: its texts are the fallback. */
    var defaults = (this.texts[this.defaultLanguage] = {});
    document.querySelectorAll("[data-t]").forEach(function (el) { defaults[el.dataset.t] = el.textContent; });
    document.querySelectorAll(".sv-lang").forEach(function (button) {
      button.addEventListener("click", function () {
        self.setLanguage(button.dataset.lang);
        if (self.options.onLanguage) self.options.onLanguage(self.language);
      });
    });
    var wanted = this.options.language;
    if (wanted && wanted !== this.language && this.texts[wanted]) this.setLanguage(wanted);
  };

  /* Show every questionnaire text of the page in `language` (an offered one). */
  Form.prototype.setLanguage = function (language) {
    if (!this.texts || !this.texts[language]) return;
    var written = this.texts[language];
    var fallback = this.texts[this.defaultLanguage];
    var self = this;
    this.language = language;
    document.querySelectorAll("[data-t]").forEach(function (el) {
      var key = el.dataset.t;
      var own = Object.prototype.hasOwnProperty.call(written, key);
      if (!own && !Object.prototype.hasOwnProperty.call(fallback, key)) return;
      el.textContent = own ? written[key] : fallback[key];
      el.lang = own ? language : self.defaultLanguage;
    });
    document.querySelectorAll(".sv-lang").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.lang === language ? "true" : "false");
    });
    if (this.screen === this.blocks.length) this.buildReview();
    this.progress();
  };

  Form.prototype.itemOf = function (element) {
    var el = element.closest(".sv-item");
    return this.items.filter(function (item) { return item.el === el; })[0];
  };

  Form.prototype.changed = function (target) {
    var item = this.itemOf(target);
    if (!item) return;
    var value = readValue(item);
    // Only valid answers are kept (and saved); a wrong one is shown when moving on.
    if (value === null || problemOf(item, value)) delete this.answers[item.code];
    else this.answers[item.code] = value;
    this.setError(item, null);
    this.refresh();
    this.notify();
  };

  /* Apply skip logic in form order: hide, and clear, every item whose conditions fail. */
  Form.prototype.refresh = function () {
    var self = this;
    var visible = new Set();
    this.items.forEach(function (item) {
      var shown = isVisible(item.show_if, self.answers, visible);
      item.el.hidden = !shown;
      if (shown) {
        visible.add(item.code);
      } else if (item.code in self.answers) {
        delete self.answers[item.code];
        writeValue(item, null);
        self.setError(item, null);
      }
    });
    this.visible = visible;
    this.progress();
  };

  Form.prototype.itemsOf = function (screen) {
    var self = this;
    return this.items.filter(function (item) { return item.block === screen && self.visible.has(item.code); });
  };

  Form.prototype.isShown = function (screen) {
    return screen === this.blocks.length || this.itemsOf(screen).length > 0;
  };

  Form.prototype.shownScreens = function () {
    var screens = [];
    for (var i = 0; i < this.blocks.length; i++) if (this.isShown(i)) screens.push(i);
    return screens;
  };

  Form.prototype.problems = function (screen) {
    var self = this;
    return this.itemsOf(screen).map(function (item) {
      return { item: item, problem: problemOf(item, readValue(item)) };
    }).filter(function (p) { return p.problem; });
  };

  /*
   * Where a form without a saved screen opens: the first screen that still needs an
   * answer or that comes after the last screen holding one, so a screen of optional
   * items the respondent has not reached yet is not jumped over.
   */
  Form.prototype.resumeScreen = function () {
    var self = this;
    var screens = this.shownScreens();
    var reached = -1;
    screens.forEach(function (screen) {
      if (self.itemsOf(screen).some(function (item) { return item.code in self.answers; })) reached = screen;
    });
    for (var i = 0; i < screens.length; i++) {
      if (screens[i] > reached || this.problems(screens[i]).length) return screens[i];
    }
    return this.blocks.length;
  };

  Form.prototype.setError = function (item, message) {
    var p = item.el.querySelector(".sv-error");
    p.textContent = message || "";
    p.hidden = !message;
    item.el.classList.toggle("sv-invalid", !!message);
  };

  Form.prototype.progress = function () {
    var screens = this.shownScreens();
    var required = 0, answered = 0, self = this;
    this.items.forEach(function (item) {
      if (!self.visible.has(item.code) || !item.required) return;
      required += 1;
      if (item.code in self.answers) answered += 1;
    });
    var text = this.root.querySelector(".sv-progress-text");
    if (this.screen === this.blocks.length) {
      text.textContent = "Xem lại trước khi gửi";
    } else {
      var title = this.blocks[this.screen] ? this.blocks[this.screen].querySelector("h2").textContent : "";
      text.textContent = "Phần " + (screens.indexOf(this.screen) + 1) + "/" + screens.length + ": " + title;
    }
    var share = required ? answered / required : 1;
    this.root.querySelector(".sv-bar-fill").style.width = Math.round(share * 100) + "%";
    this.root.querySelector(".sv-bar").setAttribute("aria-label", "Đã trả lời " + answered + "/" + required + " câu bắt buộc");
  };

  Form.prototype.show = function (screen) {
    this.screen = screen;
    this.blocks.forEach(function (block, i) { block.hidden = i !== screen; });
    var reviewing = screen === this.blocks.length;
    this.review.hidden = !reviewing;
    if (reviewing) this.buildReview();
    var first = this.shownScreens()[0];
    this.root.querySelector(".sv-back").hidden = screen === first;
    this.root.querySelector(".sv-next").hidden = reviewing;
    this.root.querySelector(".sv-submit").hidden = !reviewing;
    this.progress();
    window.scrollTo(0, 0);
    this.notify();
  };

  Form.prototype.check = function (screen) {
    var self = this;
    var problems = this.problems(screen);
    problems.forEach(function (p) { self.setError(p.item, p.problem); });
    if (problems.length) {
      var input = problems[0].item.el.querySelector("input, textarea");
      problems[0].item.el.scrollIntoView({ block: "center" });
      if (input) input.focus({ preventScroll: true });
    }
    return problems.length === 0;
  };

  Form.prototype.next = function () {
    if (!this.check(this.screen)) return;
    var later = this.shownScreens().filter(function (s) { return s > this.screen; }, this);
    this.show(later.length ? later[0] : this.blocks.length);
  };

  Form.prototype.back = function () {
    var earlier = this.shownScreens().filter(function (s) { return s < this.screen; }, this);
    if (earlier.length) this.show(earlier[earlier.length - 1]);
  };

  Form.prototype.buildReview = function () {
    var self = this;
    var list = this.review.querySelector(".sv-review-list");
    list.textContent = "";
    this.shownScreens().forEach(function (screen) {
      if (screen === self.blocks.length) return;
      var section = document.createElement("div");
      section.className = "sv-review-block";
      var head = document.createElement("h3");
      head.textContent = self.blocks[screen].querySelector("h2").textContent + " ";
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "link";
      edit.dataset.goto = String(screen);
      edit.textContent = "Sửa";
      head.appendChild(edit);
      section.appendChild(head);
      var dl = document.createElement("dl");
      self.itemsOf(screen).forEach(function (item) {
        var dt = document.createElement("dt");
        dt.textContent = item.el.querySelector("legend").textContent;
        dt.lang = item.el.querySelector("legend [data-t]").lang;
        var dd = document.createElement("dd");
        dd.textContent = labelOf(item, self.answers[item.code]);
        var chosen = item.el.querySelector("input:checked + [data-t]");
        if (chosen) dd.lang = chosen.lang;
        dd.dataset.code = item.code;
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      section.appendChild(dl);
      list.appendChild(section);
    });
  };

  Form.prototype.message = function (text) {
    var p = this.root.querySelector(".sv-message");
    p.textContent = text || "";
    p.hidden = !text;
  };

  Form.prototype.submit = function () {
    var screens = this.shownScreens();
    for (var i = 0; i < screens.length; i++) {
      if (screens[i] !== this.blocks.length && this.problems(screens[i]).length) {
        this.show(screens[i]);
        this.check(screens[i]);
        return Promise.resolve();
      }
    }
    var button = this.root.querySelector(".sv-submit");
    button.disabled = true;
    var self = this;
    return Promise.resolve(this.options.onSubmit(this.snapshot())).finally(function () {
      button.disabled = false;
    }).catch(function (error) { self.message(error.message || String(error)); });
  };

  /* A copy of the answers of the visible items. */
  Form.prototype.snapshot = function () {
    return JSON.parse(JSON.stringify(this.answers));
  };

  Form.prototype.notify = function () {
    if (this.options.onChange) this.options.onChange(this.snapshot(), this.screen);
  };

  SIPAS.Form = Form;
})();
