"""The gettext catalogs (Babel `.po` files under `dialogs/locales/`), loaded once.

Catalog keys are stable ids (`"q1.question"`) and every locale, English included, is a
translation, so no subscriber-facing sentence lives in code.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from importlib import resources
from typing import Final

from babel.messages.pofile import read_po

from dialogs.vocabulary import LOCALES, Locale

_LOGGER: Final = logging.getLogger(__name__)
_FORMATTER: Final = string.Formatter()


class CatalogError(ValueError):
    """A catalog that cannot serve: a missing key or a placeholder nobody filled."""


def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a template expects."""
    return frozenset(name for _, name, _, _ in _FORMATTER.parse(template) if name)


class Catalogs:
    """Every locale's messages; callable as `dialogs.texts.Texts`."""

    def __init__(self, messages: Mapping[Locale, Mapping[str, str]]) -> None:
        self._messages = messages
        # Templates without a brace need no formatting: most button labels and many texts.
        self._plain = {
            locale: {key: "{" not in text and "}" not in text for key, text in table.items()}
            for locale, table in messages.items()
        }

    @classmethod
    def load(cls) -> Catalogs:
        """Read every `.po` domain of every locale shipped in `dialogs/locales`."""
        root = resources.files("dialogs").joinpath("locales")
        loaded: dict[Locale, dict[str, str]] = {}
        for locale in LOCALES:
            merged: dict[str, str] = {}
            folder = root.joinpath(locale, "LC_MESSAGES")
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if not entry.name.endswith(".po"):
                    continue
                with entry.open("rb") as handle:
                    catalog = read_po(handle, locale=locale)
                for message in catalog:
                    if message.id and isinstance(message.id, str) and message.string:
                        merged[message.id] = str(message.string)
            loaded[locale] = merged
        return cls(loaded)

    def keys(self, locale: Locale) -> frozenset[str]:
        """Every key that has a translation in `locale`."""
        return frozenset(self._messages[locale])

    def raw(self, locale: Locale, key: str) -> str:
        """The untranslated template, placeholders and all."""
        try:
            return self._messages[locale][key]
        except KeyError:
            raise CatalogError(f"no {locale} text for {key!r}") from None

    def __call__(self, locale: Locale, key: str, /, **params: object) -> str:
        """The text of `key` in `locale`, placeholders filled from `params`."""
        return self.fill(locale, key, params)

    def fill(self, locale: Locale, key: str, values: Mapping[str, object], /) -> str:
        """The text of `key` in `locale`, placeholders filled from `values`."""
        template = self.raw(locale, key)
        if self._plain[locale][key]:
            return template
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError) as err:
            raise CatalogError(f"{locale} text {key!r} cannot be filled: {err!r}") from err
