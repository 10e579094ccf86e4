"""The password page of the live login check: `GET /check/{token}` shows it, POST runs it.

Made for a subscriber on a phone: the provider's name on top, a way back to the chat on
every screen, large text and targets, a "show password" button, and results marked with an
icon and a word. Nothing is loaded from elsewhere and nothing runs inline (the script and
the style sheet are this server's own files), the page is not cacheable and not framable.
The page works without its script; the script adds the "show password" button and a
"checking…" notice while the check runs, and sends the form itself, so that a connection
that drops on the way leaves the subscriber on the page, told so, rather than on the
browser's own error page.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Final, Protocol
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Scope

from bot.mailcheck.check_links import PATH_PREFIX
from bot.mailcheck.login_checks import CheckSettings, LoginChecks, Mark, PageStatus, PageView
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import StoreUnavailableError
from bot.web.assets import Assets
from dialogs.mail_config_files import checked_address
from dialogs.profile import MigrationProfile
from dialogs.understanding import LONGEST_LOCAL_PART

MAX_PASSWORD: Final = 256
MAX_ADDRESS: Final = 254  # RFC 5321's longest forward path, less its angle brackets
STATIC_PATH: Final = "/mailcheck/static"
_STATIC: Final = resources.files("bot.mailcheck").joinpath("static")
CSP: Final = (
    # connect-src: the page's script sends the form itself (check_page.js), to keep the
    # subscriber on the page when the connection drops on the way.
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CSP,
}
_STATUS_CODES: Final = {
    PageStatus.FORM: 200,
    PageStatus.DONE: 200,
    PageStatus.INVALID: 404,
    PageStatus.EXPIRED: 410,
    PageStatus.USED: 410,
    PageStatus.NO_ADDRESS: 409,
    PageStatus.RATE_LIMITED: 429,
}
_FORM_PATH: Final = re.compile(re.escape(PATH_PREFIX) + r"(?P<token>[^/]+)")
# A Japanese input method left on (the shown password takes the phone's ordinary keyboard):
# the ideographic space and marks, kana, kanji, full-width letters, digits and marks, and
# half-width kana. No mail password is made of them; sent as typed, the check would only say
# "wrong password" and spend the link.
_FULL_WIDTH: Final = re.compile("[\u3000-\u30ff\u3400-\u9fff\uff01-\uff9f]")
# What a copied mail link or a pasted sentence puts around an address: 「mailto:」, angle
# brackets, a closing full stop.
_MAIL_LINK: Final = re.compile(r"^(?:mailto:)?<?|>?[.。、,]*$", re.IGNORECASE)
# Zero-width marks a pasted address carries unseen: a page's break in a long address
# (U+200B), a copied line's byte-order mark, a word joiner, a soft hyphen. The chat reads
# through them; direction controls (U+202A-U+202E) are no part of a paste and stay refused.
_ZERO_WIDTH: Final = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# What no field may hold: control characters, and the lone surrogates that stand for bytes
# that were no UTF-8 (`read_form`).
_CONTROLS: Final = frozenset({"Cc", "Cs"})
# Apps a conversation can run in besides the web chat, as their users know them.
_APP_NAMES: Final = {"line": "LINE", "telegram": "Telegram", "slack": "Slack"}
# One shape per mark, so a result never rests on its colour alone.
_ICONS: Final = {
    Mark.PASSED: '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    Mark.FAILED: '<path d="M6.5 6.5l11 11M17.5 6.5l-11 11"/>',
    Mark.NOT_CHECKED: '<path d="M6 12h12"/>',
}
_PAGE: Final = Template("""<!doctype html>
<html lang="$lang"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title - $provider</title>
<link rel="stylesheet" href="$static/check_page.css">
<script src="$static/check_page.js" defer></script>
</head>
<body>
<header class="top"><p class="top__provider">$provider</p></header>
<main class="card" data-status="$status">
<h1>$title</h1>
$body
</main>
<nav class="back" aria-label="$back_label">$back</nav>
</body></html>
""")


@dataclass(frozen=True, slots=True)
class Submitted:
    """What the form sent, read and checked; `problem` names what to ask again."""

    address: str | None
    password: str
    with_round_trip: bool
    problem: str = ""


class CheckPage:
    """The page's routes, worded from the catalogs in the conversation's language."""

    def __init__(self, checks: LoginChecks, catalogs: Catalogs) -> None:
        self._checks = checks
        self._catalogs = catalogs

    def routes(self) -> list[BaseRoute]:
        """GET shows the form, POST runs the check; the page's own script and style sheet."""
        return [
            Route("/check/{token}", self.show, methods=["GET"]),
            Route("/check/{token}", self.submit, methods=["POST"]),
            Mount(STATIC_PATH, app=Assets(directory=str(_STATIC)), name="check_page"),
        ]

    async def show(self, request: Request) -> Response:
        """The form, or why the link cannot be used (a used link says so at once)."""
        view = await self._checks.form(request.path_params["token"])
        return self.render(view)

    async def submit(self, request: Request) -> Response:
        """Run the check with the typed password; the password goes nowhere else."""
        token = request.path_params["token"]
        sent = read_form(await request.body(), self._checks.profile)
        if sent.problem:
            # Asked again before the link is claimed or the rate limit counts. A used,
            # expired or invalid link says so instead of asking again.
            view = await self._checks.form(token)
            return self.render(view, sent=sent)
        view = await self._checks.run(
            token, sent.password, with_round_trip=sent.with_round_trip, address=sent.address
        )
        del sent  # holds the password; nothing below needs it
        return self.render(view)

    async def too_large(self, scope: Scope) -> Response | None:
        """The form again, saying what it sent was too large to read (413); None elsewhere.

        A browser posting the form gets a page in the conversation's language, as for the
        form's other problems, where the APIs' JSON refusal would leave it showing code.
        """
        return await self._asked_again(scope, _TOO_LARGE, 413)

    async def unavailable(self, scope: Scope) -> Response | None:
        """The form again, saying the server is busy (503); None elsewhere.

        While this replica shuts down or the store is down, the form cannot be checked:
        nothing was tried and the link is unused, so the subscriber tries again shortly.
        """
        return await self._asked_again(scope, _BUSY, 503)

    async def too_many(self, scope: Scope) -> Response | None:
        """The page's own 429 for a client past its limit of submits; None elsewhere.

        Worded like its other refusals, in the conversation's language where it has one.
        """
        view = await self._posted_form(scope)
        if view is None:
            return None
        return self.render(PageView(PageStatus.RATE_LIMITED, view.locale, channel=view.channel))

    async def link_status(self, scope: Scope) -> PageStatus | None:
        """What the link a request opens shows (FORM: a check may run); None off the page.

        Read before the route runs, to choose the limit the request counts against: a
        guessed link's or a check's. While the store is down the link is taken for a form
        (the route answers 503 then, and a submit still counts as a check).
        """
        found = _FORM_PATH.fullmatch(str(scope.get("path", "")))
        if found is None:
            return None
        try:
            return (await self._checks.form(found["token"])).status
        except StoreUnavailableError:
            return PageStatus.FORM

    async def _asked_again(self, scope: Scope, sent: Submitted, status: int) -> Response | None:
        view = await self._posted_form(scope)
        return None if view is None else self.render(view, sent=sent, status=status)

    async def _posted_form(self, scope: Scope) -> PageView | None:
        """The form a POST to the page was sent from; None for any other request."""
        found = _FORM_PATH.fullmatch(str(scope.get("path", "")))
        if scope.get("method") != "POST" or found is None:
            return None
        try:
            return await self._checks.form(found["token"])
        except StoreUnavailableError:
            return PageView(PageStatus.FORM)  # the form, in Japanese, without the address

    def render(
        self, view: PageView, *, sent: Submitted | None = None, status: int = 400
    ) -> Response:
        """The page for `view`; with `sent`, the form asked again (`status`) about its problem.

        An address is put back as typed, to be corrected rather than typed again; what has
        no @ is no address, and perhaps the password in the wrong box, so the form holds the
        chat's address again instead.
        """
        profile = self._checks.profile

        def say(key: str, /, **values: object) -> str:
            return html.escape(self._catalogs.fill(view.locale, f"check_page.{key}", values))

        asking_again = sent is not None and view.status is PageStatus.FORM
        if view.status is PageStatus.FORM:
            address = view.address
            if asking_again and sent is not None and sent.address and "@" in sent.address:
                address = sent.address
            again = sent if asking_again else None
            body = _form(
                say,
                profile,
                address,
                again,
                from_chat=address == view.address,
                deadlines=_deadlines(self._checks.settings),
                sending_checked=view.sending_checked,
                test_message=view.test_message,
                until=_until(say, view),
            )
        elif view.status is PageStatus.DONE:
            body = _result(say, view)
        elif view.status is PageStatus.RATE_LIMITED and view.lines:
            # The chat's words, which say when a check may run again; the notice does not.
            said = "".join(f"<p>{html.escape(line)}</p>" for line in view.lines)
            body = f'<div class="notice" role="alert">{said}</div>'
        else:
            body = f'<p class="notice" role="alert">{say(_notice(view))}</p>'
            if view.status is PageStatus.USED:
                body += _result_again(say, view)
        page = _PAGE.substitute(
            status=view.status.value,
            lang=view.locale,
            title=say("title"),
            provider=html.escape(profile.provider_name_in(view.locale)),
            static=STATIC_PATH,
            body=body,
            back_label=say("back_label"),
            back=_back(say, view.channel),
        )
        code = status if asking_again else _STATUS_CODES[view.status]
        return HTMLResponse(page, status_code=code, headers=_HEADERS)


