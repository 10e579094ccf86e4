"""What a button carries back: the id when it fits, else a hash the offered ids resolve."""

from __future__ import annotations

import pytest

from bot.channels.choice_codes import (
    choice_code,
    is_hashed,
    question_of,
    resolve_choice,
    with_question,
)


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


def test_a_button_names_its_question_and_reads_back_without_it() -> None:
    tag = "0123456789abcdef"
    assert with_question("program:outlook_new", tag) == f"program:outlook_new~{tag}"
    assert question_of(f"program:outlook_new~{tag}") == ("program:outlook_new", tag)
    assert with_question("yes", "") == "yes"
    # Untagged data, or a tail that is no question tag (a LINE push's), names none.
    assert question_of("yes") == ("yes", None)
    assert question_of("yes~p123456789abcdef") == ("yes~p123456789abcdef", None)
    assert question_of(f"~{tag}") == (f"~{tag}", None)
