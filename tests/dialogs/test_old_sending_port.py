"""Port 25 is named only where subscribers send on port 25 today, as the notice's did.

The notice's subscribers sent on port 25, which other networks block (Outbound Port25
Blocking), so 「ポート25番がふさがれている」 is the likely cause of an outgoing server that
cannot be reached. A profile whose subscribers send on 587 today (a new domain after a
merger, a move to TLS that keeps its names) never touched port 25: the words name what can
be wrong instead (the server name or port typed, the old server gone), and "why the
change?" is the move itself (and the encryption, and the new address), not the notice's
SMTP-authentication reasons: those subscribers authenticate already.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, SettingsReply, reply_as_plain_text
from tests.dialogs.driver import Driver

ROOT = Path(__file__).resolve().parents[2]
# Both send on 587 today: a new domain (new names), and TLS added on the kept names.
DOMAIN_CHANGE = load_profile(ROOT / "examples/domain-change.toml")
KEPT_NAMES = load_profile(ROOT / "tests/dialogs/umineko_tls.toml")
PORT_25 = ("ポート25番", "port 25", "Port25")
# Outlook's "cannot connect" codes: any server, and the outgoing one.
PROBLEMS = ("0x800CCC0F", "0x80042109", "送信サーバーに接続できません")


def problem_answers(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date, locale: Locale
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    for words in PROBLEMS:
        driver.type(words)
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def days(profile: MigrationProfile) -> tuple[dt.date, ...]:
    """Inside the window (the old sending server answers) and after the old servers."""
    schedule = profile.schedule
    assert schedule.old_smtp_until is not None
    return (schedule.window_start, schedule.old_smtp_until + dt.timedelta(days=1))


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("name", ["domain_change", "kept_names"])
def test_port_25_is_not_blamed_where_nobody_sends_on_it(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = DOMAIN_CHANGE if name == "domain_change" else KEPT_NAMES
    assert profile.outgoing.old_port == 587
    for today in days(profile):
        said = problem_answers(profile, catalogs, today, locale)
        # Each problem was answered (not 「うまく読み取れませんでした」).
        assert ("接続できていません" if locale == "ja" else "cannot reach") in said
        assert not [word for word in PORT_25 if word in said], (today, said)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_notice_still_blames_port_25(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 117net's subscribers send on port 25 today: the notice's words stay.
    for today in (dt.date(2008, 6, 1), dt.date(2008, 6, 21)):
        said = problem_answers(profile, catalogs, today, locale)
        assert ("ポート25番" if locale == "ja" else "port 25") in said


def why(profile: MigrationProfile, catalogs: Catalogs, today: dt.date, locale: Locale) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("topic:why")
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "spoofing", "moved", "address"),
    [
        (
            "ja",
            "なりすまし",
            "新しいサーバー（受信：pop.kaigan-hikari.example.jp、送信：smtp.kaigan-hikari.example.jp）",
            "メールアドレスが@minato-net.example.jpで終わるアドレスから"
            "@kaigan-hikari.example.jpで終わるアドレスに変わります",
        ),
        (
            "en",
            "spoof",
            "new servers (incoming pop.kaigan-hikari.example.jp, outgoing"
            " smtp.kaigan-hikari.example.jp)",
            "address changes from the address ending in @minato-net.example.jp"
            " to the address ending in @kaigan-hikari.example.jp",
        ),
    ],
    ids=["ja", "en"],
)
def test_why_is_the_move_where_subscribers_already_authenticate(
    catalogs: Catalogs, locale: Locale, spoofing: str, moved: str, address: str
) -> None:
    # Kaigan Hikari's subscribers send on 587 with their account today: SMTP authentication
    # against spoofing and port 25 blocked elsewhere (the notice's reasons) change nothing
    # for them. What changes is where the mail is, and their address.
    said = why(DOMAIN_CHANGE, catalogs, DOMAIN_CHANGE.schedule.window_start, locale)
    assert spoofing not in said
    assert not [word for word in PORT_25 if word in said]
    assert moved in said
    assert address in said
    # Today's POP3 on 110 and SMTP on 587 are unencrypted; the new ones are not.
    assert ("暗号化（SSL/TLS）されます" if locale == "ja" else "is encrypted") in said


def test_why_keeps_the_notices_reasons_where_subscribers_sent_on_port_25(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    assert "なりすまし送信を防ぎます" in why(profile, catalogs, dt.date(2008, 6, 1), "ja")


def card_marks(profile: MigrationProfile, catalogs: Catalogs, address: str) -> dict[str, bool]:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start("ja")
    driver.press("settings")
    driver.type(address)
    driver.press("program:thunderbird")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    cards = [reply for reply in driver.all_replies() if isinstance(reply, SettingsReply)]
    return {item.key: item.changed for item in cards[-1].items}


@pytest.mark.parametrize(
    ("path", "address"),
    [
        ("examples/domain-change.toml", "taro@minato-net.example.jp"),
        ("examples/tls-migration.toml", "taro@examplenet.ne.jp"),
        ("examples/new-domain-imap.toml", "taro@old.example.jp"),
    ],
)
def test_the_card_does_not_mark_authentication_new_where_it_is_not(
    catalogs: Catalogs, path: str, address: str
) -> None:
    # Their subscribers send on 587 with SMTP AUTH today (tls-migration.toml says so): the
    # card's 「送信時の認証（SMTP認証）：必要」 is no change for them, as the port is not.
    marks = card_marks(load_profile(ROOT / path), catalogs, address)
    assert marks["smtp_auth"] is False


def test_the_notice_marks_authentication_new(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 117net's subscribers sent on 25 without authentication: it is new.
    assert card_marks(profile, catalogs, "taro@vp.117.ne.jp")["smtp_auth"] is True


def pop_before_smtp(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("topic:pop_before_smtp")
    return driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("name", ["domain_change", "kept_names"])
def test_pop_before_smtp_is_not_called_todays_way_where_they_authenticate(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    # 「これまでの仕組みです」 / "the old method" told subscribers who send with SMTP AUTH on
    # 587 today that POP before SMTP was their way until now.
    profile = DOMAIN_CHANGE if name == "domain_change" else KEPT_NAMES
    said = pop_before_smtp(profile, catalogs, locale)
    assert ("これまでの仕組み" if locale == "ja" else "the old method") not in said
    assert ("今と同じようにSMTP認証" if locale == "ja" else "as it does today") in said


def test_pop_before_smtp_stays_the_old_way_where_they_sent_on_port_25(
    catalogs: Catalogs,
) -> None:
    profile = load_profile(ROOT / "examples/pop-to-imap.toml")
    assert "これまでの仕組み" in pop_before_smtp(profile, catalogs, "ja")
