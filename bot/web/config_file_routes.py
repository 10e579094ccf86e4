"""Configuration files a mail program can load, generated from the profile (no password).

Thunderbird fetches its autoconfig by itself (an operator points `autoconfig.<domain>` or
`<domain>/.well-known/...` here); Apple devices install the `.mobileconfig` the chat links
to; Outlook POSTs its autodiscover request.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dialogs.mail_config_files import (
    apple_mobileconfig,
    checked_address,
    outlook_autodiscover,
    thunderbird_autoconfig,
)
from dialogs.profile import MigrationProfile

APPLE_PROFILE_PATH: Final = "/mail/apple.mobileconfig"
_XML: Final = "application/xml; charset=utf-8"
_APPLE: Final = "application/x-apple-aspen-config"


def config_file_routes(profile: MigrationProfile) -> list[Route]:
    """The routes, bound to one profile."""

    async def autoconfig(_: Request) -> Response:
        # One file serves every address: Thunderbird fills in %EMAILADDRESS% itself.
        return Response(thunderbird_autoconfig(profile), media_type=_XML)

    async def apple(request: Request) -> Response:
        try:
            address = checked_address(profile, request.query_params.get("emailaddress", ""))
        except ValueError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        local = address.split("@", 1)[0]
        return Response(
            apple_mobileconfig(profile, address),
            media_type=_APPLE,
            headers={"Content-Disposition": f'attachment; filename="{local}-mail.mobileconfig"'},
        )

    async def autodiscover(request: Request) -> Response:
        try:
            answer = outlook_autodiscover(profile, await request.body())
        except ValueError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        return Response(answer, media_type=_XML)

    return [
        Route("/mail/config-v1.1.xml", autoconfig, methods=["GET"]),
        Route("/.well-known/autoconfig/mail/config-v1.1.xml", autoconfig, methods=["GET"]),
        Route(APPLE_PROFILE_PATH, apple, methods=["GET"]),
        Route("/autodiscover/autodiscover.xml", autodiscover, methods=["POST"]),
        Route("/Autodiscover/Autodiscover.xml", autodiscover, methods=["POST"]),
    ]