def _notice(view: PageView) -> str:
    """The catalog key of why the link cannot be used; a used one says where its result is."""
    if view.status is not PageStatus.USED:
        return str(view.status.value)
    if not view.result_sent:
        return "used_running"
    return "used_with_agent" if view.with_agent else "used"


# What a form too large to read is asked again as: nothing of it was read.
_TOO_LARGE: Final = Submitted(None, "", with_round_trip=False, problem="too_large")
# What a form the server could not take now (shutting down, store down) is asked again as.
_BUSY: Final = Submitted(None, "", with_round_trip=False, problem="busy")


class _Say(Protocol):
    """Catalog text in the page's language, HTML-escaped."""

    def __call__(self, key: str, /, **values: object) -> str:
        """The text of `check_page.<key>`, its placeholders filled from `values`."""
        ...


def _until(say: _Say, view: PageView) -> str:
    """Until when the form's link works, said before the password is asked; "" if unknown.

    The script says when that time comes (`data-left`, seconds from this answer), before a
    password is typed for a link that no longer checks.
    """
    if view.until is None:
        return ""
    moment = view.until
    said = say("until", time=f"{moment.hour}:{moment.minute:02d}", zone=moment.tzname() or "")
    return f'<p id="until" class="hint" data-left="{view.until_s}">{said}</p>'


