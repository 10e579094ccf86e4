"""A sending problem agrees with a verdict that said sending needs no change.

Who sends through another company's outgoing server (the seed's Q3 "no") is told
「送信の設定：変更の必要はありません」. Their 「メールが送れません」, a 530 or a relay refusal
afterwards was answered with the provider's own fix (「送信の設定が従来のままの可能性が
あります。新しい送信の設定は、ポート587番…」): the change they had just been told not to make,
on a server that is not the provider's. Now the cause is said to lie with the server they use,
on every day of the notice, with the ways on: the provider's server after all (the question
answered yes), a person, or carrying on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.turn import OURS_AFTER_ALL, PROGRAM_AFTER_ALL
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.driver import Driver

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Before the window, inside it, the old servers' last day, the day after.
DAYS = [dt.date(2008, 5, 1), dt.date(2008, 6, 1), dt.date(2008, 6, 20), dt.date(2008, 6, 21)]
SENDING_PROBLEMS = {
    "ja": [
        "メールが送れません",
        "530 5.7.0 Authentication required",
        "550 5.7.1 Relaying denied",
        "送信サーバーに接続できません",
        "553 5.7.1 Sender address rejected: not owned by user",
    ],
    "en": [
        "I can't send email",
        "530 5.7.0 Authentication required",
        "550 5.7.1 Relaying denied",
        "cannot connect to the outgoing server",
        "553 5.7.1 Sender address rejected: not owned by user",
    ],
}
ELSEWHERE = {"ja": "お使いの送信サーバー側にある", "en": "lies with the outgoing server you use"}
# The provider's fix, which would contradict the verdict.
FIX = {"ja": ("587", "SMTP認証をオン"), "en": ("587", "SMTP authentication on")}


def sends_elsewhere(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> Driver:
    """Another network, not the provider's outgoing server: sending needs no change."""
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("yes")  # a mail program
    driver.press("yes")  # another network
    driver.press("no")  # not the provider's outgoing server
    assert driver.verdict().sending is Sending.NOT_NEEDED
    return driver


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_sending_problem_after_sending_needs_no_change_is_not_the_providers_fix(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    for problem in SENDING_PROBLEMS[locale]:
        driver = sends_elsewhere(profile, catalogs, locale, today)
        driver.type(problem)
        said = driver.said()
        assert ELSEWHERE[locale] in said, (problem, said)
        for fix in FIX[locale]:
            assert fix not in said, (problem, said)
        assert profile.outgoing.new_host not in said
        assert driver.offered() == [OURS_AFTER_ALL, "human", "resume"]


def test_the_migration_is_put_aside_once(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 「今回の移行で送信の設定は変わりませんので、送信できない原因は今回の移行ではなく、…」
    # said the migration twice in one sentence (reviewer24).
    driver = sends_elsewhere(profile, catalogs, "ja", DAYS[1])
    driver.type(SENDING_PROBLEMS["ja"][0])
    assert driver.said().count("今回の移行") == 1, driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_providers_server_after_all_asks_on_and_changes_the_verdict(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = sends_elsewhere(profile, catalogs, locale, DAYS[1])
    driver.press("skip")  # no address
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(SENDING_PROBLEMS[locale][0])
    said = driver.said()
    # Not Thunderbird's SMTP-authentication box either: that is the provider's fix.
    assert "認証方式" not in said
    assert "Authentication method" not in said
    assert OURS_AFTER_ALL in driver.offered()
    driver.press(OURS_AFTER_ALL)
    assert driver.state.stage is Stage.Q4_OP25B
    driver.press("yes")  # port 25 blocked where they are
    assert driver.verdict().sending is Sending.REQUIRED


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_carrying_on_asks_the_question_it_left(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = sends_elsewhere(profile, catalogs, locale, DAYS[1])
    driver.type(SENDING_PROBLEMS[locale][0])
    driver.press("resume")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.offered() == ["skip"]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_connection_error_keeps_the_receiving_fix_alone(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = sends_elsewhere(profile, catalogs, locale, DAYS[1])
    driver.type("0x800CCC0F")
    said = driver.said()
    assert profile.incoming.new_host in said
    assert "587" not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_who_sends_through_the_provider_still_hears_its_fix(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Home line only (recommended) and port 25 blocked (required): the fix is theirs.
    for answers in (["yes", "no", "yes"], ["yes", "yes", "yes", "yes"]):
        driver = Driver(profile, catalogs)
        driver.start(locale)
        for answer in answers:
            driver.press(answer)
        driver.type(SENDING_PROBLEMS[locale][0])
        assert "587" in driver.said()
        assert ELSEWHERE[locale] not in driver.said()


def test_told_before_the_verdict_and_again_after(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    driver.type("メールが送れません")  # at the outgoing-server question
    driver.press("no")
    assert ELSEWHERE["ja"].replace("お使い", "ご利用") in driver.verdict().text
    driver.type("やっぱりメールが送れません")
    assert ELSEWHERE["ja"] in driver.said()
    assert "587" not in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_where_port_25_is_blocked_on_the_providers_lines_that_is_said(
    catalogs: Catalogs, locale: Locale
) -> None:
    # tls-required-one-host: receiving changes, another company's outgoing server needs no
    # change, but port 25 is blocked on the provider's lines from op25b_from.
    profile = load_profile(EXAMPLES / "tls-required-one-host.toml")
    after_the_block = dt.date(2027, 9, 2)
    driver = Driver(profile, catalogs, today=after_the_block)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    assert driver.verdict().sending is Sending.NOT_NEEDED
    driver.type(SENDING_PROBLEMS[locale][0])
    said = driver.said()
    assert "Outbound Port25 Blocking" in said
    assert ("2027年9月1日" if locale == "ja" else "1 September 2027") in said
    assert ELSEWHERE[locale] not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_receiving_problem_where_only_sending_changes_is_not_put_on_the_migration(
    catalogs: Catalogs, locale: Locale
) -> None:
    # The other way round: receiving unaffected (a sending-only migration), a receiving
    # problem after a verdict that changes sending.
    profile = load_profile(EXAMPLES / "op25b-sending-only.toml")
    driver = Driver(profile, catalogs, today=dt.date(2027, 5, 20))
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    assert driver.verdict().sending is Sending.REQUIRED
    driver.type("メールが受信できません" if locale == "ja" else "I can't receive email")
    said = driver.said()
    assert ("今回の変更が原因ではありません" if locale == "ja" else "not") in said
    assert profile.incoming.new_host in said


def test_another_companys_server_named_for_the_card_is_elsewhere_too(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「smtp.gmail.com です」 where the card asked the outgoing server's name: not ours, so
    # sending needs no change; there is no question to answer again, so no button for it.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for answer in ("yes", "yes", "unsure", "yes", "skip", "program:thunderbird"):
        driver.press(answer)
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type("smtp.gmail.com です")
    driver.type("メールが送れません")
    assert ELSEWHERE["ja"] in driver.said()
    assert "587" not in driver.said()
    assert driver.offered() == ["human", "resume"]


WEBMAIL_UNCHANGED = {"ja": "Webメールだけをお使いとの", "en": "you use only webmail"}
SYMPTOMS = {
    "ja": ["メールが受信できません", "メールが送れません"],
    "en": ["I can't receive email", "I can't send email"],
}


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_symptom_after_webmail_only_is_not_a_program_to_change(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    # Receiving unaffected the other way: told webmail changes nothing, then 「受信できません」
    # was 「受信サーバーを…に変更すると受信できます」 and the questions again, Q1 taken as yes.
    for symptom in SYMPTOMS[locale]:
        driver = Driver(profile, catalogs, today=today)
        driver.start(locale)
        driver.press("no")  # webmail only
        assert driver.state.stage is Stage.WEBMAIL_ONLY
        driver.type(symptom)
        said = driver.said()
        assert WEBMAIL_UNCHANGED[locale] in said
        assert profile.incoming.new_host not in said
        assert "587" not in said
        assert driver.state.stage is Stage.WEBMAIL_ONLY
        assert driver.offered() == [PROGRAM_AFTER_ALL, "human", "resume"]
        driver.press(PROGRAM_AFTER_ALL)
        assert driver.state.stage is Stage.Q2_OTHER_NETWORK
        assert driver.state.answers == {Stage.Q1_MAIL_PROGRAM.value: "yes"}


def test_a_programs_error_after_webmail_only_still_opens_the_questions(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 0x800CCC0E is a mail program's own error: it proves one is used, as before.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("no")
    driver.type("0x800CCC0Eが出ます")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert WEBMAIL_UNCHANGED["ja"] not in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "117netのサーバーです"),
        ("ja", "117netの送信サーバーでした"),
        ("ja", "送信サーバーはvs.117.ne.jpでした"),
        ("en", "It is 117net's server"),
    ],
)
def test_the_providers_server_typed_under_the_button_is_the_button(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    # Typed on a platform without buttons, or by whoever types: it was 「うまく読み取れません
    # でした」 and the address question again, the buttons gone.
    driver = sends_elsewhere(profile, catalogs, locale, DAYS[1])
    driver.type(SENDING_PROBLEMS[locale][0])
    driver.type(typed)
    assert driver.state.stage is Stage.Q4_OP25B


@pytest.mark.parametrize(
    ("locale", "typed"), [("ja", "メールソフトも使っています"), ("en", "I use a mail program too")]
)
def test_the_program_typed_under_the_button_is_the_button(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("no")
    driver.type(SYMPTOMS[locale][0])
    driver.type(typed)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.answers == {Stage.Q1_MAIL_PROGRAM.value: "yes"}


@pytest.mark.parametrize(
    ("locale", "first", "no"),
    [
        ("ja", "メールが使えなくなりました", "いいえ"),
        ("en", "my email stopped working", "No"),
    ],
)
def test_a_trouble_said_first_is_answered_by_a_webmail_only_verdict(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, first: str, no: str
) -> None:
    # Said first, then "no" to the mail-program question: 「設定の変更は必要ありません…これまで
    # どおりご利用いただけます」 alone dropped the trouble; said after the verdict, it was heard.
    driver = Driver(profile, catalogs)
    driver.first_message(first, locale)
    driver.type(no)
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    said = driver.said()
    assert WEBMAIL_UNCHANGED[locale] in said
    assert driver.offered() == [PROGRAM_AFTER_ALL, "human", "resume"]
    driver.press(PROGRAM_AFTER_ALL)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_a_webmail_only_verdict_without_a_trouble_says_nothing_of_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("no")
    assert WEBMAIL_UNCHANGED["ja"] not in driver.said()
    assert PROGRAM_AFTER_ALL not in driver.offered()
