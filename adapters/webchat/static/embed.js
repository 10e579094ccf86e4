// mailmove's web chat on a provider's own page:
//
//   <script src="https://mailmove.example/embed.js" defer></script>
//
// adds a launcher button (「チャットで相談」, or "Chat with us" on an English page: the
// script's data-lang, else the page's lang) that opens the chat in a panel. The panel is an
// iframe of this server's chat page, which browsers show only to the origins listed in
// MAILMOVE_EMBED_ORIGINS. Everything lives in a shadow root, so the provider's styles and
// ours leave each other alone; no inline style or script is added to the provider's page,
// so its own Content-Security-Policy needs only this script's origin in script-src and
// frame-src.
"use strict";

(() => {
  const script = document.currentScript;
  if (!script || !script.src || window.__mailmoveEmbed) return;
  window.__mailmoveEmbed = true;

  const origin = new URL(script.src).origin;
  const wanted = (script.dataset.lang || document.documentElement.lang || "ja").toLowerCase();
  const lang = wanted.startsWith("en") ? "en" : "ja";
  const WORDS = {
    // The launcher's words in phrases: a line may break only between them (`.words`).
    ja: { open: ["チャットで", "相談"], close: "閉じる", panel: "サポートチャット" },
    en: { open: ["Chat with us"], close: "Close", panel: "Support chat" },
  }[lang];

  const CSS = `
    /* The subscriber's text size (the browser's default font size, through the page's
       root): at 200 % the launcher's 18 px words stayed small beside a page drawn at twice
       the size. 18 px is the least, whatever the page's own root size. */
    :host { all: initial; --words: max(18px, 1.125rem); }
    * { box-sizing: border-box; }
    /* A double tap is two taps, never a zoom of the provider's page (iPhone Safari zooms on
       one once the page has been pinch-zoomed off scale 1). */
    button { touch-action: manipulation; }
    .launcher {
      position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
      display: inline-flex; align-items: center; gap: 8px;
      min-width: 48px; min-height: 48px; padding: 8px 16px;
      /* Transparent, so that forced colours (Windows' high contrast), which drop the
         background, draw it: without it the launcher was bare words in the page's corner. */
      border: 2px solid transparent; border-radius: 999px; background: #0b63b5; color: #fff;
      font: 700 var(--words)/1.3 "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", system-ui,
        sans-serif;
      box-shadow: 0 4px 14px rgba(0, 0, 0, .25); cursor: pointer;
    }
    /* At the largest text on a 320 px phone the words take two lines, and broke inside a
       word: 「チャットで相」 above 「談」. They break between phrases now (the <wbr>s), and
       within one only if it is wider than the screen. */
    .words { word-break: keep-all; overflow-wrap: anywhere; }
    .launcher svg { width: 24px; height: 24px; fill: none; stroke: currentColor; stroke-width: 2; }
    .launcher[hidden], .panel[hidden] { display: none; }
    .panel {
      position: fixed; right: 16px; bottom: 16px; z-index: 2147483001;
      width: min(420px, calc(100vw - 32px)); height: min(720px, calc(100vh - 32px));
      display: flex; flex-direction: column; overflow: hidden;
      /* The edge forced colours draw in place of the shadow they drop. */
      border: 2px solid transparent;
      background: #fff; border-radius: 12px; box-shadow: 0 8px 32px rgba(0, 0, 0, .3);
    }
    /* Full screen on a phone, with no page beside it to stand out from: no edge at the
       sides, which took 4 px of a 320 px screen's width from the chat, and at the largest
       text its toolbar broke into three rows and the conversation kept 98 px of 568. The
       top edge stays for forced colours. A phone held sideways too (under 480 px high):
       floating in 16 px margins on an iPhone SE (667 × 375) the panel was 420 × 343 and
       the conversation kept 114 px. */
    @media (max-width: 480px), (max-height: 480px) {
      .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; border-width: 2px 0 0; }
    }
    .bar {
      display: flex; justify-content: flex-end; padding: 4px;
      background: #0b4f8a;
    }
    .close {
      min-width: 48px; min-height: 48px; padding: 8px 16px;
      border: 2px solid #fff; border-radius: 8px; background: transparent; color: #fff;
      font: 700 var(--words)/1.3 "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", system-ui,
        sans-serif;
      cursor: pointer;
    }
    .launcher:focus-visible, .close:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
    .edge { position: absolute; width: 1px; height: 1px; overflow: hidden; }
    iframe { flex: 1; width: 100%; border: 0; }
    /* The chat shows 「閉じる」 in its own toolbar (it said so): the bar would be a second. */
    .panel.chat-closes .bar { display: none; }
  `;

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children || []) node.append(child);
    return node;
  }

  function phrases(pieces) {
    return pieces.flatMap((piece, i) => (i ? [document.createElement("wbr"), piece] : [piece]));
  }

  function icon() {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 5h16v11H9l-5 4z");
    svg.append(path);
    return svg;
  }

  function mount() {
    const host = element("div", { id: "mailmove-embed", lang });
    const root = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      // A constructed sheet: no <style> element for the provider's CSP to refuse.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(element("style", {}, [CSS]));
    }

    const launcher = element(
      "button",
      { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel" },
      [icon(), element("span", { class: "words" }, phrases(WORDS.open))],
    );
    const close = element("button", { type: "button", class: "close" }, [WORDS.close]);
    // Where Tab would leave a panel that fills the screen, these send it round again.
    const first = element("span", { class: "edge", tabindex: "-1" });
    const last = element("span", { class: "edge", tabindex: "-1" });
    const panel = element(
      "div",
      { id: "panel", class: "panel", role: "dialog", "aria-label": WORDS.panel, hidden: "" },
      [first, element("div", { class: "bar" }, [close]), last],
    );
    root.append(launcher, panel);
    document.body.append(host);

    let frame = null;
    // On a phone the panel is the whole screen (the CSS's media query): there it is modal, as a
    // full-screen view is. Focus stays in it, and the back button closes it, instead of
    // Tab wandering through the page hidden behind and back leaving the provider's site.
    const fullScreen = window.matchMedia("(max-width: 480px), (max-height: 480px)");
    // Whether open() added the history entry the back button takes away.
    let stacked = false;

    function modal() {
      const whole = fullScreen.matches && !panel.hidden;
      panel.setAttribute("aria-modal", whole ? "true" : "false");
      for (const edge of [first, last]) edge.setAttribute("tabindex", whole ? "0" : "-1");
      hideBehind(whole);
    }

    // aria-modal alone left the page behind the full-screen panel in Chromium's
    // accessibility tree, which TalkBack reads: a swipe past the chat's last button went on
    // to the provider's headings and links, hidden under the panel. The page's other
    // elements are inert while the panel fills the screen; only those this script made
    // inert are given back.
    const madeInert = [];

    function hideBehind(hide) {
      if (hide && madeInert.length === 0) {
        for (const node of document.body.children) {
          if (node !== host && !node.inert) {
            node.inert = true;
            madeInert.push(node);
          }
        }
      } else if (!hide) {
        for (const node of madeInert.splice(0)) node.inert = false;
      }
    }

    // iPhone Safari draws its keyboard over the page, and so does Chrome on Android unless
    // the provider's viewport says `interactive-widget=resizes-content`: the page keeps its
    // height, and the panel, as tall as the screen (or floating at its bottom), kept the
    // chat's input under the keyboard. The frame cannot see it (its own visualViewport is
    // the frame); this page's visualViewport can. While it is shorter than the window at
    // scale 1 (a keyboard; a pinch zoom shrinks it by its scale and is left alone) the panel
    // takes the visible part: its bottom at the keyboard's top, its top where Safari scrolled
    // the view to (offsetTop), so the chat's header and input both stay in view. Set through
    // the CSSOM, which a provider's CSP allows (no style attribute is written).
    const viewport = window.visualViewport;

    function fit() {
      if (!viewport) return;
      const covered =
        !panel.hidden && viewport.scale <= 1.01 && window.innerHeight - viewport.height > 1;
      const style = panel.style;
      if (!covered) {
        for (const name of ["top", "bottom", "height"]) style.removeProperty(name);
        return;
      }
      // Layout pixels of the window below the visible part (the keyboard's share of them).
      const under = Math.max(0, window.innerHeight - viewport.offsetTop - viewport.height);
      if (fullScreen.matches) {
        style.setProperty("top", `${viewport.offsetTop}px`);
        style.setProperty("bottom", `${under}px`);
        style.setProperty("height", "auto");
      } else {
        style.setProperty("top", "auto");
        style.setProperty("bottom", `${under + 16}px`);
        style.setProperty("height", `${Math.min(720, Math.max(0, viewport.height - 32))}px`);
      }
    }

    if (viewport) {
      viewport.addEventListener("resize", () => {
        tried = false;
      });
      viewport.addEventListener("resize", fit);
      viewport.addEventListener("scroll", fit);
    }
    fullScreen.addEventListener("change", fit);

    // On a phone's full-screen panel the bar above the chat, a row for 「閉じる」 alone, took
    // 56 of the 320 px a 360 × 640 phone has at 200 % zoom, and the conversation kept 41.
    // The chat can show the button in its own toolbar instead: asked here, and the bar goes
    // only once the chat says its button shows (a frame that never loads keeps the bar).
    function askForClose() {
      if (!frame || !frame.contentWindow) return;
      const wanted = fullScreen.matches;
      frame.contentWindow.postMessage({ type: "mailmove:closer", wanted }, origin);
    }

    // Whether the bar has been taken away once to see if the chat then shows its button: with
    // the bar, a frame just under 15 em high hides the chat's toolbar (an iPhone SE held
    // sideways at 130 % text), and the chat never said it could show 「閉じる」. Tried once
    // per size of the window (the keyboard, a turn), so that the bar comes and goes no more.
    let tried = false;
    // The bar is away on trial: until the chat tells of the frame's new size.
    let trying = false;
    // Whether this trial has asked the chat again after a report of another size.
    let reasked = false;

    function closer({ shown, ready, height }) {
      if (!frame) return;
      if (Math.abs(height - frame.clientHeight) > 1) {
        // Said of a frame of another size (before the bar last came or went). A button once
        // shown is not trusted; one not shown is, unless the bar is away on trial: the bar
        // comes back rather than leave the panel without a way to close it.
        if (trying && !reasked) {
          // The report crossed a change of the frame's size (the panel shown again, fitted
          // to the viewport) that may bring no resize to the chat: asked once more at the
          // size it has now, rather than wait with no bar and perhaps no button in the chat
          // (a phone's panel once stayed so, closable only by the back button).
          reasked = true;
          askForClose();
          return;
        }
        if (shown !== true) {
          trying = false;
          panel.classList.remove("chat-closes");
        }
        return;
      }
      trying = false;
      const barShown = !panel.classList.contains("chat-closes");
      if (shown === true) {
        panel.classList.add("chat-closes");
      } else if (ready === true && fullScreen.matches && !tried && barShown) {
        tried = true;
        trying = true;
        reasked = false;
        panel.classList.add("chat-closes");
      } else {
        panel.classList.remove("chat-closes");
      }
    }

    window.addEventListener("resize", () => {
      tried = false;
    });

    function open() {
      if (!frame) {
        // Made on the first open only: a page view that never opens the chat starts none.
        frame = element("iframe", {
          src: `${origin}/?lang=${lang}`,
          title: WORDS.panel,
          allow: "clipboard-write",
          referrerpolicy: "no-referrer",
        });
        panel.insertBefore(frame, last);
        frame.addEventListener("load", () => {
          tried = false;
          askForClose();
        });
      }
      panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute("aria-expanded", "true");
      modal();
      fit();
      if (fullScreen.matches && !stacked) {
        // Same URL, our own state: the provider's page and its address stay as they are.
        history.pushState({ mailmoveChat: true }, "");
        stacked = true;
      }
      frame.focus();
    }

    function shut(byBack) {
      if (panel.hidden) return;
      panel.hidden = true;
      launcher.hidden = false;
      launcher.setAttribute("aria-expanded", "false");
      modal();
      fit();
      if (stacked) {
        stacked = false;
        // Closed by the button or Escape: take our entry away, so that back then leaves
        // the page in one press, as it did before the chat was opened.
        if (!byBack) history.back();
      }
      launcher.focus();
    }

    launcher.addEventListener("click", open);
    close.addEventListener("click", () => shut(false));
    first.addEventListener("focus", () => frame.focus());
    last.addEventListener("focus", () =>
      (panel.classList.contains("chat-closes") ? frame : close).focus(),
    );
    fullScreen.addEventListener("change", modal);
    fullScreen.addEventListener("change", askForClose);
    window.addEventListener("popstate", () => {
      if (stacked) shut(true);
    });
    // Escape from the close button or the provider's page; from inside the chat the page
    // asks through postMessage, since key presses in a frame stay in that frame.
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") shut(false);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") shut(false);
    });
    window.addEventListener("message", (event) => {
      if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
      if (event.data && event.data.type === "mailmove:close") shut(false);
      if (event.data && event.data.type === "mailmove:closer") closer(event.data);
    });
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
