"""Every example profile's questionnaire, walked to every leaf and on through the settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.ops.profile_texts import check_questionnaire_texts
from dialogs.facts import anyone_facts
from dialogs.flowchart import Flowchart
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Node, Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState, Signal
from dialogs.vocabulary import ChoicesReply, Locale, Receiving, Sending, SettingsReply
from tests.dialogs.driver import Driver

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WORDS: dict[Locale, dict[str, str]] = {
    "ja": {"yes": "はい", "no": "いいえ", "unsure": "わからないです"},
    "en": {"yes": "yes", "no": "no", "unsure": "I don't know"},
}


def example(path: Path) -> MigrationProfile:
    """The example profile, read by the loader `mailmove serve` uses."""
    return load_profile(path)


def paths(flowchart: Flowchart) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every (answers, leaf) from the root."""
    stack: list[tuple[str, tuple[str, ...]]] = [(flowchart.root, ())]
    while stack:
        node, answers = stack.pop()
        question = flowchart.questions.get(node)
        if question is None:
            yield answers, node
            continue
        stack += [(dest, (*answers, answer)) for answer, dest in question.answers.items()]


FILES = sorted(EXAMPLES.glob("*.toml"))
WALKS = [
    pytest.param(path, answers, leaf, id=f"{path.stem}:{'-'.join(answers)}")
    for path in FILES
    for answers, leaf in paths(example(path).questionnaire.flowchart)
]


