// The menu on a phone (issue 26): under 600 px the menu folds behind one button (a dozen links
// filled three lines on every page); the button says whether it is open (aria-expanded), and
// the menu folds again on every page drawn. Wider screens show the menu as before.

import { t } from "./i18n.js";

function parts() {
  return { button: document.getElementById("menu-button"), header: document.querySelector(".top") };
}

export function closeMenu() {
  const { button, header } = parts();
  if (!button) return;
  button.textContent = t("app.menu_button");
  button.setAttribute("aria-expanded", "false");
  header.classList.remove("menu-open");
}

export function setUpMenu() {
  const { button, header } = parts();
  if (!button) return;
  button.addEventListener("click", () => {
    const open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", String(open));
    if (open) document.querySelector("#nav a")?.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      closeMenu();
      button.focus();
    }
  });
}
