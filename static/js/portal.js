// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // "Copy citation" buttons: shown only when the clipboard can be used.
  document.querySelectorAll(".copy-button").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copyTarget);
      navigator.clipboard.writeText(target.value).then(function () {
        button.textContent = "Copied";
      });
    });
  });
})();