def test_the_examples_are_there() -> None:
    assert [p.stem for p in FILES] == [
        "117net",
        "cable-tv-hosted-imap",
        "domain-change",
        "hosted-imap-app-password",
        "hosted-mail-by-post",
        "imap-local-part-new-year",
        "imap-move",
        "imap-new-domain-by-post",
        "mailbox-id-to-address",
        "new-domain-imap",
        "op25b-sending-only",
        "password-reset",
        "pop-moves-smtp-name-kept",
        "pop-moves-smtp-unchanged",
        "pop-name-kept-smtp-moves",
        "pop-to-imap",
        "tls-migration",
        "tls-required-one-host",
        "webmail-for-some-programs",
    ]
    assert [len(example(p).questionnaire.flowchart.questions) for p in FILES] == [
        4,
        4,
        1,
        1,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        1,
        2,
        1,
        2,
        3,
        1,
        2,
        1,
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_example_text_is_in_both_languages(path: Path, catalogs: Catalogs) -> None:
    check_questionnaire_texts(example(path), catalogs, path)


@pytest.mark.parametrize(("path", "answers", "leaf"), WALKS)
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("by", ["button", "text"])
def test_every_leaf_gives_its_verdict_and_the_settings_follow(
    path: Path, answers: tuple[str, ...], leaf: str, locale: Locale, by: str, catalogs: Catalogs
) -> None:
    profile = example(path)
    flowchart = profile.questionnaire.flowchart
    # Inline words may name the profile's facts ({old_smtp}): as the subscriber reads them.
    facts = anyone_facts(profile, catalogs, locale)
    driver = Driver(profile, catalogs)
    driver.start(locale)
    node = flowchart.root
    for answer in answers:
        question = flowchart.questions[node]
        asked = driver.last.replies[-1]
        assert isinstance(asked, ChoicesReply)
        if not question.text.key:
            assert question.text.inline(locale).format_map(facts) in asked.text
        labels = {c.id: c.label for c in asked.choices}
        if not question.labels[answer].key:
            assert labels[answer] == question.labels[answer].inline(locale).format_map(facts)
        if by == "button":
            driver.press(answer)
        else:
            driver.type(WORDS[locale][answer])
        node = question.answers[answer]

    expected = flowchart.leaves[leaf]
    verdict = driver.verdict()
    assert (verdict.receiving, verdict.sending) == (expected.receiving, expected.sending)
    assert Signal.VERDICT_REACHED in driver.last.signals
    if not expected.text.key:
        assert expected.text.inline(locale).format_map(facts) in verdict.text
    if not expected.proceeds:
        assert driver.state.stage.value == leaf
        return
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(f"taro@{profile.affected_domains[0]}")
    driver.press("program:thunderbird")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert any(isinstance(r, SettingsReply) for r in driver.last.replies)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_back_and_restart_follow_the_example(path: Path, catalogs: Catalogs) -> None:
    profile = example(path)
    root = profile.questionnaire.flowchart.root
    driver = Driver(profile, catalogs)
    driver.start()
    assert driver.state.stage.value == root
    driver.press("no")
    driver.press("back")
    assert driver.state.stage.value == root
    assert not driver.state.answers
    driver.press("yes")
    driver.type("最初から")
    assert driver.state.stage.value == root
    assert not driver.state.answers


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_stage_this_profile_lacks_starts_at_its_first_question(
    path: Path, catalogs: Catalogs
) -> None:
    # A conversation stored under another profile (the operator switched profiles).
    profile = example(path)
    driver = Driver(profile, catalogs, state=DialogState(stage=Node("from_another_profile")))
    driver.press("resume")
    assert driver.state.stage.value == profile.questionnaire.flowchart.root
    asked = driver.last.replies[-1]
    assert isinstance(asked, ChoicesReply)
    assert [c.id for c in asked.choices][:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_an_agents_answers_resume_this_questionnaire(path: Path, catalogs: Catalogs) -> None:
    profile = example(path)
    questionnaire = profile.questionnaire
    answers, leaf = next(
        (a, leaf)
        for a, leaf in paths(questionnaire.flowchart)
        if questionnaire.flowchart.leaves[leaf].proceeds
    )
    walked, node = {}, questionnaire.flowchart.root
    for answer in answers:
        walked[node] = answer
        node = questionnaire.flowchart.next(node, answer)
    state = apply_facts(DialogState(), questionnaire=questionnaire, answers=walked)
    resumed = resume_stage(state, "questionnaire", questionnaire=questionnaire)
    expected = questionnaire.flowchart.leaves[leaf]
    assert (resumed.receiving, resumed.sending) == (expected.receiving, expected.sending)
    assert resumed.stage is Stage.ASK_ADDRESS
    with pytest.raises(ValueError, match="answers"):
        apply_facts(DialogState(), questionnaire=questionnaire, answers={"q9_unknown": "yes"})


def driver_for(name: str, catalogs: Catalogs) -> tuple[MigrationProfile, Driver]:
    profile = example(EXAMPLES / f"{name}.toml")
    driver = Driver(profile, catalogs)
    driver.start()
    return profile, driver


def test_a_questions_reading_answers_it_in_typed_words(catalogs: Catalogs) -> None:
    # imap-move's second question reads like the seed's "whose outgoing server?".
    profile, driver = driver_for("imap-move", catalogs)
    driver.type("Thunderbirdで受信しています")  # reading = "mail_program": a yes, remembered
    assert driver.state.stage.value == "sends_through_us"
    assert driver.state.program == "thunderbird"
    driver.type(f"送信サーバーは {profile.outgoing.old_hosts[0]} です")
    assert driver.state.answers == {"uses_mail_program": "yes", "sends_through_us": "yes"}
    assert driver.verdict().sending is Sending.REQUIRED

    _, driver = driver_for("imap-move", catalogs)
    driver.press("yes")
    driver.type("smtp.gmail.com を使っています")
    assert driver.state.answers["sends_through_us"] == "no"
    assert driver.verdict().sending is Sending.NOT_NEEDED

    _, driver = driver_for("tls-migration", catalogs)
    driver.type("Webメールしか使っていません")
    assert driver.state.stage.value == "webmail_only"


def test_a_problem_report_answers_the_examples_questions(catalogs: Catalogs) -> None:
    # 530: the sending settings must change; the walk that gets there is answered for them.
    # Inside the example's window: before it a refusal is not the migration's and proves
    # only that a program is used (test_notice_asked_plainly).
    profile, _ = driver_for("imap-move", catalogs)
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start()
    driver.type("530 5.7.0 Authentication required")
    verdict = driver.verdict()
    assert (verdict.receiving, verdict.sending) == (Receiving.REQUIRED, Sending.REQUIRED)
    assert driver.state.stage is Stage.ASK_ADDRESS

    # A login failure proves only that a mail program is used: the next question is asked.
    _, driver = driver_for("imap-move", catalogs)
    driver.type("0x800CCC92")
    assert driver.state.answers == {"uses_mail_program": "yes"}
    assert driver.state.stage.value == "sends_through_us"

    # Named after "webmail only", a program reopens the questions.
    _, driver = driver_for("tls-migration", catalogs)
    driver.press("no")
    assert driver.state.stage.value == "webmail_only"
    driver.type("Thunderbirdです")
    assert driver.state.answers == {"uses_mail_program": "yes"}
    assert driver.state.stage is Stage.ASK_ADDRESS
