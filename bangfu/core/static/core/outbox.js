/* bangfu: the outbox. A form marked data-outbox is kept on the phone (IndexedDB, idb-keyval) before
   it is sent, and sent again when the signal comes back: on `online`, on every page load, and from a
   同步 button. The server answers in JSON (bangfu/core/outbox.py): stored -> the entry leaves;
   invalid (422) -> kept, shown with the server's message, never sent again by itself; replay
   mismatch (409) -> kept, flagged; 401/403 -> kept, log in again; no answer or 5xx -> waits. */
(function () {
  "use strict";
  var kv = window.idbKeyval;
  if (!kv || !window.indexedDB || !window.fetch) return;  // the forms post as plain forms
  var store = kv.createStore("bangfu-outbox", "entries");
  var meta = kv.createStore("bangfu-meta", "meta");  // when the day was last synced
  var WAITING = "waiting", sending = false;
  var body = document.body.dataset;

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function all() { return kv.values(store); }
  function say(text) {
    var box = document.getElementById("toast");
    if (!box || !text) return;
    box.textContent = text; box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 6000);
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function badge() {
    return all().then(function (entries) {
      document.querySelectorAll("[data-outbox-badge]").forEach(function (el) {
        el.hidden = entries.length === 0;
        var n = el.querySelector("[data-outbox-count]");
        if (n) n.textContent = entries.length;
      });
      renderList(entries);
      return entries;
    });
  }

  // One entry to the server. Resolves with the server's JSON (or null: no answer), the entry updated.
  function send(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) data.append(pair[0], pair[1], pair[2] || "photo.jpg");  // a photo kept offline
      else data.append(pair[0], pair[0] === "csrfmiddlewaretoken" ? csrf() || pair[1] : pair[1]);
    });
    return fetch(entry.url, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual",
      headers: { "X-Bangfu-Outbox": "1", "X-CSRFToken": csrf() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        var s = response.status;
        if (s === 200 && json.status === "stored") return kv.del(entry.id, store).then(function () { return json; });
        if (s >= 500 || s === 0 || response.type === "opaqueredirect") { entry.status = WAITING; }
        else if (s === 422) { entry.status = "invalid"; }
        else if (s === 409) { entry.status = "mismatch"; }
        else if (s === 401 || s === 403) { entry.status = "login"; }
        else { entry.status = "refused"; }
        entry.message = json.detail || (entry.status === "login" ? body.msgForbidden : "") || "";
        entry.errors = json.errors || {};
        entry.tried = Date.now();
        return kv.set(entry.id, entry, store).then(function () { return json; });
      });
    }, function () {
      entry.status = WAITING; entry.tried = Date.now();
      return kv.set(entry.id, entry, store).then(function () { return null; });
    });
  }

  // Every waiting entry, oldest first; refused ones wait for the user.
  function flush(andRefused) {
    if (sending || !navigator.onLine) return badge();
    sending = true;
    return all().then(function (entries) {
      entries.sort(function (a, b) { return a.time - b.time; });
      var chain = Promise.resolve();
      entries.forEach(function (entry) {
        if (entry.status === WAITING || (andRefused && entry.status === "login")) {
          chain = chain.then(function () { return send(entry); });
        }
      });
      return chain;
    }).then(function () { sending = false; return badge(); }, function () { sending = false; return badge(); });
  }

  // The form's fields as [name, value] pairs; a chosen file (a photo) as [name, Blob, file name], its
  // bytes read into the entry, so that it is sent later even when taken without a signal.
  function fields(form, submitter) {
    var out = [], reads = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { out.push([name, value]); return; }
      if (!value || !value.size) return;  // a file input left empty
      var pair = [name, null, value.name];
      out.push(pair);
      reads.push(value.arrayBuffer().then(function (buffer) {
        pair[1] = new Blob([buffer], { type: value.type || "application/octet-stream" });
      }));
    });
    // A form opened again to fix it keeps the photos of the entry it replaces, unless new ones are chosen.
    (form.keptFiles || []).forEach(function (pair) {
      if (!out.some(function (p) { return p[0] === pair[0] && typeof p[1] !== "string"; })) out.push(pair);
    });
    if (submitter && submitter.name) out.push([submitter.name, submitter.value]);
    return Promise.all(reads).then(function () { return out; });
  }

  function intercept(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox]")) return;
    event.preventDefault();
    var idField = form.querySelector("input[name=client_id]");
    var id = idField && idField.value ? idField.value : newId();
    var entry = {
      id: id, url: form.action || location.pathname, fields: [],
      page: location.pathname + location.search, title: form.dataset.outbox || document.title,
      time: Date.now(), status: WAITING, message: ""
    };
    var replaces = form.dataset.outboxReplaces;
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fields(form, event.submitter).then(function (pairs) {
      entry.fields = pairs;
      return replaces ? kv.del(replaces, store) : null;
    }).then(function () {
      return kv.set(id, entry, store);
    }).then(function () { return navigator.onLine ? send(entry) : null; }).then(function (json) {
      if (json && json.status === "stored") { location.assign(json.location); return; }
      buttons.forEach(function (b) { b.disabled = false; });
      badge();
      if (entry.status === WAITING) {
        say(body.msgQueued);
        if (form.dataset.outboxBack) location.assign(form.dataset.outboxBack);
        else if (idField) idField.value = newId();
      } else if (json && json.html) {
        // The page the form would have shown, each error at its field; the entry waits as refused.
        var fresh = new DOMParser().parseFromString(json.html, "text/html").querySelector("main");
        var here = document.querySelector("main");
        if (fresh && here) here.replaceWith(document.importNode(fresh, true));
        else showErrors(form, entry);
      } else {
        showErrors(form, entry);
      }
    });
  }

  function showErrors(form, entry) {
    var box = form.querySelector("[data-outbox-message]");
    if (!box) {
      box = document.createElement("div");
      box.className = "form-errors"; box.setAttribute("role", "alert"); box.setAttribute("data-outbox-message", "");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = entry.message;
  }

  // "Fix": the form opened again with the values stored in the outbox.
  function refill() {
    var m = /#outbox-fix=([\w-]+)/.exec(location.hash);
    var form = document.querySelector("form[data-outbox]");
    if (!m || !form) return;
    kv.get(m[1], store).then(function (entry) {
      if (!entry) return;
      form.keptFiles = entry.fields.filter(function (pair) { return typeof pair[1] !== "string"; });
      entry.fields.forEach(function (pair) {
        if (typeof pair[1] !== "string") return;  // a kept photo cannot be put back in a file input: kept aside
        form.querySelectorAll('[name="' + pair[0] + '"]').forEach(function (el) {
          if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === pair[1];
          else if (el.type !== "submit" && el.name !== "csrfmiddlewaretoken") el.value = pair[1];
        });
      });
      if (entry.status === "mismatch") {  // its id is taken: a new one, and the old entry replaced
        form.querySelector("input[name=client_id]").value = newId();
      }
      form.dataset.outboxReplaces = entry.id;
      showErrors(form, entry);
    });
  }

  // The 待发送 list.
  function renderList(entries) {
    var list = document.querySelector("[data-outbox-list]");
    if (!list) return;
    var tpl = document.getElementById("outbox-row");
    list.textContent = "";
    document.querySelectorAll("[data-outbox-empty]").forEach(function (el) { el.hidden = entries.length > 0; });
    entries.sort(function (a, b) { return a.time - b.time; }).forEach(function (entry) {
      var row = tpl.content.firstElementChild.cloneNode(true);
      row.dataset.id = entry.id;
      row.dataset.status = entry.status;
      row.querySelector("[data-f=title]").textContent = entry.title;
      row.querySelector("[data-f=time]").textContent = new Date(entry.time).toLocaleString();
      row.querySelector("[data-f=status]").textContent = list.dataset["status" + entry.status] || entry.status;
      row.querySelector("[data-f=message]").textContent = entry.message || "";
      row.querySelector("[data-act=drop]").hidden = entry.status === WAITING;
      list.appendChild(row);
    });
  }

  function act(event) {
    var button = event.target.closest && event.target.closest("[data-act], [data-outbox-sync]");
    if (!button) return;
    if (button.hasAttribute("data-outbox-sync")) {
      event.preventDefault();
      if (!navigator.onLine) say(body.msgOffline);
      flush(true).then(function () { prefetch(true); });
      return;
    }
    var id = button.closest("[data-id]").dataset.id;
    kv.get(id, store).then(function (entry) {
      if (!entry) return;
      var what = button.dataset.act;
      if (what === "retry") { entry.status = WAITING; kv.set(id, entry, store).then(function () { return send(entry); }).then(badge); }
      else if (what === "fix") location.assign(entry.page + "#outbox-fix=" + id);
      else if (what === "drop" && entry.status !== WAITING && confirm(body.msgDrop)) kv.del(id, store).then(badge);
    });
  }

  // Logging out: refused while entries wait; otherwise the phone's copies (outbox, pages) are cleared.
  function logout(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox-logout]") || form.dataset.cleared) return;
    event.preventDefault();
    all().then(function (entries) {
      if (entries.length) {
        alert(body.msgUnsent.replace("%s", entries.length));
        return;
      }
      var wipe = [kv.clear(store), kv.clear(meta)];
      if (window.caches) wipe.push(caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); }));
      Promise.all(wipe).then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  }

  // Page copies for reading offline: the links marked data-offline are fetched (the service worker
  // keeps the ones the server marks cacheable) when today's list is open with a signal.
  // At most every 10 minutes, or from the 同步 button.
  function prefetch(force) {
    var links = document.querySelectorAll("a[data-offline]");
    if (!links.length || !navigator.onLine || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    kv.get("prefetched", meta).then(function (last) {
      if (force !== true && last && Date.now() - last < 600000) return;
      var seen = {}, chain = Promise.resolve();
      // This page too: it may have loaded before the service worker took over.
      [location.href.split("#")[0]].concat(Array.prototype.map.call(links, function (a) { return a.href; })).forEach(function (href) {
        if (seen[href]) return;
        seen[href] = 1;
        chain = chain.then(function () { return fetch(href, { credentials: "same-origin" }).catch(function () {}); });
      });
      return chain.then(function () { return kv.set("prefetched", Date.now(), meta); });
    });
  }

  // "同步于 HH:MM": now with a signal, else when the day was last read with one.
  function synced() {
    var el = document.querySelector("[data-synced]");
    if (!el) return;
    var show = function (time, offline) {
      if (!time) return;
      var d = new Date(time), hm = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
      el.textContent = el.dataset.synced.replace("%s", hm) + (offline ? " · " + el.dataset.offlineNote : "");
      el.hidden = false;
    };
    if (navigator.onLine) kv.set("synced", Date.now(), meta).then(function () { show(Date.now(), false); });
    else kv.get("synced", meta).then(function (t) { show(t, true); });
  }

  document.addEventListener("submit", intercept);
  document.addEventListener("submit", logout);
  document.addEventListener("click", act);
  window.addEventListener("online", function () { flush(false); });
  function start() {
    document.querySelectorAll("form[data-outbox] input[name=client_id]").forEach(function (f) { f.value = newId(); });
    document.documentElement.setAttribute("data-outbox", "ready");  // forms are kept from now on
    refill();
    synced();
    flush(false).then(prefetch);
    if (navigator.serviceWorker && body.sw) {
      navigator.serviceWorker.addEventListener("controllerchange", prefetch);
      navigator.serviceWorker.register(body.sw, { scope: "/" }).catch(function () {});
    }
  }
  if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
})();
