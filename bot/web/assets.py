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

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

ASSET_SUFFIXES: Final = frozenset({".js", ".css", ".png", ".jpg", ".webp", ".ico", ".woff2"})


class Assets(StaticFiles):
    """StaticFiles for a page's assets only: any other kind of file is a 404."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at `path` if it is an asset; 404 for anything else."""
        if PurePosixPath(path).suffix.lower() not in ASSET_SUFFIXES:
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)
