/*
 * Copy buttons for calendar feed addresses. A button <button data-copy-target="id"> copies the
 * value of the input with that id and says so in its status element (data-copy-status="id").
 * A static file, so it runs under Content-Security-Policy script-src 'self'.
 */
(function () {
  "use strict";

  function say(button, text) {
    var status = document.getElementById(button.dataset.copyStatus || "");
    if (status) {
      status.textContent = text;
    }
  }

  function fallback(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var input = document.getElementById(button.dataset.copyTarget);
    if (!input) {
      return;
    }
    var done = function () { say(button, "Copied."); };
    var failed = function () {
      say(button, fallback(input) ? "Copied." : "Select the address and copy it (Ctrl+C).");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();
