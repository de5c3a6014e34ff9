// Alqa's only script of its own. The Content Security Policy (alqa.middleware) allows scripts
// from this server's files alone: no inline <script>, no onclick="…" or hx-on attributes, no eval.
"use strict";

// The language switch returns to the address shown now: after an HTMX swap pushed a new one (the
// working-day calculator's result), the address rendered into the form is out of date.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.id === "language-form" && form.elements.next) {
    form.elements.next.value = location.pathname + location.search;
  }
});
