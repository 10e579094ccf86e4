"""The gettext catalogs (Babel `.po` files under `dialogs/locales/`), loaded once.

Catalog keys are stable ids (`"q1.question"`) and every locale, English included, is a
translation, so no subscriber-facing sentence lives in code.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Final

from babel.messages.pofile import read_po

from dialogs.vocabulary import LOCALES, Locale

_LOGGER: Final = logging.getLogger(__name__)
_FORMATTER: Final = string.Formatter()


@dataclass(frozen=True)
class _PoFile:
    """One `.po` file, compared by name, size and modification time (not by its text)."""

    entry: Traversable = field(compare=False)
    name: str
    stamp: tuple[int, int] | None  # None: not on disk (a zipped package), never changes

    @classmethod
    def of(cls, entry: Traversable) -> _PoFile:
        if isinstance(entry, Path):
            stat = entry.stat()
            return cls(entry, str(entry), (stat.st_size, stat.st_mtime_ns))
        return cls(entry, entry.name, None)


@lru_cache(maxsize=4)
def _parsed(domains: tuple[tuple[Locale, _PoFile], ...]) -> Mapping[Locale, Mapping[str, str]]:
    """Every locale's messages, its domains merged; read-only, as every caller shares it."""
    loaded: dict[Locale, dict[str, str]] = {locale: {} for locale in LOCALES}
    for locale, po_file in domains:
        with po_file.entry.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if message.id and isinstance(message.id, str) and message.string:
                loaded[locale][message.id] = str(message.string)
    return MappingProxyType({locale: MappingProxyType(table) for locale, table in loaded.items()})


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
        self._plain: dict[Locale, dict[str, str]] = {
            locale: {
                key: text for key, text in table.items() if "{" not in text and "}" not in text
            }
            for locale, table in messages.items()
        }

    @classmethod
    def load(cls) -> Catalogs:
        """Read every `.po` domain of every locale shipped in `dialogs/locales`.

        Files already read (same name, size and modification time) are not parsed again:
        the tests build hundreds of runtimes in one process, and parsing took 0.1–0.4 s each.
        """
        root = resources.files("dialogs").joinpath("locales")
        domains = tuple(
            (locale, _PoFile.of(entry))
            for locale in LOCALES
            for entry in sorted(
                root.joinpath(locale, "LC_MESSAGES").iterdir(), key=lambda e: e.name
            )
            if entry.name.endswith(".po")
        )
        return cls(_parsed(domains))

    def with_variants(self, variants: tuple[str, ...]) -> Catalogs:
        """These catalogs as a profile words them: `key.<variant>` stands in for `key`.

        A profile that the notice's words do not fit in many places at once (a new
        password, where the notice says 「パスワードの変更はございません」) has a twin of
        each such text; every surface (chat, guides, check page, desk) then says the twin
        without asking the profile itself. No variants: these very catalogs.
        """
        if not variants:
            return self
        suffixes = tuple(f".{variant}" for variant in variants)
        tables: dict[Locale, Mapping[str, str]] = {}
        for locale, table in self._messages.items():
            merged = dict(table)
            for suffix in suffixes:
                merged.update(
                    (key.removesuffix(suffix), text)
                    for key, text in table.items()
                    if key.endswith(suffix)
                )
            tables[locale] = MappingProxyType(merged)
        return Catalogs(MappingProxyType(tables))

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

    def plain(self, locale: Locale, key: str, /) -> str | None:
        """The text of `key` in `locale` if it has no placeholders, else None (or no key)."""
        table = self._plain.get(locale)
        return table.get(key) if table is not None else None

    def fill(self, locale: Locale, key: str, values: Mapping[str, object], /) -> str:
        """The text of `key` in `locale`, placeholders filled from `values`."""
        template = self.raw(locale, key)
        if key in self._plain[locale]:
            return template
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError) as err:
            raise CatalogError(f"{locale} text {key!r} cannot be filled: {err!r}") from err
