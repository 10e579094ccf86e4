"""What a button carries back: the id when it fits, else a hash the offered ids resolve."""

from __future__ import annotations

import pytest

from bot.channels.choice_codes import choice_code, is_hashed, resolve_choice


def test_a_choice_code_is_the_id_when_it_fits_and_a_hash_otherwise() -> None:
    assert choice_code("program:thunderbird", 64) == "program:thunderbird"
    long_id = "program:" + "あ" * 30
    code = choice_code(long_id, 64)
    assert code != long_id
    assert is_hashed(code)
    assert len(code.encode()) <= 64
    assert code == choice_code(long_id, 64)  # the same id always gets the same code
    assert resolve_choice(code, ["yes", long_id]) == long_id
    assert resolve_choice(code, ["yes"]) is None
    assert resolve_choice("yes", []) == "yes"


def test_an_id_that_looks_hashed_is_hashed_too() -> None:
    # Otherwise a real id "#abc" could be mistaken for the code of another id.
    assert choice_code("#abc", 64) != "#abc"
    assert resolve_choice(choice_code("#abc", 64), ["#abc"]) == "#abc"


def test_an_id_holding_a_reserved_separator_is_hashed() -> None:
    assert choice_code("yes~no", 300, reserved="~") != "yes~no"
    assert "~" not in choice_code("yes~no", 300, reserved="~")


def test_a_limit_too_small_for_a_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot carry a hashed choice"):
        choice_code("x" * 20, 10)
