// A wide table scrolls inside its box (.kern-table-responsive) instead of the
// page. Only while it actually scrolls does the box become a named, focusable
// region, so keyboard users can scroll it (WCAG 2.1.1) without an extra tab
// stop at desktop width. No inline script: CSP allows 'self' with the nonce.
(function () {
  "use strict";

  function update() {
    var boxes = document.querySelectorAll(".kern-table-responsive");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        box.setAttribute(
          "aria-label",
          (caption ? caption.textContent.trim() + " – " : "") + "Tabelle, seitlich verschiebbar"
        );
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 100);
  });
  document.addEventListener("htmx:afterSettle", update);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
