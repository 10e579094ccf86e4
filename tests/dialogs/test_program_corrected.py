"""A mail program named, then taken back: 「間違えました、Outlookです」.

After 「iPhoneです」, a correction at a later question was taken for a second program (the
iPhone stayed the one guided), 「iPhoneじゃなくてThunderbirdでした」 after the card gave the
steps for "another program", and 「いや、Androidです」 at the server question answered it "no",
lowering the change needed.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.program_names import corrected_program
from dialogs.understanding import normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("間違えました、Outlookです", "outlook_ambiguous"),
        ("すみません、iPhoneじゃなくてThunderbirdでした", MailProgram.THUNDERBIRD),
        ("iPhoneではありません。Thunderbirdです", MailProgram.THUNDERBIRD),
        ("訂正します。Thunderbirdです", MailProgram.THUNDERBIRD),
        ("やっぱりサンダーバードです", MailProgram.THUNDERBIRD),
        ("まちがえた、アンドロイドです", MailProgram.GMAIL_ANDROID),
        ("いや、Androidです", MailProgram.GMAIL_ANDROID),
        ("違います、Becky!です", MailProgram.BECKY),
        ("Sorry, I meant Thunderbird", MailProgram.THUNDERBIRD),
        ("Actually it's Thunderbird, not the iPhone", MailProgram.THUNDERBIRD),
        ("not the iPhone but Thunderbird", MailProgram.THUNDERBIRD),
        ("no, Thunderbird", MailProgram.THUNDERBIRD),
    ],
)
def test_a_correction_names_the_program_meant(typed: str, meant: str) -> None:
    assert corrected_program(normalise(typed)) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "Outlookです",  # a name alone
        "Outlookも使っています",  # a second program, for later
        "やっぱりOutlookも使ってます",
        "iPhoneとOutlookです",  # two programs
        "Thunderbirdじゃないです",  # taken back, nothing meant instead
        "送信じゃなくて受信です",  # no program at all
        "いいえ",
        "no, I use gmail's smtp",  # another provider's server, not a program
    ],
)
def test_no_correction_where_none_is_made(typed: str) -> None:
    assert corrected_program(normalise(typed)) is None


def _at_server_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, first: str
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(first)
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.program == MailProgram.IOS_MAIL
    return driver


@pytest.mark.parametrize(
    ("locale", "first", "correction", "meant", "said"),
    [
        ("ja", "iPhoneです", "間違えました、Thunderbirdです", MailProgram.THUNDERBIRD, "訂正"),
        (
            "ja",
            "iPhoneです",
            "すみません、iPhoneじゃなくてThunderbirdでした",
            MailProgram.THUNDERBIRD,
            "訂正しました",
        ),
        ("ja", "iPhoneです", "いや、Androidです", MailProgram.GMAIL_ANDROID, "訂正しました"),
        ("en", "I use an iPhone", "Sorry, I meant Thunderbird", MailProgram.THUNDERBIRD, "changed"),
    ],
)
def test_a_correction_at_a_later_question_replaces_the_program_and_asks_again(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    correction: str,
    meant: str,
    said: str,
) -> None:
    driver = _at_server_question(profile, catalogs, locale, first)
    driver.type(correction)
    assert said in driver.said()
    assert driver.state.program == meant
    # The question stands: a correction is no answer to it (「いや」 was read as "no").
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert "q3_uses_our_smtp" not in driver.state.answers
    # And the program meant is the one guided at the end.
    driver.press("yes")
    driver.press("yes")
    driver.press("skip")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert driver.state.program == meant


@pytest.mark.parametrize(
    ("locale", "first", "correction", "guide"),
    [
        ("ja", "iPhoneです", "すみません、iPhoneじゃなくてThunderbirdでした", "Thunderbirdでの"),
        ("en", "I use an iPhone", "Actually it's Thunderbird, not the iPhone", "in Thunderbird"),
    ],
)
def test_a_correction_after_the_card_gives_the_steps_for_the_program_meant(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    correction: str,
    guide: str,
) -> None:
    driver = _at_server_question(profile, catalogs, locale, first)
    driver.press("yes")
    driver.press("yes")
    driver.press("skip")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(correction)
    assert driver.state.program == MailProgram.THUNDERBIRD
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert guide in driver.said()
