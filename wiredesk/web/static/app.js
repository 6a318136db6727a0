// Progressive enhancement only: every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // a new sort applies at once (without script, the form's button does it)
  for (const form of document.querySelectorAll("form.sort")) {
    form.querySelector("button.nojs")?.remove();
    form.querySelector("select")?.addEventListener("change", () => form.submit());
  }
  // "/" puts the cursor in the query box, as in most search pages
  const box = document.querySelector(".searchbox input[name=q]");
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && box && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
});
