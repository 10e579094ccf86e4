"""A program named beside a question, and an explicit no the problem beside it overturns.

- 「Thunderbirdを使っています。新しい送信サーバーは何ですか？」 at the address question: the
  servers were told, the program dropped and asked for again later.
- 「Outlookの場合はどこで設定しますか？」 left with an agent at the questions: the hand-back
  said nothing of it (a program named was not among the kinds it answers).
- 「いいえ、使っていません。送信できません」 at the mail-program question: taken as yes (the
  problem shows a program) without a word about the no.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState
from dialogs.vocabulary import Locale, SystemEvent
from tests.dialogs.driver import Driver, at_stage


@pytest.mark.parametrize(
    ("locale", "stage", "typed", "program"),
    [
        (
            "ja",
            Stage.ASK_ADDRESS,
            "Thunderbirdを使っています。新しい送信サーバーは何ですか？",
            "thunderbird",
        ),
        ("ja", Stage.Q2_OTHER_NETWORK, "iPhoneです。パスワードは変わりますか", "ios_mail"),
        ("ja", Stage.Q3_USES_OUR_SMTP, "Thunderbirdです、POPって何ですか", "thunderbird"),
        (
            "en",
            Stage.ASK_ADDRESS,
            "I use Thunderbird. What is the new outgoing server?",
            "thunderbird",
        ),
    ],
)
def test_a_program_named_beside_a_question_is_kept(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    stage: Stage,
    typed: str,
    program: str,
) -> None:
    if stage is Stage.ASK_ADDRESS:
        driver = Driver(profile, catalogs)
        driver.start(locale)
        driver.press("settings")
    else:
        driver = at_stage(profile, catalogs, locale, stage)
    driver.type(typed)
    assert driver.state.program == program
    assert driver.state.stage is stage


def test_the_program_beside_the_address_question_is_not_asked_for_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.type("Thunderbirdを使っています。新しい送信サーバーは何ですか？")
    assert "vsmtp.117.ne.jp" in driver.said()
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is not Stage.ASK_PROGRAM
    assert "メールソフトを選んでください" not in driver.said()


@pytest.mark.parametrize(
    "typed",
    ["Outlookは使っていません。パスワードは変わりますか", "gmailのsmtpサーバーは何ですか"],
)
def test_a_program_not_used_or_a_service_named_is_not_kept(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.program is None


@pytest.mark.parametrize(
    ("locale", "left", "said"),
    [
        ("ja", "Outlookの場合はどこで設定しますか？", "新しい設定と一緒にご案内します"),
        ("en", "Where do I set this in Outlook?", "comes with your new settings"),
    ],
)
def test_a_program_left_with_the_agent_at_the_questions_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, left: str, said: str
) -> None:
    driver = at_stage(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    q = profile.questionnaire
    stored = DialogState.from_json(driver.state.to_json())
    facts = apply_facts(stored, questionnaire=q, answers={"q1_mail_program": "yes"})
    back = Driver(profile, catalogs, state=resume_stage(facts, "questionnaire", questionnaire=q))
    back._run(event=SystemEvent("handback", (("step", "questionnaire"), ("unanswered", left))))
    assert back.state.program == "outlook_ambiguous"
    assert said in back.said()
    assert left in back.said()
    assert back.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "typed", "said_back"),
    [
        (
            "ja",
            "いいえ、使っていません。送信できません",
            "送信できないとのことですので、メールソフトをお使いのものとしてご案内します。",
        ),
        ("ja", "いいえ。メールが送れません", "Webメールだけをお使いの場合は「戻る」"),
        ("en", "No, I don't. I can't send mail.", 'If you use only webmail, type "back".'),
    ],
)
def test_a_no_the_problem_overturns_is_said_back(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said_back: str
) -> None:
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    # Taking yes stays (the safe way); the no is said back so it can be put right.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert said_back in driver.said()


def test_back_after_the_no_said_back_gives_the_webmail_verdict_naming_the_trouble(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("いいえ、使っていません。送信できません")
    driver.type("戻る")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    driver.type("いいえ")
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    assert "メールが送信できないとのこと" in driver.said()


def test_a_yes_beside_the_problem_is_not_said_back_as_overturned(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("はい、使っています。送信できません")
    assert "メールソフトをお使いのものとしてご案内します" not in driver.said()
