/*
 * The mailmove agent console. It talks to the agent API described at
 * /api/agent/openapi.json: list conversations, read one, take it over, hand it back to the
 * bot, close it.
 *
 * Plain script, no framework and no build step. Every word comes from
 * GET /agent/texts/{locale}; everything from the API is inserted as text (never as HTML),
 * so nothing a subscriber wrote can run here, where an agent token is at hand.
 */
"use strict";

(() => {
  const API = "/api/agent/conversations";
  // The running profile's questions (id, label, text, answers' words), read once signed in:
  // any profile's, not only the seed's four.
  const QUESTIONNAIRE = "/api/agent/questionnaire";
  // Who the token acts as (a named token's holder, whatever name was typed).
  const ME = "/api/agent/me";
  const LOCALES = ["ja", "en"];
  const DEFAULT_LOCALE = "ja";
  // Per tab, on purpose: closing the tab forgets the token.
  const STORE_KEY = "mailmove.agent.v1";
  const LIST_LIMIT = 200;
  const ANSWERS = ["yes", "no", "unsure"];
  // The API's own name for an agent who gave none (DEFAULT_AGENT in bot/desk/agent_models.py).
  const API_DEFAULT_AGENT = "an agent";
  // Who holds a bare token (UNNAMED_AGENT in bot/ops/agent_tokens.py).
  const UNNAMED_AGENT = "agent";
  // New handoffs and messages appear without a reload: the list and the open conversation
  // are read again this often, and after a failure less often until the server answers.
  const LIVE_MS = 2000;
  const MAX_LIVE_MS = 30000;
  const SEEN_KEY = "mailmove.agent.seen.v1";
  // The most an agent's message may hold (MAX_MESSAGE in bot/desk/agent_models.py).
  const MAX_REPLY = 4000;
  // About two lines of the list: the subscriber's latest words shown under the address.
  const SAID_CHARS = 80;
  // Fewer characters of an older line than this say too little to be worth the room.
  const SAID_MIN_CHARS = 16;
  // Words typed and not sent yet, per conversation: the reply box is one for all of them.
  const DRAFTS_KEY = "mailmove.agent.drafts.v1";
  // Whether a new waiting subscriber makes a sound: kept on this computer (localStorage),
  // not in the tab, as a preference of the agent's desk rather than of the session.
  const SOUND_KEY = "mailmove.agent.sound.v1";

  const $ = (id) => document.getElementById(id);
  const ui = {
    signin: $("signin"),
    signinForm: $("signin-form"),
    signinError: $("signin-error"),
    token: $("token"),
    agentName: $("agent-name"),
    workspace: $("workspace"),
    whoami: $("whoami"),
    signOut: $("sign-out"),
    sound: $("sound"),
    flash: $("flash"),
    offline: $("offline"),
    problem: $("problem"),
    problemText: $("problem-text"),
    list: $("conversations"),
    listCount: $("list-count"),
    listStatus: $("list-status"),
    refresh: $("refresh"),
    detail: $("detail"),
    detailEmpty: $("detail-empty"),
    conversation: $("conversation"),
    title: $("conversation-title"),
    address: $("conversation-address"),
    owner: $("conversation-owner"),
    ownerHint: $("owner-hint"),
    takeover: $("takeover"),
    takeoverText: $("takeover-text"),
    takeOver: $("take-over"),
    facts: $("facts"),
    transcript: $("transcript"),
    replyForm: $("reply-form"),
    reply: $("reply"),
    replyError: $("reply-error"),
    take: $("take"),
    handback: $("handback"),
    close: $("close"),
    handbackDialog: $("handback-dialog"),
    handbackForm: $("handback-form"),
    handbackError: $("handback-error"),
    answers: $("hb-answers"),
    closeDialog: $("close-dialog"),
    closeForm: $("close-form"),
    closeError: $("close-error"),
    transfer: $("transfer"),
    transferDialog: $("transfer-dialog"),
    transferForm: $("transfer-form"),
    transferTo: $("transfer-to"),
    transferError: $("transfer-error"),
    loadFailed: $("load-failed"),
    languages: document.querySelectorAll(".lang-toggle__button"),
  };

  const textCache = new Map();
  let texts = {};
  let locale = DEFAULT_LOCALE;
  let session = null; // {token, agent}
  let conversations = [];
  let questions = []; // GET /api/agent/questionnaire's, in the profile's order
  // The provider's time zone (GET /api/agent/questionnaire's): times read as the
  // subscribers and the notice read them, whatever the agent's computer is set to.
  let timeZone;
  let current = null; // the selected conversation, with its transcript
  // What `api` answers for a read whose version the page has already (HTTP 304).
  const UNCHANGED = Symbol("unchanged");
  let busy = false;
  let liveTimer = 0;
  let liveDelay = LIVE_MS;
  // When the agent last looked at each conversation (its updated_at then): what is unread.
  let seen = loadSeen();
  let listDrawn = ""; // what the list was last drawn from
  // A pointer pressed on the list: it is drawn again only once released. A row replaced
  // between the press and the release took the click with it (it landed nowhere).
  let listPressed = false;
  // Reads begun, of the list and of the open conversation. Answers can come back out of
  // order (a poll's read still on its way while an action reads afresh): only the latest
  // read begun draws, so an older answer never puts back what an action just changed.
  let listReads = 0;
  let conversationReads = 0;
  let waitingKeys = null; // the queue's keys at the last read (null: not read yet)
  let clockSkew = 0; // the server's clock minus this computer's, in ms: waits are the server's
  // What the agent typed for each conversation and has not sent; kept in the tab, so that
  // looking at another subscriber (or a reload) neither loses it nor sends it to them.
  let drafts = loadStored(DRAFTS_KEY);
  let draftKey = ""; // the conversation whose words the reply box holds
  // Sends not known to have arrived: conversation and words → the event id they went with.
  const unanswered = new Map();

  class ApiError extends Error {
    constructor(status, message, agent, reason, holder, domains, retryAfter) {
      super(message || `HTTP ${status}`);
      this.status = status;
      this.serverMessage = message || "";
      // A 409's other agent who has the conversation (the API's `agent`), if that is why.
      this.agent = agent || null;
      // Why a 422 refused it, where the API names it (`reason`: "password").
      this.reason = reason || null;
      // A 409's holder now, when the conversation changed since the page read it.
      this.holder = holder || null;
      // A 422's migrating domains, when an address of another was refused.
      this.domains = domains || null;
      // A 429's wait in whole seconds (its Retry-After), when it said one.
      this.retryAfter = retryAfter ?? null;
      // A transfer's colleagues, when the name typed is nobody's (`to_unknown`).
      this.names = null;
    }
  }

  // -- words ------------------------------------------------------------------------------

  function fill(template, params) {
    return String(template ?? "").replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
    );
  }

  function t(key, params = {}) {
    return fill(texts[key], params);
  }

  /** A catalog word for a value from the API, or the value itself when there is none. */
  function named(prefix, value) {
    const key = `${prefix}_${value}`;
    return Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : String(value);
  }

  async function loadTexts(wanted) {
    if (!textCache.has(wanted)) {
      const response = await fetch(`/agent/texts/${encodeURIComponent(wanted)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(`texts: HTTP ${response.status}`);
      }
      textCache.set(wanted, await response.json());
    }
    return textCache.get(wanted);
  }

  async function useLocale(wanted) {
    texts = await loadTexts(wanted);
    locale = wanted;
    document.documentElement.lang = wanted;
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-text]")) {
      node.textContent = t(node.dataset.text);
    }
    for (const node of document.querySelectorAll("[data-label]")) {
      node.setAttribute("aria-label", t(node.dataset.label));
    }
    for (const button of ui.languages) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === wanted));
    }
    // The last action's note was said already; left, it stayed in the other language.
    ui.flash.textContent = "";
    buildAnswerFields();
    showWhoami();
    renderList();
    if (current) {
      renderConversation();
    }
    saveSession();
  }

  // -- storage ----------------------------------------------------------------------------

  function saveSession() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ ...(session || {}), locale }));
    } catch {
      // A private mode that refuses storage: the console works until the tab reloads.
    }
  }

  function restoreSession() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && typeof saved === "object") {
        return saved;
      }
    } catch {
      // A damaged entry: ask for the token again.
    }
    return {};
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

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
      return "";
    }
    const options = { dateStyle: "medium", timeStyle: "short" };
    try {
      return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
        ...options,
        timeZone,
      }).format(date);
    } catch {
      // A zone this browser does not know: its own rather than none.
      return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", options).format(date);
    }
  }

  function flash(message) {
    // Cleared first so that the same words twice in a row are still announced.
    ui.flash.textContent = "";
    window.requestAnimationFrame(() => {
      ui.flash.textContent = message;
    });
  }

  function showProblem(message) {
    ui.problemText.textContent = message;
    ui.problem.hidden = !message;
  }

  /**
   * What the agent reads for a refused call, in the console's language: the API's `error` is
   * English, for a tool's developer. `signingIn`: the call was the sign-in's own. `reply`:
   * the call sent a reply, whose refusal says it was not sent and what would send it.
   */
  function problemFor(error, { signingIn = false, reply = false } = {}) {
    if (!(error instanceof ApiError)) {
      return t("error_network");
    }
    if (error.status === 422 && error.reason === "password") {
      // The API's message is for a tool's developer, in English: the agent reads why here.
      return t("password_refused");
    }
    if (error.status === 422 && error.reason === "to_unknown") {
      // Nobody signs in with the name typed (「すずき」 for 鈴木): the colleagues who do.
      const names = error.names || [];
      return names.length
        ? t("refused_to_unknown", { names: names.join(" / ") })
        : t("refused_to_nobody");
    }
    if (error.status === 422 && error.reason && Object.hasOwn(texts, `refused_${error.reason}`)) {
      // A hand-back's fact the profile cannot use (address, address_domain, answers,
      // answers_step: answers that change nothing with the settings or the check), the
      // name this tab acts under (agent, agent_token, agent_named: it was typed at sign-in),
      // or a transfer's colleague (to, to_token).
      return t(`refused_${error.reason}`, {
        domains: (error.domains || []).map((domain) => `@${domain}`).join(" / "),
        name: (session && session.agent) || "",
      });
    }
    if (error.status === 422) {
      return t("error_invalid", { message: error.serverMessage });
    }
    if (error.status === 404) {
      return t("error_missing");
    }
    if (error.status === 429) {
      // Too many wrong tokens from this address (an office shares one): each try now only
      // prolongs the wait. A signed-in agent's token is fine; the others' tries are why.
      // The wait its Retry-After says, under a minute in seconds (two at least: "about 1
      // seconds" reads wrong, and a second more costs nothing); none said: the limit's
      // minute (bot.web.failure_throttle's window).
      const seconds = error.retryAfter;
      const wait =
        seconds === null || seconds >= 60
          ? t("wait_minute")
          : t("wait_seconds", { count: Math.max(seconds, 2) });
      return t(signingIn ? "error_too_many" : "error_too_many_signed_in", { wait });
    }
    if (error.status === 413) {
      return t("error_too_large");
    }
    if (error.status === 503) {
      // The store is away or this server is stopping: nothing was done, and it passes.
      return t("error_unavailable");
    }
    if (error.status === 409 && error.holder) {
      // Changed since the page last read it (back to the bot, closed): nothing was done.
      return t("changed_since_read", { owner: named("owner", error.holder) });
    }
    if (error.status === 409 && error.agent) {
      // Another agent has it (taken over meanwhile): who, and that 「引き継ぐ」 takes it back.
      return t("owned_by_other", { name: agentName(error.agent_name || error.agent) });
    }
    if (reply && error.status === 409 && error.reason) {
      // The bot has it, it is closed, or it kept changing: the words were not sent, and
      // the agent reads which, so they know whether 「対応を引き継ぐ」 or a second try sends
      // them (one sentence for all three left them guessing).
      return replyRefused(error.reason);
    }
    if (error.status === 409 && error.reason && Object.hasOwn(texts, `refused_${error.reason}`)) {
      // The bot has it, it is closed, or it kept changing: a hand-back's or a transfer's
      // refusal, said as what it is rather than as a refused reply.
      return t(`refused_${error.reason}`);
    }
    if (error.status === 409) {
      // Only a reply is refused so: the conversation is not (or no longer) the agent's.
      return t("reply_refused");
    }
    return t("error_other", { status: error.status });
  }

  /** Why a reply was not sent (`bot`, `closed`, `kept_changing`) and what would send it. */
  function replyRefused(reason) {
    const key = `reply_refused_${reason}`;
    return Object.hasOwn(texts, key) ? t(key) : t("reply_refused");
  }

  // -- the API ----------------------------------------------------------------------------

  /**
   * Call the agent API. With `etag` (the version of an earlier read), a read of something
   * unchanged answers UNCHANGED instead of the body; a read's answer carries its own as
   * `etag`.
   */
  async function api(path, { method = "GET", body, etag } = {}) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${session.token}` };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 304) {
      return UNCHANGED;
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.status === 401) {
      // The token is wrong, or was taken away: ask for it again, keeping the page as it is.
      askForToken(t("error_token"));
      throw new ApiError(401, data && data.error);
    }
    if (!response.ok) {
      const message = data && typeof data.error === "string" ? data.error : "";
      const agent = data && typeof data.agent === "string" ? data.agent : null;
      const reason = data && typeof data.reason === "string" ? data.reason : null;
      const holder = data && typeof data.holder === "string" ? data.holder : null;
      const domains =
        data && Array.isArray(data.domains)
          ? data.domains.filter((domain) => typeof domain === "string")
          : null;
      const error = new ApiError(
        response.status,
        message,
        agent,
        reason,
        holder,
        domains,
        retryAfter(response.headers.get("Retry-After")),
      );
      if (data && Array.isArray(data.names)) {
        error.names = data.names.filter((name) => typeof name === "string");
      }
      throw error;
    }
    const version = response.headers.get("ETag");
    if (version && data && typeof data === "object") {
      data.etag = version;
    }
    return data;
  }

  /** A Retry-After in whole seconds: RFC 9110's seconds, or its date (by the server's clock). */
  function retryAfter(header) {
    const value = (header || "").trim();
    if (/^\d+$/.test(value)) {
      return Number(value);
    }
    const until = Date.parse(value);
    const now = Date.now() + clockSkew;
    return Number.isNaN(until) ? null : Math.max(0, Math.ceil((until - now) / 1000));
  }

  function agentBody() {
    return session.agent ? { agent: session.agent } : {};
  }

  /**
   * Who has the open conversation as the page shows it: a take or close acts on that or
   * not at all. The page reads every 2 s; a subscriber gone back to the bot (or a case
   * closed) since was taken and told a person had them, or asked whether it was solved,
   * just after the bot said it carries on.
   */
  function asShown() {
    return current && current.holder ? { expected_holder: current.holder } : {};
  }

  function anonymous(name) {
    return !name || name === API_DEFAULT_AGENT || name === UNNAMED_AGENT;
  }

  /**
   * The other agent who has `item`, or null. Writing to it, handing it back or closing it
   * would take it from them, which the API refuses unless asked for as a take-over
   * (「引き継ぐ」). The same agent in two tabs is one agent; an anonymous name tells nobody
   * apart (as the API reads it).
   */
  function otherAgent(item) {
    if (!item || item.owner !== "agent" || item.holder !== "agent" || anonymous(item.agent)) {
      return null;
    }
    const me = session && session.agent;
    return anonymous(me) || item.agent === me ? null : item.agent;
  }

  // -- sign-in ----------------------------------------------------------------------------

  function askForToken(message) {
    session = null;
    saveSession();
    ui.workspace.hidden = true;
    ui.signOut.hidden = true;
    ui.sound.hidden = true;
    ui.whoami.hidden = true;
    ui.signin.hidden = false;
    ui.signinError.textContent = message || "";
    ui.signinError.hidden = !message;
    showProblem("");
    ui.token.value = "";
    ui.token.focus();
  }

  function showWhoami() {
    if (!session) {
      return;
    }
    ui.whoami.textContent = t("signed_in_as", { name: session.agent || t("default_agent") });
  }

  async function signIn(token, agent) {
    session = { token, agent };
    ui.signinError.hidden = true;
    try {
      await loadMe();
      await loadQuestions();
      await loadList();
      scheduleLive(LIVE_MS);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        askForToken(problemFor(error, { signingIn: true }));
      }
      return false;
    }
    saveSession();
    ui.signin.hidden = true;
    ui.workspace.hidden = false;
    ui.signOut.hidden = false;
    ui.sound.hidden = false;
    showSound();
    ui.whoami.hidden = false;
    showWhoami();
    await selectFromHash();
    return true;
  }

  // -- the list ---------------------------------------------------------------------------

  function ownerFilter() {
    const checked = document.querySelector('input[name="owner"]:checked');
    return checked ? checked.value : "";
  }

  async function loadList() {
    const params = new URLSearchParams({ limit: String(LIST_LIMIT) });
    // "desk": what waits for a person or has one, including messages left for the desk
    // in conversations the bot still answers (the API's desk=true).
    if (ownerFilter() === "desk") {
      params.set("desk", "true");
    } else if (ownerFilter()) {
      params.set("owner", ownerFilter());
    }
    const ticket = ++listReads;
    const data = await api(`${API}?${params}`);
    if (ticket !== listReads) {
      return; // a later read (an action's, another filter's) is drawn or on its way
    }
    conversations = Array.isArray(data.conversations) ? data.conversations : [];
    announceNewcomers();
    // How far the server's clock is from this computer's (a preview's date, a wrong clock).
    const serverNow = Date.parse(data.now);
    clockSkew = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
    renderList();
  }

  /**
   * Says when someone starts waiting for a person (a handoff, a message left): their row
   * joins the end of the queue, often out of sight. Not on the first read after sign-in.
   */
  function announceNewcomers() {
    const queued = new Set(
      conversations.filter((item) => item.holder === "queue").map((item) => item.key),
    );
    if (waitingKeys !== null) {
      const fresh = [...queued].filter((key) => !waitingKeys.has(key)).length;
      if (fresh) {
        flash(t("new_waiting", { count: fresh }));
        chime();
      }
    }
    waitingKeys = queued;
  }

  // -- the sound for a new waiting subscriber -----------------------------------------------

  let audio = null;

  function soundOn() {
    try {
      return localStorage.getItem(SOUND_KEY) === "on";
    } catch {
      return false;
    }
  }

  function showSound() {
    ui.sound.setAttribute("aria-pressed", String(soundOn()));
  }

  /** The audio context, made (or woken) while the agent's click allows a page to sound. */
  function audioContext() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return null;
    }
    audio = audio || new Context();
    if (audio.state === "suspended") {
      audio.resume().catch(() => undefined);
    }
    return audio;
  }

  /** Two soft falling tones, about half a second: heard at a desk, not startling. No file. */
  function chime() {
    if (!soundOn()) {
      return;
    }
    try {
      const context = audioContext();
      if (!context) {
        return;
      }
      const start = context.currentTime;
      const volume = context.createGain();
      volume.gain.setValueAtTime(0.0001, start);
      volume.gain.exponentialRampToValueAtTime(0.05, start + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
      volume.connect(context.destination);
      for (const [pitch, at] of [
        [880, 0],
        [659, 0.2],
      ]) {
        const tone = context.createOscillator();
        tone.type = "sine";
        tone.frequency.value = pitch;
        tone.connect(volume);
        tone.start(start + at);
        tone.stop(start + at + 0.35);
      }
    } catch {
      // No sound on this computer: the status line still says it.
    }
  }

  function toggleSound() {
    const on = !soundOn();
    try {
      localStorage.setItem(SOUND_KEY, on ? "on" : "off");
    } catch {
      // Storage refused: nothing to remember it in, so it stays as it was.
      return;
    }
    showSound();
    if (on) {
      // Made within the click (browsers let only a page the agent touched play sound),
      // and played once, so the agent hears how loud it is.
      chime();
    }
  }

  function loadSeen() {
    return loadStored(SEEN_KEY);
  }

  function loadStored(name) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(name) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch {
      return {};
    }
  }

  function storeDrafts() {
    try {
      sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
    } catch {
      // Storage refused: the drafts last until the tab reloads.
    }
  }

  /** Keep what the box holds as the draft of the conversation it was typed for. */
  function keepDraft() {
    if (!draftKey) {
      return;
    }
    if (ui.reply.value) {
      drafts[draftKey] = ui.reply.value;
    } else {
      delete drafts[draftKey];
    }
    storeDrafts();
  }

  /** The box shows `key`'s own draft: one subscriber's words never sit under another's name. */
  function showDraft(key) {
    if (key === draftKey) {
      return;
    }
    draftKey = key;
    ui.reply.value = (key && drafts[key]) || "";
    ui.replyError.hidden = true;
  }

  function dropDraft(key) {
    delete drafts[key];
    storeDrafts();
    if (draftKey === key) {
      ui.reply.value = "";
    }
  }

  function markSeen(item) {
    seen[item.key] = item.updated_at;
    try {
      sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen));
    } catch {
      // Storage refused: the marks last until the tab reloads.
    }
  }

  /** A person has it, or it waits for one (handed over, or a message left for the desk). */
  function isForDesk(item) {
    return item.owner === "agent" || Boolean(item.holder);
  }

  /** A conversation for a person with something new since the agent last opened it. */
  function isUnread(item) {
    return isForDesk(item) && (!seen[item.key] || seen[item.key] < item.updated_at);
  }

  /**
   * Since when a person's conversation's subscriber waits on a person, or null: in the queue
   * since the handoff, with an agent since the first line after her words (null when she
   * wrote last: back from lunch, every held one read as waiting since its handoff).
   */
  function waitingSince(item) {
    return "unanswered_since" in item ? item.unanswered_since : item.waiting_since;
  }

  /**
   * Waiting for a person first, longest wait first (since the handoff or the message left:
   * writing again while waiting is no reason to wait longer); then those an agent has, the
   * ones whose subscriber waits on her first, longest wait first, then the latest active;
   * then the rest, newest first (the API's order).
   */
  function ordered(items) {
    const since = (item) => item.waiting_since || item.updated_at;
    const queued = items.filter((item) => item.holder === "queue");
    const held = items.filter((item) => isForDesk(item) && item.holder !== "queue");
    const rest = items.filter((item) => !isForDesk(item));
    queued.sort((a, b) => Date.parse(since(a)) - Date.parse(since(b)));
    const waits = (item) => (waitingSince(item) ? Date.parse(waitingSince(item)) : Infinity);
    held.sort(
      (a, b) => waits(a) - waits(b) || Date.parse(b.updated_at) - Date.parse(a.updated_at),
    );
    return [...queued, ...held, ...rest];
  }

  function waited(iso) {
    const now = Date.now() + clockSkew;
    const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60000));
    return minutes < 60
      ? t("waited_minutes", { minutes })
      : t("waited_hours", { hours: Math.floor(minutes / 60) });
  }

  /** "Waiting · asked for a person", or "佐藤 has it · …", from the list's desk facts. */
  function deskLine(item) {
    const who =
      item.holder === "agent" && item.agent
        ? t("holder_agent", { name: agentName(item.agent_name || item.agent) })
        : t("holder_queue");
    return item.reason ? `${who} · ${named("reason", item.reason)}` : who;
  }

  function showUnreadCount() {
    const unread = conversations.filter(isUnread).length;
    document.title = unread ? `(${unread}) ${t("title")}` : t("title");
  }

  /** Who has it, as the badge says: waiting in the queue is not "an agent has it". */
  function ownerKind(item) {
    return item.owner === "agent" && item.holder === "queue" ? "queue" : item.owner;
  }

  function ownerBadge(item) {
    const kind = ownerKind(item);
    return make("span", `owner-badge owner-badge--${kind}`, named("owner", kind));
  }

  /** What the owner means for the agent; names the agent who has it, when one does. */
  function ownerHint(item) {
    if (item.owner === "agent" && item.holder === "agent" && item.agent) {
      return t("owner_hint_agent_named", { name: agentName(item.agent_name || item.agent) });
    }
    return t(`owner_hint_${ownerKind(item)}`);
  }

  /**
   * The subscriber's latest typed words, quoted (what tells twenty waiting people apart):
   * the newest always, older ones while the line stays short, the oldest shown cut to fit.
   * A pasted error message is long and the line after it is often only 「担当者と話したい」:
   * dropped for its length, the error left the row saying what every other row says.
   */
  function saidLine(item) {
    const said = Array.isArray(item.said) ? item.said.filter((w) => typeof w === "string") : [];
    if (!said.length) {
      return null;
    }
    const shown = [];
    let length = 0;
    for (const words of [...said].reverse()) {
      const room = SAID_CHARS - length;
      if (shown.length && room < SAID_MIN_CHARS) {
        break;
      }
      const cut = shown.length && words.length > room ? `${words.slice(0, room - 1)}…` : words;
      shown.unshift(cut);
      length += cut.length;
    }
    const line = make("span", "conversation-link__said", shown.map((w) => `「${w}」`).join(""));
    // The subscriber's own words, in the conversation's language.
    line.lang = item.locale === "en" ? "en" : "ja";
    return line;
  }

  /** A message left for the desk: its words, when it was left and how to call back. */
  function leftMessage(message, said) {
    const box = make("span", "left-message");
    const head = make("span", "left-message__head");
    const when = make(
      "time",
      "left-message__at",
      t("message_left_at", { time: formatTime(message.at) }),
    );
    when.dateTime = message.at;
    head.append(make("span", "left-message__badge", t("message_badge")), when);
    const callback = message.callback
      ? t("callback", { contact: message.callback })
      : t("callback_none");
    box.append(
      head,
      make("span", `left-message__callback${message.callback ? "" : " is-unknown"}`, callback),
    );
    if (message.text) {
      // The subscriber's own words, in the conversation's language.
      const text = make("span", "left-message__text", message.text);
      text.lang = said === "en" ? "en" : "ja";
      box.append(text);
    }
    return box;
  }

  function renderList() {
    if (listPressed) {
      return; // drawn when the pointer is released (wire())
    }
    const selected = current ? current.key : selectedKey();
    // Read again every 2 s: drawn again only when something shown would change (the waits
    // are in minutes), so that the list does not churn under a screen reader or the mouse.
    const drawn = JSON.stringify([
      conversations,
      seen,
      selected,
      locale,
      Boolean(session),
      Math.floor((Date.now() + clockSkew) / 60000),
    ]);
    if (drawn === listDrawn) {
      return;
    }
    listDrawn = drawn;
    // A keyboard user tabbing through the list keeps their place when it is drawn again.
    const focused = ui.list.contains(document.activeElement)
      ? document.activeElement.getAttribute("href")
      : null;
    ui.list.replaceChildren();
    ui.listCount.textContent = session ? t("list_count", { count: conversations.length }) : "";
    ui.listStatus.hidden = conversations.length > 0;
    ui.listStatus.textContent = t("list_empty");
    showUnreadCount();
    for (const item of ordered(conversations)) {
      const link = make("a", "conversation-link");
      link.href = `#${encodeURIComponent(item.key)}`;
      if (item.key === selected) {
        link.setAttribute("aria-current", "true");
      }
      if (isUnread(item) && item.key !== selected) {
        link.classList.add("is-unread");
        link.append(make("span", "conversation-link__unread", t("unread")));
      }
      const top = make("span", "conversation-link__top");
      top.append(
        make("span", "conversation-link__channel", named("channel", item.channel)),
        ownerBadge(item),
      );
      const who = make(
        "span",
        `conversation-link__address${item.address ? "" : " is-unknown"}`,
        item.address || t("no_address"),
      );
      const bottom = make("span", "conversation-link__bottom");
      // For a person's conversation: who has it (or that it waits) and why it came here.
      const forDesk = isForDesk(item);
      // How long the subscriber has waited on a person; the latest activity when nobody waits.
      const waiting = forDesk ? waitingSince(item) : null;
      const since = waiting || item.updated_at;
      bottom.append(
        make(
          "span",
          "conversation-link__stage",
          forDesk ? deskLine(item) : named("stage", item.stage),
        ),
        make("time", "conversation-link__time", waiting ? waited(since) : formatTime(since)),
      );
      bottom.lastChild.dateTime = since;
      link.append(top, who);
      const said = saidLine(item);
      if (said) {
        link.append(said);
      }
      if (item.message_left) {
        link.classList.add("has-message");
        link.append(leftMessage(item.message_left, item.locale));
      }
      link.append(bottom);
      const row = make("li", "conversations__item");
      row.append(link);
      ui.list.append(row);
      if (focused && link.getAttribute("href") === focused) {
        link.focus({ preventScroll: true });
      }
    }
  }

  // -- one conversation -------------------------------------------------------------------

  function selectedKey() {
    const raw = window.location.hash.slice(1);
    if (!raw) {
      return "";
    }
    try {
      return decodeURIComponent(raw);
    } catch {
      return "";
    }
  }

  async function selectFromHash({ focus = false } = {}) {
    const key = selectedKey();
    showDraft(key);
    document.body.classList.toggle("has-selection", Boolean(key));
    if (!key) {
      current = null;
      ui.conversation.hidden = true;
      ui.detailEmpty.hidden = false;
      renderList();
      return;
    }
    let read;
    conversationReads += 1;
    try {
      read = await api(`${API}/${encodeURIComponent(key)}`);
    } catch (error) {
      if (selectedKey() !== key) {
        return;
      }
      current = null;
      ui.conversation.hidden = true;
      ui.detailEmpty.hidden = false;
      if (!(error instanceof ApiError && error.status === 401)) {
        showProblem(problemFor(error));
      }
      renderList();
      return;
    }
    // Another conversation was chosen while this one loaded (on a slow server its answer
    // can come last): that one has the screen and the reply box, whose words must go to
    // it, not to this one.
    if (selectedKey() !== key) {
      return;
    }
    current = read;
    showProblem("");
    markSeen(current);
    renderConversation();
    renderList();
    // To the heading from where the choice was made (a row, the page): not from the reply
    // box or another control the agent went on to while the conversation loaded.
    if (focus && stayed(ui.list)) {
      ui.title.focus();
    }
  }

  function fact(label, value, { code = false, wide = false } = {}) {
    const wrap = make("div", `facts__row${wide ? " facts__row--wide" : ""}`);
    const term = make("dt", "facts__term", label);
    const detail = make("dd", `facts__value${code ? " is-code" : ""}`);
    if (value instanceof Node) {
      detail.append(value);
    } else {
      detail.textContent = value;
    }
    wrap.append(term, detail);
    return wrap;
  }

  function answersText(answers) {
    const given = Object.keys(answers || {}).filter((id) => answers[id]);
    if (!given.length) {
      return t("unknown");
    }
    // The profile's order and labels (Q1...); an id it does not ask (a conversation stored
    // under another profile) keeps its id.
    const order = (id) => {
      const n = questions.findIndex((q) => q.id === id);
      return n < 0 ? questions.length : n;
    };
    // What a "yes" says (「メールソフトを使用：はい」), where the profile words it: 「Q2 いいえ」
    // left the agent to look up what Q2 asked. One a line, read at a glance.
    const said = (id) => {
      const question = questions.find((q) => q.id === id) || { label: id };
      const fact = inLocale(question.fact);
      const answer = named("answer", answers[id]);
      return fact ? t("answer_fact", { fact, answer }) : `${question.label} ${answer}`;
    };
    return given
      .sort((a, b) => order(a) - order(b))
      .map(said)
      .join("\n");
  }

  // The stages at which the bot is asking for the mail program: said so, not 「未確認」.
  const ASKING_PROGRAM = {
    ask_program: "program_asked",
    ask_outlook_kind: "program_asked_outlook",
  };

  function programText(item) {
    const asking = ASKING_PROGRAM[item.stage];
    if (asking && (!item.program || item.program === "outlook_ambiguous")) {
      return t(asking);
    }
    return item.program ? named("program", item.program) : t("unknown");
  }

  function verdictText(item) {
    if (!item.receiving && !item.sending) {
      return t("unknown");
    }
    const part = (value) => (value ? named("verdict", value) : t("unknown"));
    return `${part(item.receiving)} / ${part(item.sending)}`;
  }

  function renderConversation() {
    const item = current;
    ui.detailEmpty.hidden = true;
    ui.conversation.hidden = false;
    ui.title.textContent = t("conversation_heading", { channel: named("channel", item.channel) });
    // Where the domain changes, the address the subscriber logs in with after the move too.
    ui.address.textContent = item.new_address
      ? t("address_moved", { address: item.address, new_address: item.new_address })
      : item.address || t("no_address");
    // The subscriber's words are in the conversation's language, whatever the console's.
    ui.transcript.lang = item.locale === "en" ? "en" : "ja";
    ui.address.classList.toggle("is-unknown", !item.address);
    ui.owner.className = `owner-badge owner-badge--${ownerKind(item)}`;
    ui.owner.textContent = named("owner", ownerKind(item));
    ui.ownerHint.textContent = ownerHint(item);
    ui.take.disabled = item.owner === "agent" && item.holder === "agent";
    const other = otherAgent(item);
    ui.takeover.hidden = !other;
    if (other) {
      // Named as the desks show her (`agent_name`); `agent` says who to take it over from.
      ui.takeoverText.textContent = t("owned_by_other", {
        name: agentName(item.agent_name || other),
      });
    }
    // The subscriber can be written to while a person has the conversation (also queued),
    // but not while another agent has it: that is a take-over, asked for with 「引き継ぐ」.
    // Words not yet sent keep the box in sight when it stops being the agent's (closed or
    // handed back in another tab): a refresh must not hide them, nor a refusal shown for them.
    const replying = item.owner === "agent" && !other;
    const unsent = ui.reply.value.trim() !== "";
    ui.replyForm.hidden = !replying && !unsent;
    if (!replying && unsent && ui.replyError.hidden) {
      // Said as the conversation now is: the bot's, or closed (「対応を引き継ぐ」 sends it).
      ui.replyError.textContent =
        item.owner === "bot" || item.owner === "closed"
          ? replyRefused(item.owner)
          : t("reply_refused");
      ui.replyError.hidden = false;
    }
    ui.handback.disabled = item.owner !== "agent" || Boolean(other);
    ui.close.disabled = item.owner === "closed" || Boolean(other);
    // Handed on to a colleague by name only while a person has it and no other agent does.
    ui.transfer.disabled = item.owner !== "agent" || Boolean(other);
    ui.facts.replaceChildren(
      fact(t("fact_key"), item.key, { code: true, wide: true }),
      fact(t("fact_stage"), named("stage", item.stage)),
      // The agent answers in the console's language unless told the subscriber's.
      fact(t("fact_locale"), named("locale", item.locale)),
      fact(t("fact_program"), programText(item)),
      fact(t("fact_answers"), answersText(item.answers)),
      fact(t("fact_verdict"), verdictText(item)),
      fact(t("fact_started"), formatTime(item.created_at)),
      fact(t("fact_updated"), formatTime(item.updated_at)),
    );
    renderTranscript(item.transcript || []);
  }

  // Where a relayed message's copy went (a Slack thread's post, a Chatwoot message), and
  // the id LINE gave a question the bot sent: the server's bookkeeping, no event.
  const RELAYED_NOTE = /^(?:(?:slack_desk|chatwoot) relayed|line asked): /;

  // The store's marks for a line whose words were withdrawn (`WITHDRAWN_TEXT` and
  // `WITHDRAWN_REPLY_TEXT` in bot/store/conversation_store.py): said in the UI's words.
  const WITHDRAWN_MARKS = {
    "[withdrawn by the subscriber]": "line_withdrawn",
    "[reply withdrawn with the subscriber's message]": "reply_withdrawn",
  };

  // What the engine stores for a subscriber's message without words (`[media]`: a photo,
  // voice message, file or location; `[sticker]`): said so, for the agent to ask about it.
  const WORDLESS_MARKS = {
    "[media]": "line_media",
    "[sticker]": "line_sticker",
    // The web chat's language button: no question offered it, so no label names it.
    "[lang:en]": "line_lang_en",
    "[lang:ja]": "line_lang_ja",
  };

  /** A line's words as the console shows them: a store's mark in the UI's words. */
  function wordsOf(line) {
    const text = String(line.text);
    if (Object.prototype.hasOwnProperty.call(WITHDRAWN_MARKS, text)) {
      return t(WITHDRAWN_MARKS[text]);
    }
    return line.author === "subscriber" &&
      Object.prototype.hasOwnProperty.call(WORDLESS_MARKS, text)
      ? t(WORDLESS_MARKS[text])
      : text;
  }

  /**
   * System lines are the server's notes in English; known ones are said in the UI's words.
   * `shown` names an agent as the line keeps her as every desk shows her (`names`).
   */
  function systemText(text, shown) {
    if (/^withdrawn: [0-9a-f]{16}$/.test(text)) {
      return t("sys_withdrawn");
    }
    let match = /^taken over (?:in \S+ )?by (.*)$/.exec(text);
    if (match) {
      return t("sys_taken", { agent: shown(match[1]) });
    }
    match = /^handoff: (\w*)$/.exec(text);
    if (match) {
      return t("sys_handoff", { reason: named("reason", match[1] || "asked") });
    }
    if (text === "desk_message: left") {
      return t("sys_desk_message");
    }
    // Where a desk keeps the conversation: noted for the server, said for the agent.
    if (/^slack_desk thread: \S+ \S+$/.test(text)) {
      return t("sys_slack_thread");
    }
    // Where in a Slack DM the subscriber writes, so that messages follow them there.
    if (/^slack dm: thread \S+$/.test(text)) {
      return t("sys_slack_dm_thread");
    }
    if (text === "slack dm: top") {
      return t("sys_slack_dm_top");
    }
    match = /^chatwoot mirror: (\d+)$/.exec(text);
    if (match) {
      return t("sys_chatwoot_mirror", { id: match[1] });
    }
    // A take undone before its agent wrote (Chatwoot's assignee removed): waiting again.
    match = /^back in the queue from (.*)$/.exec(text);
    if (match) {
      return t("sys_back_in_queue", { agent: shown(match[1]) });
    }
    match = /^message dealt with by (.*)$/.exec(text);
    if (match) {
      return t("sys_message_dealt_with", { agent: shown(match[1]) });
    }
    match = /^closed by (.*)$/.exec(text);
    if (match) {
      return t("sys_closed_by", { agent: shown(match[1]) });
    }
    // The subscriber stopped waiting (the late-reply notice's button): not an agent's doing.
    // Typed 「最初から」, they started over (`start=over`): their answers are gone.
    if (/^handback: agent=subscriber by=subscriber start=over(?: |$)/.test(text)) {
      return t("sys_started_over");
    }
    if (/^handback: agent=subscriber by=subscriber(?: |$)/.test(text)) {
      return t("sys_left_waiting");
    }
    // The question left unanswered and the address typed, if any, follow the name (the
    // transcript shows them above): read as bot.desk.ownership.agents_named reads them.
    match =
      /^handback: agent=(.*?)(?: by=\w+)?(?: start=over)?(?: step=check)?(?: unanswered=.*?)?(?: typed_address=\S*)?$/s.exec(
        text,
      );
    if (match) {
      return t("sys_handback", { agent: shown(match[1]) });
    }
    if (text === "closed") {
      return t("sys_closed");
    }
    if (text === "closed: subscriber left") {
      return t("sys_subscriber_left");
    }
    match = /^sender: (.*)$/.exec(text);
    if (match) {
      return t("sys_sender", { sender: match[1] });
    }
    match = /^check_result: (.*)$/.exec(text);
    if (match) {
      return t("sys_check", { detail: match[1] });
    }
    return text;
  }

  /** A system line the server also wrote as data (`note`): worded from the data alone. */
  function systemLine(line) {
    // The agents the line names, as every desk shows them (the server's `names`: a Slack
    // member without her member id, a Chatwoot agent without 「(Chatwoot)」).
    const names = line.names && typeof line.names === "object" ? line.names : {};
    const shown = (who) =>
      agentName(Object.prototype.hasOwnProperty.call(names, who) ? String(names[who]) : who);
    const note = line.note && typeof line.note === "object" ? line.note : null;
    if (note && note.type === "undelivered") {
      // Why, in the agent's words where the platform said it for good; else its English.
      const reason = {
        reason: CAUSES.includes(note.cause) ? t(`cause_${note.cause}`) : String(note.reason || ""),
      };
      if (note.by === "bot") {
        // The bot's own words (a hand-back's greeting): nothing to send again from here.
        const said = note.may_have_arrived ? "sys_bot_may_have_arrived" : "sys_bot_not_delivered";
        return t(said, reason);
      }
      return t("sys_not_delivered", reason);
    }
    if (note && note.type === "take_over" && note.by) {
      // Handed on by the agent who had it (POST .../transfer), not taken from them.
      return t("sys_transferred", {
        from: shown(String(note.by)),
        agent: shown(String(note.agent || "")),
      });
    }
    if (note && note.type === "take_over") {
      return t("sys_taken_from", {
        agent: shown(String(note.agent || "")),
        from: shown(String(note.taken_from || "")),
      });
    }
    // A login check's result as the handoff summary words it, not its audit data.
    const check = line.check && typeof line.check === "object" ? line.check[locale] : null;
    if (typeof check === "string" && check) {
      return t("sys_check", { detail: check });
    }
    return systemText(String(line.text), shown);
  }

  // Refusals a resend cannot change (bot.delivery.Cause): blocked or gone, the allowance used up.
  const CAUSES = ["unreachable", "quota"];

  /** Under an agent's line the platform did not take: what happened, and a resend button. */
  function undeliveredNote(line, cause) {
    const note = make("div", "line__undelivered");
    note.setAttribute("role", "status");
    if (CAUSES.includes(cause)) {
      // Sending it again would fail the same way: say what to do instead, and offer no button.
      note.append(make("p", "line__undelivered-text", t(`undelivered_${cause}`)));
      return note;
    }
    const uncertain = line.delivery === "may_have_arrived";
    const said = t(uncertain ? "may_have_arrived" : "undelivered");
    note.append(make("p", "line__undelivered-text", said));
    const again = make("button", "button button--secondary line__resend", t("resend"));
    again.type = "button";
    again.addEventListener("click", () => resend(String(line.text), again));
    note.append(again);
    return note;
  }

  /** The same words as a new message (a new id): the failed one stays in the record. */
  async function resend(text, button) {
    button.disabled = true;
    const eventId = `console-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await act(
      // With a bare token, the name typed at sign-in: the API tells agents apart by it.
      () =>
        api(keyPath("messages"), {
          method: "POST",
          body: { ...agentBody(), text, event_id: eventId },
        }),
      t("done_reply"),
    );
    button.disabled = false;
  }

  /** A note starts a line: "an agent took over" reads better as "An agent took over". */
  function capitalised(text) {
    return locale === "en" ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function agentName(name) {
    return !name || name === API_DEFAULT_AGENT || name === UNNAMED_AGENT
      ? t("default_agent")
      : name;
  }

  function renderTranscript(lines) {
    ui.transcript.replaceChildren();
    if (!lines.length) {
      ui.transcript.append(make("li", "transcript__empty", t("transcript_empty")));
      return;
    }
    // The system line under an agent's undelivered message says why (its note's cause).
    const causes = new Map();
    for (const line of lines) {
      const note = line.note && typeof line.note === "object" ? line.note : null;
      if (note && note.type === "undelivered" && note.by !== "bot" && note.cause) {
        causes.set(note.seq, note.cause);
      }
    }
    for (const line of lines) {
      if (line.author === "system" && RELAYED_NOTE.test(String(line.text))) {
        continue;
      }
      const author = ["subscriber", "bot", "agent", "system"].includes(line.author)
        ? line.author
        : "system";
      const row = make("li", `line line--${author}`);
      const head = make("p", "line__head");
      const time = make("time", "line__time", formatTime(line.at));
      time.dateTime = line.at;
      const by =
        author === "agent" && line.agent && line.agent !== UNNAMED_AGENT
          ? t("author_agent_named", { name: line.agent })
          : t(`author_${author}`);
      head.append(make("span", "line__author", by), time);
      // A pressed button reads as the words on it, not as the choice's id, and with the
      // question it answered when other lines came between (the agent's own questions).
      const said =
        author === "system"
          ? capitalised(systemLine(line))
          : typeof line.label === "string"
            ? typeof line.question === "string"
              ? t("pressed_question", { label: line.label, question: line.question })
              : line.label
            : wordsOf(line);
      const body = make("p", "line__text", said);
      if (author === "system") {
        body.lang = locale;
      }
      head.lang = locale;
      row.append(head, body);
      if (author === "agent" && line.delivery) {
        row.classList.add("line--undelivered");
        row.append(undeliveredNote(line, causes.get(line.seq)));
      }
      ui.transcript.append(row);
    }
  }

  // -- live updates -----------------------------------------------------------------------

  function scheduleLive(delay = liveDelay) {
    window.clearTimeout(liveTimer);
    if (session) {
      liveTimer = window.setTimeout(live, delay);
    }
  }

  /** The notice that the page cannot reach the server; gone, with its error, once it can. */
  function showOffline(away) {
    if (!away && !ui.offline.hidden && ui.problemText.textContent === t("error_network")) {
      showProblem("");
    }
    ui.offline.hidden = !away;
  }

  /** Read the list and the open conversation again; redraw only what changed. */
  async function live() {
    if (!session) {
      return;
    }
    if (busy) {
      scheduleLive();
      return;
    }
    try {
      await loadList();
      const key = selectedKey();
      if (current && key === current.key) {
        // Read again only when something changed: at thousands of lines a whole read every
        // few seconds is the server's work for nothing.
        const ticket = ++conversationReads;
        const fresh = await api(`${API}/${encodeURIComponent(key)}`, { etag: current.etag });
        const before = current.transcript ? current.transcript.length : 0;
        const changed =
          fresh !== UNCHANGED &&
          (fresh.owner !== current.owner ||
            fresh.holder !== current.holder ||
            (fresh.transcript || []).length !== before);
        const latest = ticket === conversationReads;
        if (changed && selectedKey() === key && !busy && latest) {
          current = fresh;
          markSeen(current);
          renderConversation();
          renderList();
        } else if (!changed && latest && fresh !== UNCHANGED && current && current.key === key) {
          // Nothing to redraw: the next poll asks from this version.
          current.etag = fresh.etag;
        }
      }
      liveDelay = LIVE_MS;
      showOffline(false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        return;
      }
      // The server is away (a restart, the network): said, so that the agent does not take
      // the silence for a subscriber who has not answered; tried again, less often.
      showOffline(!(error instanceof ApiError) || error.status >= 500);
      liveDelay = Math.min(liveDelay * 2, MAX_LIVE_MS);
    }
    scheduleLive();
  }

  async function sendReply() {
    if (!current || current.key !== draftKey) {
      // The box holds the words of the conversation just chosen, still loading; the one on
      // screen is the one before. They wait for their own conversation.
      return;
    }
    const text = ui.reply.value;
    if (!text.trim()) {
      ui.replyError.textContent = t("reply_empty");
      ui.replyError.hidden = false;
      ui.reply.focus();
      return;
    }
    // The API's limit, in characters as it counts them (not UTF-16 units). The box has no
    // maxlength: a paste over it would be cut off silently, and the rest lost.
    const length = [...text].length;
    if (length > MAX_REPLY) {
      ui.replyError.textContent = t("reply_too_long", {
        max: MAX_REPLY.toLocaleString("en-US"),
        length: length.toLocaleString("en-US"),
      });
      ui.replyError.hidden = false;
      ui.reply.focus();
      return;
    }
    const sentKey = current.key;
    // One id per message typed: the same words sent again after a failure keep it, so that a
    // send whose answer was lost (it reached the server) is stored and delivered once.
    const attempt = `${sentKey}\u0000${text}`;
    if (!unanswered.has(attempt)) {
      unanswered.set(
        attempt,
        `console-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
      );
    }
    const eventId = unanswered.get(attempt);
    const ok = await act(
      // With a bare token, the name typed at sign-in: the API tells agents apart by it.
      () =>
        api(keyPath("messages"), {
          method: "POST",
          body: { ...agentBody(), text, event_id: eventId },
        }),
      t("done_reply"),
      { errorNode: ui.replyError, reply: true },
    );
    if (ok) {
      unanswered.delete(attempt);
      dropDraft(sentKey);
      // Ready for the next reply, unless the agent went elsewhere while this one was sent.
      if (stayed(ui.replyForm)) {
        ui.reply.focus();
      }
    }
  }

  /**
   * Whether the focus is still where the agent left it when pressing `control` (in it, or
   * fallen to the page when it was disabled or hidden meanwhile). An action moves the focus
   * on only then: the server's answer comes a while after the press, and an agent who went
   * to another control meanwhile (a link, the list) would have their next key land where
   * the action put it instead.
   */
  function stayed(control) {
    const active = document.activeElement;
    return !active || active === document.body || control.contains(active);
  }

  // -- actions ----------------------------------------------------------------------------

  async function refreshAll() {
    await loadList();
    if (selectedKey()) {
      await selectFromHash();
    }
  }

  /** Run one action: the buttons wait, the result is said, the list and transcript redrawn. */
  /**
   * Run `action`, refresh, say `done`. A refusal shows in `errorNode` (or the page's problem
   * line); `conflict` words a 409 that means something else than a refused reply.
   */
  async function act(action, done, { errorNode, conflict, reply = false } = {}) {
    if (busy) {
      return false;
    }
    busy = true;
    document.body.classList.add("is-busy");
    showProblem("");
    if (errorNode) {
      errorNode.hidden = true;
    }
    try {
      const result = await action();
      await refreshAll();
      // Worded from the answer where it says more than the form did (who has it now).
      flash(typeof done === "function" ? done(result) : done);
      return true;
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 409;
      let problem = null;
      if (!(error instanceof ApiError && error.status === 401)) {
        // A refusal naming the agent who has it says who (and 「引き継ぐ」 appears).
        // `conflict` words a refusal the API gives no other reason for than the bot having
        // it: a closed conversation, or one that kept changing, is said as that.
        const plain = !error.agent && !error.holder && (!error.reason || error.reason === "bot");
        problem = refused && conflict && plain ? conflict : problemFor(error, { reply });
        if (errorNode) {
          errorNode.textContent = problem;
          errorNode.hidden = false;
        } else {
          showProblem(problem);
        }
      }
      if (refused) {
        // Someone else changed the conversation: show it as it is now. Reading it again
        // clears the page's problem line, which must still say why nothing was done.
        await refreshAll().catch(() => undefined);
        if (problem !== null && !errorNode) {
          showProblem(problem);
        }
      }
      return false;
    } finally {
      busy = false;
      document.body.classList.remove("is-busy");
    }
  }

  function keyPath(suffix) {
    return `${API}/${encodeURIComponent(current.key)}/${suffix}`;
  }

  function buildAnswerFields() {
    const chosen = {};
    for (const select of answerSelects()) {
      chosen[select.dataset.question] = select.value;
    }
    ui.answers.replaceChildren();
    for (const question of questions) {
      const field = make("div", "field");
      // Its own prefix and no form name: a profile's question may be called "address".
      const id = `hb-question-${question.id}`;
      const label = make("label", "field__label", `${question.label} ${inLocale(question.text)}`);
      label.htmlFor = id;
      const select = make("select", "select");
      select.id = id;
      select.dataset.question = question.id;
      for (const value of ["", ...ANSWERS]) {
        // The words on the subscriber's button, so the agent picks what the subscriber saw.
        const words = value && question.answers ? inLocale(question.answers[value]) : "";
        const option = make("option", "", words || t(`answer_${value || "none"}`));
        option.value = value;
        select.append(option);
      }
      select.value = chosen[question.id] || "";
      field.append(label, select);
      ui.answers.append(field);
    }
  }

  function answerSelects() {
    return ui.answers.querySelectorAll("select[data-question]");
  }

  function inLocale(words) {
    return (words && (words[locale] || words[DEFAULT_LOCALE])) || "";
  }

  /** A named token acts under its own name whatever was typed: show that name. */
  async function loadMe() {
    const data = await api(ME);
    if (data && typeof data.agent === "string" && data.agent) {
      session.agent = data.agent;
    }
  }

  async function loadQuestions() {
    const data = await api(QUESTIONNAIRE);
    questions = Array.isArray(data && data.questions) ? data.questions : [];
    timeZone = data && typeof data.timezone === "string" ? data.timezone : undefined;
    buildAnswerFields();
  }

  function openHandback() {
    const form = ui.handbackForm;
    form.reset();
    buildAnswerFields();
    form.elements.address.value = current.address || "";
    form.elements.program.value = current.program || "";
    for (const select of answerSelects()) {
      const id = select.dataset.question;
      select.value = (current.answers && current.answers[id]) || "";
    }
    ui.handbackError.hidden = true;
    ui.handbackDialog.showModal();
    form.elements.address.focus();
  }

  function handbackBody() {
    const form = ui.handbackForm.elements;
    const body = { ...agentBody(), step: form.step.value };
    const address = form.address.value.trim();
    if (address) {
      body.address = address;
    }
    if (form.program.value) {
      body.program = form.program.value;
    }
    if (form.smtp_host.value) {
      body.smtp_host = form.smtp_host.value;
    }
    const answers = {};
    for (const select of answerSelects()) {
      if (select.value) {
        answers[select.dataset.question] = select.value;
      }
    }
    if (Object.keys(answers).length) {
      body.answers = answers;
    }
    return body;
  }

  // -- wiring -----------------------------------------------------------------------------

  function wire() {
    ui.signinForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const token = ui.token.value.trim();
      if (!token) {
        ui.signinError.textContent = t("error_token");
        ui.signinError.hidden = false;
        ui.token.focus();
        return;
      }
      await signIn(token, ui.agentName.value.trim());
    });
    ui.sound.addEventListener("click", toggleSound);
    ui.signOut.addEventListener("click", () => {
      current = null;
      conversations = [];
      waitingKeys = null;
      // Signing out leaves nothing of the subscribers' conversations in the tab.
      drafts = {};
      storeDrafts();
      showDraft("");
      askForToken("");
    });
    for (const button of ui.languages) {
      button.addEventListener("click", () => {
        if (button.dataset.lang !== locale) {
          useLocale(button.dataset.lang).catch(() => showProblem(t("error_network")));
        }
      });
    }
    for (const radio of document.querySelectorAll('input[name="owner"]')) {
      radio.addEventListener("change", () => {
        // Another filter shows other rows: none of them is news.
        waitingKeys = null;
        loadList().catch((error) => showProblem(problemFor(error)));
      });
    }
    ui.refresh.addEventListener("click", () => act(() => Promise.resolve(), t("done_refresh")));
    ui.list.addEventListener("pointerdown", () => {
      listPressed = true;
    });
    // Any end of the press: released, taken by a scroll or a drag of the link, or the
    // window left while held; left pressed, the list would never be drawn again.
    for (const type of ["pointerup", "pointercancel", "dragend", "blur"]) {
      window.addEventListener(
        type,
        (event) => {
          // Caught on the way down, a control's blur reaches the window too: the press itself
          // moves the focus to the row. Only the window's own blur ends the press.
          if (event.type === "blur" && event.target !== window) {
            return;
          }
          if (listPressed) {
            listPressed = false;
            // A task later: after the click this release makes, which the row must receive.
            window.setTimeout(renderList, 0);
          }
        },
        true,
      );
    }
    window.addEventListener("hashchange", () => {
      flash("");
      if (session) {
        selectFromHash({ focus: true });
      }
    });
    ui.take.addEventListener("click", async () => {
      const ok = await act(
        () => api(keyPath("take"), { method: "POST", body: { ...agentBody(), ...asShown() } }),
        t("done_take"),
        { conflict: t("take_refused") },
      );
      // The pressed button is disabled now, and focus would fall to the page: on to the
      // next thing to do, writing (or the heading, when the take-over was refused). Not
      // for an agent who went to another control while the server answered, nor from the
      // button while it can still be pressed.
      const onTake = document.activeElement === ui.take;
      if (stayed(ui.take) && (ui.take.disabled || !onTake)) {
        (ok && !ui.replyForm.hidden ? ui.reply : ui.title).focus();
      }
    });
    ui.takeOver.addEventListener("click", async () => {
      const from = otherAgent(current);
      if (!from) {
        return;
      }
      const ok = await act(
        () =>
          api(keyPath("take"), {
            method: "POST",
            body: { ...agentBody(), ...asShown(), take_over_from: from },
          }),
        t("done_take_over", { name: agentName(from) }),
      );
      // The panel is gone once it is the agent's: on to writing, as after 「対応を引き継ぐ」.
      if (ok && !ui.replyForm.hidden && stayed(ui.takeOver)) {
        ui.reply.focus();
      }
    });
    ui.handback.addEventListener("click", openHandback);
    ui.replyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sendReply();
    });
    ui.reply.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter is a new line; Enter that ends a kana-kanji conversion
      // (isComposing) only confirms the word.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendReply();
      }
    });
    ui.reply.addEventListener("input", () => {
      ui.replyError.hidden = true;
      keepDraft();
    });
    // Enter in the address (out of habit, after typing it) moves on to the next field: it
    // would hand the conversation back before the program and the answers were chosen, and
    // the bot would ask the subscriber what the agent knew. The button hands back.
    ui.handbackForm.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing && event.target.tagName === "INPUT") {
        event.preventDefault();
        ui.handbackForm.elements.program.focus();
      }
    });
    // An error stays until the agent changes something, not until the next submit.
    ui.handbackForm.addEventListener("input", () => {
      ui.handbackError.hidden = true;
    });
    ui.handbackForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await act(
        () => api(keyPath("handback"), { method: "POST", body: handbackBody() }),
        t("done_handback"),
        // 409: the bot has it already (this hand-back's answer was lost, or someone else's).
        { errorNode: ui.handbackError, conflict: t("handback_refused") },
      );
      if (ok) {
        ui.handbackDialog.close();
      }
    });
    ui.close.addEventListener("click", () => {
      ui.closeError.hidden = true;
      ui.closeDialog.showModal();
    });
    ui.closeForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await act(
        () => api(keyPath("close"), { method: "POST", body: { ...agentBody(), ...asShown() } }),
        t("done_close"),
        { errorNode: ui.closeError },
      );
      if (ok) {
        ui.closeDialog.close();
      }
    });
    ui.transfer.addEventListener("click", () => {
      ui.transferError.hidden = true;
      ui.transferTo.value = "";
      ui.transferDialog.showModal();
      ui.transferTo.focus();
    });
    ui.transferTo.addEventListener("input", () => {
      ui.transferError.hidden = true;
    });
    ui.transferForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const to = ui.transferTo.value.trim();
      if (!to) {
        ui.transferError.textContent = t("transfer_name_needed");
        ui.transferError.hidden = false;
        ui.transferTo.focus();
        return;
      }
      const ok = await act(
        () => api(keyPath("transfer"), { method: "POST", body: { ...agentBody(), to } }),
        // The colleague as the API found her: 「鈴木さん」 typed is 鈴木 (not 「鈴木さんさん」).
        (held) => t("done_transfer", { name: agentName((held && held.agent_name) || to) }),
        { errorNode: ui.transferError },
      );
      if (ok) {
        ui.transferDialog.close();
      }
    });
    const openers = new Map([
      [ui.handbackDialog, ui.handback],
      [ui.closeDialog, ui.close],
      [ui.transferDialog, ui.transfer],
    ]);
    for (const [dialog, opener] of openers) {
      dialog.addEventListener("close", () => {
        // Back to where the agent was, as a native dialog's opener would expect. The close
        // event comes a task after the dialog shut: an agent who has already moved on (a
        // link focused, a key pressed) keeps their place rather than being pulled back.
        const active = document.activeElement;
        const movedOn =
          active && active !== document.body && active !== opener && !dialog.contains(active);
        if (!movedOn) {
          (opener.disabled ? ui.title : opener).focus();
        }
      });
    }
    for (const button of document.querySelectorAll("[data-close-dialog]")) {
      button.addEventListener("click", () => button.closest("dialog").close());
    }
    // The skip link moves focus only: as a fragment it would name a conversation.
    document.querySelector("[data-skip]").addEventListener("click", (event) => {
      event.preventDefault();
      ui.detail.focus();
    });
    $("problem-dismiss").addEventListener("click", () => showProblem(""));
    $("reload").addEventListener("click", () => window.location.reload());
    // The network is back: look at once rather than after the longest wait.
    window.addEventListener("online", () => {
      liveDelay = LIVE_MS;
      scheduleLive(0);
    });
  }

  async function main() {
    const saved = restoreSession();
    const wanted = new URLSearchParams(window.location.search).get("lang");
    const first = LOCALES.includes(wanted)
      ? wanted
      : LOCALES.includes(saved.locale)
        ? saved.locale
        : DEFAULT_LOCALE;
    try {
      await useLocale(first);
    } catch {
      document.body.classList.remove("is-loading");
      ui.loadFailed.hidden = false;
      return;
    }
    wire();
    document.body.classList.remove("is-loading");
    if (typeof saved.token === "string" && saved.token) {
      // Signed in earlier in this tab (a reload): straight back to work.
      await signIn(saved.token, typeof saved.agent === "string" ? saved.agent : "");
      return;
    }
    askForToken("");
  }

  main();
})();
