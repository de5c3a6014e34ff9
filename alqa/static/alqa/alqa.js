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

// The menu (partials/header.html) is a <details> rendered open, so that a page without script
// keeps every link in view. On a narrow screen it folds into its summary ("Menu"), which opens it
// by mouse, touch or keyboard (Enter, Space); Escape folds it again. On a wide screen the summary
// is hidden (alqa.css) and the menu stays open.
const NARROW = window.matchMedia("(max-width: 760px)");

function fitMenu() {
  const menu = document.getElementById("site-menu");
  if (menu) menu.open = !NARROW.matches;
}

// A table wider than its box scrolls inside it (alqa.css), or the .table-wrap box around it does:
// the box is made reachable by keyboard (arrow keys scroll it).
function reachableScrollers() {
  document.querySelectorAll("main table, main .table-wrap").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth + 1) {
      if (!table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  });
}

function fitPage() {
  fitMenu();
  reachableScrollers();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fitPage);
} else {
  fitPage();
}
NARROW.addEventListener("change", fitPage);
window.addEventListener("resize", reachableScrollers);
document.addEventListener("htmx:afterSwap", reachableScrollers);
document.addEventListener("keydown", function (event) {
  const menu = document.getElementById("site-menu");
  if (event.key === "Escape" && menu && menu.open && NARROW.matches) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
