"""Reading a migration profile from disk; validation itself lives in `dialogs.profile`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import ssl
import tomllib
import zoneinfo
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Final

from publicsuffixlist import PublicSuffixList

from dialogs.profile import (
    CheckAccess,
    MigrationProfile,
    ProfileError,
    parse_profile,
    time_of_day_hint,
)

DEFAULT_PROFILE_NAME: Final = "default_profile.toml"


def load_profile(path: Path | None = None) -> MigrationProfile:
    """The profile at `path`, or the seed's profile shipped with the package.

    Raises ProfileError naming the file, the key and the problem, so start-up can stop
    with a message an operator can act on. A server's `check.ca_file` comes back as an
    absolute path, checked to hold PEM certificates: the live check opens it as it is.
    """
    if path is None:
        source = f"<package>/bot/ops/{DEFAULT_PROFILE_NAME}"
        raw = resources.files("bot.ops").joinpath(DEFAULT_PROFILE_NAME).read_bytes()
        folder = Path(str(resources.files("bot.ops")))
    else:
        source = str(path)
        folder = path.resolve().parent
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ProfileError(source, "", f"cannot be read: {err.strerror}") from err
    try:
        # utf-8-sig: Windows editors save UTF-8 with a byte order mark, which TOML refuses.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProfileError(
            source, "", f"is not UTF-8 text (save it as UTF-8, not Shift_JIS): {err}"
        ) from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(
            source, "", f"is not valid TOML: {err}{_quoted_line(text, err)}"
        ) from err
    profile = parse_profile(data, source)
    try:
        zoneinfo.ZoneInfo(profile.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ProfileError(
            source, "provider.timezone", f"{profile.timezone!r} is not a time zone like Asia/Tokyo"
        ) from None
    return dataclasses.replace(
        profile,
        sites=sites_of(profile.own_hosts),
        incoming=dataclasses.replace(
            profile.incoming,
            check=_checked_access(profile.incoming.check, folder, source, "incoming"),
        ),
        outgoing=dataclasses.replace(
            profile.outgoing,
            check=_checked_access(profile.outgoing.check, folder, source, "outgoing"),
        ),
    )


def sites_of(hosts: Iterable[str]) -> tuple[str, ...]:
    """The registrable domain of each of `hosts`, as the Public Suffix List says, each once.

    'vp.117.ne.jp' → '117.ne.jp' (the registry gives out names under 'ne.jp'), 'mail.abc.de'
    → 'abc.de', 'isp.tokyo.jp' → itself ('tokyo.jp' is a registry's). A host that is itself
    a public suffix has none. Unknown top-level domains ('.example', '.test') count as
    public, so 'mail.example' is a site of its own.
    """
    names = tuple(host.lower().rstrip(".") for host in hosts)
    suffixes = _suffix_list(frozenset(name.rsplit(".", 1)[-1] for name in names))
    found = (suffixes.privatesuffix(name) for name in names)
    return tuple(dict.fromkeys(site for site in found if site))


@functools.cache
def _suffix_rules() -> tuple[str, ...]:
    """The rules of the Public Suffix List publicsuffixlist ships (no download)."""
    listed = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat")
    return tuple(
        line for line in listed.read_text(encoding="utf-8").splitlines() if line and line[0] != "/"
    )


@functools.cache
def _suffix_list(tlds: frozenset[str]) -> PublicSuffixList:
    """The list's rules for the top-level domains `tlds` alone.

    A host's answer depends only on the rules of its own top-level domain, and the whole
    list took 150-280 ms to parse (each process, each test worker); a country's, a few.
    """
    rules = (rule for rule in _suffix_rules() if rule.rsplit(".", 1)[-1].lstrip("*!") in tlds)
    return PublicSuffixList(rules)


def _checked_access(access: CheckAccess, folder: Path, source: str, server: str) -> CheckAccess:
    """`access` with its `ca_file` made absolute, once it is known to hold PEM certificates.

    A CA file that is missing or not PEM would otherwise surface only at the first
    subscriber's check, as an untrusted certificate: stop at start-up instead.
    """
    if access.ca_file is None:
        return access
    key = f"{server}.check.ca_file"
    ca_file = (folder / access.ca_file).resolve()
    if ca_file.is_dir():
        raise ProfileError(source, key, f"{ca_file} is a folder, not a PEM file")
    if not ca_file.is_file():
        raise ProfileError(
            source, key, f"{ca_file} does not exist (paths are relative to the profile)"
        )
    try:
        ssl.create_default_context().load_verify_locations(cafile=ca_file)
    except (ssl.SSLError, OSError, ValueError) as err:
        raise ProfileError(source, key, f"{ca_file} holds no PEM certificate: {err}") from None
    return dataclasses.replace(access, ca_file=str(ca_file))


_AT_LINE: Final = re.compile(r"\(at line (\d+), column \d+\)")
_TIMED_DAY: Final = re.compile(
    r"(?P<key>\w+)\s*=\s*(?P<day>\d{4}-\d{2}-\d{2})[ T](?P<h>\d{1,2}):(?P<m>\d{2})"
)


def _quoted_line(text: str, err: tomllib.TOMLDecodeError) -> str:
    """The line the TOML error is on, quoted: 「(at line 32, column 14)」 named no key.

    `window_end = 2027-09-31` (a day September does not have) read 'Invalid date or
    datetime (at line 32, column 14)'; with the line, the key and the value are in sight.
    """
    # Python 3.11's error has no lineno attribute (3.14's has): its message says the line.
    at = _AT_LINE.search(str(err))
    number = int(at.group(1)) if at else 0
    lines = text.splitlines()
    if not 1 <= number <= len(lines):
        return ""
    line = lines[number - 1].strip()
    if not line:
        return ""
    # 「2027-05-10 15:00」, a notice's cut-over time (TOML wants its seconds): say what to write.
    timed = _TIMED_DAY.match(line)
    if timed is not None:
        try:
            when = dt.datetime.fromisoformat(f"{timed['day']}T{int(timed['h']):02}:{timed['m']}")
        except ValueError:
            return f": {line[:120]}"
        return f": {line[:120]}: {time_of_day_hint(timed['key'], when)}"
    return f": {line[:120]}"
