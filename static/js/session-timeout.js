// Warns two minutes before the idle time-out and lets the person stay
// logged in. Typed text is kept as server-side drafts either way; this only
// saves the person a new login. No inline script: CSP allows 'self' only.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-session-timeout") || "0", 10);
  var dialog = document.getElementById("session-warning");
  if (!seconds || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var warnBefore = Math.min(120, Math.floor(seconds / 4));
  var timer = null;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (!dialog.open) {
        dialog.showModal();
      }
    }, (seconds - warnBefore) * 1000);
  }

  // Every htmx request (autosave included) renews the server session too.
  document.body.addEventListener("htmx:afterRequest", schedule);
  dialog.addEventListener("close", function () {
    if (dialog.returnValue === "stay") {
      var form = dialog.querySelector("form");
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      window.fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      }).then(schedule);
    }
  });
  schedule();
})();
