/*
 * The mailmove web chat page. It talks to the JSON API described at
 * /api/webchat/openapi.json and renders the bot's replies.
 *
 * Plain script, no framework and no build step, so a provider can serve this folder from
 * anywhere. Every word comes from GET /api/webchat/texts/{locale}; replies are only ever
 * inserted as text (never as HTML), so nothing the bot or the subscriber writes can run.
 */
"use strict";

(() => {
  const API = "/api/webchat";
  const LOCALES = ["ja", "en"];
  const DEFAULT_LOCALE = "ja";
  // Per tab, on purpose: a reload continues the conversation, a new tab starts afresh,
  // and closing the tab forgets the address the subscriber typed.
  const STORE_KEY = "mailmove.webchat.v1";
  const ID_PATTERN = /^[0-9a-f]{32}$/;
  const COPIED_FOR_MS = 2000;
  const MAX_INPUT_LINES = 5;
  // Values a subscriber types into a mail program (host names, ports, addresses) are
  // single printable-ASCII tokens; sentences such as "unchanged (keep your password)" are
  // explanations, and copying them would only paste wrong text into a settings field.
  const COPYABLE = /^[\x21-\x7e]+$/;
  // The dialog's choice id that asks it to repeat its current question (see duplicate).
  const RESUME_CHOICE = "resume";

  const ui = {
    scroller: document.getElementById("conversation"),
    log: document.getElementById("log"),
    typing: document.getElementById("typing"),
    form: document.getElementById("composer"),
    input: document.getElementById("input"),
    send: document.getElementById("send"),
    announcer: document.getElementById("announcer"),
    loadFailed: document.getElementById("load-failed"),
    toolbar: document.querySelectorAll(".toolbar__button"),
    languages: document.querySelectorAll(".lang-toggle__button"),
  };

  const textCache = new Map();
  let texts = {};
  let uiLocale = DEFAULT_LOCALE;
  /** @type {{id: string, locale: string, history: object[]} | null} */
  let conversation = null;
  let busy = false;
  let uniqueIds = 0;

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
      const response = await fetch(`${API}/texts/${encodeURIComponent(locale)}`, {
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
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-text]")) {
      node.textContent = t(node.dataset.text);
    }
    for (const node of document.querySelectorAll("[data-label]")) {
      node.setAttribute("aria-label", t(node.dataset.label));
    }
    for (const node of document.querySelectorAll("[data-placeholder]")) {
      node.setAttribute("placeholder", t(node.dataset.placeholder));
    }
    for (const button of ui.languages) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === locale));
    }
  }

  function requestedLocale() {
    const wanted = new URLSearchParams(window.location.search).get("lang");
    return LOCALES.includes(wanted) ? wanted : DEFAULT_LOCALE;
  }

  // -- storage ----------------------------------------------------------------------------

  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(conversation));
    } catch {
      // Private modes and full quotas refuse storage: the chat still works, a reload
      // simply starts a new conversation.
    }
  }

  function forget() {
    try {
      sessionStorage.removeItem(STORE_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  }

  function restore() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (
        saved &&
        ID_PATTERN.test(saved.id) &&
        LOCALES.includes(saved.locale) &&
        Array.isArray(saved.history) &&
        saved.history.length > 0
      ) {
        return saved;
      }
    } catch {
      // A damaged entry is no conversation: start a new one.
    }
    return null;
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

  function uniqueId(prefix) {
    uniqueIds += 1;
    return `${prefix}-${uniqueIds}`;
  }

  function eventId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function announce(message) {
    // Cleared first so that the same words twice in a row are still announced.
    ui.announcer.textContent = "";
    window.requestAnimationFrame(() => {
      ui.announcer.textContent = message;
    });
  }

  /**
   * Paragraphs, line breaks and numbered steps ("1. ...") of a reply's text. With `lead`,
   * the first line stands out: a question's first line is the question, the rest a hint.
   */
  function richText(text, { lead = false } = {}) {
    const fragment = document.createDocumentFragment();
    let first = lead;
    const blocks = String(text).split(/\n{2,}/);
    // A lone short line without a full stop, right before numbered steps, is their title
    // ("Thunderbird での設定手順").
    if (
      blocks.length > 1 &&
      !blocks[0].includes("\n") &&
      !/[。．.:：？?]$/.test(blocks[0].trim()) &&
      /^\d+\.\s/.test(blocks[1])
    ) {
      fragment.append(make("p", "text text--heading", blocks.shift()));
    }
    for (const block of blocks) {
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
          steps.append(make("li", "steps__item", step[2]));
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
        if (first) {
          paragraph.append(make("strong", "lead", line));
          first = false;
        } else {
          paragraph.append(line);
        }
      }
    }
    return fragment;
  }

  // -- rendering replies ------------------------------------------------------------------

  function textBubble(reply) {
    const bubble = make("div", "bubble bubble--bot");
    bubble.append(richText(reply.text));
    return bubble;
  }

  function choicesBubble(reply, turn, index) {
    const bubble = make("div", "bubble bubble--bot bubble--question");
    const question = make("div", "bubble__text");
    question.id = uniqueId("question");
    question.append(richText(reply.text, { lead: true }));
    const group = make("div", "choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", question.id);
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
    card.setAttribute("aria-labelledby", title.id);
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
    title.append(icon("gear"), make("span", "", reply.title));
    card.setAttribute("aria-labelledby", title.id);
    const table = make("table", "settings");
    const head = make("thead");
    const headRow = make("tr");
    for (const key of ["settings_item", "settings_value"]) {
      const cell = make("th", "", t(key, {}, locale));
      cell.scope = "col";
      headRow.append(cell);
    }
    head.append(headRow);
    const body = make("tbody");
    for (const item of reply.items) {
      const row = make("tr", "settings__row");
      row.dataset.key = item.key;
      if (isUnchanged(item, locale)) {
        row.classList.add("settings__row--unchanged");
      }
      const label = make("th", "settings__label", item.label);
      label.scope = "row";
      const cell = make("td", "settings__cell");
      const holder = make("div", "settings__value-holder");
      const copyable = COPYABLE.test(item.value);
      const value = make("span", copyable ? "settings__value is-code" : "settings__value");
      value.textContent = item.value;
      holder.append(value);
      if (copyable) {
        holder.append(copyButton(item, value, locale));
      }
      cell.append(holder);
      row.append(label, cell);
      body.append(row);
    }
    table.append(head, body);
    card.append(title, table);
    return card;
  }

  function copyButton(item, valueNode, locale) {
    const button = make("button", "copy");
    button.type = "button";
    const label = make("span", "copy__label", t("copy", {}, locale));
    button.append(icon("copy"), label);
    button.setAttribute("aria-label", t("copy_label", { label: item.label }, locale));
    button.addEventListener("click", () => copy(item.value, button, label, valueNode, locale));
    return button;
  }

  function linkBubble(reply, locale) {
    const bubble = make("div", "bubble bubble--bot bubble--link");
    let url = null;
    try {
      url = new URL(reply.url, window.location.href);
    } catch {
      url = null;
    }
    // Only web links: a javascript: or data: URL is not something to hand a subscriber.
    if (!url || !["http:", "https:"].includes(url.protocol)) {
      bubble.append(richText(reply.text));
      return bubble;
    }
    const link = make("a", "link");
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
      case "text":
        return textBubble(reply);
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

  function turnNode(turn) {
    if (turn.from === "user") {
      const node = make("div", "turn turn--user");
      node.lang = turn.locale;
      node.append(make("span", "visually-hidden", `${t("you", {}, turn.locale)}: `));
      const bubble = make("div", "bubble bubble--user");
      bubble.append(richText(turn.text));
      node.append(bubble);
      return node;
    }
    const node = make("div", "turn turn--bot");
    node.lang = turn.locale;
    const avatar = make("div", "avatar");
    avatar.append(icon("bot"));
    const stack = make("div", "turn__stack");
    stack.append(make("span", "visually-hidden", `${t("bot", {}, turn.locale)}: `));
    turn.replies.forEach((reply, index) => {
      const child = replyNode(reply, turn, index);
      if (child) {
        stack.append(child);
      }
    });
    node.append(avatar, stack);
    return node;
  }

  function addTurn(turn) {
    conversation.history.push(turn);
    save();
    const node = turnNode(turn);
    ui.log.append(node);
    return node;
  }

  function renderHistory() {
    ui.log.replaceChildren(...conversation.history.map(turnNode));
  }

  /** Disable every offered button: the conversation has moved past those questions. */
  function closeChoices() {
    for (const turn of conversation.history) {
      if (turn.from === "bot") {
        turn.closed = true;
      }
    }
    for (const button of ui.log.querySelectorAll(".choice")) {
      button.disabled = true;
    }
    save();
  }

  function reopenLastChoices() {
    const last = conversation.history[conversation.history.length - 1];
    if (!last || last.from !== "bot") {
      return;
    }
    last.closed = false;
    last.chosen = {};
    save();
    const node = ui.log.lastElementChild;
    if (node) {
      node.replaceWith(turnNode(last));
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

  async function showBotTurn(replies, locale, { focusChoices }) {
    if (locale && locale !== uiLocale && LOCALES.includes(locale)) {
      try {
        await useLocale(locale);
      } catch {
        // Keep the current words; the conversation itself goes on in its new language.
      }
      conversation.locale = locale;
    }
    if (!Array.isArray(replies) || replies.length === 0) {
      save();
      return;
    }
    const node = addTurn({
      from: "bot",
      locale: conversation.locale,
      replies,
      closed: false,
      chosen: {},
    });
    scrollTo(node);
    if (focusChoices) {
      // The subscriber answers with buttons: put them on the next question's first one.
      const next = node.querySelector(".choice:not(:disabled)");
      if (next) {
        next.focus({ preventScroll: true });
      } else {
        ui.input.focus({ preventScroll: true });
      }
    }
  }

  // -- talking to the API -----------------------------------------------------------------

  function setBusy(value) {
    busy = value;
    ui.typing.hidden = !value;
    document.body.classList.toggle("is-busy", value);
    ui.send.setAttribute("aria-disabled", String(value));
    for (const button of ui.toolbar) {
      button.setAttribute("aria-disabled", String(value));
    }
    if (value) {
      scrollToEnd();
    }
  }

  async function postJson(path, body) {
    const response = await fetch(`${API}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { status: response.status, data };
  }

  async function start(locale) {
    clearNotices();
    setBusy(true);
    let result = null;
    try {
      result = await postJson("/conversations", { locale });
    } catch {
      result = null;
    }
    setBusy(false);
    if (!result || result.status !== 201 || !result.data || !ID_PATTERN.test(result.data.conversation_id)) {
      showNotice(t("error"), () => start(locale));
      return;
    }
    conversation = { id: result.data.conversation_id, locale: result.data.locale || locale, history: [] };
    save();
    await showBotTurn(result.data.replies, conversation.locale, { focusChoices: false });
  }

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
    if (label) {
      const node = addTurn({ from: "user", locale: uiLocale, text: label });
      scrollTo(node);
    }
    await deliver({ ...body, event_id: eventId() }, { viaButton, label, body });
  }

  async function deliver(request, context) {
    setBusy(true);
    let result = null;
    try {
      result = await postJson(`/conversations/${encodeURIComponent(conversation.id)}/messages`, request);
    } catch {
      result = null;
    }
    setBusy(false);
    if (result && result.status === 200 && result.data && Array.isArray(result.data.replies)) {
      if (result.data.duplicate) {
        // An earlier try of this very message got through but its answer was lost on the
        // way back, and the API does not repeat answers: ask the bot to ask again.
        await deliver({ choice: RESUME_CHOICE, event_id: eventId() }, context);
        return;
      }
      await showBotTurn(result.data.replies, result.data.locale, { focusChoices: context.viaButton });
      return;
    }
    if (result && result.status === 404) {
      // The conversation is gone (expired, or the server's store was reset).
      forget();
      conversation = null;
      ui.log.replaceChildren();
      await start(uiLocale);
      if (conversation) {
        showNotice(t("expired"), null, { prepend: true });
      }
      return;
    }
    if (result && (result.status === 413 || result.status === 422)) {
      // Sending the same thing again would be refused again: give the words back to edit.
      dropLastUserTurn(context.label);
      reopenLastChoices();
      if (context.body && typeof context.body.text === "string") {
        ui.input.value = context.body.text;
        resizeInput();
      }
      showNotice(t("error_rejected"), null);
      ui.input.focus({ preventScroll: true });
      return;
    }
    // Network trouble or a server error: retry with the same event id, so that a message
    // which did arrive the first time is not answered twice.
    showNotice(t("error"), () => deliver(request, context), { focusRetry: true });
  }

  function dropLastUserTurn(label) {
    const last = conversation.history[conversation.history.length - 1];
    if (label && last && last.from === "user") {
      conversation.history.pop();
      save();
      const node = ui.log.lastElementChild;
      if (node && node.classList.contains("turn--user")) {
        node.remove();
      }
    }
  }

  // -- notices ----------------------------------------------------------------------------

  function clearNotices() {
    for (const notice of ui.log.querySelectorAll(".notice")) {
      notice.remove();
    }
  }

  function showNotice(message, retry, { prepend = false, focusRetry = false } = {}) {
    const notice = make("div", retry ? "notice notice--error" : "notice");
    notice.append(make("p", "notice__text", message));
    let button = null;
    if (retry) {
      button = make("button", "button button--secondary notice__retry", t("retry"));
      button.type = "button";
      button.addEventListener("click", () => {
        if (busy) {
          return;
        }
        notice.remove();
        retry();
      });
      notice.append(button);
    }
    if (prepend) {
      ui.log.prepend(notice);
    } else {
      ui.log.append(notice);
      scrollToEnd();
    }
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
    send({ choice: choice.id }, { label: choice.label, viaButton: true });
  }

  function submitText(event) {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text || busy || !conversation) {
      return;
    }
    ui.input.value = "";
    resizeInput();
    send({ text }, { label: text });
  }

  function resizeInput() {
    const input = ui.input;
    input.style.height = "auto";
    const line = parseFloat(getComputedStyle(input).lineHeight) || 24;
    const padding = input.offsetHeight - input.clientHeight + 16;
    input.style.height = `${Math.min(input.scrollHeight, line * MAX_INPUT_LINES + padding)}px`;
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
      announce(t("copy_failed", {}, locale));
      return;
    }
    button.classList.add("is-copied");
    label.textContent = t("copied", {}, locale);
    announce(t("copied", {}, locale));
    window.clearTimeout(button.copiedTimer);
    button.copiedTimer = window.setTimeout(() => {
      button.classList.remove("is-copied");
      label.textContent = t("copy", {}, locale);
    }, COPIED_FOR_MS);
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
    ui.input.addEventListener("input", resizeInput);
    ui.input.addEventListener("keydown", (event) => {
      // Enter while a Japanese input method is still converting confirms the conversion;
      // it must not send a half-typed message.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) {
        return;
      }
      submitText(event);
    });
    for (const button of ui.toolbar) {
      button.addEventListener("click", () => {
        send({ choice: button.dataset.choice }, { label: button.textContent.trim() });
      });
    }
    for (const button of ui.languages) {
      button.addEventListener("click", () => switchLanguage(button.dataset.lang));
    }
    document.getElementById("reload").addEventListener("click", () => window.location.reload());
  }

  async function init() {
    wire();
    const saved = restore();
    const locale = saved ? saved.locale : requestedLocale();
    try {
      await useLocale(locale);
    } catch {
      ui.loadFailed.hidden = false;
      document.body.classList.remove("is-loading");
      return;
    }
    document.body.classList.remove("is-loading");
    if (saved) {
      conversation = saved;
      renderHistory();
      scrollToEnd();
      return;
    }
    await start(locale);
  }

  init();
})();
