// Error summary (GOV.UK / KERN pattern): when a form comes back with errors,
// the summary at its top takes the focus so screen readers announce it and
// keyboard users start there; its links move the focus to the field.
// Loaded with the page nonce; no inline script (strict CSP).
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // Closed disclosures (<details>) hide their fields; open them first.
    var details = field.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(); });
  } else {
    focusSummary();
  }
  // A form swapped in by htmx (e.g. a case page section) gets the same treatment.
  document.addEventListener("htmx:afterSettle", function (event) {
    focusSummary(event.target);
  });
})();
