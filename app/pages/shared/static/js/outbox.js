/*
 * The surveyors' offline queue (IndexedDB database "sipas-capture", store "items").
 *
 * Every interview, outcome and contact attempt is an item keyed by its client_id,
 * a UUID made on the phone when the interview starts (or the outcome or attempt is
 * recorded):
 *   state "draft"     an interview in progress (saved at every answer)
 *   state "queued"    finished, waiting to be sent
 *   state "conflict"  refused by the server (409/422/403/404): kept until the
 *                     surveyor hands it over (POST /s/api/conflicts) and drops it
 * Queued items are posted when the page opens, when the connection returns, and
 * on a timer with exponential backoff (2 s doubling up to 5 min, with jitter).
 * The server stores each client_id once, so sending an item twice is harmless.
 *
 * Also: registers the service worker (sw.js), asks for persistent storage, and
 * keeps the sync bar ("Chờ đồng bộ: N") of the surveyor pages up to date.
 */
(function () {
  "use strict";
  var SIPAS = (window.SIPAS = window.SIPAS || {});
  var DB_NAME = "sipas-capture";
  var STORE = "items";
  var ENDPOINTS = { response: "/s/api/responses", outcome: "/s/api/outcomes", attempt: "/s/api/attempts" };
  var REFUSED = [403, 404, 409, 422];
  var MAX_DELAY = 5 * 60 * 1000;

  var opening = null;
  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "client_id" });
          store.createIndex("respondent", "respondent_id");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  /* Run fn(store) in one transaction; resolve with the result of the request it returns. */
  function transaction(mode, fn) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var outbox = (SIPAS.outbox = {
    put: function (item) { return transaction("readwrite", function (s) { return s.put(item); }).then(changed); },
    get: function (clientId) { return transaction("readonly", function (s) { return s.get(clientId); }); },
    all: function () { return transaction("readonly", function (s) { return s.getAll(); }); },
    remove: function (clientId) { return transaction("readwrite", function (s) { return s.delete(clientId); }).then(changed); },
    forRespondent: function (respondentId) {
      return transaction("readonly", function (s) { return s.index("respondent").getAll(respondentId); });
    },
    counts: function () {
      return outbox.all().then(function (items) {
        var counts = { draft: 0, queued: 0, conflict: 0 };
        items.forEach(function (item) { counts[item.state] += 1; });
        return counts;
      });
    },
  });

  function changed() {
    window.dispatchEvent(new CustomEvent("sipas:outbox"));
  }

  function backoff(attempts) {
    var base = Math.min(MAX_DELAY, 2000 * Math.pow(2, attempts));
    return base / 2 + Math.random() * (base / 2);
  }

  function postpone(items) {
    return Promise.all(items.map(function (item) {
      item.attempts = (item.attempts || 0) + 1;
      item.next_try = Date.now() + backoff(item.attempts);
      return outbox.put(item);
    }));
  }

  var status = { login: false, online: navigator.onLine, last: null };
  function LoginNeeded() {}

  function csrfToken() {
    return fetch("/s/api/session", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) throw new LoginNeeded();
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (body) { return body.csrf_token; });
  }

  function send(item, token) {
    return fetch(ENDPOINTS[item.kind], {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(item.body),
    });
  }

  var running = null;
  var timer = null;

  /* Send every queued item that is due (all of them when force is true). */
  outbox.sync = function (force) {
    if (running) return running;
    running = outbox.all().then(function (items) {
      var due = items.filter(function (item) {
        return item.state === "queued" && (force || !item.next_try || item.next_try <= Date.now());
      });
      if (!due.length) return;
      return csrfToken().then(function (token) {
        status.login = false;
        var chain = Promise.resolve(false);
        due.forEach(function (item, index) {
          chain = chain.then(function (stop) {
            if (stop) return true;
            return send(item, token).then(function (response) {
              if (response.ok) return outbox.remove(item.client_id).then(function () { return false; });
              if (response.status === 401) { status.login = true; return true; }
              return response.json().catch(function () { return {}; }).then(function (error) {
                if (REFUSED.indexOf(response.status) >= 0 && error.error !== "csrf_failed") {
                  item.state = "conflict";
                  item.error = { status: response.status, code: error.error, detail: error.detail, fields: error.fields || [] };
                  return outbox.put(item).then(function () { return false; });
                }
                return postpone([item]).then(function () { return false; });
              });
            }, function () {
              // No connection (or it dropped): try this and the rest later.
              return postpone(due.slice(index)).then(function () { return true; });
            });
          });
        });
        return chain;
      }, function (error) {
        if (error instanceof LoginNeeded) status.login = true;
        else return postpone(due);
      });
    }).then(function () {
      status.last = new Date();
    }).finally(function () {
      running = null;
      changed();
      schedule();
    });
    return running;
  };

  function schedule() {
    clearTimeout(timer);
    outbox.all().then(function (items) {
      var next = items.filter(function (i) { return i.state === "queued"; })
        .map(function (i) { return i.next_try || 0; });
      if (!next.length) return;
      var wait = Math.max(1000, Math.min.apply(null, next) - Date.now());
      timer = setTimeout(function () { outbox.sync(false); }, wait);
    });
  }

  /* The sync bar of the surveyor pages. */
  function renderStatus() {
    var bar = document.getElementById("syncbar");
    if (!bar) return;
    outbox.counts().then(function (counts) {
      bar.dataset.queued = String(counts.queued);
      bar.dataset.conflicts = String(counts.conflict);
      bar.querySelector(".net").textContent = navigator.onLine ? "Có mạng" : "Không có mạng";
      bar.classList.toggle("offline", !navigator.onLine);
      var parts = [];
      parts.push(counts.queued ? "Chờ đồng bộ: " + counts.queued : "Đã đồng bộ hết");
      if (counts.conflict) parts.push("Cần xử lý: " + counts.conflict);
      if (status.login) parts.push("Cần đăng nhập lại để đồng bộ");
      bar.querySelector(".pending").textContent = parts.join(" · ");
      var login = bar.querySelector(".relogin");
      if (login) login.hidden = !status.login;
    });
  }

  window.addEventListener("sipas:outbox", renderStatus);
  window.addEventListener("online", function () { renderStatus(); outbox.sync(true); });
  window.addEventListener("offline", renderStatus);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") outbox.sync(false);
  });

  /* Ask the service worker to (re)fetch the pages kept for offline use. */
  function prepareOffline() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "offline-ready") {
        document.body.dataset.offlineReady = event.data.ok ? "1" : "0";
      }
    });
    navigator.serviceWorker.register("/s/sw.js", { scope: "/s/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (navigator.serviceWorker.controller) return registration;
      return new Promise(function (resolve) {
        navigator.serviceWorker.addEventListener("controllerchange", function () { resolve(registration); });
      });
    }).then(function (registration) {
      if (navigator.onLine) registration.active.postMessage("refresh");
    });
  }

  function bindLogout() {
    var form = document.querySelector("form.logout");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Pages kept for offline use hold contact details: drop them. Unsent items stay.
      localStorage.removeItem("sipas-respondents");
      var clearing = window.caches ? caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("sipas-s-") === 0; })
          .map(function (k) { return caches.delete(k); }));
      }) : Promise.resolve();
      clearing.finally(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    prepareOffline();
    bindLogout();
    var bar = document.getElementById("syncbar");
    if (bar) bar.querySelector(".sync-now").addEventListener("click", function () { outbox.sync(true); });
    renderStatus();
    outbox.sync(true);
  });
})();
