"""The live check's closing note follows the profile: port 25 only where OP25B is planned.

The check runs from the bot's network, so it cannot tell what the subscriber's own line lets
through (MAIL.md). The notice's concern is port 25 (its OP25B plan); a provider with no such
plan was told about port 25 all the same, a port its subscribers never send on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, ResultVerdict, SystemEvent, TextReply
from tests.dialogs.driver import Driver

SAKURA = load_profile(Path(__file__).with_name("sakura_net.toml"))


def check_result(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver._run(event=SystemEvent("check_result", (("pop", "ok"), ("smtp", "ok"))))
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize(
    ("locale", "port_25", "port_465"),
    [("ja", "ポート25番", "送信ポート465番"), ("en", "port 25", "outgoing port 465")],
)
def test_without_an_op25b_plan_the_note_names_the_profiles_port(
    catalogs: Catalogs, locale: Locale, port_25: str, port_465: str
) -> None:
    said = check_result(SAKURA, catalogs, locale)
    assert port_25 not in said
    assert port_465 in said


@pytest.mark.parametrize(
    ("locale", "port_587", "port_25_unknown"),
    [
        ("ja", "送信ポート587番につながるかどうか", "ポート25番の送信が制限されているかどうか"),
        ("en", "reaches the outgoing port 587", "blocks sending on port 25"),
    ],
)
def test_the_seeds_note_is_about_the_port_checked(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    port_587: str,
    port_25_unknown: str,
) -> None:
    # The check logs in on port 587: what it cannot know is whether the subscriber's line
    # reaches that port. It said it could not tell whether the line blocks port 25, a port
    # the new settings no longer send on (the notice: 587 sends where port 25 is blocked).
    said = check_result(profile, catalogs, locale)
    assert port_587 in said
    assert port_25_unknown not in said
    assert "Outbound Port25 Blocking" in said


@pytest.mark.parametrize(
    ("locale", "words"), [("ja", "送信ポート465番につながるかどうか"), ("en", "outgoing port 465")]
)
def test_the_note_names_the_port_the_check_tried(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: str
) -> None:
    # Where only another port was safe to log in on, the check tried that one.
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    outcomes = (("pop", "ok"), ("smtp", "ok"), ("smtp_port", "465"))
    driver._run(event=SystemEvent("check_result", outcomes))
    said = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert words in said
    assert "587" not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("smtp", ["unreachable", "timeout", "tls_error", "client_refused"])
def test_a_check_that_did_not_reach_the_sending_server_ends_with_what_to_do(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, smtp: str
) -> None:
    # Our side could not get through (「…ポート587番に接続できませんでした。しばらくしてから
    # もう一度お試しください。」): the note on the subscriber's line and port 25 came after
    # it, burying what to do next under port numbers, and its 「その制限がある回線からでも
    # 送信できます」 read as if sending worked.
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver._run(event=SystemEvent("check_result", (("pop", "unreachable"), ("smtp", smtp))))
    result = next(r for r in driver.last.replies if isinstance(r, TextReply) and r.verdicts)
    assert "Outbound Port25 Blocking" not in result.text
    assert ("ポート25番" if locale == "ja" else "port 25") not in result.text
    lines = result.text.split("\n\n")
    if smtp in ("unreachable", "timeout"):
        # Neither server reached: the headline, the two servers' lines and what to do (no
        # note on ports); the headline says nothing was found wrong with their settings.
        assert lines[-1] == catalogs.raw(locale, "check.not_reached.retry")
        assert result.verdicts[1:] == (ResultVerdict.NOT_VERIFIED,) * 2 + (None,)
        return
    assert len(result.verdicts) == 3  # the headline and the two servers' lines, no note
    # A server our side could not reach beside a real failure is no fault of the
    # subscriber's settings (the check uses the notice's servers and ports, not theirs):
    # said there, so that nobody changes a right setting after 「問題あり」.
    not_theirs = (
        "メールソフトの設定が原因ではありません" if locale == "ja" else "not caused by the settings"
    )
    assert not_theirs in lines[1]  # receiving: unreachable
    assert not_theirs not in lines[2]


def _sentences(text: str, locale: Locale) -> list[str]:
    ends = r"(?<=。)" if locale == "ja" else r"(?<=\.)\s+"
    return [s.strip() for s in re.split(ends, text) if s.strip()]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("pop", "smtp"),
    [
        ("unreachable", "unreachable"),
        ("timeout", "unreachable"),
        ("temporary_failure", "timeout"),
        ("unreachable", "ok"),
        ("ok", "timeout"),
    ],
)
def test_servers_not_reached_say_whose_trouble_it_is_and_what_to_do_once(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, pop: str, smtp: str
) -> None:
    # Both servers down said 「お使いのメールソフトの設定が原因ではありません。しばらくして
    # からもう一度お試しください。」 under each, below a headline that already said nothing
    # was found wrong: three times in one answer. Said once, and what to do comes last.
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver._run(event=SystemEvent("check_result", (("pop", pop), ("smtp", smtp))))
    result = next(r for r in driver.last.replies if isinstance(r, TextReply) and r.verdicts)
    sentences = _sentences(result.text, locale)
    assert len(sentences) == len(set(sentences)), result.text
    not_theirs = "原因ではありません" if locale == "ja" else "not caused by"
    assert not_theirs not in result.text
    assert result.text.split("\n\n")[-1] == catalogs.raw(locale, "check.not_reached.retry")


@pytest.mark.parametrize("smtp", ["auth_failed", "not_verified"])
def test_a_check_that_reached_the_sending_server_keeps_the_note(
    profile: MigrationProfile, catalogs: Catalogs, smtp: str
) -> None:
    # The server answered: what our network cannot see of the subscriber's line still holds.
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start("ja")
    driver._run(event=SystemEvent("check_result", (("pop", "unreachable"), ("smtp", smtp))))
    said = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert "Outbound Port25 Blocking" in said
