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

  // "Show password": a real button whose words say what a press does (「パスワードを表示」,
  // then 「パスワードを隠す」), seen and heard alike. Looked up at each use: the form's answer
  // replaces the page's body (send, below).
  const show = (showing) => {
    const toggle = document.getElementById("show-password");
    const password = document.getElementById("password");
    if (!password) return;
    password.type = showing ? "text" : "password";
    // A text field is one a browser may keep to fill in again after back or a restart (its
    // form state), where a password field is never kept; autocomplete=off keeps it out.
    password.autocomplete = showing ? "off" : "current-password";
    if (toggle) toggle.textContent = toggle.dataset[showing ? "hide" : "show"] || "";
  };

  // A page left is never kept with its password. A browser with a back/forward cache
  // (Safari, and Chrome 156 even for this no-store page) keeps the page as it was left and
  // shows it again on back: the password was still in the field, as text if it was shown.
  // Emptied when the page is hidden, which is after a sent form's fields were read.
  let sent = false;
  window.addEventListener("pagehide", () => {
    show(false);
    const password = document.getElementById("password");
    if (password) password.value = "";
  });
  // The form kept that way after it was sent belongs to a used link: loaded again, the
  // link shows the result this tab got (below), not a form that can no longer check.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && sent) window.location.reload();
  });

  // The address field shows one line: with the phone's text at 130 % or more (or zoomed) a
  // long address lost its end there (「yamada.taro.family@vp.117.ne」 at 320 px), and the
  // subscriber could not see what they were about to check, nor what they had just typed.
  // Where the field cuts it, the whole address is shown above it, wrapping after a dot or
  // before the @ as the chat's addresses do, and follows what is typed. Hidden from screen
  // readers, which read the field's own value.
  const breakable = (node, text) => {
    let start = 0;
    for (let at = 1; at < text.length; at += 1) {
      if (text[at - 1] === ".") {
        node.append(text.slice(start, at), document.createElement("wbr"));
        start = at;
      }
    }
    node.append(text.slice(start));
  };
  const showWhole = () => {
    const field = document.getElementById("address");
    const whole = document.getElementById("address-whole");
    const box = whole && whole.querySelector(".address");
    if (!field || !whole || !box) return;
    const value = field.value.trim();
    whole.hidden = true;
    if (!value) return;
    const cut = field.scrollWidth > field.clientWidth + 1;
    if (!cut) return;
    box.textContent = "";
    const at = value.lastIndexOf("@");
    if (at > 0) {
      breakable(box, value.slice(0, at));
      const domain = document.createElement("span");
      domain.className = "address__domain";
      breakable(domain, value.slice(at));
      box.append(document.createElement("wbr"), domain);
    } else {
      breakable(box, value);
    }
    whole.hidden = false;
  };
  window.addEventListener("resize", showWhole);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(showWhole);

  const RESULT = `mailmove:check-result:${window.location.pathname}`;
  // A form on its way: a second press is not another check.
  let sending = false;

  /** What the page's script adds to what the server drew; again for the form's answer. */
  function setUp() {
    // A plain on/off toggle: every press counts, however soon after the last. A glance at
    // the password and hiding it again at once is a common pair of presses, and dropping the
    // second (by the click's count, as this page once did) left the password showing.
    const toggle = document.getElementById("show-password");
    if (toggle && document.getElementById("password")) {
      toggle.hidden = false;
      toggle.addEventListener("click", () => {
        const password = document.getElementById("password");
        show(password !== null && password.type === "password");
      });
    }

    // The result, kept by this tab for the link's other screens. Back after the result (from
    // the chat its 「チャットに戻る」 led to, or to the form it came from) and a reload open the
    // used link, which said only that the result had gone to the chat. The tab shows its own
    // copy there instead. It holds the result as shown (the address, the marks, the chat's
    // words; no password), only in this tab, until the tab is closed; a new tab (the link
    // tapped again) has none and keeps the notice.
    const main = document.querySelector("main[data-status]");
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

    const address = document.getElementById("address");
    if (address) address.addEventListener("input", showWhole);
    showWhole();

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
    // Opened from the full-page chat's tab (the chat marks the link #chat): going back is
    // closing this tab too, where the browser allows it, so that the phone does not keep a
    // second copy of the chat here; where it does not, the link leads to the chat.
    const FROM_CHAT = "mailmove:check-from-chat";
    const back = document.querySelector("a[data-back-to-chat]");
    let embedded = window.location.hash === "#embedded";
    let fromChat = window.location.hash === "#chat";
    try {
      if (embedded) sessionStorage.setItem(EMBEDDED, "1");
      if (fromChat) sessionStorage.setItem(FROM_CHAT, "1");
      embedded = embedded || sessionStorage.getItem(EMBEDDED) === "1";
      fromChat = fromChat || sessionStorage.getItem(FROM_CHAT) === "1";
      if (back && (embedded || fromChat)) {
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
      form.addEventListener("submit", (event) => send(event, form, running));
    }

    // The link's end, counted from the page's answer (not by the phone's clock, often
    // wrong): said when it comes, and the button stopped, before a password is typed for a
    // link that can no longer check. A subscriber who went to find the password came back
    // after the ten minutes, typed it, and only then heard the time was up. A check already
    // sent is left to finish.
    const until = document.getElementById("until");
    const left = until ? Number(until.dataset.left) : 0;
    if (form && running && left > 0) {
      // Also looked at when the page is seen again: a phone asleep, or this tab behind the
      // app where the password is looked for, holds the timer back, and the page came back
      // past its end still offering the button. The time passed is Date.now()'s difference,
      // right where the phone's clock is not.
      const end = Date.now() + left * 1000;
      let over = false;
      const expire = () => {
        if (over || sending || sent) return;
        over = true;
        const submit = form.querySelector("button[type=submit]");
        if (submit) submit.disabled = true;
        stopped(running, running.dataset.expired, submit);
      };
      window.setTimeout(expire, left * 1000);
      const looked = () => {
        if (document.visibilityState !== "hidden" && Date.now() >= end) expire();
      };
      document.addEventListener("visibilitychange", looked);
      window.addEventListener("focus", looked);
      window.addEventListener("pageshow", looked);
    }
  }

  /**
   * The check page's words under the button, stopped: what went wrong, and what to do (press
   * 「確認する」 again). Both in view: the button, and the words from their beginning. With
   * the phone's text at 200 % the words take a screen or more (320 x 568, 360 x 640), and
   * scrolled into view by themselves they pushed the button, focused, above the view.
   */
  function stopped(running, words, submit) {
    running.hidden = false;
    running.classList.add("running--stopped");
    running.textContent = words || "";
    const top = (submit || running).getBoundingClientRect().top;
    if (running.getBoundingClientRect().bottom - top > window.innerHeight) {
      (submit || running).scrollIntoView({ block: "start" });
    } else {
      running.scrollIntoView({ block: "nearest" });
    }
  }

  /**
   * The form sent by the script, its answer put in place of the page (as the browser would
   * show it). Sent by the browser, a connection that dropped on the way (a phone between
   * Wi-Fi and mobile data, a lift) or a proxy's error left the subscriber on the browser's
   * own error page, in English on many phones, the password typed lost. Now the page stays
   * and says so, the password still in its field (the request's body is the only other place
   * it goes: not storage, not the address), and 「確認する」 sends it again. Had the check run
   * (its answer lost on the way back), the link says where its result went.
   */
  function send(event, form, running) {
    // No connection (between Wi-Fi and mobile data, say): said before anything is sent.
    if (navigator.onLine === false) {
      event.preventDefault();
      stopped(running, running.dataset.offline, form.querySelector("button[type=submit]"));
      return;
    }
    if (typeof window.fetch !== "function" || typeof window.DOMParser !== "function") {
      // An old browser sends the form itself, as without the script.
      show(false);
      sent = true;
      running.hidden = false;
      running.textContent = running.dataset.text || "";
      const submit = form.querySelector("button[type=submit]");
      // Disabled after this event, so the browser still sends the form.
      if (submit) setTimeout(() => { submit.disabled = true; }, 0);
      return;
    }
    event.preventDefault();
    if (sending) return;
    const submit = form.querySelector("button[type=submit]");
    // Read before the field shows as a password again; only into the request's body.
    const body = new URLSearchParams(new FormData(form));
    sending = true;
    show(false);
    sent = true;
    running.hidden = false;
    running.classList.remove("running--stopped");
    running.textContent = running.dataset.text || "";
    if (submit) submit.disabled = true;
    // Given up only after the longest the check may take (the server's figure, with or
    // without the test message): sooner, the link would be spent by a check still running,
    // its result never shown here. Without a deadline, a connection that died silently on
    // the way (no error, no answer) left 「確認しています」 on screen for good.
    const roundTrip = body.get("round_trip") === "1";
    const seconds = Number(
      roundTrip ? running.dataset.deadlineRoundTrip : running.dataset.deadline,
    );
    // (Safari before 11.1 has fetch without AbortController: there the wait has no end.)
    const controller = typeof window.AbortController === "function" ? new AbortController() : null;
    let late = false;
    const deadline =
      controller && seconds > 0
        ? window.setTimeout(() => {
            late = true;
            controller.abort();
          }, seconds * 1000)
        : 0;
    const failed = () => {
      window.clearTimeout(deadline);
      sending = false;
      sent = false;
      if (submit) submit.disabled = false;
      // Late: the check ran (its result is in the chat) or never arrived; the words say both.
      stopped(running, late ? running.dataset.late : running.dataset.failed, submit);
      // Back on the button it pressed (disabled, it had lost the focus): pressed again, it
      // sends again.
      if (submit && (document.activeElement === document.body || !document.activeElement)) {
        submit.focus({ preventScroll: true });
      }
    };
    window
      .fetch(form.action, {
        method: "POST",
        body,
        cache: "no-store",
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
      .then((response) => response.text())
      .then((page) => {
        window.clearTimeout(deadline);
        sending = false;
        const answer = new DOMParser().parseFromString(page, "text/html");
        // Not this server's page (a proxy's error): the connection, to the subscriber.
        if (!answer.querySelector("main[data-status]")) {
          failed();
          return;
        }
        const password = document.getElementById("password");
        if (password) password.value = "";
        // An entry of its own, as the browser's answer to a form had: back leads to the
        // form's entry, which opens the link again (the result this tab got, above).
        try {
          window.history.pushState(window.history.state, "", window.location.href);
        } catch {
          // Kept as one entry.
        }
        document.documentElement.lang = answer.documentElement.lang;
        document.title = answer.title;
        document.body.replaceWith(document.adoptNode(answer.body));
        window.scrollTo(0, 0);
        setUp();
        // Read from its start, as a page that loads is: the heading has the focus (the
        // password field, on a wide screen asking again, keeps it).
        const heading = document.querySelector("main h1");
        if (heading && (document.activeElement === document.body || !document.activeElement)) {
          heading.tabIndex = -1;
          heading.focus({ preventScroll: true });
        }
      })
      .catch(failed);
  }

  setUp();
})();
