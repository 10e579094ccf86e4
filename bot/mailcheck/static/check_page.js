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
