// Public pre-check: after submitting, bring the result into view (on a phone it sits below
// the form) and move focus there so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var result = document.getElementById("wyniki");
  if (!result) return;
  result.scrollIntoView({ block: "start" });
  result.focus({ preventScroll: true });
});
