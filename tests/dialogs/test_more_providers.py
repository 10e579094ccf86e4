"""Two more providers' migrations, written from the README's profile section alone.

`northlight.toml`: POP3 stays, implicit TLS only (995/465), the login name becomes the whole
address, ONE cut-over day, the old POP server's last day not decided, no LAN question, no
phone number. `hikari_cable.toml`: IMAP stays IMAP, STARTTLS only (143/587), the login name
stays the part before @, the old servers stop a month after the window, the sending change
only recommended while they answer. Everything their subscribers read follows the profile:
no fact of the seed's provider, and nothing the profile leaves out taken from the seed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SystemEvent, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_examples import (
    test_card_guides_and_files_agree,
    test_each_example_delivers_its_settings_in_a_conversation,
)
from tests.dialogs.test_other_provider import OUTCOMES, TOPICS, TYPED

HERE = Path(__file__).parent
NORTHLIGHT = load_profile(HERE / "northlight.toml")
HIKARI = load_profile(HERE / "hikari_cable.toml")
CUT_OVER = NORTHLIGHT.schedule.window_start  # 2027-04-01, also its window's end

# The seed's provider, hosts and dates, and what each profile does not have: Northlight has
# no IMAP, no STARTTLS, no 587 and no phone or hours; Hikari Cable no POP server, no implicit
# TLS, no whole-address login and no phone.
SEED = r"117|vpop|vsmtp|\bvs\.|\bvp\.|2008|0120"
ABSENT = {
    # Becky!'s own option list 「（SSL/TLS、STARTTLS）」 names it as what is on the screen.
    "northlight": re.compile(
        SEED + r"|\b587\b|\b143\b|\b993\b|IMAP|(?<!、)(?<!, )STARTTLS|受付時間|Opening hours"
    ),
    "hikari": re.compile(
        SEED + r"|POP(?! before)|\b110\b|\b995\b|\b465\b|\b993\b|SSL/TLS"
        r"|メールアドレス全体|whole (?:e-mail )?address|full (?:e-mail )?address"
    ),
}
PROFILES = {"northlight": NORTHLIGHT, "hikari": HIKARI}
ADDRESSES = {"northlight": "taro@northlight.example.jp", "hikari": "taro@hikari-cable.example.jp"}
DAYS = {
    "northlight": (dt.date(2027, 3, 31), CUT_OVER, dt.date(2027, 4, 2)),
    "hikari": (
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    ),
}


# The examples' own agreement tests, run on these two profiles: the card, every program's
# guide and the Thunderbird, Apple and Outlook files agree on protocol, host, port, TLS mode,
# login method and login name; a conversation delivers them.
__all__ = [
    "test_card_guides_and_files_agree",
    "test_each_example_delivers_its_settings_in_a_conversation",
]


@pytest.fixture(params=["northlight", "hikari"])
def example(request: pytest.FixtureRequest) -> MigrationProfile:
    return PROFILES[request.param]


def said_all(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def walk(name: str, catalogs: Catalogs, locale: Locale, today: dt.date) -> list[str]:
    """Every topic and typed problem, then every program to its card, guide and checks."""
    profile = PROFILES[name]
    menu = Driver(profile, catalogs, today=today)
    menu.start(locale)
    for topic in TOPICS:
        menu.press(f"topic:{topic}")
    for words in TYPED:
        menu.type(words)
    heard = [said_all(menu)]
    for program in MailProgram:
        driver = Driver(profile, catalogs, today=today)
        driver.start(locale)
        driver.press("yes")
        driver.press("yes")
        driver.type(ADDRESSES[name])
        driver.press(f"program:{program.value}")
        if driver.state.stage is Stage.ASK_SMTP_HOST:
            driver.press("yes")
        assert driver.state.stage is Stage.SETTINGS_DELIVERED, program
        for words in TYPED:
            driver.type(words)
        for outcome in OUTCOMES:
            driver._run(event=SystemEvent("check_result", tuple(outcome.items())))
        heard.append(said_all(driver))
    return heard


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("name", "today"), [(name, day) for name, days in DAYS.items() for day in days], ids=str
)
def test_nothing_of_the_seed_or_absent_from_the_profile_is_said(
    catalogs: Catalogs, name: str, today: dt.date, locale: Locale
) -> None:
    heard = walk(name, catalogs, locale, today)
    leaks = sorted({m.group() for text in heard for m in ABSENT[name].finditer(text)})
    assert not leaks, [t[max(0, t.find(leaks[0]) - 160) :][:320] for t in heard if leaks[0] in t]


# A single cut-over day is said as one day, never as 「4月1日〜4月1日」.
def one_day_says(locale: Locale, catalogs: Catalogs, today: dt.date, *typed: str) -> str:
    driver = Driver(NORTHLIGHT, catalogs, today=today)
    driver.start(locale)
    for topic in ("schedule", "scam"):
        driver.press(f"topic:{topic}")
    for words in typed:
        driver.type(words)
    driver.press("yes")
    driver.press("yes")
    driver.type(ADDRESSES["northlight"])
    driver.press("program:thunderbird")
    driver.press("yes")
    return said_all(driver)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("today", DAYS["northlight"], ids=str)
def test_a_single_cut_over_day_is_said_as_one_day(
    catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    said = one_day_says(locale, catalogs, today, "メールが受信できない")
    day = word_date(catalogs, locale, CUT_OVER)
    assert day in said
    assert f"{day}〜{day}" not in said
    assert f"{day} to {day}" not in said
    assert f"between {day} and {day}" not in said


@pytest.mark.parametrize(
    ("today", "locale", "expected"),
    [
        (dt.date(2027, 3, 30), "ja", "設定の変更日は2027年4月1日(木)です"),
        # The eve says it is tomorrow (「その日になりましたら」 left them to count).
        (dt.date(2027, 3, 31), "ja", "設定の変更日は明日（2027年4月1日(木)）です"),
        (CUT_OVER, "ja", "本日2027年4月1日(木)が設定の変更日です"),
        (dt.date(2027, 4, 2), "ja", "設定の変更日（2027年4月1日(木)）は昨日でしたが"),
        (dt.date(2027, 4, 3), "ja", "設定の変更日（2027年4月1日(木)）は過ぎましたが"),
        (dt.date(2027, 3, 30), "en", "The day to change your settings is Thursday 1 April 2027"),
        (dt.date(2027, 3, 31), "en", "The day to change your settings is tomorrow, Thursday 1"),
        (CUT_OVER, "en", "Today, Thursday 1 April 2027, is the day to change your settings"),
        (dt.date(2027, 4, 2), "en", "The day to change your settings (Thursday 1 April 2027) was"),
        (dt.date(2027, 4, 3), "en", "The day to change your settings (Thursday 1 April 2027) has"),
    ],
)
def test_the_cut_over_day_is_named_for_today(
    catalogs: Catalogs, today: dt.date, locale: Locale, expected: str
) -> None:
    assert expected in one_day_says(locale, catalogs, today)


# 「何もしないとどうなる？」 once an old server has stopped: what stops is said as past.
def do_nothing(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date, locale: Locale
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.type("何もしないとどうなる？" if locale == "ja" else "what happens if I do nothing?")
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "future", "now"),
    [
        (
            "ja",
            "使えなくなると、今の設定では送信もできなくなります",
            "今の設定のままでは送信もできません",
        ),
        ("en", "once the old server is no longer available", "cannot send"),
    ],
)
def test_doing_nothing_after_the_old_sending_server_stopped(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, future: str, now: str
) -> None:
    # Northlight's old SMTP server stopped on the cut-over day, its POP server answers on;
    # the seed's both stopped on 2008-06-20. Sending the old way is impossible now.
    for answer in (
        do_nothing(NORTHLIGHT, catalogs, dt.date(2027, 4, 2), locale),
        do_nothing(profile, catalogs, dt.date(2008, 6, 21), locale),
    ):
        assert future not in answer
        assert now in answer
    # While it answers, the future form stays.
    assert future in do_nothing(profile, catalogs, dt.date(2008, 6, 20), locale)


# What a helpdesk hears about the day itself, answered with the schedule for today.
@pytest.mark.parametrize(
    "text",
    [
        "今日で終わり？",
        "今日までですか",
        "もう変更できますか？",
        "今変更しても大丈夫？",
        "間に合わなかったらどうなる？",
        "6月20日を過ぎたらどうなりますか",
        "期限を過ぎるとどうなりますか",
        "今日変更しても大丈夫ですか",
        "今日が最終日ですか",
        "明日変えてもいいですか",
        "does it change today?",
        "is anything changing today?",
        "do I need to change my settings today?",
        "can I change it already?",
        "is it too late?",
        "is today the last day?",
    ],
)
@pytest.mark.parametrize(
    "today", [dt.date(2008, 5, 20), dt.date(2008, 6, 20), dt.date(2008, 6, 21)]
)
def test_questions_about_the_day_get_the_schedule(
    profile: MigrationProfile, catalogs: Catalogs, text: str, today: dt.date
) -> None:
    locale: Locale = "en" if text.isascii() else "ja"
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.type(text)
    said = driver.said()
    period = "設定変更の期間" if locale == "ja" else "settings-change period"
    assert period in said, said
    assert "あと最大" not in said


# A port that stays while its encryption changes (110 → 110 + STARTTLS, 587 → 587 +
# STARTTLS), and a login name that stays the part before @: every step says "check that it
# is", as the card marks them unchanged; never 「110から110に変え」 or "change User Name".
POP_STARTTLS = {
    'protocol = "imap"': 'protocol = "pop3"',
    'old_host = "imap.hikari-cable.example.jp"': 'old_host = "pop.hikari-cable.example.jp"',
    'new_host = "imap2.hikari-cable.example.jp"': 'new_host = "pop2.hikari-cable.example.jp"',
    'ports = [{port = 143, security = "starttls"}]': (
        'ports = [{port = 110, security = "starttls"}]'
    ),
    'login_methods = ["password", "cram-md5"]': 'login_methods = ["password", "apop"]',
    "old_port = 25\n": "old_port = 587\n",
}
PORTS_KEPT = {
    **POP_STARTTLS,
    'ports = [{port = 110, security = "starttls"}]': 'ports = [{port = 110, security = "none"}]',
    'ports = [{port = 587, security = "starttls"}]': 'ports = [{port = 587, security = "none"}]',
}
SAME_PORT = re.compile(r"(\d+)から\1に|from (\d+) to \2\b|(\d+)（今は\3）|(\d+) \(currently \4\)")
LOGIN_CHANGED = re.compile(
    r"「(?:ユーザー名|ユーザ名|アカウント名|ユーザーID)」を、"
    r'|change "(?:User Name|Username|ユーザーID)"'
)


def variant(tmp_path: Path, edits: dict[str, str]) -> MigrationProfile:
    text = (HERE / "hikari_cable.toml").read_text("utf-8")
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "variant.toml"
    path.write_text(text, "utf-8")
    return load_profile(path)


@pytest.mark.parametrize("edits", [POP_STARTTLS, PORTS_KEPT], ids=["security", "hosts_only"])
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("program", list(MailProgram), ids=str)
def test_a_kept_port_or_login_is_checked_not_changed(
    catalogs: Catalogs, tmp_path: Path, edits: dict[str, str], locale: Locale, program: MailProgram
) -> None:
    profile = variant(tmp_path, edits)
    driver = Driver(profile, catalogs, today=dt.date(2026, 10, 5))
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.type(ADDRESSES["hikari"])
    driver.press(f"program:{program.value}")
    driver.press("yes")
    said = said_all(driver)
    assert not SAME_PORT.search(said), SAME_PORT.search(said)
    assert not LOGIN_CHANGED.search(said), LOGIN_CHANGED.search(said)
    assert "587" in said
    assert "110" in said


@pytest.mark.parametrize(
    "text",
    [
        "今日はいい天気ですね？",
        "I changed it today but I still can't send?",
        "今日からメールが届かない",
    ],
)
def test_the_day_named_in_passing_is_no_question_about_the_schedule(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 1))
    driver.start("en" if text.isascii() else "ja")
    driver.type(text)
    assert "settings-change period" not in driver.said()
    assert "設定変更の期間" not in driver.said()


# A reported problem is answered with every value the fix needs: on a TLS migration the
# port AND its encryption (「465番（SSL/TLS）」), for receiving too; the seed's words stay.
TLS_MIGRATION = load_profile(HERE.parents[1] / "examples" / "tls-migration.toml")


@pytest.mark.parametrize(
    ("name", "typed", "ja", "en"),
    [
        ("tls", "メールが送れない", "ポート465番（SSL/TLS）", "port 465 (SSL/TLS)"),
        (
            "tls",
            "0x800CCC0F",
            "mail.examplenet.ne.jp（ポート995番、SSL/TLS）",
            "port 465 (SSL/TLS)",
        ),
        ("tls", "530 Authentication required", "送信ポートは465番（SSL/TLS）", "is 465 (SSL/TLS)"),
        ("tls", "メールが届かない", "（POP3、ポート995番、SSL/TLS）", "(POP3, port 995, SSL/TLS)"),
        ("northlight", "送信できなくなった", "ポートを465番（SSL/TLS）に", "port to 465 (SSL/TLS)"),
        (
            "northlight",
            "メールが届かない",
            "pop3s.northlight.example.jp（ポート995番、SSL/TLS）に",
            "(port 995, SSL/TLS)",
        ),
        ("hikari", "メールが送れない", "ポート587番（STARTTLS）", "port 587 (STARTTLS)"),
    ],
)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_problem_is_answered_with_the_port_and_its_encryption(
    catalogs: Catalogs, name: str, typed: str, ja: str, en: str, locale: Locale
) -> None:
    profile = {"tls": TLS_MIGRATION, **PROFILES}[name]
    driver = Driver(profile, catalogs, today=profile.schedule.window_end + dt.timedelta(days=1))
    driver.start(locale)
    driver.type(typed)
    assert (ja if locale == "ja" else en) in driver.said()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("メールが送れない", "新しい送信の設定は、ポート587番、SMTP認証をオン"),
        ("0x800CCC0F", "新しい設定（受信サーバーvpop.117.ne.jp、送信ポート587番、SMTP認証をオン）"),
        ("メールが届かない", "受信サーバーをvpop.117.ne.jpに、アカウントを"),
    ],
)
def test_the_seeds_problem_answers_keep_their_words(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, expected: str
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 1))
    driver.start("ja")
    driver.type(typed)
    assert expected in driver.said()
