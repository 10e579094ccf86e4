"""No words name no password, and are not read for one (speed9).

Every turn asks `names_a_password` whether its words end naming a password; a pressed button
(most turns) has none, and reading "" through the redaction's patterns cost 9-25 µs a turn.
It now answers False at once; these tests hold that this is what the reading itself says of
an empty text, whatever the marks and accounts.
"""

from __future__ import annotations

import pytest

import dialogs.redaction
from dialogs.redaction import (
    _A_NAME_LAST,
    _ANNOUNCED,
    _FIELD_OR_WHAT_IT_IS_LAST,
    _HEDGE_ALONE,
    _NAMED_LAST,
    _WORD_ALONE,
    _name_joined_last,
    _Reading,
    names_a_password,
)

ACCOUNTS = [(), ("taro", "taro@vp.117.ne.jp"), ("t-a.r+o_1@vp.117.ne.jp",), ("Taro",)]


def test_an_empty_text_reads_as_nothing() -> None:
    assert _Reading.of("").text == ""


@pytest.mark.parametrize(
    "pattern",
    [_HEDGE_ALONE, _WORD_ALONE, _NAMED_LAST, _ANNOUNCED, _FIELD_OR_WHAT_IT_IS_LAST, _A_NAME_LAST],
)
def test_no_pattern_of_the_reading_finds_anything_in_nothing(pattern: object) -> None:
    assert isinstance(pattern, type(_A_NAME_LAST))
    assert pattern.search("") is None
    assert pattern.fullmatch("") is None


@pytest.mark.parametrize("accounts", ACCOUNTS)
@pytest.mark.parametrize("named_before", [False, True])
def test_nothing_said_names_no_password(accounts: tuple[str, ...], named_before: bool) -> None:
    if accounts:
        assert _name_joined_last(accounts).search("") is None
    assert names_a_password("", accounts=accounts, named_before=named_before) is False
    # Blanks are read in full (a reading of "", as the empty text's would be): the same answer.
    assert names_a_password(" \n", accounts=accounts, named_before=named_before) is False


def test_a_press_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def unread(text: str) -> _Reading:
        raise AssertionError(f"read {text!r}")

    monkeypatch.setattr(dialogs.redaction._Reading, "of", staticmethod(unread))
    assert names_a_password("", accounts=ACCOUNTS[1], named_before=True) is False
