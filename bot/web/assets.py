"""The static files a page loads: its scripts, styles and images, and never a page.

The chat page and the agent console live beside their assets, but each is served by a route
of its own that adds its Content-Security-Policy and `frame-ancestors`. Served again as a
plain static file (`/agent/static/console.html`), a page had none of them, and any site
could frame it. So a static mount answers only for the kinds of file a page loads; an HTML
file, or an SVG (which runs its own scripts when opened directly), is not found there.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSET_SUFFIXES: Final = frozenset({".js", ".css", ".png", ".jpg", ".webp", ".ico", ".woff2"})


class Assets(StaticFiles):
    """StaticFiles for a page's assets only: any other kind of file is a 404."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at `path` if it is an asset; 404 for anything else."""
        if PurePosixPath(path).suffix.lower() not in ASSET_SUFFIXES:
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)


def compressed(assets: ASGIApp) -> ASGIApp:
    """`assets` sent gzip-compressed to a browser that takes it, under weak entity tags.

    The file's strong tag came on the compressed bytes and on the plain ones alike, which
    RFC 9110 (8.8.3) forbids: a strong tag says two answers are the same bytes, and a cache
    or a range request may join them. Made weak, as nginx does when it compresses, it says
    only that the content is the same, which it is; If-None-Match compares weakly, so a
    returning browser still gets 304 with either form of the tag.
    """
    return GZipMiddleware(_WeakTags(assets))


class _WeakTags:
    """Marks the ETag of every answer (a 304's too) as weak."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_weak(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                tag = headers.get("etag")
                if tag is not None and not tag.startswith("W/"):
                    headers["etag"] = f"W/{tag}"
            await send(message)

        await self._app(scope, receive, send_weak)
