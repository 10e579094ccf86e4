"""A platform API that answers every call 200 with what no platform sends.

The first path segment says what: `/html/…` an HTML page (a proxy's or a web server's
welcome), `/empty/…` the JSON object `{}`, `/text/…` `ok` labelled as JSON. A base URL
`{url}/html` set as a channel's API URL is a wrong URL or a captive proxy at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from testbed.loopback import serving

ANSWERS: Final = {
    "html": ("<html><body>Welcome to nginx!</body></html>", "text/html"),
    "empty": ("{}", "application/json"),
    "text": ("ok", "application/json"),
}


async def _answer(request: Request) -> Response:
    body, media_type = ANSWERS[request.path_params["kind"]]
    return Response(body, media_type=media_type)


@contextmanager
def nonsense_api() -> Iterator[str]:
    """Yield the server's base URL; append one of ANSWERS' keys."""
    methods = ["GET", "POST"]
    app = Starlette(routes=[Route("/{kind}/{rest:path}", _answer, methods=methods)])
    with serving(app) as url:
        yield url
