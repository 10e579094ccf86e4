"""The message after one that announced the password is it, whatever it is (subscriber18).

'my password is' then 'dragon' (one word of letters alone), 'purple monkey 77' (letters with a
number: 'taro 1965' was kept as an answer), 'tama the cat', 「パスワードは」 then 「桜です」; a
correction sent as its own message ('sorry I meant hanako78'); letters before the word
('hanako is my password'); a name said to be one (「娘の名前の、ゆきです」: ゆき read as a verb;
「「ゆうと」と申します」); a login and its password before the address is known
(「taro / sakura2009」). Each was stored as typed. Masking an ordinary word after the
announcement costs a line of the transcript; a password kept costs the account. What is
recognisably an answer, a program (however typed), a piece of a server's name or a sentence
about the password still stays.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, gives_a_password, redact

# (what is typed, whether the message before announced a password, the password's pieces).
PASSWORDS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("dragon", True, ("dragon",)),
    ("sunshine", True, ("sunshine",)),
    ("Sunshine!", True, ("Sunshine",)),
    ("hanako", True, ("hanako",)),
    ("it's hanako", True, ("hanako",)),
    ("purple monkey 77", True, ("purple", "monkey")),
    ("taro 1965", True, ("taro 1965",)),
    ("tama the cat", True, ("tama", "cat")),
    ("桜です", True, ("桜",)),
    ("向日葵", True, ("向日葵",)),
    ("娘の名前の、ゆきです", True, ("ゆき",)),
    ("パスワードは娘の名前の、ゆきです", False, ("ゆき",)),
    ("息子の名前で「ゆうと」と申します", True, ("ゆうと",)),
    ("パスワードは息子の名前で「ゆうと」と申します", False, ("ゆうと",)),
    ("パスワードはゆうとといいます", False, ("ゆうと",)),
    ("sorry I meant hanako78", False, ("hanako78",)),
    ("oops, it's hanako78", False, ("hanako78",)),
    ("あ、違った、hanako78でした", False, ("hanako78",)),
    ("すみません、間違えました。はなこ78です", False, ("はなこ78",)),
    ("hanako is my password", False, ("hanako",)),
    ("'dragon' is the password", False, ("dragon",)),
    ("taro / sakura2009", False, ("sakura2009",)),
    ("taro: hanako77", False, ("hanako77",)),
    ("taro / はなこ77です", False, ("はなこ77",)),
)

# Answers, programs, places and sentences about the password: each stays whole.
LOOK_ALIKES: tuple[tuple[str, bool], ...] = (
    ("Yes", True),
    ("hello", True),
    ("skip", True),
    ("thunderbrd", True),
    ("Tbird", True),
    ("outlok", True),
    ("Mac", True),
    ("Galaxyです", True),
    ("vs", True),
    ("2です", True),
    ("自宅です", True),
    ("半角です", True),
    ("不明です", True),
    ("hai", True),
    ("dame", True),
    ("wasureta", True),
    ("I forgot it", True),
    ("not sure", True),
    ("hold on", True),
    ("win 10", True),
    ("Outlook 2019", True),
    ("わかりません", True),
    ("this is my password", False),
    ("what is my password", False),
    ("Outlook / Office2019", False),
    ("SMTP: port587", False),
    ("iPhone / iOS17", False),
    ("https://example.jp/a1", False),
    ("taro: 800CCC0F", False),
    ("taro: 1920x1080", False),
    ("thunderbird / 115.3", False),
    ("sorry I meant Outlook2016", False),
    ("sorry, it's taro@vp.117.ne.jp", False),
    ("パスワードは名前の、ひらがなです", False),
    ("パスワードは孫の名前で、わかりません", False),
    ("山田と申します", False),
)


@pytest.mark.parametrize(("typed", "announced", "pieces"), PASSWORDS)
def test_the_password_leaves_no_piece_of_itself(
    typed: str, announced: bool, pieces: tuple[str, ...]
) -> None:
    masked, found = redact(typed, announced=announced, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    for piece in pieces:
        assert piece not in masked


@pytest.mark.parametrize(("typed", "announced"), LOOK_ALIKES)
def test_a_look_alike_stays_as_typed(typed: str, announced: bool) -> None:
    assert redact(typed, announced=announced, analyser=japanese_analyser()) == (typed, False)


@pytest.mark.parametrize("typed", ["success", "fixed", "sorted", "checking", "dragon"])
def test_after_the_check_link_a_word_of_letters_is_what_the_check_did(typed: str) -> None:
    # The login check's link marks the next message too (`named_before`), for a password
    # typed into the chat instead of the page comes alone; a word of letters there is
    # 'success' or 'fixed' (each was masked and told off while only the link named it).
    assert redact(typed, named_before=True, analyser=japanese_analyser()) == (typed, False)


def test_announced_by_the_subscriber_the_word_is_the_password() -> None:
    assert redact("dragon", announced=True, analyser=japanese_analyser()) == (MASK, True)


def test_a_correction_where_the_address_is_asked_for_is_the_address() -> None:
    # A local part corrected there ('sorry I meant taro1965') is the address, read as one.
    assert redact("sorry I meant taro1965", alone=True) == ("sorry I meant taro1965", False)


@pytest.mark.parametrize("text", ["taro / Kq7xyz99", "taro: hanako77", "sorry I meant hanako78"])
def test_an_agents_words_are_not_read_as_a_subscribers_pair_or_correction(text: str) -> None:
    # Agents write a login's name beside a word all day; what they hand over is read by
    # `gives_a_password`'s own rules (the account known, `_issued`).
    assert not gives_a_password(text)
