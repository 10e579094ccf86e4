"""The helpers the platform renderers share: cutting text to a limit, batching."""

from __future__ import annotations

import pytest

from adapters.rendering import batched, split_text, truncate, utf16_length


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("短い", 5, ["短い"]),
        ("一段落目\n\n二段落目", 6, ["一段落目", "二段落目"]),
        ("一行目\n二行目\n三行目", 7, ["一行目\n二行目", "三行目"]),
        ("one two three", 8, ["one two", "three"]),
        ("あいうえおかきくけこ", 4, ["あいうえ", "おかきく", "けこ"]),
    ],
)
def test_split_text_cuts_at_the_largest_boundary_that_fits(
    text: str, limit: int, expected: list[str]
) -> None:
    assert split_text(text, limit) == expected


def test_split_text_keeps_paragraphs_together_when_they_fit() -> None:
    paragraphs = ["a" * 40, "b" * 40, "c" * 40]
    assert split_text("\n\n".join(paragraphs), 90) == ["a" * 40 + "\n\n" + "b" * 40, "c" * 40]


def test_a_lead_in_line_is_not_sent_alone_before_a_part_too_long_for_one_piece() -> None:
    # An agent's 4,000 emoji on Telegram (4,096 UTF-16 units a message) were sent as
    # 「サポート担当より：」 alone, then the words.
    text = "サポート担当より：\n" + "🙂" * 4000
    pieces = split_text(text, 4096, measure=utf16_length)
    assert [utf16_length(piece) for piece in pieces] == [4096, 8000 - 4086]
    assert pieces[0].startswith("サポート担当より：\n🙂")
    assert "".join(pieces) == text  # nothing lost or doubled


def test_a_nearly_full_piece_is_not_topped_up_with_a_few_characters() -> None:
    assert split_text("ab\n" + "c" * 30, 10) == ["ab\n" + "c" * 7, "c" * 10, "c" * 10, "ccc"]
    assert split_text("abcdefghi\n" + "c" * 30, 10) == ["abcdefghi", "c" * 10, "c" * 10, "c" * 10]


def test_split_text_counts_with_the_given_measure() -> None:
    pieces = split_text("🙂🙂🙂", 4, measure=utf16_length)
    assert pieces == ["🙂🙂", "🙂"]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("はい", 20, "はい"), ("abcdefghij", 5, "abcd…"), ("🙂🙂🙂", 4, "🙂…")],
)
def test_truncate_marks_what_it_cut(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit, measure=utf16_length) == expected


def test_limits_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_text("x", 0)
    with pytest.raises(ValueError, match="at least 1"):
        truncate("x", 0)
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1], 0))


def test_batched_groups_in_order() -> None:
    assert [list(b) for b in batched([1, 2, 3, 4, 5, 6, 7], 5)] == [[1, 2, 3, 4, 5], [6, 7]]
