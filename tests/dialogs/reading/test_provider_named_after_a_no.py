"""A "no" that names the server that changes, or the blocking, is not the "no" it opens with.

At the question whether mail is sent through the provider's server, 「いいえ、117のサーバー
です」 is read as neither answer (it is asked again). fdfbce9 made "no its gmail" a no; "no
its 117net" became one with it: the sending settings were then said to need no change,
though the subscriber named the very server that changes. At the blocking question, "no, the
company blocks it" was read as "not blocked".
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from testbed.utterances import reading_class

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no its 117net", "unknown"),
        ("no it's 117net", "unknown"),
        ("nope, it is the 117net one", "unknown"),
        ("it's 117net", "yes"),
        # The provider named as the way mail goes: "no" then answers something else.
        ("no, 117net", "unknown"),
        ("no, 117net's", "unknown"),
        ("no, through 117net", "yes"),
        ("no, not through 117net", "no"),
        ("no, the 117 server", "yes"),
        ("no, 117net's smtp", "yes"),
        ("no, just 117net", "yes"),
        ("no, your server", "yes"),
        ("no, not the 117 server", "no"),
        ("no, not your server", "no"),
        ("no, gmail's smtp server", "no"),
        # The same in Japanese: the provider, its smtp, or 「そちら」 named after 「いいえ」.
        ("いいえ、117netです", "unknown"),
        ("いいえ、117netのsmtpです", "unknown"),
        ("いいえ、そちらのサーバーです", "unknown"),
        ("いや、御社のサーバーです", "unknown"),
        ("いいえ、117netのsmtpではありません", "no"),
        ("いいえ、そちらのサーバーではないです", "no"),
        ("いいえ、gmailのsmtpです", "no"),
        # The provider said not to be it, or another named: a no as before.
        ("no its not 117net", "no"),
        ("no its gmail", "no"),
    ],
)
def test_a_no_that_names_the_providers_server_is_no_no(
    profile: MigrationProfile, text: str, expected: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    read = read_text(text, Stage.Q3_USES_OUR_SMTP, OFFERED, profile, analyser)
    assert reading_class(read) == expected


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # At the blocking question, the blocking said after a "no" was a no ("not blocked").
        ("no, the company blocks it", "yes"),
        ("the office blocks that", "yes"),
        ("no, the company doesn't block it", "no"),
        ("no, nobody blocks it", "no"),
    ],
)
def test_blocking_said_after_a_no_is_no_no(
    profile: MigrationProfile, text: str, expected: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    read = read_text(text, Stage.Q4_OP25B, OFFERED, profile, analyser)
    assert reading_class(read) == expected


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # At the other-networks question, a line away from home named after a "no".
        ("no, on the train", "yes"),
        ("no, other wifi too", "yes"),
        ("いいえ、実家から", "unknown"),
        ("no, not on the train", "no"),
        ("no, no other wifi", "no"),
        ("実家では使いません", "no"),
    ],
)
def test_another_line_named_after_a_no_is_no_no(
    profile: MigrationProfile, text: str, expected: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    read = read_text(text, Stage.Q2_OTHER_NETWORK, OFFERED, profile, analyser)
    assert reading_class(read) == expected
