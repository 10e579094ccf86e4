"""What subscribers name where a mail program is asked for, that no one guide fits.

Two programs in one message (「iPhoneとパソコンのOutlook」) were one "Other mail program";
a feature phone, Yahoo!メール and Gmail collecting mail in a browser were not understood at
all. Each gets what is true of it, worded from the profile, and the question again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs import feedback
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.program_names import NoGuide, names_no_guide, recognise_program
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind, normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

SAKURA = load_profile(Path(__file__).with_name("sakura_net.toml"))
OFFERED = ("yes", "no", "unsure", "back", "menu")


def at_program_question(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("iPhoneとパソコンのOutlook", NoGuide.TWO_PROGRAMS),
        ("iPhone and Outlook on my PC", NoGuide.TWO_PROGRAMS),
        ("MacとiPhoneのメールで見ています", NoGuide.TWO_PROGRAMS),
        ("Thunderbird, and the Gmail app on my Android", NoGuide.TWO_PROGRAMS),
        ("ガラケーです", NoGuide.FEATURE_PHONE),
        ("らくらくホンを使っています", NoGuide.FEATURE_PHONE),
        ("ヤフーメールです", NoGuide.OTHER_WEBMAIL),
        ("Yahoo!メールを使っています", NoGuide.OTHER_WEBMAIL),
        ("I use Yahoo Mail", NoGuide.OTHER_WEBMAIL),
        ("Gmailで受信している", NoGuide.GMAIL_WEB),
        ("パソコンのブラウザのGmailに取り込んでいます", NoGuide.GMAIL_WEB),
        ("I check it in gmail.com", NoGuide.GMAIL_WEB),
    ],
)
def test_what_no_one_guide_fits_is_recognised(typed: str, named: NoGuide) -> None:
    assert names_no_guide(normalise(typed)) is named
    assert recognise_program(normalise(typed)) is None or named is not NoGuide.TWO_PROGRAMS


@pytest.mark.parametrize(
    ("typed", "program"),
    [
        ("iPhoneのOutlookです", MailProgram.OTHER),
        ("はい、新しいOutlookです", MailProgram.OUTLOOK_NEW),
        ("Gmailアプリで受信しています", MailProgram.GMAIL_ANDROID),
        ("AndroidのGmailで受信", MailProgram.GMAIL_ANDROID),
        ("Thunderbirdです", MailProgram.THUNDERBIRD),
        ("ヤフーメールとThunderbirdを使っています", MailProgram.THUNDERBIRD),
    ],
)
def test_one_program_stays_one(typed: str, program: MailProgram) -> None:
    assert names_no_guide(normalise(typed)) is None
    assert recognise_program(normalise(typed)) is program


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [
        ("ja", "iPhoneとパソコンのOutlook", "1つずつ"),
        ("en", "iPhone and Outlook on my PC", "one at a time"),
        ("ja", "ガラケーです", "その他のメールソフト"),
        ("en", "I read it on my flip phone", "Other mail program"),
        ("ja", "ヤフーメールです", "vpop.117.ne.jp"),
        ("en", "Yahoo mail", "vpop.117.ne.jp"),
        ("ja", "Gmailで受信している", "他のアカウントのメールを確認"),
        ("en", "I check it in gmail.com", "Check mail from other accounts"),
    ],
)
def test_each_gets_its_answer_and_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said: str
) -> None:
    driver = at_program_question(profile, catalogs, locale)
    driver.type(typed)
    text = driver.said()
    assert said in text
    assert catalogs.raw(locale, "not_understood") not in text
    # Nothing was chosen for them: the program question stands, and no program is noted.
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert driver.state.program is None


def test_gmail_in_a_browser_on_the_seed_names_the_new_pop_and_smtp(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_program_question(profile, catalogs, "ja")
    driver.type("Gmailで受信している")
    text = driver.said()
    for fact in ("vpop.117.ne.jp", "110", "taro@vp.117.ne.jp", "vsmtp.117.ne.jp", "587"):
        assert fact in text


def test_gmail_in_a_browser_cannot_collect_an_imap_only_move(catalogs: Catalogs) -> None:
    driver = Driver(SAKURA, catalogs, today=SAKURA.schedule.window_start)
    driver.start("ja")
    driver.type("Gmailで受信している")
    text = driver.said()
    assert "imap.mail.sakura-net.example" in text
    assert "IMAP" in text
    assert "117" not in text


@pytest.mark.parametrize(
    "typed", ["iPhoneとパソコンのOutlookを使っています", "はい、iPhoneとOutlookです"]
)
def test_two_programs_at_the_first_question_are_a_yes_with_none_remembered(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「iPhoneとパソコンのOutlook」 was remembered as "Other mail program".
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(typed)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.program is None
    assert "その他のメールソフト" not in driver.said()
    # Told that both get their guide, one at a time, once the questions are done.
    assert catalogs.raw("ja", "program.two_later") in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [
        ("ja", "Outlookも使っています", "別のソフトの手順"),
        ("en", "I also use Outlook", "Another program"),
    ],
)
def test_a_second_program_at_the_server_question_is_no_yes(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said: str
) -> None:
    # 「Outlookも使っています」 at 「今お使いの送信サーバー名は vs.117.ne.jp ですか？」 was a yes.
    driver = at_program_question(profile, catalogs, locale)
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type(typed)
    assert said in driver.said()
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    assert driver.state.program == "thunderbird"


def test_a_mobile_phone_is_asked_which_with_the_feature_phone_way_out(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「携帯のメール」 may be a feature phone: it was asked only "iPhone or Android?".
    driver = at_program_question(profile, catalogs, "ja")
    driver.type("携帯のメールです")
    assert "ガラケー" in driver.said()
    driver.type("ガラケーです")
    assert catalogs.raw("ja", "program.feature_phone").split("。")[0] in driver.said()


def test_two_programs_after_a_guide_bring_the_program_list(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_program_question(profile, catalogs, "ja")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type("iPhoneとMacも設定したい")
    assert "1つずつ" in driver.said()
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize("typed", ["Gmailで受信している", "ヤフーメールです"])
def test_before_the_window_what_to_change_there_waits_for_it(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start - dt.timedelta(days=5))
    driver.start("ja")
    driver.press("settings")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    said = driver.said()
    assert "今はまだ変更せず" in said
    assert said.index("今はまだ変更せず") < said.index("vpop.117.ne.jp")


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_gmail_in_a_browser_from_2026_is_told_the_pop_fetch_is_ending(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Google ends Gmail's "Check mail from other accounts" (POP) during 2026: from then on
    # the setting may be gone, and a mail program is the way to read the mail.
    ending = catalogs(locale, "program.gmail_web.ending", provider="117net")
    for today, told in ((dt.date(2025, 12, 31), False), (dt.date(2026, 11, 28), True)):
        # The seed's migration moved to `today`, inside its window.
        until = today + dt.timedelta(days=60)
        moved = replace(profile, schedule=replace(
            profile.schedule, window_start=today, window_end=until,
            old_pop_until=until, old_smtp_until=until,
        ))  # fmt: skip
        driver = Driver(moved, catalogs, today=today)
        driver.start(locale)
        driver.press("settings")
        driver.press("skip")
        driver.type("Gmailで受信している" if locale == "ja" else "Gmail in my browser collects it")
        said = driver.said()
        assert (ending in said) is told, (today, said)
        assert "vpop.117.ne.jp" in said  # the values, for a Gmail that still shows it


@pytest.mark.parametrize(
    ("locale", "first", "second", "said"),
    [
        ("ja", "iPhoneです", "Outlookです", "別のソフトの手順"),
        ("en", "I use an iPhone", "I use Thunderbird", "Another program"),
    ],
)
def test_a_second_program_at_a_later_question_does_not_replace_the_first(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    second: str,
    said: str,
) -> None:
    # 「iPhoneです」 at question 2 and 「Outlookです」 at question 3: Outlook silently took its
    # place and the iPhone was never guided.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(first)
    assert driver.state.program == MailProgram.IOS_MAIL
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    driver.type(second)
    assert said in driver.said()
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.program == MailProgram.IOS_MAIL
    # The first is the one guided, and the other is offered after its card (once
    # 「解決しましたか？」, asked alone after it, is answered).
    driver.press("yes")
    driver.press("yes")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.press(feedback.SOLVED)
    assert "other_program" in driver.offered()
    assert driver.state.program == MailProgram.IOS_MAIL


@pytest.mark.parametrize(("typed", "program"), [("新しいOutlookです", MailProgram.OUTLOOK_NEW)])
def test_which_outlook_said_later_is_no_second_program(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, program: MailProgram
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type("Outlookです")
    driver.press("yes")
    driver.type(typed)
    assert driver.state.program == program
    assert "別のソフトの手順" not in driver.said()


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Outlookを使っています", Kind.PROGRAM),
        ("I use Thunderbird", Kind.PROGRAM),
        ("I'm using Outlook", Kind.PROGRAM),
        # The server or an explicit yes in it: the answer, with the program beside it.
        ("Outlookで117netのサーバーを使っています", Kind.YES),
        ("はい、Outlookを使っています", Kind.YES),
        ("使っています", Kind.YES),
    ],
)
def test_a_program_in_use_at_the_server_question_names_the_program(
    profile: MigrationProfile, typed: str, kind: Kind
) -> None:
    # 「Outlookを使っています」 at 「117netのメールサーバーを設定して、メールを送信していますか？」
    # was "yes, I send through 117net's server".
    read = read_text(normalise(typed), Stage.Q3_USES_OUR_SMTP, OFFERED, profile, None)
    assert read.kind is kind
