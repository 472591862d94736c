/* The digests page: a "Copy text" button copies its digest (data-copy names the textarea). Without
   this script (or the clipboard), the text stays selectable in its read-only box. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var box = document.getElementById(button.dataset.copy);
    if (!box) return;
    var done = function () {
      var list = button.closest("[data-copied]");
      button.textContent = list ? list.dataset.copied : button.textContent;
    };
    box.focus();
    box.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(done, function () { if (document.execCommand("copy")) done(); });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
