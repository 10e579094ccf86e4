/*
 * The mailmove web chat page. It talks to the JSON API described at
 * /api/webchat/openapi.json and renders the bot's replies.
 *
 * Plain script, no framework and no build step, so a provider can serve this folder from
 * anywhere. Every word comes from GET /api/webchat/texts/{locale}; replies are only ever
 * inserted as text (never as HTML), so nothing the bot or the subscriber writes can run.
 *
 * The server's transcript is the record: a reload redraws the page from it, and polling it
 * brings replies that answer no request of this page (a login check's result, an agent).
 */
"use strict";

(() => {
  const API = "/api/webchat";
  const LOCALES = ["ja", "en"];
  const DEFAULT_LOCALE = "ja";
  // The browser keeps the conversation (localStorage): a new tab or the next day continues
  // it, until the server's retention removes it (then a 404 starts afresh). The tab keeps
  // its own copy too (sessionStorage), so that a reload stays in this tab's conversation
  // when another tab has started a new one. Only the id and language are kept; the
  // conversation itself stays on the server.
  const STORE_KEY = "mailmove.webchat.v1";
  // A typed message that did not go, kept by this tab only, so that a reload (what many
  // people try first when something seems stuck) gives it back to send instead of losing it.
  const UNSENT_KEY = "mailmove.webchat.unsent.v1";
  // What is in the input and not sent yet, kept by this tab as it is typed: a phone reloads
  // a tab it put away (the subscriber went to the mail app to read an error), and a reload
  // or back and forward lose it (the form has autocomplete off, so the browser keeps nothing).
  const DRAFT_KEY = "mailmove.webchat.draft.v1";
  const ID_PATTERN = /^[0-9a-f]{32}$/;
  // Neither of those two keeps words the bot would mask as a typed password
  // (dialogs/redaction.py): one typed into the chat by mistake would wait in the tab's
  // storage for whoever uses the device next. The page's rule is wider than the bot's, so
  // that it never keeps less than the bot masks (tests/adapters/webchat/test_drafts.py holds
  // it to the bot's detector): any word for a password, or a run of printable ASCII that
  // mixes letters and digits, other than an address, a host name, an error code or a
  // program's name and version. Such words stay in the input; only a reload loses them.
  // No look-behind: Safari before iOS 16.4 refuses the whole script for one.
  const PASSWORD_WORD = new RegExp(
    "パスワード|ぱすわーど|パスコード|暗証|パス|ぱす" +
      "|(?:^|[^a-z])(?:password|passwd|pass\\s?word|passcode|pass|pwd|pw|pin)(?![a-z])",
    "i",
  );
  const ASCII_RUN = /[!-~]+/g;
  const NOT_A_SECRET = new RegExp(
    "^(?:[\\w.+-]+@[\\w.-]+|[a-z0-9-]+(?:\\.[a-z0-9-]+){2,}|0x[0-9a-f]{4,}" +
      "|(?:outlook|windows|win|iphone|ipad|ios|ipados|android|office|thunderbird|tb|becky" +
      "|macos|osx|mac|gmail|pixel|galaxy|xperia|aquos|m|ms)[-_ ]?\\d{1,4}[a-z]?)$",
    "i",
  );
  const MAX_INPUT_LINES = 5;
  const POLL_MS = 2000;
  // While a person has the conversation their words must show within a second or two.
  const LIVE_POLL_MS = 500;
  const MAX_POLL_MS = 60000;
  // Values a subscriber types into a mail program (host names, ports, addresses) are
  // single printable-ASCII tokens; sentences such as "unchanged (keep your password)" are
  // explanations, and copying them would only paste wrong text into a settings field. So is
  // the placeholder address in the notice's notation (「********@vp.117.ne.jp」).
  // A value needs a dot, an @ or a digit to be one: "None" or "STARTTLS" is picked from a
  // list in the mail program, never pasted.
  const COPYABLE = /^(?!.*\*{4})(?=.*[.@0-9])[\x21-\x7e]+$/;
  // A host name, an address or a link in a sentence: a dot between letters or digits, or
  // an @ before one (no look-behind: see appendWithBreaks).
  const HOST_LIKE = /[A-Za-z0-9]\.[A-Za-z0-9]|[^@]@[A-Za-z0-9]/;
  const LEADING_MARKS = "\"'([{<";
  const TRAILING_MARKS = ".,;:!?\"')]}>";
  // Marks that close what an address stands in (「（taro@vp.117.ne.jp）」, 「…jp」。), which
  // never begin a line: see appendAddress.
  const CLOSING_MARKS = `${TRAILING_MARKS}）」』】〕〉》］｝、。，．！？`;
  // Japanese marks that open a phrase, never part of a web address (「…q=メール（設定）」).
  const OPENING_MARKS = "（「『【〔〈《［｛";
  // The page's own commands, whose words are also the page's (the toolbar).
  const TOOLBAR_CHOICES = ["menu", "restart", "human"];
  // A request that has not answered by then is given up, with a retry button.
  const REQUEST_TIMEOUT_MS = 10000;
  // A request given up or cut while the phone is online (and not told to wait) is done
  // again by itself after these many seconds, longer each time it fails again in a row (the
  // last one repeats): found after 10 s of a weak signal, an elderly subscriber waited for an
  // answer that needed a button pressed. The same event id goes each time: answered once.
  // Not sooner than 10 s: the notice that says so is read first (some 80 characters).
  const RETRY_BACKOFF_S = [10, 20, 40, 60];
  // An answer not there after this long is said to be on its way, in words: the three dots
  // alone (still ones under reduced motion) looked stuck, and Send was pressed again.
  const STILL_WORKING_MS = 4000;
  // The longest wait a 429 or 503 can set before the page sends again by itself.
  const MAX_WAIT_S = 600;
  // What in the conversation a double tap presses once (wire()). Not a disclosure's question
  // (「このページを閉じてもいいですか？」): an on/off control, where closing it right after
  // opening is a normal pair of presses, and the second was dropped as a double tap's.
  const ONE_PRESS = "a[href], .print-button, .copy";
  // A tab in the background still looks for an agent's answer, less often (unread count).
  const HIDDEN_POLL_MS = 10000;
  const KANA = /[\u3041-\u30ff]/;
  // What a paragraph of a login check's result can report (the reply's `verdicts`).
  const MARKS = ["pass", "fail", "not_verified"];
  const MARK_ICONS = { pass: "check", fail: "cross", not_verified: "dash" };

  const ui = {
    scroller: document.getElementById("conversation"),
    log: document.getElementById("log"),
    typing: document.getElementById("typing"),
    typingWords: document.getElementById("typing-words"),
    typingSlow: document.getElementById("typing-slow"),
    owner: document.getElementById("owner"),
    waitingNote: document.getElementById("waiting-note"),
    waitingAnswer: document.getElementById("waiting-answer"),
    preview: document.getElementById("preview"),
    form: document.getElementById("composer"),
    input: document.getElementById("input"),
    send: document.getElementById("send"),
    announcer: document.getElementById("announcer"),
    loadFailed: document.getElementById("load-failed"),
    loading: document.getElementById("loading"),
    toolbar: document.querySelectorAll(".toolbar__button"),
    languages: document.querySelectorAll(".lang-toggle__button"),
    restartDialog: document.getElementById("restart-dialog"),
    restartQuestion: document.getElementById("restart-question"),
  };

  const textCache = new Map();
  let texts = {};
  let uiLocale = DEFAULT_LOCALE;
  /** @type {{id: string, locale: string} | null} */
  let conversation = null;
  /**
   * What the log shows: {from: "user"|"bot"|"agent", locale, ...}, oldest first. A bot
   * turn's `questions[i]` is the id of the question its reply `i` asks (or null): a button
   * press sends it, so that the server counts each question's buttons once.
   */
  let turns = [];
  // The last transcript line the page has shown, and the replies it has shown from its own
  // requests' answers that the transcript has not confirmed yet (so a poll skips them).
  let seen = 0;
  let unconfirmed = [];
  // How many of the transcript's lines past `seen` are the page's own messages, sent and
  // answered (a retry the server had already: counted again, which is harmless).
  let ownLines = 0;
  let busy = false;
  let stillWorking = 0; // the timer that says a slow answer is on its way
  // Send was pressed while the answer to the last message was on its way: the words in the
  // box go once it is on screen (one message at a time, so that answers never cross).
  let sendWhenAnswered = false;
  // A toolbar or language button tapped during that wait: done once the answer is on screen
  // (after any words waiting in the box); the latest tap, if several.
  let pressWhenAnswered = null;
  let syncing = null;
  let pollTimer = 0;
  let pollDelay = POLL_MS;
  let uniqueIds = 0;
  // Who has the conversation, as the transcript endpoint last said: {owner, agent}.
  let holder = { owner: "bot", agent: null };
  // Bot and agent turns that arrived while the tab was in the background.
  let unread = 0;
  // What the retry button of the notice on screen would do: the `online` event does it.
  let pendingRetry = null;
  // How often the connection has come back: a request that fails after it came back while
  // the request was on its way is done again at once (the `online` event found nothing to
  // retry then, and no other will come).
  let comebacks = 0;
  // Failures in a row that the page retries by itself after a back-off (RETRY_BACKOFF_S);
  // back to 0 once a start, resume or send is answered.
  let failuresInARow = 0;
  // The retry on its way was the page's own (a timer, the connection or the screen back), not
  // a press, and the subscriber was in the input: if it fails again, its notice leaves the
  // focus there.
  let retriedWhileTyping = false;
  // The failure notice kept on screen, silent, while the page's own retry of it is on its
  // way (again() with bySelf): failing again the same way, it is reworded in place, not added
  // to the log again. A long outage was announced about once a minute, and the focus moved
  // off its button and back at each retry (heard each time).
  let keptNotice = null;
  // The settings card whose print button was pressed (else the latest one is printed).
  let printChosen = null;
  // Each failure notice's retry (a kept notice's is replaced when it fails again).
  const noticeRetries = new WeakMap();
  // How to cut each request waiting for its answer (fetchWithin), and what a cut one
  // rejects with: 「もう一度試す」 pressed during the page's own retry (retryNow).
  const requestsOnTheirWay = new Set();
  const CUT_TO_RETRY = new DOMException("tried again at once", "AbortError");
  // That press was made, and its request has not failed or gone through yet: a second
  // press (a double tap) is the same one.
  let pressedRetry = false;
  // The language of the turn being drawn, for its host names' spelled readings.
  let drawingIn = null;
  // The toolbar's latest press: its button, and where in `turns` its own lines begin (its
  // words, then its answer; 「最初から」's are the new conversation's). See askedAlready().
  let toolbarPress = null;
  // The conversation's one-press control (ONE_PRESS) pressed last, until the subscriber does
  // something else; `until`: a press made (its input's time) before then is still the same.
  let onePress = null;

  // -- words ------------------------------------------------------------------------------

  function wordsFor(locale) {
    return textCache.get(locale) || texts;
  }

  function fill(template, params) {
    return String(template || "").replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
    );
  }

  function t(key, params = {}, locale = uiLocale) {
    return fill(wordsFor(locale)[key], params);
  }

  async function loadTexts(locale) {
    if (!textCache.has(locale)) {
      const response = await fetchWithin(`${API}/texts/${encodeURIComponent(locale)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(`texts: HTTP ${response.status}`);
      }
      textCache.set(locale, await response.json());
    }
    return textCache.get(locale);
  }

  async function useLocale(locale) {
    texts = await loadTexts(locale);
    uiLocale = locale;
    document.documentElement.lang = locale;
    showTitle();
    for (const node of document.querySelectorAll("[data-text]")) {
      node.textContent = t(node.dataset.text);
    }
    for (const node of document.querySelectorAll("[data-label]")) {
      node.setAttribute("aria-label", t(node.dataset.label));
    }
    for (const node of document.querySelectorAll("[data-placeholder]")) {
      node.setAttribute("placeholder", t(node.dataset.placeholder));
    }
    fitPlaceholder();
    for (const button of ui.languages) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === locale));
    }
    // Staff previewing another day (`mailmove serve --as-of`) see which day it is.
    ui.preview.textContent = texts.preview || "";
    ui.preview.hidden = !texts.preview;
    showWaitingNote();
  }

  /** A new conversation's language: the link's `?lang=`, else the phone's own, if spoken. */
  function requestedLocale() {
    const wanted = new URLSearchParams(window.location.search).get("lang");
    if (LOCALES.includes(wanted)) {
      return wanted;
    }
    // A phone set to English opened the chat in Japanese, whose 「English」 button an
    // English-speaking subscriber had to find first. The first language the chat speaks in
    // the phone's list wins; none of them (French, Korean) is the provider's own.
    for (const tag of navigator.languages || [navigator.language]) {
      const primary = String(tag || "").toLowerCase().split("-")[0];
      if (LOCALES.includes(primary)) {
        return primary;
      }
    }
    return DEFAULT_LOCALE;
  }

  // -- storage ----------------------------------------------------------------------------

  // Embedded in a provider's page on another site, the chat is a third-party frame, and a
  // browser that blocks third-party cookies (Chromium's setting, its incognito windows)
  // refuses it storage: every visit started a new conversation. A partitioned cookie (CHIPS)
  // is still allowed there. The browser keeps it for this origin under that provider's site
  // only: the provider's page cannot read it (another origin), and another site that embeds
  // the chat has a jar of its own. Only the id and language, as in storage; kept as long as
  // the server's default retention (90 days), after which the conversation is gone anyway.
  // Asking the provider's page to keep the id (postMessage) would hand any script on that
  // site the key to the transcript.
  const COOKIE = "__Host-mailmove-webchat";
  const COOKIE_DAYS = 90;
  const cookieStore = {
    getItem(key) {
      if (key !== STORE_KEY) {
        return null;
      }
      const found = document.cookie.split("; ").find((c) => c.startsWith(`${COOKIE}=`));
      return found ? decodeURIComponent(found.slice(COOKIE.length + 1)) : null;
    },
    setItem(key, value) {
      if (key === STORE_KEY) {
        writeCookie(encodeURIComponent(value), COOKIE_DAYS * 86400);
      }
    },
    removeItem(key) {
      if (key === STORE_KEY) {
        writeCookie("", 0);
      }
    },
  };

  function writeCookie(value, seconds) {
    document.cookie =
      `${COOKIE}=${value}; Max-Age=${seconds}; Path=/; Secure; SameSite=None; Partitioned`;
  }

  function stores() {
    const found = [];
    let local = false;
    for (const name of ["sessionStorage", "localStorage"]) {
      try {
        if (window[name]) {
          found.push(window[name]);
          local = local || name === "localStorage";
        }
      } catch {
        // Storage switched off (a sandbox, a privacy setting): do without it.
      }
    }
    if (!local && window.top !== window.self) {
      found.push(cookieStore);
    }
    return found;
  }

  function save() {
    const entry = JSON.stringify({ id: conversation.id, locale: conversation.locale });
    for (const store of stores()) {
      try {
        store.setItem(STORE_KEY, entry);
      } catch {
        // Private modes and full quotas refuse storage: the chat still works, a reload
        // simply starts a new conversation.
      }
    }
  }

  function forget(id = null) {
    for (const store of stores()) {
      try {
        const saved = JSON.parse(store.getItem(STORE_KEY) || "null");
        // Another tab may have moved on to a newer conversation: keep that one.
        if (id === null || !saved || saved.id === id) {
          store.removeItem(STORE_KEY);
        }
      } catch {
        // Nothing stored, nothing to forget.
      }
    }
  }

  /** This tab's conversation (a reload), else the browser's latest (a new tab, a new day). */
  function restore() {
    for (const store of stores()) {
      try {
        const saved = JSON.parse(store.getItem(STORE_KEY) || "null");
        if (saved && ID_PATTERN.test(saved.id) && LOCALES.includes(saved.locale)) {
          return { id: saved.id, locale: saved.locale };
        }
      } catch {
        // A damaged entry is no conversation: try the next, or start a new one.
      }
    }
    return null;
  }

  /** Whether the tab may keep `text`: nothing in it that the bot would mask as a password. */
  function mayKeep(text) {
    const folded = text.normalize("NFKC");
    if (PASSWORD_WORD.test(folded)) {
      return false;
    }
    return !(folded.match(ASCII_RUN) || []).some(
      (run) => run.length >= 6 && /\d/.test(run) && /[a-z]/i.test(run) && !NOT_A_SECRET.test(run),
    );
  }

  function keepUnsent(text) {
    if (!mayKeep(text)) {
      dropUnsent();
      return;
    }
    try {
      window.sessionStorage.setItem(UNSENT_KEY, JSON.stringify({ id: conversation.id, text }));
    } catch {
      // No storage: the bubble still says 未送信 until the page is reloaded.
    }
  }

  function dropUnsent() {
    try {
      window.sessionStorage.removeItem(UNSENT_KEY);
    } catch {
      // Nothing kept.
    }
  }

  /** Keep what the input holds now for conversation `id` (nothing held, nothing kept). */
  function keepDraft() {
    try {
      if (conversation && ui.input.value.trim() && mayKeep(ui.input.value)) {
        const draft = { id: conversation.id, text: ui.input.value };
        window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
      } else {
        window.sessionStorage.removeItem(DRAFT_KEY);
      }
    } catch {
      // No storage: the words stay in the input until the page goes.
    }
  }

  /** After a reload: what was being typed in conversation `id` is back in an empty input. */
  function giveBackDraft(id) {
    try {
      const kept = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null");
      if (kept && typeof kept.text === "string" && !mayKeep(kept.text)) {
        // Kept by a page from before the rule: dropped, not given back.
        window.sessionStorage.removeItem(DRAFT_KEY);
        return;
      }
      if (
        !ui.input.value &&
        kept &&
        kept.id === id &&
        typeof kept.text === "string" &&
        mayKeep(kept.text)
      ) {
        ui.input.value = kept.text;
        resizeInput();
      }
    } catch {
      // A damaged entry is no draft.
    }
  }

  /** The text that did not go in conversation `id`, once (it is forgotten as it is read). */
  function takeUnsent(id) {
    try {
      const kept = JSON.parse(window.sessionStorage.getItem(UNSENT_KEY) || "null");
      window.sessionStorage.removeItem(UNSENT_KEY);
      const usable = kept && kept.id === id && typeof kept.text === "string";
      return usable && mayKeep(kept.text) ? kept.text : null;
    } catch {
      return null;
    }
  }

  // -- small DOM helpers ------------------------------------------------------------------

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function withRole(node, role) {
    node.setAttribute("role", role);
    return node;
  }

  function uniqueId(prefix) {
    uniqueIds += 1;
    return `${prefix}-${uniqueIds}`;
  }

  function eventId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function announce(message, locale = uiLocale) {
    // Cleared first so that the same words twice in a row are still announced.
    ui.announcer.textContent = "";
    window.requestAnimationFrame(() => {
      // Its language, for the screen reader's voice: the page's may have changed since.
      ui.announcer.lang = locale;
      ui.announcer.textContent = message;
    });
  }

  /**
   * Paragraphs, line breaks and numbered steps ("1. ...") of a reply's text. With `lead`,
   * the first line stands out: a question's first line is the question, the rest a hint.
   * `verdicts` (a login check's result) mark each paragraph with what it reports.
   */
  function richText(text, { lead = false, verdicts = [], links = null } = {}) {
    const fragment = document.createDocumentFragment();
    // A one-line question has no hint to stand out from.
    let first = lead && String(text).trim().includes("\n");
    // Split as the server counts paragraphs, so that verdicts[i] is paragraph i's.
    const blocks = String(text).trim().split(/\n{2,}/);
    let index = 0;
    // A lone short line without a full stop, right before numbered steps, is their title
    // ("Thunderbird での設定手順"): a heading, a peer of the card's title, so that a screen
    // reader moving by headings finds the steps (a bold paragraph, it was heard as none).
    if (
      blocks.length > 1 &&
      !blocks[0].includes("\n") &&
      !/[。．.:：？?]$/.test(blocks[0].trim()) &&
      /^\d+\.\s/.test(blocks[1])
    ) {
      fragment.append(make("h2", "text text--heading", blocks[0]));
      index = 1;
    }
    for (; index < blocks.length; index += 1) {
      const block = blocks[index];
      let outcome = MARKS.includes(verdicts[index]) ? verdicts[index] : null;
      let paragraph = null;
      let steps = null;
      for (const line of block.split("\n")) {
        const step = /^(\d+)\.\s+(.*)$/.exec(line);
        if (step) {
          if (!steps) {
            steps = make("ol", "steps");
            steps.start = Number(step[1]);
            steps.style.counterReset = `step ${Number(step[1]) - 1}`;
            fragment.append(steps);
          }
          const item = make("li", "steps__item");
          appendBreakable(item, step[2], links);
          steps.append(item);
          paragraph = null;
          continue;
        }
        steps = null;
        if (!line.trim()) {
          continue;
        }
        if (paragraph) {
          paragraph.append(make("br"));
        } else {
          paragraph = make("p", "text");
          fragment.append(paragraph);
        }
        if (outcome) {
          paragraph.append(resultMark(outcome));
          outcome = null;
        }
        if (first) {
          const strong = make("strong", "lead");
          appendBreakable(strong, line, links);
          paragraph.append(strong);
          first = false;
        } else {
          appendBreakable(paragraph, line, links);
        }
      }
    }
    return fragment;
  }

  // -- rendering replies ------------------------------------------------------------------

  function textBubble(reply, links = null) {
    const bubble = make("div", "bubble bubble--bot");
    // A login check's result says what each paragraph reports: the server's data, never
    // a reading of its words (a new outcome cannot go unmarked).
    const verdicts = Array.isArray(reply.verdicts) ? reply.verdicts : [];
    bubble.append(richText(reply.text, { verdicts, links }));
    return bubble;
  }

  /** An icon and a word: a pass, a failure or "not verified" is never told by colour alone. */
  function resultMark(outcome) {
    const mark = make("span", `mark mark--${outcome}`);
    mark.append(
      icon(MARK_ICONS[outcome]),
      make("span", "mark__word", t(`mark_${outcome}`)),
    );
    return mark;
  }

  function choicesBubble(reply, turn, index) {
    const bubble = make("div", "bubble bubble--bot bubble--question");
    const question = make("div", "bubble__text");
    question.id = uniqueId("question");
    question.append(richText(reply.text, { lead: true }));
    const group = make("div", "choices");
    group.setAttribute("role", "group");
    // Named by the question itself (the text's first line, its lead), not by the whole
    // bubble: a screen reader says a group's name as the focus enters it, and the buttons
    // of 「今お使いの送信（SMTP）サーバー名は…ですか？」 came after its three lines of
    // explanation read a second time, host names spelt out letter by letter.
    const lead = question.querySelector("strong.lead");
    if (lead) lead.id = uniqueId("lead");
    group.setAttribute("aria-labelledby", lead ? lead.id : question.id);
    const chosen = turn.chosen ? turn.chosen[index] : undefined;
    for (const choice of reply.choices) {
      const button = make("button", "choice", choice.label);
      button.type = "button";
      button.dataset.choiceId = choice.id;
      if (turn.closed) {
        button.disabled = true;
        if (chosen === choice.id) {
          button.classList.add("choice--chosen");
          button.setAttribute("aria-pressed", "true");
        }
      }
      button.addEventListener("click", () => choose(turn, index, choice, button));
      group.append(button);
    }
    bubble.append(question, group);
    return bubble;
  }

  function verdictCard(reply, locale) {
    const card = make("section", "card card--verdict");
    const title = make("h2", "card__title");
    title.id = uniqueId("verdict");
    title.append(icon("check"), make("span", "", t("verdict_title", {}, locale)));
    card.dataset.name = t("verdict_title", {}, locale);
    const parts = make("dl", "verdict");
    for (const [labelKey, value] of [
      ["receiving", reply.receiving],
      ["sending", reply.sending],
    ]) {
      const part = make("div", `verdict__part verdict__part--${value}`);
      part.dataset.part = labelKey;
      const badge = make("span", `badge badge--${value}`, t(`badge.${value}`, {}, locale));
      const badgeHolder = make("dd", "verdict__badge");
      badgeHolder.append(badge);
      part.append(make("dt", "verdict__label", t(labelKey, {}, locale)), badgeHolder);
      parts.append(part);
    }
    const body = make("div", "card__body");
    body.append(richText(reply.text));
    card.append(title, parts, body);
    return card;
  }

  function isUnchanged(item, locale) {
    if (typeof item.changed === "boolean") {
      return !item.changed;
    }
    // The API does not say which rows stay as they were, so a value that opens with the
    // catalog's "unchanged" word is taken to mean it (see the report on issue 2).
    const word = t("unchanged", {}, locale);
    return Boolean(word) && String(item.value).startsWith(word);
  }

  function settingsCard(reply, locale) {
    const card = make("section", "card card--settings");
    const title = make("h2", "card__title");
    title.id = uniqueId("settings");
    const titleText = make("span");
    appendBreakable(titleText, String(reply.title));
    title.append(icon("gear"), titleText);
    // Named by its title; a second card with the same title gets a number (nameCards).
    card.dataset.name = reply.title;
    // The roles a table has anyway: on a phone the stylesheet draws its rows as blocks, and
    // some browsers (Safari) then read it as no table, each value without its name.
    const table = withRole(make("table", "settings"), "table");
    const head = withRole(make("thead"), "rowgroup");
    const headRow = withRole(make("tr"), "row");
    for (const key of ["settings_item", "settings_value"]) {
      const cell = withRole(make("th", "", t(key, {}, locale)), "columnheader");
      cell.scope = "col";
      headRow.append(cell);
    }
    head.append(headRow);
    const body = withRole(make("tbody"), "rowgroup");
    for (const item of reply.items) {
      const row = withRole(make("tr", "settings__row"), "row");
      row.dataset.key = item.key;
      const unchanged = isUnchanged(item, locale);
      if (unchanged) {
        row.classList.add("settings__row--unchanged");
      }
      const label = withRole(make("th", "settings__label"), "rowheader");
      label.scope = "row";
      // Said in words, not by a grey row alone: seen, and read out with the row's name.
      label.append(
        make("span", "settings__name", item.label),
        make(
          "span",
          unchanged ? "change change--same" : "change change--new",
          t(unchanged ? "unchanged" : "changed", {}, locale),
        ),
      );
      const cell = withRole(make("td", "settings__cell"), "cell");
      const holder = make("div", "settings__value-holder");
      const copyable = COPYABLE.test(item.value);
      const value = make("span", copyable ? "settings__value is-code" : "settings__value");
      appendBreakable(value, String(item.value));
      holder.append(value);
      if (copyable) {
        holder.append(copyButton(item, value, locale));
      }
      cell.append(holder);
      row.append(label, cell);
      body.append(row);
    }
    table.append(head, body);
    const actions = make("div", "card__actions");
    const print = make("button", "button button--secondary print-button");
    print.type = "button";
    print.append(icon("print"), make("span", "", t("print", {}, locale)));
    print.addEventListener("click", () => printCard(card));
    actions.append(print);
    card.append(title, table, actions);
    return card;
  }

  /**
   * A host name or an address, with line-break chances after its dots and before its @:
   * at 320 px it wraps as "yamada.taro.1948@ / vp.117.ne.jp", never inside a word. Each one
   * in a sentence (「…をvp.117.ne.jpからvpop.117.ne.jpに書き換えます」) is a span selected
   * whole: a long press selects a word, and to the browser's word breaker a host name is
   * several ("vpop" was all a subscriber copying it from a step got).
   */
  function appendBreakable(node, text, links = null) {
    const value = String(text);
    let done = 0;
    let at = 0;
    while (at < value.length) {
      if (!isAscii(value[at])) {
        at += 1;
        continue;
      }
      let end = at;
      while (end < value.length && isAscii(value[end])) {
        end += 1;
      }
      // Not the brackets or the full stop around it.
      let from = at;
      let to = end;
      while (from < to && LEADING_MARKS.includes(value[from])) {
        from += 1;
      }
      const address = links && /^https?:\/\/[\x21-\x7e]/i.test(value.slice(from, end));
      if (address) {
        to = addressEnd(value, from);
      } else {
        while (to > from && TRAILING_MARKS.includes(value[to - 1])) {
          to -= 1;
        }
      }
      const run = value.slice(from, to);
      const url = address ? webUrl(run) : null;
      if (url) {
        // `links`: the turn's locale, for the words that say the link opens a new tab.
        appendWithBreaks(node, value.slice(done, from));
        const link = make("a", "inline-link");
        link.href = url.href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        appendWithBreaks(link, run);
        link.append(make("span", "visually-hidden", t("new_tab", {}, links)));
        node.append(link);
        done = to;
      } else if (HOST_LIKE.test(run)) {
        appendWithBreaks(node, value.slice(done, from));
        const whole = make("span", "whole");
        let tail = to;
        while (
          tail < value.length &&
          CLOSING_MARKS.includes(value[tail]) &&
          (tail < end || !isAscii(value[tail]))
        ) {
          tail += 1;
        }
        const closing = appendAddress(whole, run, value.slice(to, tail));
        if (/[A-Za-z]/.test(run)) {
          // Heard spelled out, seen and copied as written (see `spelled`).
          const heard = make("span", "spelled");
          heard.dataset.reading = spelled(run) + closing;
          whole.setAttribute("aria-hidden", "true");
          heard.append(whole);
          node.append(heard);
        } else {
          node.append(whole);
        }
        done = to + closing.length;
      }
      at = Math.max(end, done);
    }
    appendWithBreaks(node, value.slice(done));
  }

  /**
   * Where a web address in an agent's words ends, from its start at `from`. Its ASCII goes
   * on to a space or a Japanese letter, as before, with two exceptions. A query's value
   * typed in Japanese (after `=` or `+`) is part of it, to a space or a Japanese mark
   * (「…?q=メール」 was linked to 「q=」, which searched for nothing); a Japanese letter
   * after anything else ends it, so 「https://example.jp/をご覧ください」 links the address
   * alone. A closing `)` is kept when the address opened it (Wikipedia's
   * 「…/wiki/Foo_(bar)」 lost it, a page that does not exist), else it is the sentence's.
   */
  function addressEnd(value, from) {
    let to = from;
    let query = false;
    while (to < value.length) {
      const character = value[to];
      if (isAscii(character)) {
        query = query || character === "?";
      } else {
        const before = value[to - 1];
        const japaneseValue = query && (before === "=" || before === "+" || !isAscii(before));
        const mark = CLOSING_MARKS.includes(character) || OPENING_MARKS.includes(character);
        if (!japaneseValue || mark || /\s/.test(character)) {
          break;
        }
      }
      to += 1;
    }
    while (to > from && TRAILING_MARKS.includes(value[to - 1])) {
      if (value[to - 1] === ")") {
        const inside = value.slice(from, to);
        if (inside.split("(").length >= inside.split(")").length) {
          break;
        }
      }
      to -= 1;
    }
    return to;
  }

  /**
   * How a screen reader is to say a host name or an address: character by character, its
   * marks named (「v p o p ドット 1 1 7 ドット n e ドット j p」). Read as written, 「vpop」 and
   * 「vsmtp」 were said as words, which nobody can type back. A placeholder's run of
   * asterisks (the notice's 「********@vp.117.ne.jp」) is said in words for what it stands
   * for, the part before the @ that is each subscriber's own: read as written, it was
   * "asterisk" eight times. The reading is CSS generated content (chat.css, `.spelled`):
   * read out, never selected or copied, and no part of the element's text.
   */
  function spelled(run) {
    const marks = { ".": "reading_dot", "@": "reading_at", "-": "reading_hyphen" };
    const locale = drawingIn || uiLocale;
    const pieces = [];
    for (const character of run) {
      const last = pieces.length - 1;
      if (character === "*" && last >= 0 && /^\*+$/.test(pieces[last])) {
        pieces[last] += character;
      } else {
        const word = marks[character] ? t(marks[character], {}, locale) : "";
        pieces.push(word || character);
      }
    }
    const hidden = t("reading_notice_part", {}, locale);
    return pieces
      .map((piece) => (hidden && piece.length > 1 && /^\*+$/.test(piece) ? hidden : piece))
      .join(" ");
  }

  /**
   * A host name or an address with its line-break chances; an address's domain (with its @)
   * is a box of its own, which a line takes whole or moves to the next line whole. With a
   * chance after every dot alone, at 200 % text on a 375 px phone the account name read
   * 「yamada.taro. / 1948@vp.117.ne. / jp」. The domain still breaks after its dots where
   * even a line of its own is too short for it.
   */
  function appendAddress(node, run, closing = "") {
    const at = run.lastIndexOf("@");
    if (at <= 0 || at === run.length - 1) {
      appendWithBreaks(node, run);
      return "";
    }
    appendWithBreaks(node, run.slice(0, at));
    const domain = make("span", "domain");
    appendWithBreaks(domain, run.slice(at));
    node.append(make("wbr"), domain);
    if (!closing) return "";
    // The closing marks right after it go inside the domain's box (an inline-block, which a
    // line may always end after): outside it, 「新しい設定（yamada.taro.1948@vp.117.ne.jp）」
    // left its 「）」 alone on the last line of a 320 px card's title. Never selected with the
    // address (chat.css, `.whole .closing`). Returns the marks taken.
    domain.append(make("span", "closing", closing));
    return closing;
  }

  function isAscii(character) {
    return /[\x21-\x7e]/.test(character);
  }

  function appendWithBreaks(node, value) {
    // Only inside a run of ASCII: a Japanese sentence's own breaks are left to the browser.
    // Walked by hand: the regular expression for it needs a look-behind, which Safari
    // before 16.4 refuses, and with it this whole script.
    const ascii = (at) => at >= 0 && at < value.length && isAscii(value[at]);
    // Not before a name's last label (「ne.jp」, 「example.com」): cut there it left 「jp」
    // alone on a line.
    const lastLabel = (at) => {
      let end = at;
      while (end < value.length && /[A-Za-z]/.test(value[end])) {
        end += 1;
      }
      const next = end < value.length ? value[end] : "";
      return end - at >= 2 && end - at <= 4 && !/[A-Za-z0-9.@_-]/.test(next);
    };
    let start = 0;
    for (let at = 1; at < value.length; at += 1) {
      const afterDot =
        value[at - 1] === "." && ascii(at - 2) && ascii(at) && !lastLabel(at);
      const beforeAt = value[at] === "@" && ascii(at - 1);
      if (afterDot || beforeAt) {
        node.append(value.slice(start, at), make("wbr"));
        start = at;
      }
    }
    node.append(value.slice(start));
  }

  /**
   * A notice's words, with a hyphenated Latin word (「Wi-Fi」) kept on one line: at 200 %
   * text on a small phone the browser broke it after its hyphen, 「Wi-」 at a line's end and
   * 「Fi」 on the next, which an elderly reader did not take for the word on their router.
   */
  function appendKeepingWords(node, text) {
    // exec in a loop, not matchAll: iOS 12 (the iPhone 6's last) has no matchAll.
    const hyphenated = /[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+/g;
    let start = 0;
    let match = hyphenated.exec(text);
    while (match) {
      node.append(text.slice(start, match.index), make("span", "nobreak", match[0]));
      start = match.index + match[0].length;
      match = hyphenated.exec(text);
    }
    node.append(text.slice(start));
  }

  /** Cards with the same name (two settings cards) are told apart by a number. */
  function nameCards() {
    const counts = new Map();
    for (const card of ui.log.querySelectorAll(".card[data-name]")) {
      const name = card.dataset.name;
      const count = (counts.get(name) || 0) + 1;
      counts.set(name, count);
      // Said as its heading is, host names and addresses spelled out: a screen reader moving
      // by landmark or region heard the title as written (「yamada.taro@vp.117.ne.jp」).
      const title = card.querySelector(".card__title");
      const heard = title ? readingOf(title) : name;
      card.setAttribute("aria-label", count === 1 ? heard : `${heard}（${count}）`);
    }
  }

  /** What a screen reader reads of `node`: its text, with each `.spelled` run's reading. */
  function readingOf(node) {
    let words = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        words += child.textContent;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.classList.contains("spelled")) {
          words += ` ${child.dataset.reading} `;
        } else if (child.getAttribute("aria-hidden") !== "true") {
          words += readingOf(child);
        }
      }
    }
    return words.replace(/\s+/g, " ").trim();
  }

  /** Print the settings card's turn (the card and the steps that came with it) only. */
  function printCard(card) {
    printChosen = card;
    markForPrint(card.closest(".turn"));
    window.print();
  }

  function markForPrint(turnNode) {
    for (const node of ui.log.querySelectorAll(".is-print-target")) {
      node.classList.remove("is-print-target");
    }
    if (turnNode) {
      turnNode.classList.add("is-print-target");
      // The steps for the chosen program follow the card, in the same or the next bot turn.
      const next = turnNode.nextElementSibling;
      if (next && next.classList.contains("turn--bot") && next.querySelector(".steps")) {
        next.classList.add("is-print-target");
      }
    }
    document.body.classList.toggle("has-print-target", Boolean(turnNode));
  }

  function copyButton(item, valueNode, locale) {
    const button = make("button", "copy");
    button.type = "button";
    const label = make("span", "copy__label", t("copy", {}, locale));
    // Named by its aria-label below. Its visible word changes to 「コピーしました」 and back,
    // inside the log, a live region: in the accessibility tree that change was read out
    // beside the announcement, 「コピーしました」 twice and then 「コピー」.
    label.setAttribute("aria-hidden", "true");
    button.append(icon("copy"), label);
    button.setAttribute("aria-label", t("copy_label", { label: item.label }, locale));
    button.addEventListener("click", () => copy(item.value, button, label, valueNode, locale));
    return button;
  }

  function linkBubble(reply, locale) {
    const bubble = make("div", "bubble bubble--bot bubble--link");
    const url = webUrl(reply.url);
    if (!url) {
      bubble.append(richText(reply.text));
      return bubble;
    }
    const link = make("a", "link");
    if (window.top !== window.self && url.origin === window.location.origin) {
      // Embedded on the provider's site, this chat lives in that site's storage, which a
      // tab of our own cannot read: our page (the login check) is told to lead back by
      // closing itself, to the tab where this conversation is, not to a new one.
      url.hash = "embedded";
    } else if (url.origin === window.location.origin && url.pathname.startsWith("/check/")) {
      // Our own page (the login check) opened from this tab: its 「チャットに戻る」 closes
      // it, back to this tab, where its result is. Leading to "/" it made a second copy of
      // the chat in the check's tab, and a phone kept two tabs of one conversation.
      url.hash = "chat";
    }
    link.href = url.href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.append(
      icon("external"),
      make("span", "link__text", reply.text),
      make("span", "visually-hidden", t("new_tab", {}, locale)),
    );
    bubble.append(link);
    return bubble;
  }

  function webUrl(raw) {
    try {
      const url = new URL(raw, window.location.href);
      // Only web links: a javascript: or data: URL is not something to hand a subscriber.
      return ["http:", "https:"].includes(url.protocol) ? url : null;
    } catch {
      return null;
    }
  }

  function fileBubble(reply, locale) {
    const bubble = make("div", "bubble bubble--bot bubble--file");
    bubble.append(richText(reply.text));
    const url = webUrl(reply.url);
    if (!url) {
      return bubble;
    }
    // Same tab and `download`: the server sends it as an attachment, so a new tab would
    // only be left empty; iPhones and Macs then offer to install the profile.
    const link = make("a", "file");
    link.href = url.href;
    link.setAttribute("download", reply.filename);
    link.type = reply.media_type;
    link.append(
      icon("download"),
      make("span", "file__name", reply.filename),
      make("span", "file__action", t("download", {}, locale)),
    );
    bubble.append(link);
    return bubble;
  }

  function replyNode(reply, turn, index) {
    switch (reply.type) {
      case "choices":
        return choicesBubble(reply, turn, index);
      case "verdict":
        return verdictCard(reply, turn.locale);
      case "settings":
        return settingsCard(reply, turn.locale);
      case "link":
        return linkBubble(reply, turn.locale);
      case "file":
        return fileBubble(reply, turn.locale);
      case "text":
        // An agent's web address is a link, as LINE, Telegram and Slack make it: on a phone
        // a subscriber cannot select a long address to copy it (the locale: its words).
        return textBubble(reply, turn.from === "agent" ? turn.locale : null);
      default:
        // A reply type newer than this page: show its text if it has one.
        return reply && typeof reply.text === "string" ? textBubble(reply) : null;
    }
  }

  const ICONS = {
    check: "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
    gear:
      "M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3.3h-4l-.4 2.6" +
      "a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.4" +
      " 7.4 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5" +
      " 0 1 1 0-7 3.5 3.5 0 0 1 0 7z",
    copy: "M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11z",
    external:
      "M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7h-2zM14 3v2h3.6" +
      "l-9.8 9.8 1.4 1.4L19 6.4V10h2V3z",
    download: "M19 9h-4V3H9v6H5l7 7 7-7zM5 18v2h14v-2z",
    dash: "M5 11h14v2H5z",
    person: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-3.6 0-8 1.8-8 5v2h16v-2c0-3.2-4.4-5-8-5z",
    cross:
      "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4" +
      "-5.6-5.6z",
    print:
      "M19 8H5a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3zm-3 11H8v-5h8zm3-7a1 1 0 1 1 " +
      "0-2 1 1 0 0 1 0 2zM18 3H6v4h12z",
    bot: "M12 2a2 2 0 0 1 1 3.7V7h5a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3H6a3 3 0 0 1-3-3v-8a3 3 0 0 1 3-3h5V5.7A2 2 0 0 1 12 2zM8.5 11a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM9 16.5v1.5h6v-1.5z",
  };

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.classList.add("icon", `icon--${name}`);
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  // -- turns ------------------------------------------------------------------------------

  /**
   * The server's clock less the phone's, from the latest answer that says the server's time
   * (`at`). Followed only in a preview of another day (`mailmove serve --as-of`): the bot's
   * lines carry the previewed day and the subscriber's were timed by the phone, today, so
   * staff saw 「6/1 14:03」 beside 「14:03」; the page's "now" is the server's there, as
   * its transcript (drawn again after a reload) is. Outside a preview the phone's clock is
   * the subscriber's own, and kept.
   */
  let serverSkew = 0;

  function followServerClock(at) {
    const server = Date.parse(at);
    if (!Number.isNaN(server)) {
      serverSkew = server - Date.now();
    }
  }

  function pageNow() {
    return new Date(texts.preview ? Date.now() + serverSkew : Date.now());
  }

  /** When a turn was said, in the subscriber's own time zone; the date too if not today. */
  function timeNode(turn) {
    const at = turn.at ? new Date(turn.at) : pageNow();
    if (Number.isNaN(at.getTime())) {
      return null;
    }
    const node = make("time", "turn__time", timeText(at, turn.locale));
    node.dateTime = at.toISOString();
    return node;
  }

  function timeText(at, locale) {
    const options = { hour: "2-digit", minute: "2-digit" };
    if (at.toDateString() !== pageNow().toDateString()) {
      // English names the month (「1 Dec, 09:25」): en-GB's numbers, 「01/12, 09:25」, were
      // the 12th of January to a reader used to the month first. Japanese is 「12/1 09:25」.
      Object.assign(options, { month: locale === "en" ? "short" : "numeric", day: "numeric" });
    }
    return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", options).format(at);
  }

  /**
   * A page left open overnight: the times drawn yesterday as 「17:44」 get their date, or
   * they read as today's. Their text is changed in place, which the log does not announce
   * (aria-relevant="additions"): the date on an old line is not news.
   */
  function refreshTimes() {
    for (const node of ui.log.querySelectorAll("time.turn__time")) {
      const at = new Date(node.dateTime);
      const turn = node.closest(".turn");
      const text = timeText(at, turn ? turn.lang : uiLocale);
      if (!Number.isNaN(at.getTime()) && node.firstChild && node.firstChild.data !== text) {
        node.firstChild.data = text;
      }
    }
  }

  function turnNode(turn) {
    // Its host names are spelled in its own language (a Japanese card drawn again after a
    // switch to English was read 「v p o p dot …」 inside Japanese sentences).
    drawingIn = turn.locale;
    try {
      return drawTurn(turn);
    } finally {
      drawingIn = null;
    }
  }

  function drawTurn(turn) {
    if (turn.from === "user") {
      const node = make("div", "turn turn--user");
      node.lang = turn.locale;
      const stack = make("div", "turn__stack turn__stack--user");
      stack.append(make("span", "visually-hidden", `${t("you", {}, turn.locale)}: `));
      const bubble = make("div", "bubble bubble--user");
      bubble.append(richText(turn.text));
      stack.append(bubble);
      if (turn.unsent) {
        stack.append(unsentMark(turn.locale));
      }
      const time = timeNode(turn);
      if (time) {
        stack.append(time);
      }
      node.append(stack);
      return node;
    }
    const agent = turn.from === "agent";
    const node = make("div", agent ? "turn turn--bot turn--agent" : "turn turn--bot");
    node.lang = turn.locale;
    const avatar = make("div", "avatar");
    avatar.append(icon(agent ? "person" : "bot"));
    const stack = make("div", "turn__stack");
    if (agent) {
      // A person is writing now, not the bot: say so where everyone can see it, by name.
      const who = turn.agent
        ? t("agent_named", { name: turn.agent }, turn.locale)
        : t("agent", {}, turn.locale);
      stack.append(make("span", "turn__author", who));
    } else {
      stack.append(make("span", "visually-hidden", `${t("bot", {}, turn.locale)}: `));
    }
    turn.replies.forEach((reply, index) => {
      const child = replyNode(reply, turn, index);
      if (child) {
        stack.append(child);
      }
    });
    const time = timeNode(turn);
    if (time) {
      stack.append(time);
    }
    node.append(avatar, stack);
    return node;
  }

  /**
   * A message that did not reach the server says so on its own bubble (as LINE's 「未送信」
   * does): once the subscriber sends something else instead of retrying, the notice with
   * the retry button is gone, and the screen must not claim the first one was said.
   */
  function unsentMark(locale) {
    return make("span", "turn__unsent", t("unsent", {}, locale));
  }

  function markUnsent(turn, unsent) {
    if (!turn || !turn.node || Boolean(turn.unsent) === unsent) {
      return;
    }
    turn.unsent = unsent;
    const mark = turn.node.querySelector(".turn__unsent");
    if (!unsent) {
      mark.remove();
      return;
    }
    const bubble = turn.node.querySelector(".bubble--user");
    bubble.after(unsentMark(turn.locale));
  }

  function addTurn(turn) {
    if (!turn.at) {
      turn.at = pageNow().toISOString();
    }
    refreshTimes();
    turns.push(turn);
    turn.node = turnNode(turn);
    ui.log.append(turn.node);
    nameCards();
    return turn.node;
  }

  /** A turn drawn again in its place: a password masked on its bubble, a question reopened. */
  function redraw(turn) {
    const node = turnNode(turn);
    quietly(() => turn.node.replaceWith(node));
    turn.node = node;
    nameCards();
  }

  /**
   * `change` made to the log's lines without a screen reader reading them out again: a
   * turn drawn anew inside the log (a live region) is announced as if it were new, and the
   * subscriber heard their own message twice, or the question before a refused message
   * once more. The lines move (listeners and all) into a new log, are changed there, and
   * that log takes the old one's place: one that arrives with its content is not read out.
   */
  function quietly(change) {
    const shown = ui.log;
    const focused = shown.contains(document.activeElement) ? document.activeElement : null;
    ui.log = shown.cloneNode(false);
    ui.log.append(...shown.childNodes);
    change();
    shown.replaceWith(ui.log);
    if (focused && ui.log.contains(focused)) {
      // Moved out of the page for a moment, it lost the focus.
      focused.focus({ preventScroll: true });
    }
  }

  /** Disable every offered button: the conversation has moved past those questions. */
  function closeChoices() {
    for (const turn of turns) {
      if (turn.from !== "user") {
        turn.closed = true;
      }
    }
    for (const button of ui.log.querySelectorAll(".choice")) {
      button.disabled = true;
    }
  }

  function reopenLastChoices() {
    const last = turns[turns.length - 1];
    if (last && last.from !== "user") {
      last.closed = false;
      last.chosen = {};
      redraw(last);
    }
  }

  function dropLastUserTurn() {
    const last = turns[turns.length - 1];
    if (last && last.from === "user") {
      turns.pop();
      last.node.remove();
    }
  }

  function scrollTo(node) {
    const top =
      node.getBoundingClientRect().top -
      ui.scroller.getBoundingClientRect().top +
      ui.scroller.scrollTop -
      12;
    const view = ui.scroller.clientHeight;
    // A long answer (verdict, settings, steps) is read from its beginning, not its end.
    if (node.offsetHeight > view * 0.8) {
      ui.scroller.scrollTop = top;
    } else {
      ui.scroller.scrollTop = ui.scroller.scrollHeight;
    }
  }

  function scrollToEnd() {
    ui.scroller.scrollTop = ui.scroller.scrollHeight;
  }

  // Takes what the view shows now as what a keyboard opening or closing keeps in view
  // (keepTheEndInView replaces it; without ResizeObserver there is nothing to keep).
  let keepThisView = () => {};

  /**
   * Tapped to type, the input brings the latest question into view. A long answer is read
   * from its beginning (scrollTo), and on a 320 x 568 phone at 200 % text the question after
   * the result card, asking for the mail address, was 2,978 px below the view: the tap and
   * the keyboard opening kept that view, and the subscriber typed without seeing what was
   * asked. In sight already (whole, or filling the view from its start or to its end), it
   * stays; else its start comes to the view's top (at the end of the conversation, as a
   * messaging app goes to its end at a tap), and the keyboard opening keeps it there. A tap
   * only: the answers' own moves of the focus to the input leave a long answer where it is.
   */
  function showWhatIsAsked() {
    const drawn = ui.log.querySelectorAll(".turn");
    const turn = drawn[drawn.length - 1];
    if (!turn || !turn.classList.contains("turn--bot")) {
      return;
    }
    const asked =
      Array.from(turn.querySelectorAll(".bubble--question")).pop() ||
      Array.from(turn.querySelectorAll(".turn__stack > .bubble, .turn__stack > .card")).pop();
    if (!asked) {
      return;
    }
    const view = ui.scroller.getBoundingClientRect();
    const box = asked.getBoundingClientRect();
    const whole = box.top >= view.top && box.bottom <= view.bottom;
    const fromStart = box.top >= view.top && box.top <= view.top + view.height / 3;
    const toEnd = box.bottom <= view.bottom && box.bottom >= view.top + view.height / 2;
    if (whole || (box.height > view.height && (fromStart || toEnd))) {
      return;
    }
    ui.scroller.scrollTop += box.top - view.top - 12;
    keepThisView();
  }

  async function followLocale(locale) {
    if (!LOCALES.includes(locale) || !conversation) {
      return;
    }
    if (locale !== uiLocale) {
      try {
        await useLocale(locale);
      } catch {
        // Keep the current words; the conversation itself goes on in its new language.
      }
    }
    if (locale !== conversation.locale) {
      conversation.locale = locale;
      save();
    }
  }

  /**
   * The status line's words, its first sentence apart: on a small phone only that one is
   * shown (chat.css, `.brand__owner-more`), in the title's place. Beside the language
   * buttons the whole line took four lines at 320 x 568, broken inside a word
   * (「おつなぎしていま」 / 「す。」), and the header and input kept the conversation 281 px of
   * 568. Read out whole, as one status: one node put in, so one change.
   */
  function ownerWords(words) {
    const split = /^(.+?。)(.+)$/.exec(words) || /^(.+?)([;.] .+)$/.exec(words);
    const line = make("span", "brand__owner-words");
    line.append(...(split ? [split[1], make("span", "brand__owner-more", split[2])] : [words]));
    return line;
  }

  /** Who has the conversation, in the header: the bot, the queue, or an agent by name. */
  function showHolder(data) {
    const owner = typeof data.owner === "string" ? data.owner : "bot";
    holder = { owner, agent: typeof data.agent === "string" ? data.agent : null };
    if (!ui.owner) {
      return;
    }
    const key = owner === "agent" && holder.agent ? "owner_agent_named" : `owner_${owner}`;
    const words = t(key, { name: holder.agent || "" });
    // Only when it changes: the line is a live region, and every poll (twice a second
    // while a person is involved) wrote the same words again, which a screen reader read
    // out each time.
    if (ui.owner.textContent !== words) {
      ui.owner.replaceChildren(ownerWords(words));
    }
    ui.owner.dataset.owner = owner;
    showWaitingNote();
  }

  /**
   * In the desk's queue: whether the page may be closed, as it is true of this browser.
   * Kept (localStorage, or the embedded chat's cookie), the queue goes on and this browser
   * opens the conversation later with the answer in it, except in a private window, which
   * forgets it when closed; nothing notifies. Kept nowhere, closing it is the way out.
   */
  function showWaitingNote() {
    if (!ui.waitingNote || !ui.waitingAnswer) {
      return;
    }
    const inQueue = holder.owner === "queue" && conversation !== null;
    if (inQueue) {
      const words = t(keptForLater() ? "waiting_leave_kept" : "waiting_leave_not_kept");
      if (ui.waitingAnswer.textContent !== words) {
        ui.waitingAnswer.textContent = words;
      }
    }
    ui.waitingNote.hidden = !inQueue;
  }

  /** Whether a later visit in this browser finds this conversation (not this tab's copy). */
  function keptForLater() {
    const later = [];
    try {
      if (window.localStorage) {
        later.push(window.localStorage);
      }
    } catch {
      // Refused (a privacy setting, a sandboxed frame): nothing is kept there.
    }
    if (window.top !== window.self) {
      later.push(cookieStore);
    }
    return later.some((store) => {
      try {
        const saved = JSON.parse(store.getItem(STORE_KEY) || "null");
        return Boolean(saved) && saved.id === conversation.id;
      } catch {
        return false;
      }
    });
  }

  /** The `questions` of a turn whose choices all ask `question` (one request's answer). */
  function askedBy(replies, question) {
    return replies.map(() => (typeof question === "string" ? question : null));
  }

  async function showBotTurn(
    replies,
    locale,
    { focusChoices = false, from = "bot", agent = null, questions = [], at = null } = {},
  ) {
    await followLocale(locale);
    if (!Array.isArray(replies) || replies.length === 0) {
      return;
    }
    if (replies.some((reply) => reply && reply.type === "choices")) {
      // A new question (also one that arrives by itself) replaces the earlier ones.
      closeChoices();
    }
    const node = addTurn({
      from,
      agent,
      at,
      locale: conversation.locale,
      replies,
      questions,
      closed: false,
      chosen: {},
    });
    scrollTo(node);
    if (document.hidden) {
      unread += 1;
      showTitle();
    }
    // Not from the input, where the subscriber went to type meanwhile: their next keys, and
    // their Enter, would land on (and press) the new question's first button.
    if (focusChoices && document.activeElement !== ui.input) {
      // The subscriber answers with buttons: put them on the next question's first one.
      const next = node.querySelector(".choice:not(:disabled)");
      if (next) {
        next.focus({ preventScroll: true });
        holdInView(next);
      } else {
        ui.input.focus({ preventScroll: true });
      }
    }
  }

  /**
   * A long answer is read from its beginning (scrollTo), so the next question's first button,
   * which takes the focus, was below the view: a keyboard user saw no focus, and their Enter
   * pressed a button out of sight (the settings card's 「解決した」, two screens down). A
   * question no taller than half the view keeps to the view's lower edge while one of its
   * buttons shows the keyboard's focus (chat.css, `.is-held`); a taller one would hide the
   * answer it follows. A tap's focus never shows, so touch screens keep their layout.
   *
   * A taller question (large text, a short view above the keyboard, many buttons) left its
   * focused button out of sight, as far as three screens below the view at 200 % text. Its
   * focused button is scrolled into view instead: with the question from its start when both
   * fit, else at the view's lower edge below as much of the question as fits.
   */
  function holdInView(button) {
    const bubble = button.closest(".bubble");
    if (!bubble) {
      return;
    }
    const height = ui.scroller.clientHeight;
    if (bubble.offsetHeight <= height / 2) {
      bubble.classList.add("is-held");
      return;
    }
    if (!button.matches(":focus-visible")) {
      return;
    }
    const view = ui.scroller.getBoundingClientRect();
    const box = button.getBoundingClientRect();
    if (box.top >= view.top && box.bottom <= view.bottom) {
      return;
    }
    const start = bubble.getBoundingClientRect().top;
    const margin = 12;
    ui.scroller.scrollTop +=
      box.bottom - start + 2 * margin <= height
        ? start - view.top - margin
        : box.bottom - view.bottom + margin;
  }

  // -- redrawing from the transcript ------------------------------------------------------

  function replyOf(line) {
    if (line.reply && typeof line.reply === "object") {
      return line.reply;
    }
    return { type: "text", text: String(line.text || "") };
  }

  /**
   * The transcript does not record each line's language. Japanese text is mostly kana and
   * kanji; English text only quotes a few Japanese words (a mail program's menu names).
   */
  function guessLocale(replies) {
    const words = replies
      .flatMap((r) => [
        r.text,
        r.title,
        ...(r.choices || []).map((c) => c.label),
        ...(r.items || []).map((i) => i.label),
      ])
      .filter((w) => typeof w === "string")
      .join(" ");
    const japanese = (words.match(/[\u3041-\u30ff\u3400-\u9fff]/g) || []).length;
    const latin = (words.match(/[A-Za-z]/g) || []).length;
    return japanese * 2 >= latin ? "ja" : "en";
  }

  /** The bubble a subscriber line was shown as: a pressed button is stored as "[id]". */
  function whatWasSaid(text, offered, locale) {
    const pressed = /^\[([^\]\s]+)\]$/.exec(text);
    if (!pressed) {
      return { label: text, choiceId: null };
    }
    const id = pressed[1];
    const choice = offered ? offered.reply.choices.find((c) => c.id === id) : null;
    if (choice) {
      return { label: choice.label, choiceId: id };
    }
    if (TOOLBAR_CHOICES.includes(id)) {
      return { label: t(id, {}, locale), choiceId: null };
    }
    // The language switch is a page control, not something the subscriber said.
    return { label: null, choiceId: null };
  }

  /**
   * The conversation drawn again from the transcript. The lines go into a new log, put in
   * the old one's place with them: lines added to the log on the page one by one would each
   * be read aloud (it is a live region), and a screen reader read the whole conversation
   * again after every reload. With `announceLast`, the latest answer, unless it was on the
   * screen already, is added after the swap, as every new answer is: it alone is heard.
   */
  async function redrawFrom(lines, { announceLast = false, focusChoices = false } = {}) {
    const rebuilt = [];
    let offered = null;
    let apart = false;
    let locale = conversation.locale;
    for (const line of lines) {
      seen = Math.max(seen, Number(line.seq) || 0);
      if (line.author === "subscriber") {
        const said = whatWasSaid(String(line.text || ""), offered, locale);
        if (said.choiceId) {
          offered.turn.chosen[offered.index] = said.choiceId;
        }
        if (said.label) {
          rebuilt.push({ from: "user", text: said.label, locale, at: line.at });
        }
        // A press that is no bubble (the language switch) still ends the bot's turn: its
        // answer, in the other language, was one turn with the question before it.
        apart = !said.label;
        offered = null;
      } else if (line.author === "bot" || line.author === "agent") {
        const reply = replyOf(line);
        const name = typeof line.agent === "string" ? line.agent : null;
        let turn = rebuilt[rebuilt.length - 1];
        if (apart || !turn || turn.from !== line.author || (turn.agent || null) !== name) {
          turn = {
            from: line.author,
            agent: name,
            locale,
            at: line.at,
            replies: [],
            questions: [],
            closed: true,
            chosen: {},
          };
          rebuilt.push(turn);
          apart = false;
        }
        turn.replies.push(reply);
        turn.questions.push(typeof line.question === "string" ? line.question : null);
        turn.locale = guessLocale(turn.replies);
        locale = turn.locale;
        if (reply.type === "choices") {
          offered = { turn, index: turn.replies.length - 1, reply };
        }
      }
      // "system" lines are notes for support agents, not part of the chat.
    }
    const last = rebuilt[rebuilt.length - 1];
    if (last && last.from !== "user") {
      last.closed = false;
    }
    const locales = new Set(rebuilt.map((turn) => turn.locale));
    await Promise.all([...locales].map((l) => loadTexts(l).catch(() => null)));
    const before = turns[turns.length - 1];
    const latest = rebuilt[rebuilt.length - 1];
    const known =
      before && latest && before.from === latest.from && sameReply(before.replies, latest.replies);
    const heard = announceLast && latest && latest.from !== "user" && !known ? rebuilt.pop() : null;
    turns = [];
    const shown = ui.log;
    // A button in the old log had the focus (a keyboard or screen reader user): it goes
    // with that log, and the focus would fall to the page's start. So does a question's
    // button pressed just now (`focusChoices`): closed as it was pressed, it had lost the
    // focus to the page's start already when the answer said another tab had answered that
    // question first.
    const lost = !document.activeElement || document.activeElement === document.body;
    const hadFocus = shown.contains(document.activeElement) || (focusChoices && lost);
    ui.log = shown.cloneNode(false);
    for (const turn of rebuilt) {
      addTurn(turn);
    }
    shown.replaceWith(ui.log);
    if (heard) {
      addTurn(heard);
    }
    if (hadFocus) {
      const last = turns[turns.length - 1];
      const next = last && last.node.querySelector(".choice:not(:disabled)");
      (next || ui.input).focus({ preventScroll: true });
      if (next) holdInView(next);
    }
  }

  // -- talking to the API -----------------------------------------------------------------

  /** The page's title, with the number of unread answers while the tab is in the background. */
  function showTitle() {
    const title = t("title") || document.title.replace(/^\(\d+\)\s*/, "");
    document.title = unread > 0 ? `(${unread}) ${title}` : title;
  }

  /** The first answer (or its failure) is on screen: the loading indicator goes. */
  function showReady() {
    ui.loading.hidden = true;
    document.body.classList.remove("is-loading");
  }

  function setBusy(value) {
    busy = value;
    // While the page is still loading, its spinner says so already.
    const typing = value && ui.loading.hidden;
    if (typing && ui.typing.hidden && ui.typingWords.textContent !== t("typing")) {
      // In the page's language as it is shown. A language switch's answer brings the new
      // words while the indicator still shows: rewritten then, a screen reader read
      // "Writing a reply…" out after the answer had come. Written while hidden, and only
      // when the words differ.
      ui.typingWords.textContent = t("typing");
    }
    const wasTyping = !ui.typing.hidden;
    ui.typing.hidden = !typing;
    if (!typing) {
      window.clearTimeout(stillWorking);
      ui.typingSlow.hidden = true;
    } else if (!wasTyping) {
      window.clearTimeout(stillWorking);
      stillWorking = window.setTimeout(() => {
        // Not during the page's own retry of a failure already told: in a long outage each
        // retry given up after 10 s added these words to a status again, once a minute.
        if (!ui.typing.hidden && !keptNotice) {
          const scroller = ui.scroller;
          const wasAtEnd = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop <= 1;
          // Added to the indicator (a status): heard once, as it appears.
          ui.typingSlow.textContent = t("typing_slow");
          ui.typingSlow.hidden = false;
          if (wasAtEnd) {
            // Under the fold on a small screen the words said nothing (the box keeps its
            // height, so keepTheEndInView does not see them come).
            scroller.scrollTo({ top: scroller.scrollHeight, behavior: "instant" });
          }
        }
      }, STILL_WORKING_MS);
    }
    document.body.classList.toggle("is-busy", value);
    // Send, the toolbar and the language buttons stay working buttons while an answer is on
    // its way (what they ask for is done after it): a subscriber who tapped one and saw
    // nothing happen, or a greyed-out button, took it for broken.
    if (value && !keptNotice) {
      // (Not under a failure notice being retried by the page: its words stay where the
      // subscriber reads them.)
      scrollToEnd();
    }
  }

  /**
   * fetch(), given up after REQUEST_TIMEOUT_MS (rejects with a "TimeoutError"), or cut by
   * cutRequests() (rejects with CUT_TO_RETRY).
   */
  async function fetchWithin(url, options) {
    const controller = new AbortController();
    const timer = window.setTimeout(
      () => controller.abort(new DOMException("timed out", "TimeoutError")),
      REQUEST_TIMEOUT_MS,
    );
    let cut = false;
    const cutter = () => {
      cut = true;
      controller.abort(CUT_TO_RETRY);
    };
    requestsOnTheirWay.add(cutter);
    try {
      return await fetch(url, { ...options, signal: controller.signal });
    } catch (error) {
      // Told apart by the flag, not the reason: an older browser rejects with its own.
      throw cut ? CUT_TO_RETRY : error;
    } finally {
      window.clearTimeout(timer);
      requestsOnTheirWay.delete(cutter);
    }
  }

  /** Every request still waiting for its answer is given up (see retryNow). */
  function cutRequests() {
    for (const cut of [...requestsOnTheirWay]) {
      cut();
    }
  }

  /**
   * Which side a failed request points at, when the browser knows: "offline" (the
   * subscriber's own connection), "service" (our server answered with an error), "timeout",
   * or "unknown" (the request went nowhere, and the browser thinks it is online).
   */
  function failureOf(result, error) {
    if (error === CUT_TO_RETRY) {
      return "pressed";
    }
    if (!navigator.onLine) {
      return "offline";
    }
    if (waitOf(result) !== null) {
      return "busy";
    }
    if (result && result.status >= 500) {
      return "service";
    }
    if (error && error.name === "TimeoutError") {
      return "timeout";
    }
    return "unknown";
  }

  /**
   * Seconds the server asked us to wait before sending again (429 past a rate limit, 503
   * while a replica drains or the store is back in a moment), or null.
   */
  function waitOf(result) {
    if (!result || (result.status !== 429 && result.status !== 503)) {
      return null;
    }
    const seconds = Number(result.retryAfter);
    return result.retryAfter && Number.isFinite(seconds) && seconds >= 0
      ? Math.min(Math.max(Math.ceil(seconds), 1), MAX_WAIT_S)
      : null;
  }

  // Failures done again by themselves when the screen comes back on (see wire()).
  const RETRIED_ON_RETURN = ["unknown", "timeout", "offline"];
  // Failures done again by themselves after a back-off (RETRY_BACKOFF_S) while online.
  const RETRIED_AFTER_A_WHILE = ["unknown", "timeout", "service"];
  const FAILURE_TEXTS = {
    busy: "error_busy",
    offline: "error_offline",
    service: "error_service",
    timeout: "error_timeout",
    // Online, and the request went nowhere (a connection reset, a weak signal, the phone
    // moving from Wi-Fi to mobile data): which side cut it is not known, so the words
    // blame neither and say what helps (the retry at once, then the signal or the Wi-Fi).
    unknown: "error_connection",
  };

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetchWithin(`${API}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (data && typeof data.at === "string") {
      followServerClock(data.at);
    }
    return { status: response.status, data, retryAfter: response.headers.get("Retry-After") };
  }

  function messagesPath(suffix = "") {
    return `/conversations/${encodeURIComponent(conversation.id)}/messages${suffix}`;
  }

  /** A request's outcome, never a rejection: {result} or {error}. */
  function settle(promise) {
    const since = comebacks;
    return promise.then(
      (result) => ({ result, error: null, since }),
      (error) => ({ result: null, error, since }),
    );
  }

  async function start(locale, { expired = false, early = null } = {}) {
    stopPolling();
    clearNotices();
    setBusy(true);
    const { result, error, since } = await (early ||
      settle(call("POST", "/conversations", { locale })));
    setBusy(false);
    showReady();
    const data = result && result.status === 201 ? result.data : null;
    if (!data || !ID_PATTERN.test(data.conversation_id)) {
      sendWaitingWords(false);
      showFailure(failureOf(result, error), () => start(locale, { expired }), result, since);
      return;
    }
    outageOver();
    conversation = { id: data.conversation_id, locale: data.locale || locale };
    turns = [];
    seen = 0;
    unconfirmed = [];
    ownLines = 0;
    ui.log.replaceChildren();
    save();
    // Words in the box (typed before 「最初から」, or before the greeting came) were kept by
    // the tab for the old conversation or none: a reload gave them to no one.
    keepDraft();
    if (expired) {
      // `expired` names the notice: "expired_kept" when the words sent are back in the box.
      showNotice(t(typeof expired === "string" ? expired : "expired"), null);
    }
    unconfirmed.push(...(data.replies || []));
    await showBotTurn(data.replies, conversation.locale, {
      questions: askedBy(data.replies || [], data.question),
      at: data.at || null,
    });
    schedulePoll(POLL_MS);
    sendWaitingWords(true);
  }

  /**
   * After a reload: redraw the conversation from the server's transcript. `again`: the
   * retry of a read that failed, its failure told.
   */
  async function resume(saved, early = null, { again = false } = {}) {
    clearNotices();
    conversation = { id: saved.id, locale: saved.locale };
    setBusy(true);
    const { result, error, since } = await (early || settle(call("GET", messagesPath())));
    setBusy(false);
    showReady();
    if (result && result.status === 404) {
      sendWaitingWords(false);
      // Expired (retention removed it), or the server's store was reset. What the tab kept
      // for it (a message that did not go, words being typed) goes into the new one's box:
      // a phone that reloaded a tab put away for days lost them.
      const unsent = takeUnsent(saved.id);
      giveBackDraft(saved.id);
      if (unsent && !ui.input.value.includes(unsent)) {
        ui.input.value = ui.input.value.trim() ? `${unsent}\n${ui.input.value}` : unsent;
        resizeInput();
      }
      const kept = ui.input.value.trim() !== "";
      forget(saved.id);
      conversation = null;
      await start(uiLocale, { expired: kept ? "expired_kept" : "expired" });
      keepDraft();
      return;
    }
    if (!result || result.status !== 200 || !result.data || !Array.isArray(result.data.messages)) {
      sendWaitingWords(false);
      showFailure(
        failureOf(result, error),
        () => resume(saved, null, { again: true }),
        result,
        since,
      );
      return;
    }
    outageOver();
    seen = 0;
    unconfirmed = [];
    ownLines = 0;
    await followLocale(result.data.locale);
    await redrawFrom(result.data.messages);
    showHolder(result.data);
    giveBackUnsent(saved.id, result.data.messages);
    giveBackDraft(saved.id);
    // As the latest turn was shown when it came: a question taller than the view from its
    // beginning. At the end, a small phone at 200 % showed the buttons under the tail of its
    // explanation, the question two screens up.
    const latest = turns[turns.length - 1];
    if (latest && latest.node) {
      scrollTo(latest.node);
    } else {
      scrollToEnd();
    }
    if (again) {
      // The conversation is drawn in silence (heard again, it was read out whole), and the
      // failure's notice goes with the old log: a screen reader user, told of the failure,
      // heard nothing more and could not tell that the page was back. Said once, here.
      announce(t("conversation_back"));
    }
    schedulePoll(POLL_MS);
    sendWaitingWords(true);
  }

  /**
   * After a reload: a typed message that had not gone is back in the input, to send again.
   * Not if the transcript shows it arrived after all (its answer was what got lost).
   */
  function giveBackUnsent(id, lines) {
    const text = takeUnsent(id);
    if (!text || ui.input.value) {
      return;
    }
    const said = lines.filter((line) => line.author === "subscriber");
    const last = said.length > 0 ? String(said[said.length - 1].text || "") : null;
    if (last === text) {
      return;
    }
    ui.input.value = text;
    resizeInput();
    showNotice(t("unsent_restored"), null);
  }

  // -- polling for replies that answer no request of this page ----------------------------

  function stopPolling() {
    window.clearTimeout(pollTimer);
    pollTimer = 0;
  }

  function schedulePoll(delay = pollDelay) {
    stopPolling();
    if (conversation) {
      pollTimer = window.setTimeout(poll, delay);
    }
  }

  async function poll() {
    // A hidden tab polls less often (for its unread count); coming back to it polls at
    // once (see wire()).
    if (!conversation) {
      return;
    }
    if (busy) {
      schedulePoll();
      return;
    }
    const outcome = await sync();
    if (outcome === "gone") {
      // The next message finds out too, and starts a new conversation.
      stopPolling();
      return;
    }
    // Quick only once an agent holds it: in the queue nobody writes yet, and a page left
    // open there overnight (outside the desk's hours) read the transcript twice a second.
    let steady = holder.owner === "agent" ? LIVE_POLL_MS : POLL_MS;
    if (document.hidden) {
      steady = HIDDEN_POLL_MS;
    }
    pollDelay = outcome === "failed" ? Math.min(pollDelay * 2, MAX_POLL_MS) : steady;
    schedulePoll();
  }

  /** Fetch the transcript's new lines once, however many callers ask at the same time. */
  function sync(options = {}) {
    if (!syncing) {
      syncing = fetchNewLines(options).finally(() => {
        syncing = null;
      });
    }
    return syncing;
  }

  function sameReply(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /**
   * The transcript of `asked` from `query` on: `{ data }`, or `{ outcome }` where there is
   * none to show ("failed", "gone", or "ok" when the page has moved to another conversation).
   */
  async function readTranscript(asked, query = "") {
    let result = null;
    try {
      result = await call("GET", messagesPath(query));
    } catch {
      return { outcome: "failed" };
    }
    if (conversation !== asked) {
      return { outcome: "ok" };
    }
    if (result.status === 404) {
      return { outcome: "gone" };
    }
    if (result.status !== 200 || !result.data || !Array.isArray(result.data.messages)) {
      return { outcome: "failed" };
    }
    return { data: result.data };
  }

  async function fetchNewLines({ focusChoices = false } = {}) {
    const asked = conversation;
    const { data, outcome } = await readTranscript(asked, `?after=${seen}`);
    if (!data) {
      return outcome;
    }
    if (!inOrder(data.messages)) {
      // Lines the page never showed come before its own answers: a message given up as
      // timed out that reached the server after all (the subscriber moved on instead of
      // retrying), or a check's result recorded just before. Appended, they would put an
      // old question last; the conversation is drawn again in the server's order.
      return redrawAll(asked, { focusChoices });
    }
    const groups = [];
    for (const line of data.messages) {
      const seq = Number(line.seq) || 0;
      if (seq <= seen) {
        continue;
      }
      seen = seq;
      if (line.author !== "bot" && line.author !== "agent") {
        continue;
      }
      const reply = replyOf(line);
      if (unconfirmed.length > 0 && sameReply(unconfirmed[0], reply)) {
        // Already on the page, from the answer to the page's own request.
        unconfirmed.shift();
        continue;
      }
      const name = typeof line.agent === "string" ? line.agent : null;
      const question = typeof line.question === "string" ? line.question : null;
      const group = groups[groups.length - 1];
      if (group && group.from === line.author && group.agent === name) {
        group.replies.push(reply);
        group.questions.push(question);
      } else {
        groups.push({
          from: line.author,
          agent: name,
          at: line.at,
          replies: [reply],
          questions: [question],
        });
      }
    }
    for (const group of groups) {
      await showBotTurn(group.replies, data.locale, {
        focusChoices,
        from: group.from,
        agent: group.agent,
        at: group.at,
        questions: group.questions,
      });
    }
    ownLines = 0;
    showHolder(data);
    clearOfflineNotice();
    return "ok";
  }

  /**
   * Whether the new lines are the page's own messages, their answers first, then anything
   * the page has not shown: no message it does not know of (one it gave up on that arrived
   * after all, one from another tab), no line before its own answers.
   */
  function inOrder(lines) {
    let shown = 0;
    const fresh = lines.filter((line) => (Number(line.seq) || 0) > seen);
    if (fresh.filter((line) => line.author === "subscriber").length > ownLines) {
      return false;
    }
    for (const line of fresh) {
      if (line.author !== "bot" && line.author !== "agent") {
        continue;
      }
      if (shown === unconfirmed.length) {
        return true;
      }
      if (!sameReply(unconfirmed[shown], replyOf(line))) {
        return false;
      }
      shown += 1;
    }
    return true;
  }

  /**
   * The whole conversation drawn again from the transcript, as after a reload. With
   * `focusChoices` (a button was pressed), the focus goes on as after an answer.
   */
  async function redrawAll(asked, { focusChoices = false } = {}) {
    const { data, outcome } = await readTranscript(asked);
    if (!data) {
      return outcome;
    }
    seen = 0;
    unconfirmed = [];
    ownLines = 0;
    await redrawFrom(data.messages, { announceLast: true, focusChoices });
    showHolder(data);
    clearOfflineNotice();
    scrollToEnd();
    return "ok";
  }

  // -- sending ----------------------------------------------------------------------------

  /**
   * Send one message. `label` is what appears as the subscriber's bubble (none for the
   * language switch, which is a page control rather than something they said).
   */
  async function send(body, { label = null, viaButton = false } = {}) {
    if (busy || !conversation) {
      return;
    }
    clearNotices();
    closeChoices();
    let turn = null;
    if (label) {
      turn = { from: "user", locale: uiLocale, text: label };
      scrollTo(addTurn(turn));
    }
    await deliver({ ...body, event_id: eventId() }, { viaButton, label, body, turn });
  }

  async function deliver(message, context) {
    setBusy(true);
    if (syncing) {
      // One request at a time: a poll's lines and this answer must not cross.
      await syncing;
    }
    let result = null;
    let error = null;
    const since = comebacks;
    try {
      result = await call("POST", messagesPath(), message);
    } catch (caught) {
      error = caught;
    }
    if (result && result.status === 200 && result.data && Array.isArray(result.data.replies)) {
      markUnsent(context.turn, false);
      outageOver();
      dropUnsent();
      if (!result.data.stale) {
        ownLines += 1;
      }
      if (context.turn && typeof result.data.said === "string") {
        // The bot masked a password in it: so does the screen, as after a reload.
        context.turn.text = result.data.said;
        redraw(context.turn);
      }
      if (result.data.stale) {
        // The question was answered already (a second tap, another tab): this press
        // counted for nothing, so it is no bubble; what happened instead is in the transcript.
        if (context.label) {
          dropLastUserTurn();
        }
        await sync({ focusChoices: context.viaButton });
      } else if (result.data.duplicate) {
        // An earlier try of this very message got through, but its answer was lost on the
        // way back. The answer repeats it, but a poll may have shown it meanwhile: the
        // transcript, read past what the page has shown, is the one that cannot show it twice.
        await sync({ focusChoices: context.viaButton });
      } else {
        unconfirmed.push(...result.data.replies);
        await showBotTurn(result.data.replies, result.data.locale, {
          focusChoices: context.viaButton,
          questions: askedBy(result.data.replies, result.data.question),
          at: result.data.at || null,
        });
      }
      setBusy(false);
      pollDelay = POLL_MS;
      schedulePoll();
      sendWaitingWords(true);
      return;
    }
    setBusy(false);
    sendWaitingWords(false);
    if (result && result.status === 404) {
      // The conversation is gone (expired, or the server's store was reset). The words sent
      // into it go back into the box for the new one: the old screen goes, and with it they
      // were lost (an elderly subscriber's long description of the problem, typed again).
      const typed = context.body && typeof context.body.text === "string";
      if (typed) {
        const typedMeanwhile = ui.input.value.trim() ? ui.input.value : "";
        ui.input.value = typedMeanwhile
          ? `${context.body.text}\n${typedMeanwhile}`
          : context.body.text;
        resizeInput();
      }
      dropUnsent();
      forget(conversation.id);
      conversation = null;
      await start(uiLocale, { expired: typed ? "expired_kept" : "expired" });
      keepDraft();
      return;
    }
    if (result && (result.status === 413 || result.status === 422)) {
      // Sending the same thing again would be refused again: give the words back to edit.
      if (context.label) {
        dropLastUserTurn();
      }
      reopenLastChoices();
      if (context.body && typeof context.body.text === "string") {
        // Words typed while it was on its way stay, after it: replaced, they were lost.
        const typedMeanwhile = ui.input.value.trim() ? ui.input.value : "";
        ui.input.value = typedMeanwhile
          ? `${context.body.text}\n${typedMeanwhile}`
          : context.body.text;
        resizeInput();
        keepDraft();
      }
      showNotice(t("error_rejected"), null);
      ui.input.focus({ preventScroll: true });
      return;
    }
    // Network trouble or a server error: retry with the same event id, so that a message
    // which did arrive the first time is not answered twice.
    markUnsent(context.turn, true);
    if (context.body && typeof context.body.text === "string") {
      keepUnsent(context.body.text);
    }
    showFailure(failureOf(result, error), () => deliver(message, context), result, since);
  }

  // -- notices ----------------------------------------------------------------------------

  function clearOfflineNotice() {
    for (const notice of ui.log.querySelectorAll('.notice[data-failure="offline"]')) {
      if (!notice.querySelector(".notice__retry")) {
        notice.remove();
      }
    }
  }

  /** Every notice goes but `spare` (by default the one whose retry the page is doing). */
  function clearNotices(spare = keptNotice) {
    pendingRetry = null;
    for (const notice of ui.log.querySelectorAll(".notice")) {
      if (notice !== spare) {
        removeNotice(notice);
      }
    }
  }

  function removeNotice(notice) {
    if (notice.contains(document.activeElement)) {
      // Its button had the focus: it must not fall back to the page's start (a screen reader
      // would read from the top). An answer with buttons moves it on to them.
      ui.input.focus({ preventScroll: true });
    }
    notice.remove();
    if (keptNotice === notice) {
      keptNotice = null;
    }
  }

  /** A request went through: the failures in a row are over, and the notice kept goes. */
  function outageOver() {
    failuresInARow = 0;
    pressedRetry = false;
    if (keptNotice) {
      removeNotice(keptNotice);
    }
  }

  /**
   * A failed request: say which side is down, offer a retry (done by itself once online,
   * or once the wait the server asked for is over: the subscriber need not press anything).
   */
  function showFailure(kind, retry, result = null, since = null) {
    if (kind === "pressed") {
      // Cut by a press of 「もう一度試す」 (retryNow): sent again at once, the notice kept
      // as it is, saying that the page is trying again.
      retry();
      return;
    }
    let wait = kind === "busy" ? waitOf(result) : null;
    if (RETRIED_AFTER_A_WHILE.includes(kind)) {
      wait = RETRY_BACKOFF_S[Math.min(failuresInARow, RETRY_BACKOFF_S.length - 1)];
      failuresInARow += 1;
    }
    const text =
      wait === null
        ? t(FAILURE_TEXTS[kind])
        : kind !== "busy"
          ? t(FAILURE_TEXTS[kind], { seconds: wait })
          : wait <= 60
            ? t("error_busy", { seconds: wait })
            : t("error_busy_minutes", { minutes: Math.ceil(wait / 60) });
    // A retry the page did by itself failed again while the subscriber was typing their
    // next words: the focus stays in the input (on a phone, moving it shut the keyboard
    // mid-word). The alert still says it, and its button is one Tab away.
    const typing = retriedWhileTyping && document.activeElement === ui.input;
    retriedWhileTyping = false;
    showNotice(text, retry, { focusRetry: !typing, kind });
    if (since !== null && since !== comebacks && navigator.onLine && kind !== "busy") {
      // The connection came back while this request was failing (the phone left a tunnel):
      // done again now, as the `online` event would have done had it come a moment later.
      retryBySelf();
      return;
    }
    if (wait !== null) {
      const auto = pendingRetry;
      window.setTimeout(() => {
        // Not if it was done meanwhile (pressed, another message, the connection back).
        if (pendingRetry === auto) {
          retryBySelf();
        }
      }, wait * 1000);
    }
  }

  /**
   * 「もう一度試す」 pressed while the page's own retry is on its way: that request (which
   * may wait out its 10 s on a weak signal) is given up and sent again at once, with the
   * same event id, so that the server answers it once. The press did nothing before,
   * though the notice had just said to press it to try now. Pressed twice, it is done once.
   */
  function retryNow() {
    if (pressedRetry) {
      return;
    }
    pressedRetry = true;
    cutRequests();
  }

  /** The retry of the notice on screen, done by the page (not pressed). */
  function retryBySelf() {
    pendingRetry(true);
  }

  /**
   * A notice at the conversation's end: part of the log, so a screen reader hears it once, as
   * a line of the conversation (a role of its own inside the log, `alert`, was heard twice).
   * A failure of the page's own retry like the one before rewords that notice in place,
   * silent (see keptNotice), and leaves the focus where it is.
   */
  function showNotice(message, retry, { focusRetry = false, kind = null } = {}) {
    pressedRetry = false;
    const kept = keptNotice;
    keptNotice = null;
    const same = Boolean(retry && kind && kept && kept.isConnected && kept.dataset.failure === kind);
    clearNotices(same ? kept : null);
    let notice = kept;
    let words = null;
    let button = null;
    if (same) {
      words = notice.querySelector(".notice__text");
      words.replaceChildren();
      appendKeepingWords(words, message);
      button = notice.querySelector(".notice__retry");
    } else {
      notice = make("div", retry ? "notice notice--error" : "notice");
      if (kind) {
        notice.dataset.failure = kind;
      }
      words = make("p", "notice__text");
      appendKeepingWords(words, message);
      notice.append(words);
      if (retry) {
        button = make("button", "button button--secondary notice__retry", t("retry"));
        button.type = "button";
        // Pressed (a click passes its event, so bySelf is not true): the notice's retry now.
        button.addEventListener("click", () => {
          const again = noticeRetries.get(notice);
          if (again) {
            again();
          }
        });
        notice.append(button);
      }
    }
    if (retry) {
      // `bySelf`: done by the page (retryBySelf), not pressed.
      const again = (bySelf = false) => {
        if (notice.isConnected && keptNotice === notice && bySelf !== true && busy) {
          retryNow();
          return;
        }
        if (busy || !notice.isConnected || keptNotice === notice) {
          return;
        }
        retriedWhileTyping = bySelf === true && document.activeElement === ui.input;
        pendingRetry = null;
        if (bySelf === true) {
          // Kept while the page tries again, silent (aria-live off inside the log), saying
          // so: removed, the focus on its button moved to the input and, failing again, to
          // the new button, each move heard; and the failure was announced again.
          notice.setAttribute("aria-live", "off");
          words.replaceChildren();
          appendKeepingWords(words, t("retrying"));
          keptNotice = notice;
        } else {
          removeNotice(notice);
        }
        retry();
      };
      noticeRetries.set(notice, again);
      pendingRetry = again;
    }
    if (same) {
      return;
    }
    ui.log.append(notice);
    // Taller than the view (a failure's words at 200 % text on a small phone: three screens)
    // it is read from its beginning, as a long answer is: at its end, the screen showed only
    // 「…Wi-Fiの接続をご確認ください。」 and the button, not what had happened. Its button
    // keeps to the view's lower edge meanwhile (position: sticky in chat.css), so the focus
    // given to it shows without scrolling the beginning away.
    scrollTo(notice);
    if (button && focusRetry) {
      button.focus({ preventScroll: true });
    }
  }

  // -- actions ----------------------------------------------------------------------------

  function choose(turn, index, choice, button) {
    if (busy || turn.closed) {
      return;
    }
    turn.chosen = { ...(turn.chosen || {}), [index]: choice.id };
    closeChoices();
    button.classList.add("choice--chosen");
    button.setAttribute("aria-pressed", "true");
    const question = turn.questions ? turn.questions[index] : null;
    const body = question ? { choice: choice.id, question } : { choice: choice.id };
    send(body, { label: choice.label, viaButton: true });
  }

  function submitText(event) {
    event.preventDefault();
    // Also while the conversation itself is being started (the first visit, 「最初から」):
    // on a slow connection the box shows seconds before the greeting, and Send did nothing.
    if (busy && ui.input.value.trim()) {
      sendWhenAnswered = true;
      return;
    }
    sendTyped();
  }

  /**
   * Send pressed while the page was busy: once the answer is on screen (`answered`), the
   * words in the box go. When it failed they wait in the box, beside the failure's notice,
   * to be sent again by the subscriber rather than behind a message that did not go.
   */
  function sendWaitingWords(answered) {
    const waiting = sendWhenAnswered;
    sendWhenAnswered = false;
    if (!answered) {
      // Dropped with the failed answer: the failure's notice says what to do.
      pressWhenAnswered = null;
      return;
    }
    if (waiting) {
      // Back to the input they were typing in: the answer may have put the focus on its
      // question's buttons, which these words now close.
      ui.input.focus({ preventScroll: true });
      sendTyped();
    }
    if (pressWhenAnswered && !busy) {
      // After the words, if any went: this runs again once their answer is on screen.
      const press = pressWhenAnswered;
      pressWhenAnswered = null;
      press();
    }
  }

  /**
   * Whether toolbar button `choice` was pressed last and nothing has happened since but its
   * answer: its words on screen and the answer on its way, or that answer the latest turn
   * (after 「最初から」, the new conversation's greeting alone, or its start on its way).
   * Pressed again then, it would only ask the same again. Anything said, typed or pressed
   * since (an agent's words too) makes a press of it the subscriber's own; a press whose
   * answer failed can be made again.
   */
  function askedAlready(choice) {
    if (!toolbarPress || toolbarPress.choice !== choice) {
      return false;
    }
    if (choice === "restart") {
      // No conversation between the old one's end and the new one's start.
      return conversation ? turns.length === 1 && turns[0].from !== "user" : busy;
    }
    const own = turns.slice(toolbarPress.from);
    if (own.length === 1 && own[0].from === "user") {
      return busy;
    }
    return own.length === 2 && own[0].from === "user" && own[1].from !== "user";
  }

  /** A toolbar or language button's action, now or, while an answer is on its way, after it. */
  function pressOrWait(action) {
    if (busy) {
      pressWhenAnswered = action;
      return;
    }
    action();
  }

  /** Send what is in the box, as the subscriber's next message. */
  function sendTyped() {
    const text = ui.input.value.trim();
    if (!text || busy || !conversation) {
      return;
    }
    ui.input.value = "";
    resizeInput();
    keepDraft();
    send({ text }, { label: text });
  }

  /**
   * The empty input is one line tall, and a hint wider than the box wrapped and was cut: at
   * 180 px (a 360 × 640 phone at 200 % zoom) it showed 「メッセー」 over half of 「ジを入力」.
   * The first of the hint and its short form that fits on the line is shown, else none.
   */
  const measure = document.createElement("canvas").getContext("2d");

  function fitPlaceholder() {
    const input = ui.input;
    const style = getComputedStyle(input);
    const room =
      input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (!measure || room <= 0) {
      return;
    }
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const hints = [t("placeholder"), t("placeholder_short")];
    const fitting = hints.find((hint) => measure.measureText(hint).width <= room);
    input.setAttribute("placeholder", fitting || "");
  }

  function watchPlaceholder() {
    if ("ResizeObserver" in window) {
      // Its width (a phone turned, zoomed) and its font (the phone's text size) both count.
      new ResizeObserver(fitPlaceholder).observe(ui.input);
    }
    // Hidden until the words load, the box has no width before that: measured again then.
  }

  function resizeInput() {
    const input = ui.input;
    if (!input.value) {
      // One line when empty: with large text the placeholder alone would wrap to two lines
      // and take them from the conversation (the placeholder is only a hint).
      input.style.height = "";
      return;
    }
    input.style.height = "auto";
    const line = parseFloat(getComputedStyle(input).lineHeight) || 24;
    const padding = input.offsetHeight - input.clientHeight + 16;
    input.style.height = `${Math.min(input.scrollHeight, line * MAX_INPUT_LINES + padding)}px`;
  }

  /**
   * The box takes `maxlength` characters, as the server does, and the browser cuts a longer
   * paste (an error log, a whole mail) without a word: the subscriber sent half of it, not
   * knowing. Said as a notice, or only to a screen reader while a failure's notice waits
   * with its retry (a notice of its own would take that one's place).
   */
  function sayWhenAPasteIsCut(event) {
    if (event.inputType !== "insertFromPaste") {
      return;
    }
    // A text box's paste carries its text in `data`; `dataTransfer` is for rich editors.
    const text =
      typeof event.data === "string"
        ? event.data
        : event.dataTransfer
          ? event.dataTransfer.getData("text/plain")
          : "";
    const box = ui.input;
    const pasted = text.length;
    const kept = box.value.length - Math.abs(box.selectionEnd - box.selectionStart);
    if (box.maxLength <= 0 || kept + pasted <= box.maxLength) {
      return;
    }
    const message = t("paste_cut", { max: box.maxLength });
    if (pendingRetry || ui.log.querySelector(".notice--error")) {
      announce(message);
    } else {
      showNotice(message, null);
    }
  }

  async function switchLanguage(locale) {
    if (busy || locale === uiLocale) {
      return;
    }
    if (!conversation) {
      // Nothing to tell the bot yet (the first request failed): change the words, and the
      // retry starts the conversation in the new language.
      try {
        await useLocale(locale);
      } catch {
        showNotice(t("error"), null);
      }
      return;
    }
    await send({ choice: `lang:${locale}` }, { label: null });
  }

  // The copy button showing 「コピーしました」 now, and how it goes back (copy, below).
  let copiedShown = null;

  async function copy(value, button, label, valueNode, locale) {
    let done = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
        done = true;
      }
    } catch {
      done = false;
    }
    if (!done) {
      done = legacyCopy(value);
      button.focus({ preventScroll: true });
    }
    if (!done) {
      // Select the value so that the subscriber's own copy command takes it.
      const range = document.createRange();
      range.selectNodeContents(valueNode);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      // Under the value, seen and (added to the log) read out: said to a screen reader
      // alone, the button seemed to do nothing. Once, however often it is pressed.
      // In the page's language, as the confirmation below.
      const cell = button.closest(".settings__cell");
      if (cell && !cell.querySelector(".copy__failed")) {
        const failed = make("p", "copy__failed", t("copy_failed"));
        failed.lang = uiLocale;
        cell.append(failed);
      }
      return;
    }
    // What the press did is said in the page's language, which the subscriber may have
    // switched to since the card was drawn in its own: after 「English」 a Japanese card's
    // button said 「コピーしました」, and a screen reader read it in its English voice.
    // It stays until the subscriber does something else here (another copy, a press or a
    // key elsewhere): gone after 2 s, it was gone before an elderly reader's eyes came back
    // from the mail program or the keyboard, and they copied again, unsure. No timer: a
    // return to the page after the paste finds it still said. The announcement (above, once
    // a press) is the screen reader's; the button's word is hidden from it, so its return
    // is unheard.
    if (copiedShown && copiedShown.button !== button) copiedShown.end();
    button.classList.add("is-copied");
    label.textContent = t("copied");
    label.lang = uiLocale;
    announce(t("copied"));
    copiedShown = {
      button,
      end: () => {
        copiedShown = null;
        button.classList.remove("is-copied");
        label.textContent = t("copy", {}, locale);
        label.removeAttribute("lang");
      },
    };
  }

  /** The copy button saying 「コピーしました」 goes back to 「コピー」 at the next other action. */
  function endCopiedOnOtherActions() {
    const other = (event) => {
      const target = event.target;
      if (copiedShown && !(target instanceof Node && copiedShown.button.contains(target))) {
        copiedShown.end();
      }
    };
    // A press or a key, not a pointerdown: a finger's scroll back to the card is no action.
    document.addEventListener("click", other, true);
    document.addEventListener("keydown", other, true);
  }

  /** For pages served without HTTPS, where navigator.clipboard does not exist. */
  function legacyCopy(value) {
    const area = make("textarea", "offscreen");
    area.value = value;
    area.setAttribute("readonly", "");
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    area.remove();
    return done;
  }

  // -- start ------------------------------------------------------------------------------

  function wire() {
    ui.form.addEventListener("submit", submitText);
    endCopiedOnOtherActions();
    // A double tap on the conversation's print, copy and link buttons is one press: they
    // stay where they are, and the second tap came after the first had done its work (the
    // print dialog again once the first was closed, 「コピーしました」 said twice, the login
    // check opened in two tabs). A press of the control
    // pressed last, with nothing done in between, is that second tap: taken here, before the
    // button's own handler or the link's default. Not the click's count (UIEvent.detail):
    // iPhone Safari counts every tap 1, and a deliberate second press within the system's
    // double-click time counted 2. Once: a third press is the subscriber's own.
    ui.scroller.addEventListener(
      "click",
      (event) => {
        const pressed = event.target instanceof Element && event.target.closest(ONE_PRESS);
        if (!pressed) {
          return;
        }
        if (onePress && onePress.control === pressed && event.timeStamp < onePress.until) {
          onePress = null;
          event.preventDefault();
          event.stopPropagation();
          return;
        }
        onePress = { control: pressed, until: Infinity };
      },
      true,
    );
    // Doing anything else is what ends a double tap: a touch or a click elsewhere (a scroll
    // too), the focus moved on, or the page left for what the press opened (the login
    // check's tab, the print dialog, a download's question) and come back to. A press made
    // before that return (a tap queued while the print dialog held the page) is still the
    // same one: the input's own time tells.
    const somethingElse = (event) => {
      const target = event.target;
      // Not the copy's own move of the focus to its hidden text (legacyCopy): that is the
      // press itself, and a double tap there copied and said 「コピーしました」 twice.
      const own = target instanceof Element && target.classList.contains("offscreen");
      if (onePress && !own && !(target instanceof Node && onePress.control.contains(target))) {
        onePress = null;
      }
    };
    document.addEventListener("pointerdown", somethingElse, true);
    document.addEventListener("focusin", somethingElse, true);
    const cameBack = (event) => {
      if (onePress && !document.hidden) {
        onePress.until = event.timeStamp;
      }
    };
    window.addEventListener("afterprint", cameBack);
    window.addEventListener("focus", cameBack);
    document.addEventListener("visibilitychange", cameBack);
    ui.input.addEventListener("input", () => {
      resizeInput();
      keepDraft();
    });
    ui.input.addEventListener("beforeinput", sayWhenAPasteIsCut);
    ui.input.addEventListener("keydown", (event) => {
      // Enter while a Japanese input method is still converting confirms the conversion;
      // it must not send a half-typed message.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) {
        return;
      }
      submitText(event);
    });
    // A double tap is one press. The toolbar's buttons stay in place, so an elderly
    // subscriber's second tap (the first seemed to do nothing) lands on the same one, and on
    // a fast connection after its answer: 「担当者と話す」 was asked twice and answered twice,
    // and 「最初から」 started two conversations. Told by what is on screen (askedAlready), not
    // by the time between the taps.
    for (const button of ui.toolbar) {
      button.addEventListener("click", () => {
        const choice = button.dataset.choice;
        if (askedAlready(choice)) {
          // Its answer is the latest thing said, or on its way: shown, not asked again, and
          // its question's first button given the focus, so that a screen reader says what
          // is there (a press that said nothing seemed to do nothing).
          const last = turns[turns.length - 1];
          if (!busy && last && last.node) {
            scrollTo(last.node);
            const next = last.node.querySelector(".choice:not(:disabled)");
            if (next) {
              next.focus({ preventScroll: true });
              holdInView(next);
            }
          }
          return;
        }
        if (choice === "restart") {
          pressOrWait(() => startOver());
          return;
        }
        const label = button.textContent.trim();
        pressOrWait(() => {
          toolbarPress = { choice, from: turns.length };
          send({ choice }, { label });
        });
      });
    }
    for (const button of ui.languages) {
      const locale = button.dataset.lang;
      button.addEventListener("click", () => pressOrWait(() => switchLanguage(locale)));
    }
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        unread = 0;
        showTitle();
        // The phone unlocked the next morning: yesterday's times get their date at once.
        refreshTimes();
      }
      if (!document.hidden && conversation) {
        // Back from the login-check tab, say: its result may be waiting.
        pollDelay = POLL_MS;
        schedulePoll(0);
      }
      // The screen back on: a request cut while the phone slept (its connection paused; the
      // page still online) is done again, as when the connection returns, rather than left
      // to a 「もう一度試す」 found twenty minutes later. A send goes with its event id, so
      // it is answered once. Not a wait the server asked for: that keeps its own timer.
      const failed = ui.log.querySelector(".notice[data-failure]");
      if (
        !document.hidden &&
        pendingRetry &&
        navigator.onLine &&
        failed &&
        RETRIED_ON_RETURN.includes(failed.dataset.failure)
      ) {
        retryBySelf();
      }
    });
    // The subscriber's connection is back: do what failed, without being asked.
    window.addEventListener("online", () => {
      comebacks += 1;
      if (!ui.loadFailed.hidden) {
        window.location.reload();
      } else if (pendingRetry) {
        retryBySelf();
      } else if (conversation) {
        // What arrived meanwhile (an agent's answer) shows now, not after the polls'
        // back-off of up to a minute.
        clearOfflineNotice();
        pollDelay = POLL_MS;
        // After a read still failing from the offline time, so that this one goes out.
        Promise.resolve(syncing).then(poll);
      }
    });
    // Offline with nothing being sent (waiting for an agent, say): the failing polls are
    // silent, so say it. A request that fails says it with its own notice and retry.
    window.addEventListener("offline", () => {
      if (conversation && !busy && !pendingRetry) {
        showNotice(t("offline_waiting"), null, { kind: "offline" });
      }
    });
    // The browser's own print command prints the latest settings card, as its button does.
    window.addEventListener("beforeprint", () => {
      const cards = ui.log.querySelectorAll(".card--settings");
      const card = printChosen || (cards.length > 0 ? cards[cards.length - 1] : null);
      printChosen = null;
      markForPrint(card ? card.closest(".turn") : null);
    });
    document.getElementById("reload").addEventListener("click", () => window.location.reload());
    ui.input.addEventListener("click", showWhatIsAsked);
    keepTheEndInView();
    showMoreBelow();
    watchPlaceholder();
    fitAboveAKeyboard();
    stepAsideWhileTyping();
  }

  /**
   * Class `composing` while a text field has the focus: only then does a very short screen
   * (chat.css, under 15 em: a phone held sideways with its keyboard open) hide the header and
   * the toolbar. By height alone, a phone sideways at 200 % text (640 × 360) hid 「メニュー」
   * 「最初から」「担当者と話す」 and the language buttons with no keyboard open at all.
   * The focus leaving, they come back only once the press that took it has landed: a tap
   * blurs the field at its mousedown, and the header coming back then moved the buttons under
   * the finger before its mouseup and click (what the rule by height alone was avoiding).
   */
  function stepAsideWhileTyping() {
    const root = document.documentElement;
    const typed = (node) =>
      node instanceof HTMLTextAreaElement ||
      (node instanceof HTMLInputElement &&
        !/^(checkbox|radio|button|submit|reset)$/.test(node.type));
    let held = false;
    let leaving = false;
    const comeBack = () => {
      if (!leaving) {
        return;
      }
      leaving = false;
      root.classList.remove("composing");
      tellPanelClose();
    };
    // After the click: a tap's mouseup and click come in the same task as its mousedown, a
    // mouse's in the one after its button's release, so the timer then runs after them too.
    const afterThePress = () => window.setTimeout(comeBack, 0);
    const released = () => {
      held = false;
      afterThePress();
    };
    window.addEventListener(
      "pointerdown",
      () => {
        held = true;
      },
      true,
    );
    window.addEventListener("pointerup", released, true);
    window.addEventListener("pointercancel", released, true);
    window.addEventListener("click", comeBack, true);
    document.addEventListener("focusin", (event) => {
      if (typed(event.target)) {
        leaving = false;
        root.classList.add("composing");
        tellPanelClose();
      }
    });
    document.addEventListener("focusout", (event) => {
      if (!typed(event.target) || !root.classList.contains("composing")) {
        return;
      }
      leaving = true;
      if (!held) {
        afterThePress();
      }
    });
  }

  /**
   * iPhone Safari ignores `interactive-widget=resizes-content`: its keyboard is drawn over
   * the page, which stays as tall as the screen, and the input at its bottom went under it.
   * Only `visualViewport` tells how much is left: while it is shorter than the window at
   * scale 1 (a keyboard, not a pinch zoom, which shrinks it by its scale), the page takes
   * its height (class `keyboard-over`, `--visible-height`), and Safari's own scroll to the
   * input is undone, so the header stays on top. Where the page is already laid out above
   * the keyboard (Android), both heights are the same and nothing changes.
   */
  function fitAboveAKeyboard() {
    const viewport = window.visualViewport;
    if (!viewport) {
      return;
    }
    const root = document.documentElement;
    const fit = () => {
      const covered = viewport.scale <= 1.01 && window.innerHeight - viewport.height > 1;
      root.classList.toggle("keyboard-over", covered);
      if (covered) {
        root.style.setProperty("--visible-height", `${viewport.height}px`);
        if (window.scrollY !== 0) {
          window.scrollTo(0, 0);
        }
      } else {
        root.style.removeProperty("--visible-height");
      }
    };
    viewport.addEventListener("resize", fit);
    fit();
  }

  /**
   * The keyboard opening (Android lays the page out above it) or closing, the input growing
   * a line, a phone turned: the conversation's box changes height at its bottom, and its
   * scroll position stayed, so that the question just answered and its buttons, at the end,
   * went under the input. Scrolled to the end, the conversation stays at its end, as in a
   * messaging app; scrolled elsewhere (a long answer read from its beginning, an earlier one
   * looked at again), it stays where it is: the line at the top of the view stays there.
   * A phone turned sideways (or back) lays every line out again at the new width, and the
   * same scroll offset showed another part of the conversation: the settings row being read
   * went 1,200 px above the view, or the box, shorter, counted as at its end and jumped there.
   */
  function keepTheEndInView() {
    if (!("ResizeObserver" in window)) {
      return;
    }
    const scroller = ui.scroller;
    // The box's size when last seen: whether the view was at the end is read against it.
    let width = scroller.clientWidth;
    let height = scroller.clientHeight;
    // What was on screen before the box changed: the line at its top, and how far below the
    // box's top it was. Read at each scroll in a box of the size last seen, and after each
    // change of size: a scroll the change itself caused (clamped to a shorter conversation)
    // may come before the observer, and would measure the new layout, not what was read.
    let reading = null;
    const readingAt = () => {
      const box = scroller.getBoundingClientRect();
      let node = document.elementFromPoint(box.left + box.width / 2, box.top + 2);
      if (!node || !ui.log.contains(node) || node === ui.log) {
        const turns = Array.from(ui.log.children);
        node = turns.find((turn) => turn.getBoundingClientRect().bottom > box.top) || null;
      }
      return node ? { node, offset: node.getBoundingClientRect().top - box.top } : null;
    };
    const remember = () => {
      if (scroller.clientWidth !== width || scroller.clientHeight !== height) {
        return;
      }
      const atEnd = scroller.scrollHeight - height - scroller.scrollTop <= 1;
      reading = atEnd ? null : readingAt();
    };
    scroller.addEventListener("scroll", remember, { passive: true });
    // Scrolled by the page itself (showWhatIsAsked) in a box whose size changed since the
    // observer last saw it (the header stepping aside for typing): `remember` skipped that
    // scroll, and the observer put back what was read before it.
    keepThisView = () => {
      width = scroller.clientWidth;
      height = scroller.clientHeight;
      remember();
    };
    new ResizeObserver(() => {
      const before = reading;
      const wasAtEnd = !before && scroller.scrollHeight - height - scroller.scrollTop <= 1;
      width = scroller.clientWidth;
      height = scroller.clientHeight;
      if (wasAtEnd) {
        // At once, not smoothly: the keyboard may take the screen in steps, and a smooth
        // scroll still on its way is not at the end when the next step comes.
        scroller.scrollTo({ top: scroller.scrollHeight, behavior: "instant" });
      } else if (before && before.node.isConnected) {
        const top = scroller.getBoundingClientRect().top;
        const moved = before.node.getBoundingClientRect().top - top - before.offset;
        if (Math.abs(moved) > 1) {
          scroller.scrollTop += moved;
        }
      }
      remember();
    }).observe(scroller);
  }

  /**
   * 「▼ 続きを読む」 while the conversation goes on below the view. On a 320 x 568 phone at
   * the largest text the first screen showed the greeting's first four lines and nothing
   * said that more followed: the first question's 「はい」 was 8.4 views down, and a
   * subscriber who does not know to swipe a page with no scroll bar waited for the chat.
   * A press moves the view down by what it showed, less the strip the button stood over
   * (a line at least), which comes to the view's top: nothing is skipped (as a jump to the
   * question would skip the greeting), and the eye finds its place.
   *
   * Over the view's lower right, not in a row of its own: the row took the view's room while
   * shown and gave it back at the end, and the conversation then moved down under a finger
   * reaching for its last button. It steps aside from a button or link it would cover, or
   * stand within 8 px of (the program question's 「Thunderbird」 was under it): a press meant
   * for the answer would scroll instead, and that button shows what to do. Hidden too while a
   * keyboard's focus shows in the conversation: the focus shows the way. In a view too short
   * for its words, the arrow alone.
   */
  function showMoreBelow() {
    const button = document.getElementById("more-below");
    const scroller = ui.scroller;
    if (!button) {
      return;
    }
    const lineHeight = () =>
      1.6 * parseFloat(getComputedStyle(document.documentElement).fontSize || "16");
    // Safari before 15.4 has no :focus-visible, and a selector it does not know throws.
    const focusShownIn = (node) => {
      try {
        return node.querySelector(":focus-visible");
      } catch {
        return null;
      }
    };
    let queued = false;
    const update = () => {
      queued = false;
      const below = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
      const keyboardFocus = focusShownIn(scroller);
      button.hidden = !(below > 2 && scroller.clientHeight > 0 && !keyboardFocus);
      if (button.hidden) {
        return;
      }
      // Under three lines' buttons of room (200 % zoom on a small phone), or in a column
      // more than twice as wide as it is high (a phone sideways), the words would cover
      // much of the view, and the arrow little.
      const height = scroller.clientHeight;
      const pill = Math.max(44, lineHeight() + 10) + 8;
      const column = scroller.firstElementChild.clientWidth;
      button.classList.toggle("more-below--round", height < 3 * pill || column > 2 * height);
      const box = button.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      const near = (r) =>
        r.top < view.bottom &&
        r.bottom > view.top &&
        r.right > box.left - 8 &&
        r.left < box.right + 8 &&
        r.bottom > box.top - 8 &&
        r.top < box.bottom + 8;
      button.hidden =
        box.top < view.top ||
        Array.from(ui.log.querySelectorAll("button, a[href], [tabindex='0']")).some(
          (control) => Array.from(control.getClientRects()).some(near),
        );
    };
    const later = () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(update);
      }
    };
    scroller.addEventListener("scroll", later, { passive: true });
    document.addEventListener("focusin", later);
    document.addEventListener("focusout", later);
    if ("ResizeObserver" in window) {
      const observer = new ResizeObserver(later);
      observer.observe(scroller);
      // The log itself is replaced at times (quietly): its stable parent grows with it.
      observer.observe(scroller.firstElementChild);
    }
    // A press keeps the focus where it was (the input, a question's button).
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const covered = scroller.getBoundingClientRect().bottom - button.getBoundingClientRect().top;
      const height = scroller.clientHeight;
      const step = Math.max(height - Math.max(covered, lineHeight()), height / 2);
      scroller.scrollBy({ top: Math.round(step) });
    });
    update();
  }

  /**
   * 「最初から」: a new conversation; the old one stays on the server until retention. The
   * server is told the subscriber left: if the desk's queue or an agent had it, it closes,
   * so that nobody waits for them. Told whoever the page last saw holding it (a person may
   * have taken it since the last poll; the server leaves the bot's alone). The new
   * conversation waits for none of it, nor fails with it (offline, say).
   */
  async function startOver() {
    if (busy) {
      return;
    }
    // One tap, easily made by mistake while waiting, ended the request for a person, or the
    // conversation with one, at once: asked first then, in the page's own dialog. So it took
    // the settings card and the steps the subscriber came for off the screen for good (the
    // toolbar is just above the input a phone's user taps to type).
    const asked =
      { queue: "restart_confirm_queue", agent: "restart_confirm_agent" }[holder.owner] ||
      (ui.log.querySelector(".card--settings") ? "restart_confirm_settings" : null);
    if (asked && !(await confirmRestart(t(asked)))) {
      return;
    }
    toolbarPress = { choice: "restart", from: 0 };
    const old = conversation;
    if (old) {
      forget(old.id);
      leave(old.id);
    }
    conversation = null;
    showHolder({ owner: "bot" });
    await start(uiLocale);
  }

  /**
   * Whether the subscriber wants to start over, asked in the page's own dialog: large, in
   * the conversation's language, read out as a dialog. The browser's confirm() was small and
   * said OK / Cancel in English on some phones. Escape answers "no".
   */
  function confirmRestart(question) {
    const dialog = ui.restartDialog;
    if (typeof dialog.showModal !== "function") {
      // Safari before 15.4 (older iPhones) has no <dialog>: its own question, as before.
      return Promise.resolve(window.confirm(question));
    }
    const opener = document.activeElement;
    ui.restartQuestion.textContent = question;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener(
        "close",
        () => {
          // Back to 「最初から」, as after the browser's own dialog. The close event comes a
          // task after the dialog shut: a subscriber who has already moved on (to the input,
          // say) keeps their place rather than being pulled back.
          const active = document.activeElement;
          const movedOn = active && active !== document.body && !dialog.contains(active);
          if (!movedOn && opener instanceof HTMLElement && opener.isConnected) {
            opener.focus();
          }
          resolve(dialog.returnValue === "restart");
        },
        { once: true },
      );
      dialog.showModal();
    });
  }

  /**
   * Tell the server the subscriber left conversation `id`. Offline, it is told once the
   * connection is back (while this page is open): the desk's queue kept waiting for a
   * subscriber who had gone, and an agent would have taken an empty chat.
   */
  function leave(id) {
    // The connection may come back while the call is still failing: by the time the failure
    // is read the browser is online, and no 'online' event would come to wait for.
    let cameBack = false;
    const back = () => {
      cameBack = true;
    };
    window.addEventListener("online", back, { once: true });
    settle(call("POST", `/conversations/${encodeURIComponent(id)}/close`, {})).then(
      ({ error }) => {
        window.removeEventListener("online", back);
        if (!error) {
          return;
        }
        if (cameBack) {
          leave(id);
        } else if (navigator.onLine === false) {
          window.addEventListener("online", () => leave(id), { once: true });
        }
      },
    );
  }

  async function init() {
    wire();
    const saved = restore();
    const locale = saved ? saved.locale : requestedLocale();
    // The conversation (or its transcript) is asked for while the words load: the first
    // message is on screen one round trip sooner (bench/first_message.py).
    const early = saved
      ? settle(call("GET", `/conversations/${encodeURIComponent(saved.id)}/messages`))
      : settle(call("POST", "/conversations", { locale }));
    try {
      await useLocale(locale);
    } catch {
      // Never a page of empty buttons: the chrome stays hidden, a bilingual notice says
      // which side is down (the browser knows when it is offline), with a reload button.
      ui.loading.hidden = true;
      ui.loadFailed.dataset.failure = navigator.onLine ? "service" : "offline";
      ui.loadFailed.hidden = false;
      document.body.classList.add("is-broken");
      return;
    }
    document.body.classList.add("is-ready");
    tellPanelClose();
    if (saved) {
      await resume(saved, early);
    } else {
      await start(locale, { early });
    }
  }

  // Embedded by embed.js in a provider's page, Escape inside the chat closes the panel as
  // it does on the provider's page; embed.js takes the message only from its own frame.
  // An Escape that ends an IME composition belongs to the composition, not to the panel.
  if (window.parent !== window) {
    document.addEventListener("keydown", (event) => {
      // An open dialog of the page's own takes its Escape (as "no"); the panel stays.
      if (event.key === "Escape" && !event.isComposing && !ui.restartDialog.open) {
        window.parent.postMessage({ type: "mailmove:close" }, "*");
      }
    });
  }

  // On a narrow phone embed.js's panel fills the screen, and its bar, a row holding 「閉じる」
  // alone above the chat, left the conversation 41 px at 200 % zoom on a 360 × 640 phone.
  // There the snippet asks for the button in the chat's toolbar ({type: "mailmove:closer",
  // wanted}); the page answers whether it shows one ({type: "mailmove:closer", shown}), and
  // only then does the bar step aside: a chat that never loads, or hides its toolbar on a
  // very short screen, leaves the bar's own button. Told at every change of the frame's size
  // (`ready` too), so that embed.js can try once without its bar: with it, a frame just
  // under 15 em high hid the toolbar for good (an iPhone SE sideways at 130 % text).
  function tellPanelClose() {
    if (window.parent === window) {
      return;
    }
    const close = document.querySelector(".panel-close");
    const ready = document.body.classList.contains("is-ready");
    const shown = ready && close.getClientRects().length > 0;
    const height = window.innerHeight;
    window.parent.postMessage({ type: "mailmove:closer", shown, ready, height }, "*");
  }

  if (window.parent !== window) {
    window.addEventListener("message", (event) => {
      const data = event.data;
      if (event.source !== window.parent || !data || data.type !== "mailmove:closer") {
        return;
      }
      document.body.classList.toggle("has-panel-close", data.wanted === true);
      tellPanelClose();
    });
    // The panel's height changes with the keyboard, and under 15 em the toolbar steps aside.
    window.addEventListener("resize", tellPanelClose);
    document.querySelector(".panel-close").addEventListener("click", () => {
      window.parent.postMessage({ type: "mailmove:close" }, "*");
    });
  }

  init();
})();
