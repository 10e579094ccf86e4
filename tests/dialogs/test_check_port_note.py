"""The live check's closing note follows the profile: port 25 only where OP25B is planned.

The check runs from the bot's network, so it cannot tell what the subscriber's own line lets
through (MAIL.md). The notice's concern is port 25 (its OP25B plan); a provider with no such
plan was told about port 25 all the same, a port its subscribers never send on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, SystemEvent, TextReply
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


def test_the_seed_keeps_its_port_25_note(profile: MigrationProfile, catalogs: Catalogs) -> None:
    assert catalogs.raw("ja", "check.port25_note") in check_result(profile, catalogs, "ja")
