"""The web chat on the provider's own site: `embed.js`, and who may frame the chat page.

A provider adds `<script src="https://<mailmove>/embed.js" defer></script>` to its pages;
the script adds a launcher button and opens the chat page in a panel (an iframe). Browsers
show the page in that frame only for the origins in `MAILMOVE_EMBED_ORIGINS`, which the chat
page's `frame-ancestors` lists; with none it stays `'none'`, as a page alone. The login
check page and the agent console never widen theirs: a password form and an agent's tools
have no business inside someone else's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, Response

EMBED_SCRIPT: Final = "/embed.js"
_STATIC: Final = resources.files("adapters.webchat").joinpath("static")
_SCRIPT_HEADERS: Final = {
    # Short: a provider's pages pick up a new version within minutes.
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    # Loaded by other sites' pages, including ones that demand CORP of what they embed.
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def frame_ancestors(origins: Sequence[str]) -> str:
    """The `frame-ancestors` sources for the chat page: the configured origins, or none."""
    return " ".join(origins) or "'none'"


async def embed_script(_: Request) -> Response:
    """`embed.js`, for the provider's pages to load from this server."""
    return FileResponse(
        str(_STATIC.joinpath("embed.js")),
        media_type="text/javascript; charset=utf-8",
        headers=_SCRIPT_HEADERS,
    )
