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
// Two minutes before the idle session ends, say so and offer to extend it (WCAG 2.2.1).
(function () {
  var WARN_BEFORE = 120;
  var box, timeout, shownAt, warnTimer, tickTimer;
  function plural(n) {
    if (n === 1) { return "1 sekundę"; }
    var d = n % 10, h = n % 100;
    return n + (d >= 2 && d <= 4 && (h < 12 || h > 14) ? " sekundy" : " sekund");
  }
  function tick() {
    var left = Math.max(0, timeout - Math.round((Date.now() - shownAt) / 1000));
    var el = box.querySelector("[data-countdown]");
    if (el) { el.textContent = left > 60 ? Math.ceil(left / 60) + " minuty" : plural(left); }
  }
  function show() {
    shownAt = Date.now() - (timeout - WARN_BEFORE) * 1000;
    box.hidden = false;
    tick();
    tickTimer = setInterval(tick, 1000);
    var button = box.querySelector("[data-extend]");
    if (button) { button.focus(); }
  }
  function restart() {
    clearTimeout(warnTimer); clearInterval(tickTimer);
    if (box) { box.hidden = true; }
    warnTimer = setTimeout(show, Math.max(0, timeout - WARN_BEFORE) * 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    box = document.getElementById("sesja");
    if (!box) { return; }
    timeout = parseInt(box.getAttribute("data-timeout"), 10) || 1800;
    box.querySelector("[data-extend]").addEventListener("click", function () {
      var meta = document.querySelector('meta[name="csrf-token"]');
      fetch(box.getAttribute("data-extend-url"), {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": meta ? meta.content : ""}
      }).then(function (r) { if (r.ok) { restart(); } });
    });
    restart();
  });
  document.addEventListener("htmx:afterRequest", function () { if (box) { restart(); } });
})();
// Street picker (issue 17): after the search fills the list, a single match is already
// selected; its postal code goes into the empty postal-code field; choosing from several
// fills it too.
function ostojaFillPostal(select) {
  var search = document.querySelector('[aria-controls="' + select.id + '"][data-postal-target]');
  if (!search) { return; }
  var postal = document.querySelector(search.getAttribute("data-postal-target"));
  var option = select.options[select.selectedIndex];
  if (postal && option && option.getAttribute("data-postal") && !postal.value) {
    postal.value = option.getAttribute("data-postal");
  }
}
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.tagName === "SELECT") { ostojaFillPostal(event.target); }
});
document.addEventListener("change", function (event) {
  if (event.target.tagName === "SELECT") { ostojaFillPostal(event.target); }
});
// Forms that delete something ask first (issue 17): <form data-confirm="Czy na pewno…?">.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); }
}, true);
