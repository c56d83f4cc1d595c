// The print buttons of the Bescheid and the Hilfeplan (templates/core/print_button.html).
// They stay hidden without JavaScript; the hint next to them names the keys.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
