"""A password word spelt with look-alike letters, digits or a hyphen still names the password.

A subscriber's keyboard, a pasted dialog or someone testing the bot writes "password" with a
Cyrillic 「а」 or 「р」, a Greek 「ο」, "p@ssword", "passw0rd" or "pass-word"; each kept the
password after it as typed (store, transcript, agent API, desk messages), and "pass-word"
masked '-word:' and kept the password.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, redact


@pytest.mark.parametrize(
    "word",
    [
        "p\u0430ssword",  # Cyrillic а
        "\u0440\u0430ssw\u043erd",  # Cyrillic р, а, о
        "p\u03b1ssword",  # Greek α
        "passw\u03bfrd",  # Greek ο
        "\u03a1ASSWORD",  # Greek Ρ
        "\u0420\u0410SSW\u041eRD",  # Cyrillic Р, А, О
        "pa\u0455\u0455word",  # Cyrillic ѕ
        "p@ssword",
        "passw0rd",
        "pa$$word",
        "P4SSW0RD",
        "pass-word",
        "pass_word",
    ],
)
@pytest.mark.parametrize("between", [": ", " is ", "：", "は "])
def test_a_password_word_spelt_otherwise_still_names_the_password(word: str, between: str) -> None:
    typed = f"{word}{between}Kq7xyz99"
    masked, found = redact(typed)
    assert found
    assert "Kq7xyz99" not in masked
    # The word itself is the subscriber's and stays as typed.
    assert masked == f"{word}{between}{MASK}"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Look-alike letters inside the password itself: masked whole, not cut at them.
        ("password: Kq7\u0445yz99", f"password: {MASK}"),
        ("パスワードは \u041aq7xyz99 です", f"パスワードは {MASK} です"),
    ],
)
def test_look_alike_letters_inside_a_password_do_not_keep_part_of_it(
    typed: str, stored: str
) -> None:
    assert redact(typed) == (stored, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Привет, я не могу отправить почту",
        "Το password μου δεν λειτουργεί",
        "p@ssword reset please",
        "the passw0rd field is empty",
        "pass-word is the same as before",
    ],
)
def test_sentences_with_those_spellings_mask_nothing(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)
