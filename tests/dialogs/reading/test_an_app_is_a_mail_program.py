"""At the first question, "no, an app" uses a mail program, as 「アプリ」 does (and 「ソフト」).

The question says the mail app on a smartphone counts and that only browser webmail is a
"no"; "no, an app" and "no, the app" were read as "webmail only", the verdict that nothing
changes, while 「いいえ、アプリです」 was never a "no".
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
        ("no, an app", "yes"),
        ("no, the app", "yes"),
        ("no, apps", "yes"),
        ("nope, the app", "unknown"),
        # So is a program or a mail client named so.
        ("no, a program", "yes"),
        ("no, software", "yes"),
        ("no, a client", "yes"),
        ("no program, just webmail", "no"),
        ("no i don't use any software", "no"),
        ("no, not a program, the browser", "no"),
        # An app said not to be used, or the webmail's own: a no as before.
        ("no i don't use an app", "no"),
        ("no, the web app", "no"),
        ("no, no app, just the browser", "no"),
    ],
)
def test_an_app_beside_a_no_is_no_webmail_only(
    profile: MigrationProfile, text: str, expected: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    read = read_text(text, Stage.Q1_MAIL_PROGRAM, OFFERED, profile, analyser)
    assert reading_class(read) == expected
