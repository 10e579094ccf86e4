"""A question that names the old outgoing server: its "yes" is not asked for again.

examples/pop-to-imap.toml asks 「メールソフトの送信サーバー（SMTPサーバー）は
「smtp.tsubame.example.jp」ですか？」. Without a way to say so, a subscriber who answered
「はい」 was asked 「今お使いの送信（SMTP）サーバー名は「smtp.tsubame.example.jp」ですか？」 again
after choosing a program. `names_old_smtp = true` on the question says its "yes" tells which
server is in use; "don't know" still gets the settings' question (with where to look).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, ProfileError
from dialogs.questionnaire import Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.settings_card import SmtpHost
from dialogs.state import DialogState
from tests.dialogs.driver import Driver

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "pop-to-imap.toml"
PROFILE: Final = load_profile(EXAMPLE)
QUESTION: Final = "sends_through_tsubame"


def to_program(profile: MigrationProfile, catalogs: Catalogs, *answers: str) -> Driver:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start("ja")
    for answer in answers:
        if answer.startswith("!"):
            driver.press(answer[1:])
        else:
            driver.type(answer)
    driver.type("taro@tsubame.example.jp")
    driver.press("program:thunderbird")
    return driver


@pytest.mark.parametrize(
    "answers",
    [
        ("!yes", "!yes", "!yes"),
        ("!yes", "はい", "!no"),
        # Back to the question and answered again: the last answer counts.
        ("!yes", "!unsure", "!back", "!yes", "!yes"),
    ],
    ids=["buttons", "typed", "after back"],
)
def test_yes_at_the_question_that_names_it_is_not_asked_again(
    catalogs: Catalogs, answers: tuple[str, ...]
) -> None:
    assert PROFILE.questionnaire.question(QUESTION).names_old_smtp  # type: ignore[union-attr]
    driver = to_program(PROFILE, catalogs, *answers)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert driver.settings()["smtp_server"] == "smtp.tsubame-mail.example.jp"
    assert "今お使いの送信（SMTP）サーバー名" not in driver.said()


@pytest.mark.parametrize(
    "answers",
    [("!yes", "!unsure", "!yes"), ("!yes", "!yes", "!back", "!unsure", "!yes")],
    ids=["unsure", "unsure after yes"],
)
def test_not_knowing_still_gets_the_settings_question(
    catalogs: Catalogs, answers: tuple[str, ...]
) -> None:
    driver = to_program(PROFILE, catalogs, *answers)
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    assert "「≡」→「アカウント設定」" in driver.said()


def test_a_question_without_it_asks_as_before(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The seed's 「117netのメールサーバーを設定して…」 names no host: 117net has others.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('reading = "our_smtp"', 'reading = "plain"'),
            "[questionnaire.questions.sends_through_tsubame.names_old_smtp] needs"
            ' reading = "our_smtp"',
        ),
        (
            ("names_old_smtp = true", 'names_old_smtp = "yes"'),
            "[questionnaire.questions.sends_through_tsubame.names_old_smtp] must be true or false",
        ),
    ],
)
def test_the_key_is_checked(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = EXAMPLE.read_text("utf-8")
    assert change[0] in text
    path = tmp_path / "profile.toml"
    path.write_text(text.replace(*change), "utf-8")
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    assert message in str(refused.value)


def test_an_agents_yes_to_it_is_not_asked_again_either(catalogs: Catalogs) -> None:
    # The desk hands the conversation back with the answers the agent heard on the phone.
    questionnaire = PROFILE.questionnaire
    answers = {"reads_in_program": "yes", QUESTION: "yes", "sends_away_from_home": "no"}
    state = apply_facts(
        DialogState(),
        questionnaire=questionnaire,
        answers=answers,
        address="taro@tsubame.example.jp",
    )
    assert state.smtp_host is SmtpHost.OLD
    driver = Driver(
        PROFILE,
        catalogs,
        today=PROFILE.schedule.window_start,
        state=resume_stage(state, "settings", questionnaire=questionnaire),
    )
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    # "Don't know" told the agent nothing about the server.
    unsure = apply_facts(DialogState(), questionnaire=questionnaire, answers={QUESTION: "unsure"})
    assert unsure.smtp_host is None
