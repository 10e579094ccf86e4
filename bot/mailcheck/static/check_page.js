// The login check page's two helpers; the page works without them.
"use strict";

(() => {
  // "Show password": a real button whose aria-pressed says whether the password shows.
  const toggle = document.getElementById("show-password");
  const password = document.getElementById("password");
  if (toggle && password) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const showing = toggle.getAttribute("aria-pressed") !== "true";
      password.type = showing ? "text" : "password";
      toggle.setAttribute("aria-pressed", String(showing));
    });
  }

  // The password field is where the subscriber starts, but focusing it scrolls the page to
  // it: on a narrow or touch screen (320 x 568) the heading and the explanation went out of
  // view and a phone's keyboard covered the rest before they were read. There it is left
  // to the subscriber's tap; a wide screen with a mouse gets it focused as before.
  const first = document.querySelector("[data-autofocus]");
  const wide = "(min-width: 48em) and (hover: hover) and (pointer: fine)";
  if (first && window.matchMedia(wide).matches) first.focus();

  // Opened from the chat embedded on the provider's site (the chat marks the link
  // #embedded): that conversation lives in the provider's site's storage, and "/" here would
  // start another one. Going back is closing this tab, which the browser allows for a tab a
  // link opened; where it does not, the link still leads to the chat. Kept for this tab
  // (sessionStorage), since the form's answer is a new page without the mark.
  const EMBEDDED = "mailmove:check-from-embedded";
  try {
    if (window.location.hash === "#embedded") sessionStorage.setItem(EMBEDDED, "1");
    const back = document.querySelector("a[data-back-to-chat]");
    if (back && sessionStorage.getItem(EMBEDDED) === "1") {
      back.addEventListener("click", (event) => {
        window.close();
        if (window.closed) event.preventDefault();
      });
    }
  } catch {
    // Storage refused (a private mode): the link leads to the chat as before.
  }

  // While the check runs (up to about a minute with the test message): say so, and keep
  // a second tap from sending the form again, which would only find the link used.
  const form = document.querySelector("form.form");
  const running = document.getElementById("running");
  if (form && running) {
    form.addEventListener("submit", () => {
      if (password) password.type = "password";
      running.hidden = false;
      running.textContent = running.dataset.text || "";
      const submit = form.querySelector("button[type=submit]");
      if (submit) {
        // Disabled after this event, so the browser still sends the form.
        setTimeout(() => { submit.disabled = true; }, 0);
      }
    });
  }
})();
