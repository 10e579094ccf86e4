"""Reading a migration profile from disk; validation itself lives in `dialogs.profile`."""

from __future__ import annotations

import tomllib
import zoneinfo
from importlib import resources
from pathlib import Path
from typing import Final

from dialogs.profile import MigrationProfile, ProfileError, parse_profile

DEFAULT_PROFILE_NAME: Final = "default_profile.toml"


def load_profile(path: Path | None = None) -> MigrationProfile:
    """The profile at `path`, or the seed's profile shipped with the package.

    Raises ProfileError naming the file, the key and the problem, so start-up can stop
    with a message an operator can act on.
    """
    if path is None:
        source = f"<package>/bot/ops/{DEFAULT_PROFILE_NAME}"
        raw = resources.files("bot.ops").joinpath(DEFAULT_PROFILE_NAME).read_bytes()
    else:
        source = str(path)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ProfileError(source, "-", f"cannot be read: {err.strerror}") from err
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ProfileError(source, "-", f"is not valid TOML: {err}") from err
    profile = parse_profile(data, source)
    try:
        zoneinfo.ZoneInfo(profile.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ProfileError(
            source, "provider.timezone", f"{profile.timezone!r} is not a time zone like Asia/Tokyo"
        ) from None
    return profile
