"""How the pure dialog asks for words: a catalog lookup passed in, never a file read here.

Every string a subscriber sees is a catalog key (`"q1.question"`) translated by the
runtime from the gettext catalogs under `dialogs/locales/`. `N_` marks a key so that
`pybabel extract -k N_` finds it; the test suite checks every marked key exists in every
locale, with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from dialogs.vocabulary import Locale


class Texts(Protocol):
    """The message catalogs, as the dialog sees them."""

    def fill(self, locale: Locale, key: str, values: Mapping[str, object], /) -> str:
        """The text of `key` in `locale`, its `{placeholders}` filled from `values`."""
        ...

    def plain(self, locale: Locale, key: str, /) -> str | None:
        """The text of `key` in `locale` if it has no placeholders, else None.

        `fill` would return that text whatever the values. A missing key is None too (`fill`
        refuses it).
        """
        ...


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark a catalog key for extraction; returns it unchanged."""
    return key
