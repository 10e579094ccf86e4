"""An answer and a question in one message: the question is answered and the answer taken.

「いいえ、家だけです。それと送信サーバーは何にすればいいですか」 at the network question was
told the servers and asked the network question again: the no was lost. Beside a problem the
answer was already taken (「家だけです。でも送信できません」); beside a question, a word asked
about, or a request that holds no question mark (「…送信サーバーを教えてください」, 「…ですよね」)
it is now too, said back (so 「戻る」 undoes it), and the next question follows.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic, answer_keys, timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import IN_WINDOW_DAY, at_stage

LABELS = {"yes": "choice.yes", "no": "choice.no", "unsure": "choice.unsure"}

# (stage, locale, message, the answer taken, the topic answered, the program noted or None)
BESIDE = [
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "いいえ、家だけです。それと送信サーバーは何にすればいいですか",
        "no",
        Topic.SERVERS,
        None,
    ),
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "いいえ、送信サーバーは何にすればいいですか",
        "no",
        Topic.SERVERS,
        None,
    ),
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "家だけですが、パスワードは変わりますか",
        "no",
        Topic.PASSWORD,
        None,
    ),
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "はい、会社からも送ります。パスワードは変わりますか？",
        "yes",
        Topic.PASSWORD,
        None,
    ),
    # Without a question mark: a request, a tag question.
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "いいえ、家だけです。送信サーバーを教えてください",
        "no",
        Topic.SERVERS,
        None,
    ),
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "いいえ。パスワードは今のままですよね",
        "no",
        Topic.PASSWORD,
        None,
    ),
    # Said in dialect, the statement before its 「けど」.
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "家だけやけど、パスワードって変わるん？",
        "no",
        Topic.PASSWORD,
        None,
    ),
    # A no and a program named, with nothing named before to put right.
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "いいえ、Outlookを使ってます。パスワードは変わりますか",
        "no",
        Topic.PASSWORD,
        "outlook_ambiguous",
    ),
    # The question first, the answer after it.
    (
        Stage.Q2_OTHER_NETWORK,
        "ja",
        "パスワードは変わりますか？いいえ、家だけです",
        "no",
        Topic.PASSWORD,
        None,
    ),
    # A program named with the answer is kept as well.
    (
        Stage.Q1_MAIL_PROGRAM,
        "ja",
        "はい、iPhoneです。古いメールは消えますか？",
        "yes",
        Topic.OLD_MAIL,
        "ios_mail",
    ),
    (Stage.Q4_OP25B, "ja", "わかりません。OP25Bって何ですか？", "unsure", Topic.OP25B, None),
    (
        Stage.Q2_OTHER_NETWORK,
        "en",
        "No, only at home. What is the new outgoing server?",
        "no",
        Topic.SERVERS,
        None,
    ),
    (
        Stage.Q2_OTHER_NETWORK,
        "en",
        "Yes, from work too. Does my password change?",
        "yes",
        Topic.PASSWORD,
        None,
    ),
]


@pytest.mark.parametrize(("stage", "locale", "text", "answer", "topic", "program"), BESIDE)
def test_an_answer_beside_a_question_is_taken_and_the_question_answered(
    profile: MigrationProfile,
    catalogs: Catalogs,
    stage: Stage,
    locale: Locale,
    text: str,
    answer: str,
    topic: Topic,
    program: str | None,
) -> None:
    driver = at_stage(profile, catalogs, locale, stage)
    driver.type(text)
    said = driver.said()
    for key in answer_keys(topic, timing(profile, IN_WINDOW_DAY)):
        assert catalogs.raw(locale, key)[:12] in said
    assert driver.state.answers.get(stage.value) == answer
    # Said back, so that 「戻る」 undoes it; and the question is not asked again.
    assert catalogs(locale, "answer.read_as", answer=catalogs(locale, LABELS[answer])) in said
    assert driver.state.stage is not stage
    assert driver.state.program == program


def test_the_old_server_named_beside_a_question_is_not_asked_for_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type("はい、vs.117.ne.jpです。いつまでに変えればいいですか")
    assert driver.state.answers.get("q3_uses_our_smtp") == "yes"
    assert driver.state.smtp_host is not None


@pytest.mark.parametrize(
    "text",
    [
        # A 「はい」 before a question is the asking's, not the question's yes.
        "はい、いつまでですか",
        # The question alone.
        "パスワードは変わりますか",
    ],
)
def test_a_question_without_an_answer_asks_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(text)
    assert "q2_other_network" not in driver.state.answers
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_a_no_and_a_program_with_none_named_before_answers_the_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「いいえ、Outlookです」 was read as putting right a program named before (none was): the
    # program noted, the network question asked again and its no lost.
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("いいえ、Outlookです")
    assert driver.state.answers.get("q2_other_network") == "no"
    assert driver.state.program == "outlook_ambiguous"
    label = catalogs("ja", LABELS["no"])
    assert catalogs("ja", "answer.read_as", answer=label) in driver.said()


def test_a_no_and_a_program_after_another_program_puts_the_program_right(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("iPhoneです")
    driver.type("いいえ、Outlookです")
    assert driver.state.program == "outlook_ambiguous"
    assert "q2_other_network" not in driver.state.answers
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_a_mind_changed_about_the_sending_server_at_the_blocking_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「gmailのサーバー」 named Google's server, not the Gmail app: it was noted as the program
    # and the yes to the sending-server question kept.
    driver = at_stage(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type("あ、やっぱりいいえ、gmailのサーバーで送ってます")
    assert driver.state.answers.get("q3_uses_our_smtp") == "no"
    assert "q4_op25b" not in driver.state.answers
    assert driver.state.program is None


def test_whether_to_change_asked_beside_an_answer_goes_on_to_the_verdict(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "gmail's smtp" was the Gmail app (noted as the program) and the question asked again,
    # its no and the question both lost.
    driver = at_stage(profile, catalogs, "en", Stage.Q3_USES_OUR_SMTP)
    driver.type("no, I use gmail's smtp server. Do I still need to change anything?")
    said = driver.said()
    assert catalogs("en", "whether_to_change.by_the_questions") in said
    assert driver.state.answers.get("q3_uses_our_smtp") == "no"
    assert driver.state.program is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("いいえ。。。やっぱりはい、会社でも使います", "yes"),
        ("はい、あ、やっぱりいいえ、家だけです", "no"),
    ],
)
def test_a_mind_changed_inside_one_message_takes_the_answer_after_it(
    profile: MigrationProfile, catalogs: Catalogs, text: str, answer: str
) -> None:
    # Both answers in one message: 「うまく読み取れませんでした」 and the question again.
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == answer
    label = catalogs("ja", LABELS[answer])
    assert catalogs("ja", "answer.read_as", answer=label) in driver.said()


def test_the_sending_server_answered_beside_a_question_goes_on_to_the_card(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # At 「今お使いの送信（SMTP）サーバー名は「vs.117.ne.jp」ですか？」 the servers were told and
    # the same question asked again, its yes lost.
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.press("no")
    driver.press("skip")
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type("はい、vs.117.ne.jpです。ポートは何番ですか")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert driver.settings()["smtp_server"] == "vsmtp.117.ne.jp"
