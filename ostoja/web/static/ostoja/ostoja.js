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
// A wide table scrolls inside its own keyboard-focusable region instead of pushing the page
// sideways at 320 px (WCAG 1.4.10); tables already in a .table-scroll are left alone.
function ostojaWrapTables(root) {
  var tables = (root || document).querySelectorAll("main table");
  for (var i = 0; i < tables.length; i++) {
    var t = tables[i];
    if (t.closest(".table-scroll")) { continue; }
    var wrap = document.createElement("div");
    wrap.className = "table-scroll";
    wrap.setAttribute("role", "region");
    wrap.setAttribute("tabindex", "0");
    var caption = t.querySelector("caption");
    var label = caption ? caption.textContent.trim() : "";
    if (!label) {
      var heading = t.closest("section") && t.closest("section").querySelector("h2, h3");
      label = heading ? heading.textContent.trim() : "Tabela";
    }
    wrap.setAttribute("aria-label", label);
    t.parentNode.insertBefore(wrap, t);
    wrap.appendChild(t);
  }
}
document.addEventListener("DOMContentLoaded", function () { ostojaWrapTables(document); });
document.addEventListener("htmx:afterSwap", function (event) { ostojaWrapTables(event.target); });
