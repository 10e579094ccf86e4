"""Whether subscribers log in when they send today is declared (`[outgoing] old_smtp_auth`).

It was read off the old port: 25 meant "no SMTP AUTH today" (the notice's), anything else
"SMTP AUTH already". Real providers ran SMTP AUTH on port 25 long before they opened 587,
and some let their own lines send on 587 without a login. Where the profile says so, the
card marks authentication new only for who does not log in today, "why the change?" gives
the notice's spoofing reason only to them and the port-25 reason only to who leaves port
25, and POP before SMTP is "not your way either" only to who authenticates. Left out, the
old port decides, as before, so every shipped profile says what it said.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_preview import preview
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.vocabulary import Locale, SettingsReply
from tests.dialogs.driver import Driver

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot/ops/default_profile.toml"
DOMAIN_CHANGE = ROOT / "examples/domain-change.toml"


def variant(path: Path, old: str, new: str) -> MigrationProfile:
    text = path.read_text("utf-8")
    assert old in text, old
    return parse_profile(tomllib.loads(text.replace(old, new, 1)), path.name)


def seed_authenticating_on_25() -> MigrationProfile:
    # 117net's servers, but its subscribers already send on 25 with SMTP AUTH (as many
    # providers had them before submission on 587), and no POP before SMTP on the new ones.
    text = SEED.read_text("utf-8")
    for old, new in (
        ("old_smtp_auth = false", "old_smtp_auth = true"),
        ("pop_before_smtp_kept = true", "pop_before_smtp_kept = false"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_profile(tomllib.loads(text), "auth-on-25.toml")


def domain_change_without_login() -> MigrationProfile:
    # Kaigan Hikari's own lines send on 587 without a login today.
    return variant(DOMAIN_CHANGE, "old_smtp_auth = true", "old_smtp_auth = false")


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


def topic(profile: MigrationProfile, catalogs: Catalogs, name: str, locale: Locale) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press(f"topic:{name}")
    return driver.said()


def left_out(path: Path) -> MigrationProfile:
    text = path.read_text("utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("old_smtp_auth")]
    assert len(kept) == len(text.splitlines()) - 1
    return parse_profile(tomllib.loads("\n".join(kept)), path.name)


def test_left_out_the_old_port_decides_as_before() -> None:
    # The shipped profiles say it; one written before the key gets what it got.
    assert left_out(SEED).outgoing.old_authenticated is False
    assert left_out(DOMAIN_CHANGE).outgoing.old_authenticated is True
    assert (
        parse_profile(tomllib.loads(SEED.read_text("utf-8")), "s").outgoing.old_authenticated
        is False
    )


@pytest.mark.parametrize("value", ['"yes"', "1", '"true"'])
def test_anything_but_true_or_false_is_refused_by_key(value: str) -> None:
    text = SEED.read_text("utf-8").replace("old_smtp_auth = false", f"old_smtp_auth = {value}")
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text), "x.toml")
    assert "outgoing.old_smtp_auth" in str(refused.value)
    assert "true or false" in str(refused.value)


def test_the_card_marks_authentication_new_only_where_it_is(catalogs: Catalogs) -> None:
    assert (
        card_marks(seed_authenticating_on_25(), catalogs, "taro@vp.117.ne.jp")["smtp_auth"] is False
    )
    marks = card_marks(domain_change_without_login(), catalogs, "taro@minato-net.example.jp")
    assert marks["smtp_auth"] is True


@pytest.mark.parametrize(
    ("locale", "spoofing", "port_25", "moved"),
    [
        (
            "ja",
            "なりすまし",
            "25番から587番",
            "新しいサーバー（受信：vpop.117.ne.jp、送信：vsmtp.117.ne.jp）",
        ),
        (
            "en",
            "pretend",
            "from 25 to 587",
            "new servers (incoming vpop.117.ne.jp, outgoing vsmtp.117.ne.jp)",
        ),
    ],
)
def test_why_on_port_25_with_a_login_today_is_the_move_and_the_port(
    catalogs: Catalogs, locale: Locale, spoofing: str, port_25: str, moved: str
) -> None:
    said = topic(seed_authenticating_on_25(), catalogs, "why", locale)
    assert spoofing not in said
    assert port_25 in said
    assert moved in said


@pytest.mark.parametrize(
    ("locale", "spoofing"), [("ja", "なりすまし"), ("en", "pretend to be a Kaigan Hikari member")]
)
def test_why_on_587_without_a_login_today_names_authentication(
    catalogs: Catalogs, locale: Locale, spoofing: str
) -> None:
    said = topic(domain_change_without_login(), catalogs, "why", locale)
    assert spoofing in said
    assert ("ポート25番" if locale == "ja" else "port 25") not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_pop_before_smtp_is_not_their_way_where_they_log_in_on_25(
    catalogs: Catalogs, locale: Locale
) -> None:
    said = topic(seed_authenticating_on_25(), catalogs, "pop_before_smtp", locale)
    assert ("これまでの仕組み" if locale == "ja" else "the old method") not in said
    assert ("今と同じようにSMTP認証" if locale == "ja" else "as it does today") in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_pop_before_smtp_is_not_as_today_where_they_send_without_a_login(
    catalogs: Catalogs, locale: Locale
) -> None:
    text = DOMAIN_CHANGE.read_text("utf-8")
    assert "pop_before_smtp_kept = false" in text
    said = topic(domain_change_without_login(), catalogs, "pop_before_smtp", locale)
    assert ("今と同じようにSMTP認証" if locale == "ja" else "as it does today") not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_port_25_with_a_login_is_still_blamed_when_the_server_is_not_reached(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Outbound Port25 Blocking stops port 25 whatever the login: the notice's cause stays.
    driver = Driver(seed_authenticating_on_25(), catalogs, today=dt.date(2008, 6, 1))
    driver.start(locale)
    driver.type("0x800CCC0F")
    assert ("ポート25番" if locale == "ja" else "port 25") in driver.said()


def test_profile_check_says_how_they_send_today(catalogs: Catalogs) -> None:
    said = preview(seed_authenticating_on_25(), catalogs, "ja", "auth-on-25.toml")
    assert "sending today: port 25 with SMTP AUTH ([outgoing] old_smtp_auth)" in said
    said = preview(domain_change_without_login(), catalogs, "en", "d.toml")
    assert "sending today: port 587 without SMTP AUTH ([outgoing] old_smtp_auth)" in said


def guide(profile: MigrationProfile, catalogs: Catalogs, program: str, locale: Locale) -> str:
    driver = Driver(
        profile, catalogs.with_variants(profile.text_variants), today=dt.date(2008, 6, 1)
    )
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press(f"program:{program}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    return driver.said()


TURN_ON: Final = {
    "outlook_classic": ("にチェックを付けて", 'tick "My outgoing server'),
    "gmail_android": ("「ログインが必要」をオンにします", 'turn on "Require sign-in"'),
    "becky": ("「SMTP認証」にチェックを付け", 'tick "SMTP認証"'),
}
CHECK_ON: Final = {
    "outlook_classic": ("にチェックが付いていて", "is ticked"),
    "gmail_android": (
        "「ログインが必要」がオンになっていることを確かめます",
        '"Require sign-in" is on',
    ),
    "becky": (
        "「SMTP認証」にチェックが付いていることを確かめ",
        '"SMTP認証" (SMTP authentication) is ticked',
    ),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("program", sorted(TURN_ON))
def test_the_guide_checks_the_login_is_on_where_it_is_today(
    catalogs: Catalogs, program: str, locale: Locale
) -> None:
    # 「…にチェックを付けて」 / 'tick …' asked who ticked it long ago to tick it again.
    index = 0 if locale == "ja" else 1
    said = guide(seed_authenticating_on_25(), catalogs, program, locale)
    assert CHECK_ON[program][index] in said
    assert TURN_ON[program][index] not in said
    # The notice's subscribers turn it on.
    seed = parse_profile(tomllib.loads(SEED.read_text("utf-8")), "seed.toml")
    assert TURN_ON[program][index] in guide(seed, catalogs, program, locale)
