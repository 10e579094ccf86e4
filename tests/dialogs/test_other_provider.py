"""Another provider's profile says nothing of 117net's: its name, its policy, its servers.

`sakura_net.toml` is a profile an operator of another ISP wrote from the README: IMAP only,
TLS, no OP25B plan, no POP before SMTP, its own hours and phone number.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import timing
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import (
    FileReply,
    Locale,
    SystemEvent,
    VerdictReply,
    reply_as_plain_text,
)
from tests.dialogs.driver import Driver

SAKURA = load_profile(Path(__file__).with_name("sakura_net.toml"))


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_no_op25b_plan_is_promised_by_the_op25b_topic(catalogs: Catalogs, locale: Locale) -> None:
    # op25b_planned = false: "Sakura-net plans to introduce it too" would be untrue.
    driver = Driver(SAKURA, catalogs)
    driver.start(locale)
    driver.press("topic:op25b")
    answer = driver.said()
    assert "Outbound Port25 Blocking" in answer
    assert "465" in answer
    assert ("実施を予定" if locale == "ja" else "plans to introduce") not in answer


def test_the_seed_still_plans_op25b(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("topic:op25b")
    assert "117netでも今後の実施を予定しています" in driver.said()


# Every question, topic, program, typed problem and check outcome, on every kind of day.
DAYS = (dt.date(2027, 1, 20), dt.date(2027, 2, 10), dt.date(2027, 3, 20), dt.date(2027, 4, 5))
TOPICS = (
    "why", "schedule", "old_mail", "password", "steps", "op25b", "smtp_auth",
    "pop_before_smtp", "webmail", "account",
)  # fmt: skip
TYPED = (
    "0x800CCC0F", "0x80042109", "535 Authentication failed", "530 Authentication required",
    "-ERR authentication failed", "メールが届かない", "メールが送れない", "iPhoneのGmail",
    "Gmail on my iPhone", "新しいサーバー名は？", "メールアドレスは変わりますか",
    "今すぐ変更したほうがいい？", "what is the new server?", "smtp.gmail.com",
)  # fmt: skip
OUTCOMES = (
    {"smtp": "ok", "pop": "ok", "pop_count": "3"},
    {"smtp": "auth_failed", "pop": "auth_failed"},
    {"smtp": "unreachable", "pop": "timeout"},
    {"smtp": "tls_error", "pop": "untrusted_certificate"},
    {"smtp": "not_verified", "pop": "auth_not_offered"},
)
# The seed's provider, servers and dates; "POP" alone where this profile is IMAP only
# ("POP before SMTP" is the name of a method, not a server).
SEED = re.compile(r"117|vpop|vsmtp|\bvs\.|\bvp\.|2008|POP(?! before)")


def everything_said(driver: Driver) -> str:
    return "\n".join(repr(reply) for reply in driver.all_replies())


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("today", DAYS, ids=str)
def test_nothing_of_the_seed_reaches_another_providers_subscribers(
    catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    heard = []
    menu = Driver(SAKURA, catalogs, today=today)
    menu.start(locale)
    for topic in TOPICS:
        menu.press(f"topic:{topic}")
    for words in TYPED:
        menu.type(words)
    heard.append(everything_said(menu))
    for program in MailProgram:
        driver = Driver(SAKURA, catalogs, today=today)
        driver.start(locale)
        driver.press("yes")
        driver.press("yes")
        driver.type("taro@sakura.example")
        driver.press(f"program:{program.value}")
        if driver.state.stage is Stage.ASK_SMTP_HOST:
            driver.press("yes")
        assert driver.state.stage is Stage.SETTINGS_DELIVERED
        for words in TYPED:
            driver.type(words)
        for outcome in OUTCOMES:
            driver._run(event=SystemEvent("check_result", tuple(outcome.items())))
        heard.append(everything_said(driver))
    leaks = sorted({m.group() for text in heard for m in SEED.finditer(text)})
    assert not leaks, [t[max(0, t.find(leaks[0]) - 120) :][:240] for t in heard if leaks[0] in t]


def test_the_apple_file_note_names_no_pop_account_on_an_imap_move(catalogs: Catalogs) -> None:
    driver = Driver(SAKURA, catalogs, today=DAYS[1])
    driver.start("ja")
    for press in ("yes", "yes"):
        driver.press(press)
    driver.type("taro@sakura.example")
    driver.press("program:ios_mail")
    driver.press("yes")
    offer = next(r for r in driver.all_replies() if isinstance(r, FileReply))
    assert "オフにしてください" in offer.text
    assert "POP" not in offer.text


def test_the_seed_keeps_its_apple_file_note(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "yes", "yes"):
        driver.press(press)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:ios_mail")
    driver.press("yes")
    offer = next(r for r in driver.all_replies() if isinstance(r, FileReply))
    assert catalogs.raw("ja", "config.apple.old_account") in offer.text


def at_second_question(profile: MigrationProfile, catalogs: Catalogs, typed: str) -> Driver:
    driver = Driver(profile, catalogs, today=DAYS[1])
    driver.start("ja")
    driver.press("yes")
    driver.type(typed)
    return driver


@pytest.mark.parametrize(
    "typed",
    ["Sakura-netのサーバーです", "sakura net のメールサーバーを使っています", "sakuraのサーバー",
     "Sakura-net's server", "ＳＡＫＵＲＡ－ＮＥＴの送信サーバー"],
)  # fmt: skip
def test_the_providers_own_name_answers_whose_server(catalogs: Catalogs, typed: str) -> None:
    driver = at_second_question(SAKURA, catalogs, typed)
    assert driver.verdict().sending == "required"


def test_another_providers_name_does_not(catalogs: Catalogs) -> None:
    # 「117netのサーバー」 says nothing about Sakura-net's: asked again, not a yes.
    driver = at_second_question(SAKURA, catalogs, "117netのサーバーです")
    assert not any(isinstance(r, VerdictReply) for r in driver.all_replies())


@pytest.mark.parametrize(
    ("typed", "sending"),
    [("Sakura-netの回線だけです", "not_needed"), ("only through sakura-net", "not_needed"),
     ("117netだけです", None)],
)  # fmt: skip
def test_only_the_providers_own_line_is_a_no_to_other_networks(
    catalogs: Catalogs, tmp_path: Path, typed: str, sending: str | None
) -> None:
    text = Path(__file__).with_name("sakura_net.toml").read_text("utf-8")
    variant = tmp_path / "sakura.toml"
    variant.write_text(text.replace('reading = "our_smtp"', 'reading = "other_network"'), "utf-8")
    driver = at_second_question(load_profile(variant), catalogs, typed)
    verdicts = [r for r in driver.all_replies() if isinstance(r, VerdictReply)]
    assert [v.sending for v in verdicts] == ([sending] if sending else [])


@pytest.mark.parametrize(
    ("locale", "hours"),
    [("ja", "受付時間：平日9時〜17時"), ("en", "Opening hours: weekdays 9:00-17:00")],
)
def test_the_contact_given_without_a_desk_comes_with_its_hours(
    catalogs: Catalogs, locale: Locale, hours: str
) -> None:
    # No desk in this chat: the subscriber is sent to the phone, and needs to know when.
    driver = Driver(SAKURA, catalogs, today=DAYS[1])
    driver.start(locale)
    driver.press("human")
    assert ("0120-987-654" if locale == "ja" else "+81 3-9876-5432") in driver.said()
    assert hours in driver.said()


def test_the_seed_without_hours_names_none(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("human")
    assert "受付時間" not in driver.said()


# The old servers' last days not decided yet: the keys are left out of [schedule].
UNDECIDED = {
    "pop": ("old_pop_until = 2027-03-31\n", ""),
    "smtp": ("old_smtp_until = 2027-03-15\n", ""),
}


def undecided(tmp_path: Path, *which: str) -> MigrationProfile:
    text = Path(__file__).with_name("sakura_net.toml").read_text("utf-8")
    for name in which:
        old, new = UNDECIDED[name]
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "sakura.toml"
    path.write_text(text, "utf-8")
    return load_profile(path)


def schedule_answer(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date, locale: Locale
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("topic:schedule")
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", ("従来のサーバーは引き続きご利用いただけます", "決まり次第お知らせします")),
        ("en", ("The old server stays available for now", "will be announced")),
    ],
)
@pytest.mark.parametrize("today", [DAYS[1], DAYS[3]], ids=str)
def test_old_servers_whose_last_day_is_not_decided(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, words: tuple[str, ...], today: dt.date
) -> None:
    answer = schedule_answer(undecided(tmp_path, "pop", "smtp"), catalogs, today, locale)
    for word in words:
        assert word in answer
    assert "None" not in answer


@pytest.mark.parametrize(
    ("today", "locale", "words"),
    [
        (DAYS[1], "ja", ("送信（SMTP）が2027年3月15日(月)まで", "受信（IMAP）は", "決まり次第")),
        (DAYS[1], "en", ("for sending (SMTP) until Monday 15 March 2027", "receiving (IMAP)")),
        (
            DAYS[3],
            "ja",
            (
                "受信（IMAP）サーバーは引き続き",
                "送信（SMTP）サーバーは2027年3月15日(月)で利用できなく",
            ),
        ),
        (DAYS[3], "en", ("for receiving (IMAP) for now", "no longer available for sending")),
    ],
)
def test_an_old_receiving_server_whose_last_day_is_not_decided(
    catalogs: Catalogs, tmp_path: Path, today: dt.date, locale: Locale, words: tuple[str, ...]
) -> None:
    profile = undecided(tmp_path, "pop")
    answer = schedule_answer(profile, catalogs, today, locale)
    for word in words:
        assert word in answer
    # Nothing says the old server is gone: what is left on it (IMAP: on the server, not in
    # the program) is still to be moved over, beside a new account.
    driver = Driver(profile, catalogs, today=DAYS[3])
    driver.start("ja")
    driver.press("topic:steps")
    assert "従来のサーバーが使えるうちに" in driver.said()
    assert "一度受信" not in driver.said()


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", ("受信（IMAP）が2027年3月31日(水)まで", "送信（SMTP）は", "決まり次第")),
        ("en", ("for receiving (IMAP) until Wednesday 31 March 2027", "sending (SMTP)")),
    ],
)
def test_an_old_sending_server_whose_last_day_is_not_decided(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, words: tuple[str, ...]
) -> None:
    profile = undecided(tmp_path, "smtp")
    for word in words:
        assert word in schedule_answer(profile, catalogs, DAYS[1], locale)
    # After the window, the old sending server still answers: "recommended" stays so.
    assert timing(profile, DAYS[3]).old_smtp_up


@pytest.mark.parametrize(
    ("typed", "program"),
    [("iPhoneのGmailアプリ", "other"), ("Gmail app on my iPad", "other"), ("MacのGmail", None)],
)
def test_the_gmail_app_on_apple_devices_with_an_imap_account(
    catalogs: Catalogs, typed: str, program: str | None
) -> None:
    # The iPhone/iPad app holds an IMAP account ("Other (IMAP)"); Gmail on a Mac is the web
    # page, which holds none: the subscriber is asked for another program, with no "POP".
    driver = Driver(SAKURA, catalogs, today=DAYS[1])
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    driver.press("skip")
    driver.type(typed)
    assert driver.state.program == program
    if program is None:
        assert driver.state.stage is Stage.ASK_PROGRAM
        assert "Mac" in driver.said()
        assert "Sakura-net" in driver.said()
        assert "POP" not in driver.said()


# The seed's own migration with a last day not decided: every path, on every kind of day,
# long after the dates the notice gives. Every text can be worded (no date is missing), and
# with both days undecided nothing says an old server is gone.
SEED_DAYS = (dt.date(2008, 5, 1), dt.date(2008, 6, 1), dt.date(2008, 7, 1), dt.date(2009, 3, 1))
GONE = re.compile(
    r"利用できなくなりました|no longer answers|could be used until|ended on|closed on|\{old_"
)


def texts_said(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def seed_undecided(tmp_path: Path, *which: str) -> MigrationProfile:
    source = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"
    text = source.read_text("utf-8")
    for name in which:
        line = f"old_{name}_until = 2008-06-20\n"
        assert line in text
        text = text.replace(line, "")
    path = tmp_path / "undecided.toml"
    path.write_text(text, "utf-8")
    return load_profile(path)


@pytest.mark.parametrize("which", [("pop",), ("smtp",), ("pop", "smtp")], ids="+".join)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_undecided_last_day_never_reads_as_gone_on_any_path(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, which: tuple[str, ...]
) -> None:
    profile = seed_undecided(tmp_path, *which)
    for today in SEED_DAYS:
        heard = []
        menu = Driver(profile, catalogs, today=today)
        menu.start(locale)
        for topic in TOPICS:
            menu.press(f"topic:{topic}")
        for words in (*TYPED, "受信できない", "送信できない", "メールが消えた"):
            menu.type(words)
        heard.append(texts_said(menu))
        for program in MailProgram:
            driver = Driver(profile, catalogs, today=today)
            driver.start(locale)
            for _ in range(3):
                driver.press("yes")
            driver.type("taro@vp.117.ne.jp")
            driver.press(f"program:{program.value}")
            if driver.state.stage is Stage.ASK_SMTP_HOST:
                driver.press("yes")
            for outcome in OUTCOMES:
                driver._run(event=SystemEvent("check_result", tuple(outcome.items())))
            heard.append(texts_said(driver))
        everything = "\n".join(heard)
        assert "{old_" not in everything
        assert "None" not in everything
        if len(which) == 2:
            # With one last day decided, that server may be gone; with none, neither is.
            said_gone = sorted({m.group() for m in GONE.finditer(everything)})
            assert not said_gone, (today, said_gone)
