"""Configuration files a mail program can load, generated from the profile (no password).

Thunderbird fetches its autoconfig by itself (an operator points `autoconfig.<domain>` or
`<domain>/.well-known/...` here); Apple devices install the `.mobileconfig` the chat links
to; Outlook POSTs its autodiscover request.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from typing import Final, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dialogs.advice import offers_config_file
from dialogs.knowledge import timing
from dialogs.mail_config_files import (
    APPLE_FILE_READERS,
    AUTOCONFIG_READERS,
    AUTODISCOVER_READERS,
    AutodiscoverError,
    apple_mobileconfig,
    autodiscover_error,
    checked_address,
    outlook_autodiscover,
    thunderbird_autoconfig,
    withheld_for_webmail,
)
from dialogs.profile import MigrationProfile, ProgramName
from dialogs.settings_card import SmtpHost
from dialogs.texts import Texts
from dialogs.vocabulary import Locale, Sending

APPLE_PROFILE_PATH: Final = "/mail/apple.mobileconfig"
_XML: Final = "application/xml; charset=utf-8"
_APPLE: Final = "application/x-apple-aspen-config"
_Choice = TypeVar("_Choice", bound=enum.StrEnum)


def config_file_routes(
    profile: MigrationProfile, texts: Texts, *, today: Callable[[], dt.date]
) -> list[Route]:
    """The routes, bound to one profile; `texts` words the Apple file's names.

    `today` is the provider's calendar day: before the settings-change window no file is
    served, as the chat offers none (`dialogs.advice.offers_config_file`).
    """

    def not_yet() -> Response | None:
        # Mail still arrives on the old server until the window opens: a program set up from
        # a file then gets an account on the new one that stays empty, while the chat says
        # to change nothing yet. 404, so Thunderbird and Outlook look elsewhere.
        if offers_config_file(timing(profile, today())):
            return None
        opens = profile.schedule.window_start.isoformat()
        return JSONResponse(
            {"error": f"no configuration file before the settings-change window opens on {opens}"},
            status_code=404,
        )

    def for_webmail(readers: tuple[ProgramName, ...]) -> Response | None:
        # Every program that may load this file is sent to webmail ([webmail] only_for): the
        # chat gives them no settings, and neither does the file. 404, as before the window.
        programs = withheld_for_webmail(profile, readers)
        if not programs or profile.webmail is None:
            return None
        return JSONResponse(
            {
                "error": f"no configuration file: {', '.join(programs)} are sent to webmail"
                f" ([webmail] only_for): {profile.webmail.url}"
            },
            status_code=404,
        )

    async def autoconfig(request: Request) -> Response:
        if (refused := not_yet() or for_webmail(AUTOCONFIG_READERS)) is not None:
            return refused
        # One file serves every address: Thunderbird fills in %EMAILADDRESS% itself. Where
        # old domains move to different new ones, the address it asks for (or the host it
        # asked, autoconfig.<domain>) says which new domain the login is on.
        asked = request.query_params.get("emailaddress") or request.url.hostname
        return Response(thunderbird_autoconfig(profile, asked), media_type=_XML)

    async def apple(request: Request) -> Response:
        query = request.query_params
        try:
            readers = _apple_readers(query.get("program"), request.headers.get("user-agent", ""))
        except ValueError as err:
            return JSONResponse({"error": _one_line(err)}, status_code=400)
        if (refused := not_yet() or for_webmail(readers)) is not None:
            return refused
        # The link carries the verdict the chat gave (`sending`, `smtp`), so the file holds
        # the card's values; a link without them, or for settings no file can hold, is refused.
        try:
            address = checked_address(profile, query.get("emailaddress", ""))
            sending = _member(Sending, "sending", query.get("sending", ""))
            smtp_host = _member(SmtpHost, "smtp", query.get("smtp", ""))
            locale = _locale(query.get("lang"))
            document = apple_mobileconfig(
                profile, address, sending=sending, smtp_host=smtp_host, texts=texts, locale=locale
            )
        except ValueError as err:
            return JSONResponse({"error": _one_line(err)}, status_code=400)
        local = address.split("@", 1)[0]
        return Response(
            document,
            media_type=_APPLE,
            headers={"Content-Disposition": f'attachment; filename="{local}-mail.mobileconfig"'},
        )

    async def autodiscover(request: Request) -> Response:
        if (refused := not_yet() or for_webmail(AUTODISCOVER_READERS)) is not None:
            return refused
        try:
            answer = outlook_autodiscover(profile, await request.body())
        except AutodiscoverError as err:
            # The spec's error answer (ErrorCode 500, 600 or 601), still a 400: Outlook
            # reads XML here, and moves on to its next way of finding the settings.
            return Response(autodiscover_error(err), status_code=400, media_type=_XML)
        return Response(answer, media_type=_XML)

    return [
        Route("/mail/config-v1.1.xml", autoconfig, methods=["GET"]),
        Route("/.well-known/autoconfig/mail/config-v1.1.xml", autoconfig, methods=["GET"]),
        Route(APPLE_PROFILE_PATH, apple, methods=["GET"]),
        Route("/autodiscover/autodiscover.xml", autodiscover, methods=["POST"]),
        Route("/Autodiscover/Autodiscover.xml", autodiscover, methods=["POST"]),
    ]


def apple_profile_query(
    address: str,
    sending: Sending,
    smtp_host: SmtpHost | None,
    locale: Locale,
    program: str | None = None,
) -> str:
    """The query of an Apple file link: `emailaddress`, `sending`, `smtp`, `lang`, `program`.

    `lang` is the language of the names the device shows while installing the file;
    `program` the Apple program the subscriber chose (left out for any other), so the
    route can withhold the file from a program sent to webmail while the other is guided.
    """
    fields = {
        "emailaddress": address,
        "sending": sending.value,
        "smtp": (smtp_host or SmtpHost.UNSURE).value,
        "lang": locale,
    }
    if program in {reader.value for reader in APPLE_FILE_READERS}:
        fields["program"] = program
    return urlencode(fields)


# An iPhone, or an iPad in its mobile mode, names itself; an iPad asking for desktop pages
# says "Macintosh" as a Mac does, so a Mac's words prove nothing.
_IOS_AGENT: Final = re.compile(r"\((?:iPhone|iPad|iPod)\b")


def _apple_readers(program: str | None, user_agent: str) -> tuple[ProgramName, ...]:
    """The Apple programs that may install the file this request fetches.

    The device that asks wins where it names itself (a Mac's link opened on the iPhone the
    chat is on installs on the iPhone); then the program the chat's link names; a link
    without one (sent before links named it) may be for either.
    """
    if program is not None and program not in {reader.value for reader in APPLE_FILE_READERS}:
        raise ValueError(f"program {program!r} is not apple_mail or ios_mail")
    if _IOS_AGENT.search(user_agent):
        return (ProgramName.IOS_MAIL,)
    if program is not None:
        return (ProgramName(program),)
    return APPLE_FILE_READERS


def _member(kind: type[_Choice], name: str, value: str) -> _Choice:
    """The link parameter `name` read as one of `kind`'s values; the error names them all."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValueError(f"{name} must be one of {allowed} (not {value[:20]!r})") from None


def _locale(value: str | None) -> Locale:
    # A link from before `lang` existed is Japanese, the subscribers' language.
    if value is None or value == "ja":
        return "ja"
    if value == "en":
        return "en"
    raise ValueError(f"lang must be ja or en, not {value[:20]!r}")


def _one_line(err: ValueError) -> str:
    # An enum's ValueError quotes the bad value: fine, it is the caller's own query.
    return str(err).splitlines()[0][:200]
