"""Headers every answer carries unless its route says otherwise: no sniffing, no stored copies.

The JSON APIs answer with a subscriber's address, answers and transcript; the configuration
files with the address. Without `Cache-Control: no-store` a shared cache or the browser's
disk could keep them past the conversation's retention; without `nosniff` an old browser
could read a JSON body holding a subscriber's words as a page. A response that says how it
is cached (the UI texts, `embed.js`) or carries a validator (static files and pages, checked
again by ETag or Last-Modified) keeps its own caching.

Where subscribers reach the server over HTTPS (`MAILMOVE_PUBLIC_URL` is https://), every
answer also says to come back only over HTTPS (HSTS): a check link or a transcript is then
never fetched in clear after a mistyped http:// or a downgrading network. Not for sub-domains:
the provider's other hosts are not ours to pin.
"""

from __future__ import annotations

from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_NOSNIFF: Final = (b"x-content-type-options", b"nosniff")
_NO_STORE: Final = (b"cache-control", b"no-store")
_HSTS: Final = (b"strict-transport-security", b"max-age=31536000")
# A response with any of these has chosen its caching.
_CACHING: Final = frozenset({b"cache-control", b"etag", b"last-modified", b"expires"})


class ResponseHeaders:
    """Wrap `app`; add `nosniff`, to what chose no caching `no-store`, and with `https` HSTS."""

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self._app = app
        self._always = (_NOSNIFF, _HSTS) if https else (_NOSNIFF,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; complete the headers of its answer."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                headers += [header for header in self._always if header[0] not in names]
                if names.isdisjoint(_CACHING):
                    headers.append(_NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, send_with_headers)
