"""`MAILMOVE_EMBED_ORIGINS`: the sites allowed to show the web chat in a frame.

Each entry is an origin, `scheme://host[:port]`, exactly as a Content-Security-Policy
`frame-ancestors` source names one. Paths, queries and user names are refused (a frame
ancestor is a whole origin; a path would read as a promise the browser does not keep), and
so are wildcards: `https://*.example.jp` would let any page on any sub-domain — a customer's
home page, a forgotten test host — frame the chat and overlay it (clickjacking). List each
site instead.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

_SCHEMES: Final = ("http", "https")
# A DNS name (labels of letters, digits and inner hyphens) or an IPv4 address.
_HOST: Final = re.compile(
    r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)
_IPV6: Final = re.compile(r"\[[0-9a-f:.]+\]")


def embed_origins(value: str) -> tuple[str, ...]:
    """The comma-separated origins of `value`, normalised; ValueError names the bad one."""
    origins: list[str] = []
    for entry in (part.strip() for part in value.split(",")):
        if entry:
            origin = embed_origin(entry)
            if origin not in origins:
                origins.append(origin)
    return tuple(origins)


def embed_origin(entry: str) -> str:
    """One origin, lower-cased, without a trailing slash; ValueError says what is wrong."""
    if "*" in entry:
        raise ValueError(f"{entry!r}: wildcards are not allowed; list each site's origin")
    if any(char.isspace() or char in "'\";" for char in entry):
        raise ValueError(f"{entry!r} is not an origin like https://www.example.jp")
    parts = urlsplit(entry)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not entry.lower().startswith(f"{scheme}://"):
        raise ValueError(f"{entry!r}: an origin starts with https:// (or http://)")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in entry:
        raise ValueError(f"{entry!r}: an origin has no path, like https://www.example.jp")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{entry!r}: an origin names no user")
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    host = host.lower()
    if not (_HOST.fullmatch(host) or _IPV6.fullmatch(host)):
        raise ValueError(f"{entry!r}: {host or 'the host'} is not a host name")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{entry!r}: the port must be a number from 1 to 65535") from None
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"{entry!r}: the port must be a number from 1 to 65535")
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")
