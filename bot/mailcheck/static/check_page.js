// The login check page's two helpers; the page works without them.
"use strict";

(() => {
  // The form's answers (asked again, the result) are POST answers the browser does not keep
  // (no-store): going back to one, or reloading it, showed the browser's own "Confirm Form
  // Resubmission" (in English, on Chromium). Replaced by the link's own address, the entry is
  // opened again instead, and says where the result is. The hash (#embedded) is kept.
  try {
    window.history.replaceState(window.history.state, "", window.location.href);
  } catch {
    // A browser that refuses it keeps its own behaviour.
  }

  // "Show password": a real button whose aria-pressed says whether the password shows.
  const toggle = document.getElementById("show-password");
  const password = document.getElementById("password");
  const show = (showing) => {
    if (!password) return;
    password.type = showing ? "text" : "password";
    // A text field is one a browser may keep to fill in again after back or a restart (its
    // form state), where a password field is never kept; autocomplete=off keeps it out.
    password.autocomplete = showing ? "off" : "current-password";
    if (toggle) toggle.setAttribute("aria-pressed", String(showing));
  };
  if (toggle && password) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => show(toggle.getAttribute("aria-pressed") !== "true"));
  }

  // A page left is never kept with its password. A browser with a back/forward cache
  // (Safari, and Chrome 156 even for this no-store page) keeps the page as it was left and
  // shows it again on back: the password was still in the field, as text if it was shown.
  // Emptied when the page is hidden, which is after a sent form's fields were read.
  let sent = false;
  window.addEventListener("pagehide", () => {
    show(false);
    if (password) password.value = "";
  });
  // The form kept that way after it was sent belongs to a used link: loaded again, the
  // link shows the result this tab got (below), not a form that can no longer check.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && sent) window.location.reload();
  });

  // The result, kept by this tab for the link's other screens. Back after the result (from
  // the chat its 「チャットに戻る」 led to, or to the form it came from) and a reload open the
  // used link, which said only that the result had gone to the chat. The tab shows its own
  // copy there instead. It holds the result as shown (the address, the marks, the chat's
  // words; no password), only in this tab, until the tab is closed; a new tab (the link
  // tapped again) has none and keeps the notice.
  const main = document.querySelector("main[data-status]");
  const RESULT = `mailmove:check-result:${window.location.pathname}`;
  try {
    const shown = main && main.querySelector(".result");
    if (main && main.dataset.status === "done" && shown) {
      sessionStorage.setItem(RESULT, shown.outerHTML);
    } else if (main && main.dataset.status === "used") {
      const kept = sessionStorage.getItem(RESULT);
      const notice = main.querySelector(".notice");
      const again = document.getElementById("result-again");
      if (kept && notice && again) {
        const holder = document.createElement("div");
        holder.innerHTML = kept; // this page's own markup, written by this script
        const result = holder.querySelector(".result");
        if (result) {
          notice.replaceWith(result);
          again.hidden = false;
        }
      }
    }
  } catch {
    // Storage refused (a private mode): the link says where the result is, as before.
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
  const back = document.querySelector("a[data-back-to-chat]");
  let embedded = window.location.hash === "#embedded";
  try {
    if (embedded) sessionStorage.setItem(EMBEDDED, "1");
    embedded = embedded || sessionStorage.getItem(EMBEDDED) === "1";
    if (back && embedded) {
      back.addEventListener("click", (event) => {
        window.close();
        if (window.closed) event.preventDefault();
      });
    }
  } catch {
    // Storage refused (a private mode): the link leads to the chat as before.
  }

  // The link opened on another phone or browser than the chat's (sent to a second phone):
  // this browser keeps no web chat conversation (chat.js's key, same origin), and "/" would
  // start a new one, without the result. The page says where the chat is instead.
  const elsewhere = document.getElementById("chat-elsewhere");
  if (back && elsewhere && !embedded) {
    let kept = true;
    try {
      const key = "mailmove.webchat.v1";
      kept = Boolean(localStorage.getItem(key) || sessionStorage.getItem(key));
    } catch {
      // Storage refused: whether the chat is here cannot be told; the link stays.
    }
    back.hidden = !kept;
    elsewhere.hidden = kept;
  }

  // While the check runs (up to about a minute with the test message): say so, and keep
  // a second tap from sending the form again, which would only find the link used.
  const form = document.querySelector("form.form");
  const running = document.getElementById("running");
  if (form && running) {
    form.addEventListener("submit", (event) => {
      // No connection (between Wi-Fi and mobile data, say): sent, the form went to the
      // browser's own error page, in English on many phones, and the typed password was lost
      // on the way back. The page stays and says so; the subscriber presses again once online.
      if (navigator.onLine === false) {
        event.preventDefault();
        running.hidden = false;
        running.textContent = running.dataset.offline || "";
        return;
      }
      show(false);
      sent = true;
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
