// Ostoja: small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});
// After a failed submit the error summary takes the focus, so the keyboard and the screen
// reader start from the list of errors (issue 17); also after an htmx swap.
function ostojaFocusErrors(root) {
  var summary = (root || document).querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
}
document.addEventListener("DOMContentLoaded", function () { ostojaFocusErrors(document); });
document.addEventListener("htmx:afterSwap", function (event) { ostojaFocusErrors(event.target); });
