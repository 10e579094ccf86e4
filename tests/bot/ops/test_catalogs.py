"""The catalogs are complete: every marked key in every language, with matching placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bot.ops.catalogs import CatalogError, Catalogs, placeholders
from dialogs.vocabulary import LOCALES

ROOT = Path(__file__).resolve().parents[3]


def marked_keys() -> set[str]:
    """Every key wrapped in N_() in the dialog code, as `pybabel extract -k N_` sees them."""
    found = extract_from_dir(
        str(ROOT / "dialogs"),
        method_map=[("**.py", "python")],
        keywords={"N_": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_marked_key_is_translated_in_every_language(catalogs: Catalogs) -> None:
    keys = marked_keys()
    assert len(keys) > 80
    for locale in LOCALES:
        missing = keys - catalogs.keys(locale)
        assert not missing, f"{locale} lacks {sorted(missing)}"


def test_both_languages_hold_the_same_keys(catalogs: Catalogs) -> None:
    assert catalogs.keys("ja") == catalogs.keys("en")


# Date formats legitimately differ: Japanese writes the month as a number, English as a name.
LOCALE_SPECIFIC = {"date.format"}


def test_placeholders_match_between_languages(catalogs: Catalogs) -> None:
    for key in catalogs.keys("ja") - LOCALE_SPECIFIC:
        assert placeholders(catalogs.raw("ja", key)) == placeholders(catalogs.raw("en", key)), key


def test_a_missing_key_or_placeholder_is_an_error_not_a_blank(catalogs: Catalogs) -> None:
    with pytest.raises(CatalogError):
        catalogs("ja", "no.such.key")
    with pytest.raises(CatalogError):
        catalogs("ja", "address.thanks")  # needs {address}


def test_japanese_is_polite(catalogs: Catalogs) -> None:
    # Sentences addressed to the subscriber end in です/ます forms, not plain forms.
    for key in ("q1.question", "verdict.sending_required", "topic.password.answer"):
        text = catalogs.raw("ja", key)
        assert any(ending in text for ending in ("です", "ます", "ください")), key


@pytest.mark.parametrize("po", sorted((ROOT / "dialogs" / "locales").glob("*/LC_MESSAGES/*.po")))
def test_each_key_is_written_once_in_its_catalog(po: Path) -> None:
    # Engineers edit the catalogs side by side: a key written twice is read as the last copy,
    # so an edit to the first changes nothing the subscriber sees (eb1f52c held four twice).
    # `msgid ""` opens the header and any key written over several lines: not a key itself.
    lines = po.read_text(encoding="utf-8").splitlines()
    ids = [line for line in lines if line.startswith("msgid ") and line != 'msgid ""']
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"{po.relative_to(ROOT)}: {twice}"