def _deadlines(settings: CheckSettings) -> tuple[int, int]:
    """Whole seconds the page waits for a check's answer: without, and with a test message."""
    return (
        math.ceil(settings.longest(with_round_trip=False)),
        math.ceil(settings.longest(with_round_trip=True)),
    )


def _form(
    say: _Say,
    profile: MigrationProfile,
    address: str,
    again: Submitted | None,
    *,
    from_chat: bool,
    deadlines: tuple[int, int],
    sending_checked: bool = True,
    test_message: bool = True,
    until: str = "",
) -> str:
    problem = again.problem if again else ""
    round_trip = " checked" if again and again.with_round_trip else ""
    example = f"name@{profile.affected_domains[0]}"
    address_problem = problem.startswith("address_")
    password_problem = problem.startswith("password_")
    invalid = ' aria-invalid="true"'
    error = (
        f'<p id="problem" class="problem" role="alert">'
        f"{_breakable(say(problem, example=example), say)}</p>"
        if problem
        else ""
    )
    # The hint names the address the chat was given: the one-line field shows what fits, and
    # at 200 % zoom or text on a phone 「yamada.taro.1948@vp.117.ne.jp」 lost its end there.
    hint = (
        say("address_hint_named", example=example, address=address)
        if from_chat and address
        else say("address_hint", example=example)
    )
    address_described = "address-hint problem" if address_problem else "address-hint"
    password_described = "password-note problem" if password_problem else "password-note"
    # A subscriber whose sending settings stay is checked on receiving alone, and told so in
    # the receiving-only migration's words; one sent no test message is told how to see mail
    # arrive through their own, unchanged, sending settings.
    lead = "lead"
    if not sending_checked:
        lead = "lead.receiving_only" if test_message else "lead.sending_stays"
    option = (
        '<div class="option"><input id="round-trip" type="checkbox" name="round_trip" value="1"'
        f"{round_trip}>"
        f'<label for="round-trip">{say("round_trip_label")}</label></div>'
        if test_message
        else ""
    )
    return (
        # On a 320 x 568 phone at 200 % text the address field was 2,042 px down, under the
        # introduction and the field's hint, and nothing on the first screen said a form
        # followed: a way down to it, under the heading. At the field's label, the field
        # comes into view with it. Asked again, at what was wrong: under it the field's label
        # (at 200 % text it was 660 px, and a landing on the label skipped it).
        f'<p class="to-form"><a href="#{"problem" if problem else "address-label"}" '
        'class="button button--secondary">'
        f'<span aria-hidden="true">▼ </span>{say("to_form")}</a></p>'
        f"<p>{say(lead)}</p>"
        + until
        + error
        # novalidate: the server asks again with the full-address hint in the page's words,
        # where the browser would show a bubble of its own, in its own language.
        + '<form method="post" autocomplete="off" class="form" novalidate>'
        f'<label id="address-label" for="address">{say("address")}</label>'
        # The whole address where the one-line field below cuts it, shown and kept up to date
        # by the script (check_page.js, showWhole); the field's value is what is heard.
        f'<p id="address-whole" class="address-whole" aria-hidden="true" hidden>'
        f'{say("address_whole")}<br><span class="address"></span></p>'
        f'<input id="address" name="address" type="email" inputmode="email" required '
        f'maxlength="{MAX_ADDRESS}" autocomplete="username" spellcheck="false" '
        f'autocapitalize="none" value="{html.escape(address)}" '
        f'aria-describedby="{address_described}"{invalid if address_problem else ""}>'
        # Under the field, not between it and its label: at 200 % text its 544 px put the
        # field below the screen even from its label.
        f'<p id="address-hint" class="hint">'
        f"{_breakable(hint, say)}</p>"
        f'<label for="password">{say("password_label")}</label>'
        '<div class="password">'
        f'<input id="password" name="password" type="password" required '
        f'maxlength="{MAX_PASSWORD}" autocomplete="current-password" '
        # Shown as text, the field gets a phone's ordinary keyboard, which would capitalise
        # its first letter and "correct" words.
        'autocapitalize="none" autocorrect="off" spellcheck="false" '
        f'aria-describedby="{password_described}"{invalid if password_problem else ""}'
        # Not `autofocus`: focused by the script on a wide screen with a mouse only. On a
        # narrow or touch one the focus scrolled the heading and the explanation away
        # (320 x 568) and opened the keyboard before the subscriber had read them.
        f"{'' if address_problem else ' data-autofocus'}>"
        # Its words say what a press does, 「パスワードを表示」 and then 「パスワードを隠す」:
        # a fixed label with aria-pressed told a screen reader the state, but a sighted
        # reader saw the same words with the password showing and no sign of how to hide
        # it. A label that changes is no pressed button (WAI-ARIA APG: a toggle's label
        # stays), so aria-pressed went.
        '<button type="button" id="show-password" class="button button--secondary" '
        f'aria-controls="password" data-hide="{say("hide_password")}" '
        f'data-show="{say("show_password")}" hidden>{say("show_password")}</button>'
        "</div>"
        f'<p id="password-note" class="hint">{say("password_note")}</p>'
        f"{option}"
        f'<button type="submit" class="button button--primary">{say("submit")}</button>'
        f'<p id="running" class="running" role="status" hidden data-text="{say("running")}" '
        f'data-offline="{say("offline")}" data-failed="{say("send_failed")}" '
        # How long the script waits for the answer, and what it says when that runs out. No
        # less than the check itself may take: the link is spent once the check runs.
        f'data-late="{say("answer_late")}" data-deadline="{deadlines[0]}" '
        f'data-deadline-round-trip="{deadlines[1]}" data-expired="{say("expired")}"></p>'
        "</form>"
    )


