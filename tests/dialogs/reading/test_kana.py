"""Hiragana and katakana meet in one script, through jaconv's tables (dialogs.kana)."""

from __future__ import annotations

from dialogs.kana import hiragana, katakana


def test_every_kana_letter_and_iteration_mark_meets_its_other_script() -> None:
    # 「いすゞ」 typed before conversion and 「イスヾ」 are one word; the table written here
    # before left 「ゞ」 as it was, so the two never met.
    assert katakana("さんだーばーど いすゞ ゔ ゕゖ") == "サンダーバード イスヾ ヴ ヵヶ"
    assert hiragana("サンダーバード イスヾ ヴ ヵヶ") == "さんだーばーど いすゞ ゔ ゕゖ"


def test_what_is_no_kana_stays_as_it_was() -> None:
    typed = "Outlook 2019（受信）ｱｳﾄﾙｯｸ ー・"
    assert katakana(typed) == typed
    assert hiragana(typed) == typed
