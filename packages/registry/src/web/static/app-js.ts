/**
 * The one script (served as a file: the CSP allows no inline script). Progressive: every page works
 * without it; it adds the copy buttons.
 */
export const APP_JS = `"use strict";
(function () {
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var done = function (message) {
        button.textContent = message;
        if (status) status.textContent = message;
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done("Copied"); }, function () { select(source); done("Press Ctrl+C"); });
      } else {
        select(source);
        done("Press Ctrl+C");
      }
    });
  });
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
`;