def _result(say: _Say, view: PageView) -> str:
    marks = "".join(
        f'<li class="mark mark--{mark.value}">'
        '<svg class="mark__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        f"{_ICONS[mark]}</svg>"
        f'<span class="mark__part">{say(f"part.{part}")}</span>'
        f'<span class="mark__word">{say(f"mark.{mark.value}")}</span></li>'
        for part, mark in view.marks
    )
    paragraphs = "".join(
        f"<p>{_breakable(html.escape(line), say)}</p>"
        for text in view.lines
        for line in text.split("\n")
        if line
    )
    return (
        f'<div class="result" role="status">'
        f"<p>{say('checked_address')}<br>"
        f"{_address(view.address, say)}</p>"
        f'<ul class="marks">{marks}</ul>{paragraphs}</div>'
        f'<p class="hint">{say("done_with_agent" if view.with_agent else "done")}</p>'
    )


def _result_again(say: _Say, view: PageView) -> str:
    """What the script says under a result this tab got from the link, shown again there.

    Back after the result (or a reload of it) opens the used link, which said only that the
    result had gone to the chat; the page's script puts the tab's own copy of the result in
    place of that notice, and this under it, saying how to check again. Without the script,
    or in a tab that did not run the check, the notice stays.
    """
    key = "result_again_with_agent" if view.with_agent else "result_again"
    return f'<p id="result-again" class="hint" hidden>{say(key)}</p>'


