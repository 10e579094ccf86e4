"""The password page of the live login check: `GET /check/{token}` shows it, POST runs it.

Deliberately plain: no script, nothing loaded from elsewhere, not cacheable, not framable,
and the password field is the only input the subscriber types.
"""

from __future__ import annotations

import html
import unicodedata
from string import Template
from typing import Final
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.mailcheck.login_checks import LoginChecks, PageStatus, PageView
from bot.ops.catalogs import Catalogs

MAX_PASSWORD: Final = 256
_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
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
_PAGE: Final = Template("""<!doctype html>
<html lang="$lang"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title</title>
<style>
body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",system-ui,sans-serif;
background:#f3f6fa;color:#1c2733;line-height:1.7}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:12px;padding:1.5rem 1.75rem;
box-shadow:0 2px 12px rgba(20,40,80,.08)}
h1{font-size:1.25rem;margin:0 0 1rem;color:#0b4f8a}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=password]{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.6rem .7rem;
border:1px solid #9fb3c8;border-radius:8px}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
button{margin-top:1.25rem;width:100%;font-size:1.05rem;padding:.75rem;border:0;border-radius:8px;
background:#0b63b5;color:#fff;font-weight:700;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.address{font-family:ui-monospace,monospace;background:#eef3f8;
padding:.15rem .4rem;border-radius:4px}
.note{font-size:.9rem;color:#4a5a6a}
.result p{margin:.5rem 0}
</style></head>
<body><main>
<h1>$title</h1>
$body
</main></body></html>
""")


class CheckPage:
    """The page's routes, worded from the catalogs in the conversation's language."""

    def __init__(self, checks: LoginChecks, catalogs: Catalogs) -> None:
        self._checks = checks
        self._catalogs = catalogs

    def routes(self) -> list[Route]:
        """GET shows the form, POST runs the check."""
        return [
            Route("/check/{token}", self.show, methods=["GET"]),
            Route("/check/{token}", self.submit, methods=["POST"]),
        ]

    async def show(self, request: Request) -> Response:
        """The form, or why the link cannot be used."""
        view = await self._checks.form(request.path_params["token"])
        return self._render(view)

    async def submit(self, request: Request) -> Response:
        """Run the check with the typed password; the password goes nowhere else."""
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        password = (fields.get("password") or [""])[0]
        if not _typeable(password):
            # Refused before the link is claimed or the rate limit counts: a NUL or a line
            # break could end an SMTP or POP command line, and no one types them anyway.
            view = await self._checks.form(request.path_params["token"])
            return self._render(view, error=True)
        with_round_trip = (fields.get("round_trip") or [""])[0] == "1"
        view = await self._checks.run(
            request.path_params["token"], password, with_round_trip=with_round_trip
        )
        del password, fields  # nothing below needs it; do not keep it alive longer
        return self._render(view)

    def _render(self, view: PageView, *, error: bool = False) -> Response:
        def say(key: str) -> str:
            return html.escape(self._catalogs(view.locale, f"check_page.{key}"))

        if view.status is PageStatus.FORM:
            body = (
                f"<p>{say('lead')}</p>"
                f'<p>{say("address")}: <span class="address">{html.escape(view.address)}</span></p>'
                + (f'<p role="alert">{say("password_missing")}</p>' if error else "")
                + '<form method="post" autocomplete="off">'
                f'<label for="password">{say("password_label")}</label>'
                '<input id="password" name="password" type="password" required '
                f'maxlength="{MAX_PASSWORD}" autocomplete="current-password" autofocus>'
                f'<p class="note">{say("password_note")}</p>'
                '<label class="check"><input type="checkbox" name="round_trip" value="1">'
                f"<span>{say('round_trip_label')}</span></label>"
                f'<button type="submit">{say("submit")}</button></form>'
            )
        elif view.status is PageStatus.DONE:
            paragraphs = "".join(
                f"<p>{html.escape(line)}</p>" for text in view.lines for line in text.split("\n")
            )
            body = f'<div class="result" role="status">{paragraphs}</div><p>{say("done")}</p>'
        else:
            body = f'<p role="alert">{say(view.status.value)}</p>'
        page = _PAGE.substitute(lang=view.locale, title=say("title"), body=body)
        status = 400 if error and view.status is PageStatus.FORM else _STATUS_CODES[view.status]
        return HTMLResponse(page, status_code=status, headers=_HEADERS)


def _typeable(password: str) -> bool:
    """Whether a password is one a person can type: present, not too long, no controls."""
    return 0 < len(password) <= MAX_PASSWORD and not any(
        unicodedata.category(char) == "Cc" for char in password
    )
