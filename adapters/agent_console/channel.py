"""The agents' console: one page over the agent API (`/api/agent/`), served at `/agent/`.

The page is public and holds no data: everything it shows comes from the agent API, which
wants an agent token on every call. The page asks for the token once and keeps it in the
tab's sessionStorage; a strict Content-Security-Policy keeps any other script from reading
it there.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bot.ops.catalogs import Catalogs
from bot.runtime import Runtime
from bot.web.assets import Assets
from bot.web.json_response import FastJSONResponse
from dialogs.vocabulary import LOCALES, Reply

CHANNEL: Final = "agent_console"
_STATIC: Final = resources.files("adapters.agent_console").joinpath("static")
_UI_PREFIX: Final = "console."
# Scripts, styles and requests from this server only, and never inside another site's frame.
PAGE_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    # For browsers that do not read frame-ancestors.
    "X-Frame-Options": "DENY",
}


class AgentConsoleChannel:
    """Serves the console page, its assets and its words; subscribers never reach it."""

    name = CHANNEL

    def __init__(self, catalogs: Catalogs) -> None:
        self._catalogs = catalogs

    def routes(self) -> Sequence[BaseRoute]:
        """The page, its assets and its texts."""
        return [
            Route("/agent", self.to_page, methods=["GET"]),
            Route("/agent/", self.page, methods=["GET"]),
            Mount("/agent/static", app=Assets(directory=str(_STATIC)), name="agent_console"),
            Route("/agent/texts/{locale}", self.ui_texts, methods=["GET"]),
        ]

    async def start(self) -> None:
        """Nothing to start: the page is served by the runtime's server."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: no subscriber talks through the console."""

    async def to_page(self, _: Request) -> Response:
        """`/agent` without the slash: the page's relative links need it."""
        return RedirectResponse("/agent/", status_code=308)

    async def page(self, _: Request) -> Response:
        """The console page."""
        return FileResponse(
            str(_STATIC.joinpath("console.html")), media_type="text/html", headers=PAGE_HEADERS
        )

    async def ui_texts(self, request: Request) -> Response:
        """The console's own words in one language, from the `console.*` catalog keys."""
        locale = request.path_params["locale"]
        if locale not in LOCALES:
            return FastJSONResponse({"error": "unknown locale"}, status_code=404)
        texts = {
            key.removeprefix(_UI_PREFIX): self._catalogs.raw(locale, key)
            for key in sorted(self._catalogs.keys(locale))
            if key.startswith(_UI_PREFIX)
        }
        return FastJSONResponse(texts, headers={"Cache-Control": "max-age=300"})


def create_channel(runtime: Runtime) -> AgentConsoleChannel:
    """Entry point of the `agent_console` channel: always on (the API behind it needs tokens)."""
    return AgentConsoleChannel(runtime.catalogs)