# Where an address or a host name may wrap: after a dot or before an @, inside a run of
# ASCII (a Japanese sentence's own breaks are left to the browser). The body's
# overflow-wrap: anywhere cut 「taro@vp.117.n / e.jp」 at 320 px with large text; these are the
# chat's line-break chances (appendBreakable in chat.js), so both wrap alike.
_AFTER_DOT: Final = re.compile(r"(?<=[\x21-\x7e]\.)(?=[\x21-\x7e])")
_BEFORE_AT: Final = re.compile(r"(?<=[\x21-\x7e])(?=@)")


def _address(address: str, say: _Say) -> str:
    """The checked address, selected whole by a long press, its domain kept on one line.

    The domain (with its @) is a box of its own, which the line takes whole or moves to the
    next line whole: with a <wbr> after every dot alone, at 200 % text on 320 px the address
    wrapped as 「1948@vp.117.ne.」 / 「jp」. Its dots still break inside it where even a
    line of its own is too short for it.
    """
    local, at, domain = address.rpartition("@")
    if not at:
        return f'<span class="address">{_breakable(html.escape(address), say)}</span>'
    return (
        f'<span class="address">{_breakable(html.escape(local), say)}<wbr>'
        f'<span class="address__domain">@{_breakable(html.escape(domain), say)}</span></span>'
    )


# A host name or an address (or the part of one before its @): names joined by dots or @,
# a letter among them. Entities (`&amp;`, `&#x27;`) have neither a dot nor an @ inside.
_NAME: Final = re.compile(r"[A-Za-z0-9_-]+(?:[.@][A-Za-z0-9_-]+)+")
_LETTER: Final = re.compile("[A-Za-z]")
_MARK_WORDS: Final = {".": "reading_dot", "@": "reading_at", "-": "reading_hyphen"}


def _breakable(escaped: str, say: _Say) -> str:
    """HTML-escaped text with a <wbr> at each place an address or host name may wrap.

    Each host name and address is read out spelled (「v p o p ドット 1 1 7 …」) and seen as
    written: a screen reader said 「vpop」 and 「yamada」 as words. The reading is CSS
    generated content (`.spelled::after`), so no selection or copy holds it.
    """

    def spelled(found: re.Match[str]) -> str:
        name = _with_breaks(found[0])
        if not _LETTER.search(found[0]):
            return name
        reading = " ".join(say(_MARK_WORDS[c]) if c in _MARK_WORDS else c for c in found[0])
        return (
            f'<span class="spelled" data-reading="{reading}">'
            f'<span aria-hidden="true">{name}</span></span>'
        )

    pieces: list[str] = []
    done = 0
    for found in _NAME.finditer(escaped):
        pieces += [_with_breaks(escaped[done : found.start()]), spelled(found)]
        done = found.end()
    pieces.append(_with_breaks(escaped[done:]))
    return "".join(pieces)


def _with_breaks(escaped: str) -> str:
    """Escaped text with a <wbr> after each dot and before each @ inside a run of ASCII."""
    return _BEFORE_AT.sub("<wbr>", _AFTER_DOT.sub("<wbr>", escaped))


