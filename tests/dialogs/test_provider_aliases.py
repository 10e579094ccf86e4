"""The provider's name as subscribers also write it: [provider] aliases.

Sakura-net's own question says 「さくらネットのサーバー」, and a subscriber answered
「さくらネットのサーバーです」: that was not understood, only "Sakura-net" was. The seed's
117net is written 「117ネット」 too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, ProfileError
from dialogs.vocabulary import VerdictReply
from tests.dialogs.driver import Driver

SAKURA_FILE = Path(__file__).with_name("sakura_net.toml")
SAKURA = load_profile(SAKURA_FILE)


def verdicts(driver: Driver) -> list[str | None]:
    return [r.sending for r in driver.all_replies() if isinstance(r, VerdictReply)]


@pytest.mark.parametrize(
    "typed",
    ["さくらネットのサーバーです", "サクラネットのメールサーバー", "さくらねっとの送信サーバー"],
)
def test_an_alias_answers_whose_server(catalogs: Catalogs, typed: str) -> None:
    driver = Driver(SAKURA, catalogs, today=SAKURA.schedule.window_start)
    driver.start("ja")
    driver.press("yes")
    driver.type(typed)
    assert verdicts(driver) == ["required"]


def test_another_providers_name_in_katakana_does_not(catalogs: Catalogs) -> None:
    driver = Driver(SAKURA, catalogs, today=SAKURA.schedule.window_start)
    driver.start("ja")
    driver.press("yes")
    driver.type("117ネットのサーバーです")
    assert verdicts(driver) == []


@pytest.mark.parametrize(
    ("answers", "typed", "sending"),
    [
        (("yes", "yes"), "117ネットのサーバーを使っています", None),  # Q3 yes: Q4 comes next
        (("yes",), "117ネットだけです", "recommended"),  # Q2 no
    ],
)
def test_the_seeds_name_in_katakana(
    profile: MigrationProfile,
    catalogs: Catalogs,
    answers: tuple[str, ...],
    typed: str,
    sending: str | None,
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for answer in answers:
        driver.press(answer)
    driver.type(typed)
    assert verdicts(driver) == ([sending] if sending else [])
    assert "うまく読み取れませんでした" not in driver.said()


def test_aliases_are_optional_and_checked(tmp_path: Path) -> None:
    text = SAKURA_FILE.read_text("utf-8")
    without = tmp_path / "without.toml"
    without.write_text(text.replace('aliases = ["さくらネット", "サクラネット"]\n', ""), "utf-8")
    assert load_profile(without).provider_aliases == ()
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        text.replace('aliases = ["さくらネット", "サクラネット"]', 'aliases = "x"'), "utf-8"
    )
    with pytest.raises(ProfileError, match=r"\[provider\.aliases\]"):
        load_profile(wrong)


def test_profile_check_shows_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(SAKURA_FILE)]) == 0
    out, _ = capsys.readouterr()
    assert "also written: さくらネット, サクラネット" in out
