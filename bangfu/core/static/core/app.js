/* bangfu: the little JavaScript the pages use. Everything works without it; this only makes
   the list search as you type, selection counts, and failed requests visible. No inline script
   anywhere (strict CSP): behaviour hangs on data- attributes. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  }

  // Filter forms: a changed select submits at once; typing in the search box submits after a pause.
  function bindAutosubmit(form) {
    var timer = null;
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") submit(form);
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") return;
      clearTimeout(timer);
      timer = setTimeout(function () { submit(form); }, 450);
    });
    form.addEventListener("submit", function () { clearTimeout(timer); });
  }

  // Bulk selection: "select all", a running count, and the action button enabled only with a selection.
  // The boxes are named by data-bulk ("need"), households' by default.
  function bulkBoxes(form) {
    return 'input[type="checkbox"][name="' + (form.dataset.bulk || "household") + '"]';
  }

  function updateBulk(form) {
    var boxes = form.querySelectorAll(bulkBoxes(form));
    var checked = form.querySelectorAll(bulkBoxes(form) + ":checked").length;
    var all = form.querySelector("[data-select-all]");
    var count = form.querySelector("[data-selected-count]");
    var button = form.querySelector("[data-bulk-submit]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    if (count) count.textContent = checked ? "(" + checked + ")" : "";
    if (button) button.disabled = checked === 0;
  }

  function bindBulk(root) {
    root.querySelectorAll("[data-bulk]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("change", function (event) {
        if (event.target.matches("[data-select-all]")) {
          form.querySelectorAll(bulkBoxes(form)).forEach(function (box) {
            box.checked = event.target.checked;
          });
        }
        updateBulk(form);
      });
      updateBulk(form);
    });
  }

  var toastTimer = null;
  function toast(message) {
    var box = document.getElementById("toast");
    if (!box || !message) return;
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  ready(function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(bindAutosubmit);
    bindBulk(document);

    // Drop empty filter values so that the address bar shows only what was chosen.
    document.body.addEventListener("htmx:configRequest", function (event) {
      var elt = event.detail.elt;
      if (!elt || !elt.hasAttribute("data-drop-empty")) return;
      var params = event.detail.parameters;
      var empty = [];
      params.forEach(function (value, key) { if (value === "") empty.push(key); });
      empty.forEach(function (key) { params.delete(key); });
    });

    // New results came in: bind their selection boxes.
    document.body.addEventListener("htmx:afterSwap", function (event) { bindBulk(event.detail.target); });

    // A request that fails must not fail silently (a weak signal in a village is the usual case).
    document.body.addEventListener("htmx:responseError", function (event) {
      var status = event.detail.xhr ? event.detail.xhr.status : 0;
      var data = document.body.dataset;
      toast(status === 403 ? data.msgForbidden : data.msgError);
    });
    document.body.addEventListener("htmx:sendError", function () { toast(document.body.dataset.msgOffline); });

    // Close the user menu when tapping elsewhere.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.usermenu[open], details.navmore[open], details.phonemenu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.removeAttribute("open");
      });
    });
    // Escape closes an open menu and gives the focus back to its toggle.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      document.querySelectorAll("details.usermenu[open], details.navmore[open], details.phonemenu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
        var summary = menu.querySelector("summary");
        if (summary && menu.contains(document.activeElement)) summary.focus();
      });
    });
  });
})();

/* A daily check's "all normal": one explicit tap fills the normal answers (none is preselected). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-all-normal]");
    if (!button) return;
    var normal = JSON.parse(button.dataset.allNormal);
    Object.keys(normal).forEach(function (name) {
      button.form.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
        if (field.type === "radio") field.checked = field.value === normal[name];
        else if (!field.value) field.value = normal[name];
      });
    });
  });
})();

/* Casework: a print button prints the daily list. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