def _back(say: _Say, channel: str) -> str:
    """The way back to the conversation: the web chat resumes it from this browser."""
    if channel == "webchat":
        # The script shows `chat-elsewhere` instead of the link in a browser that keeps no web
        # chat (the link opened on another phone): there "/" would start a new conversation.
        return (
            f'<a class="button button--secondary" href="/" data-back-to-chat>{say("back_chat")}</a>'
            f'<p id="chat-elsewhere" class="hint" hidden>{say("back_elsewhere")}</p>'
        )
    if channel in _APP_NAMES:
        return f'<p class="hint">{say("back_app", app=_APP_NAMES[channel])}</p>'
    if channel:
        return f'<p class="hint">{say("back_other")}</p>'
    # A link that names no conversation: the web chat, or wherever they chatted.
    return (
        f'<a class="button button--secondary" href="/">{say("open_chat")}</a>'
        f'<p class="hint">{say("back_other")}</p>'
    )


# The form's own fields (`_form`).
_FIELDS: Final = ("address", "password", "round_trip")


def read_form(body: bytes, profile: MigrationProfile) -> Submitted:
    """The form's fields, checked: a problem key for anything to ask again."""
    # Bytes that are no UTF-8 (this UTF-8 page's form never sends them) stay lone surrogates,
    # which `_has_controls` refuses: replaced by U+FFFD, they made a password nobody typed,
    # and the check ran with it and spent the link and one of the account's checks.
    text = body.decode("utf-8", "surrogateescape")
    fields = parse_qs(text, keep_blank_values=True, errors="surrogateescape")
    if any(len(fields.get(name, ())) > 1 for name in _FIELDS):
        # The page's form sends each field once. Twice is no browser's doing, and which copy
        # a proxy or firewall in front read is anyone's guess: refused, as the JSON APIs
        # refuse a key given twice, before the link is claimed or a check counted.
        return Submitted(None, "", with_round_trip=False, problem="form_repeated")
    password = (fields.get("password") or [""])[0]
    with_round_trip = (fields.get("round_trip") or [""])[0] == "1"
    raw_address = fields.get("address")
    address = None if raw_address is None else raw_address[0]
    problem = ""
    if address is not None:
        address, problem = read_address(address, profile)
    # A NUL or a line break could end an SMTP or POP command line, and no one types them.
    if not problem and not password:
        problem = "password_missing"
    elif not problem and len(password) > MAX_PASSWORD:
        problem = "password_too_long"
    elif not problem and _has_controls(password):
        problem = "password_controls"
    elif not problem and _FULL_WIDTH.search(password):
        problem = "password_full_width"
    return Submitted(address, password, with_round_trip, problem)


def read_address(typed: str, profile: MigrationProfile) -> tuple[str, str]:
    """The address as it will be checked, and a problem key ("" when it can be checked).

    Full-width letters from a phone's Japanese keyboard are folded first and zero-width
    marks dropped, then the address is lower-cased as the chat does; a bare name
    (`taro`) or another provider's address is asked again with the full-address hint.
    """
    if _has_controls(typed):
        # Shown again without them: a NUL or a line break has no place in the field either.
        shown = "".join(c for c in typed if unicodedata.category(c) not in _CONTROLS)
        return shown, "address_controls"
    address = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", typed))
    address = _MAIL_LINK.sub("", address.strip())
    if len(address) > MAX_ADDRESS:
        return address, "address_partial"
    if "@" not in address:
        return address, "address_partial"
    try:
        # Lower-cased whole, as the chat reads an address: a phone capitalises the first
        # letter, and the provider's mailboxes are lower case.
        return checked_address(profile, address).lower(), ""
    except ValueError:
        local, _, domain = address.rpartition("@")
        if local and profile.is_affected(address) and not local.isascii():
            # Kanji, kana or an invisible mark (U+202E) before the @ of one of our domains.
            return address, "address_characters"
        if len(local) > LONGEST_LOCAL_PART and profile.is_affected(address):
            return address, "address_too_long"
        if local and "." in domain and " " not in address:
            return address, "address_other_domain"
        return address, "address_partial"


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(char) in _CONTROLS for char in text)
