"""The profile's questionnaire: read, checked at start-up, compiled into the machine."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_texts import check_questionnaire_texts
from bot.ops.settings import Settings
from bot.runtime import build_runtime
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.questionnaire import SETTINGS_STAGES, Node, Stage, position
from dialogs.vocabulary import Receiving, Sending

SEED: dict[str, Any] = tomllib.loads(
    resources.files("bot.ops").joinpath("default_profile.toml").read_text("utf-8")
)


def seed() -> dict[str, Any]:
    return copy.deepcopy(SEED)


def refused(data: dict[str, Any]) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, "p.toml")
    return caught.value


def questions(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["questionnaire"]["questions"]
    return result


def leaves(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["questionnaire"]["leaves"]
    return result


def test_the_seed_compiles_to_its_four_questions_and_six_leaves(
    profile: MigrationProfile,
) -> None:
    flowchart = profile.questionnaire.flowchart
    assert list(flowchart.questions) == [q.value for q in Stage if q.name.startswith("Q")]
    assert {leaf.id: (leaf.receiving, leaf.sending) for leaf in flowchart.leaves.values()} == {
        "webmail_only": (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
        "own_line_recommended": (Receiving.REQUIRED, Sending.RECOMMENDED),
        "sending_not_needed": (Receiving.REQUIRED, Sending.NOT_NEEDED),
        "pop_before_smtp_recommended": (Receiving.REQUIRED, Sending.RECOMMENDED),
        "sending_required": (Receiving.REQUIRED, Sending.REQUIRED),
        "sending_required_unsure": (Receiving.REQUIRED, Sending.REQUIRED),
    }
    # "I don't know" takes the branch that asks for more change: the same as "yes", or at the
    # last question a leaf of the same verdict in other words (nobody knows port 25 is blocked).
    for question in flowchart.questions.values():
        yes, unsure = question.answers["yes"], question.answers["unsure"]
        if unsure in flowchart.leaves:
            verdict = flowchart.leaves[unsure]
            assert (verdict.receiving, verdict.sending) == (
                flowchart.leaves[yes].receiving,
                flowchart.leaves[yes].sending,
            )
        else:
            assert unsure == yes
    machine = profile.questionnaire.machine
    assert set(machine.states) == {
        *flowchart.questions,
        *flowchart.leaves,
        *(s.value for s in SETTINGS_STAGES),
    }
    assert profile.questionnaire.root is Stage.Q1_MAIL_PROGRAM


def test_a_position_is_a_stage_member_where_one_exists() -> None:
    assert position("ask_address") is Stage.ASK_ADDRESS
    other = position("uses_a_program")
    assert isinstance(other, Node)
    assert other == "uses_a_program"
    assert other.value == "uses_a_program"


def test_the_seeds_texts_are_all_in_both_catalogs(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    check_questionnaire_texts(profile, catalogs)


def test_a_catalog_key_missing_in_a_language_stops_the_start_up(catalogs: Catalogs) -> None:
    data = seed()
    questions(data)["q2_other_network"]["hint"] = "q2.no_such_hint"
    profile = parse_profile(data, "p.toml")
    with pytest.raises(ProfileError) as caught:
        check_questionnaire_texts(profile, catalogs, Path("p.toml"))
    assert caught.value.key == "questionnaire.questions.q2_other_network.hint"
    assert "'q2.no_such_hint'" in caught.value.problem
    assert str(caught.value).startswith("p.toml: ")


def test_a_facts_words_are_checked_as_any_text(catalogs: Catalogs) -> None:
    # `fact` (what a yes says, for the desks) is a text like `hint`: in both languages.
    data = seed()
    questions(data)["q1_mail_program"]["fact"] = {"ja": "メールソフトを使用"}
    error = refused(data)
    assert error.key == "questionnaire.questions.q1_mail_program.fact"
    assert "needs both ja and en" in error.problem
    data = seed()
    questions(data)["q2_other_network"]["fact"] = "q2.no_such_fact"
    with pytest.raises(ProfileError) as caught:
        check_questionnaire_texts(parse_profile(data, "p.toml"), catalogs, Path("p.toml"))
    assert caught.value.key == "questionnaire.questions.q2_other_network.fact"


def test_a_profile_without_a_questionnaire_is_refused() -> None:
    data = seed()
    del data["questionnaire"]
    error = refused(data)
    assert error.key == "questionnaire"
    assert "is missing" in error.problem


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (
            lambda d: questions(d)["q2_other_network"]["answers"].pop("unsure"),
            "questionnaire.questions.q2_other_network.answers",
            "unsure",
        ),
        (
            lambda d: questions(d)["q3_uses_our_smtp"]["answers"].update(no="sending_nowhere"),
            "questionnaire.questions.q3_uses_our_smtp.answers.no",
            "'sending_nowhere' is neither a question nor a leaf",
        ),
        (
            lambda d: questions(d)["q4_op25b"]["answers"].update(no="q2_other_network"),
            "questionnaire.questions.q2_other_network",
            "cycle: q2_other_network → q3_uses_our_smtp → q4_op25b → q2_other_network",
        ),
        (
            lambda d: questions(d)["q2_other_network"]["answers"].update(no="sending_required"),
            "questionnaire.leaves.own_line_recommended",
            "cannot be reached from 'q1_mail_program'",
        ),
        (
            lambda d: leaves(d).update(
                ask_address={"receiving": "required", "sending": "required", "text": "x"}
            ),
            "questionnaire.leaves.ask_address",
            "stage of the settings dialogue",
        ),
        (
            lambda d: leaves(d)["sending_required"].update(sending="maybe"),
            "questionnaire.leaves.sending_required.sending",
            "'maybe' is not one of required, recommended, not_needed",
        ),
        (
            lambda d: questions(d)["q1_mail_program"].update(text={"ja": "メールソフトは？"}),
            "questionnaire.questions.q1_mail_program.text",
            "needs both ja and en",
        ),
        (
            lambda d: questions(d)["q1_mail_program"].update(reading="telepathy"),
            "questionnaire.questions.q1_mail_program.reading",
            "'telepathy' is not one of plain, mail_program",
        ),
        (
            lambda d: questions(d)["q1_mail_program"]["answers"].update(
                sometimes="q2_other_network"
            ),
            "questionnaire.questions.q1_mail_program.answers.sometimes",
            "is not a key here",
        ),
        (
            lambda d: d["questionnaire"].update(start="q2_other_network"),
            "questionnaire.start",
            # Which answer leads there, so the operator knows what to change.
            "is an answer's next question (questions.q1_mail_program.answers.yes",
        ),
        (
            # Everyone changes, so no question seemed needed (profiles): it said only
            # "[questionnaire.questions] is missing".
            lambda d: d["questionnaire"].pop("questions"),
            "questionnaire.questions",
            "is missing: a questionnaire asks at least one question; where everyone with a mail"
            " program changes, ask whether they use one",
        ),
    ],
    ids=[
        "no unsure",
        "missing node",
        "cycle",
        "unreachable leaf",
        "reserved id",
        "unknown verdict",
        "one language",
        "unknown reading",
        "unknown answer",
        "start not a root",
        "no questions",
    ],
)
def test_a_broken_questionnaire_is_refused_naming_its_key(
    change: Any, key: str, problem: str
) -> None:
    data = seed()
    change(data)
    error = refused(data)
    assert error.key == key
    assert problem in error.problem
    assert str(error).startswith(f"p.toml: [{key}] ")


def test_two_first_questions_are_refused_unless_start_names_one() -> None:
    data = seed()
    del data["questionnaire"]["start"]
    parse_profile(data, "p.toml")  # one root: found without `start`
    questions(data)["q0_orphan"] = copy.deepcopy(questions(data)["q4_op25b"])
    error = refused(data)
    assert error.key == "questionnaire"
    assert "2 questions" in error.problem
    data["questionnaire"]["start"] = "q1_mail_program"
    assert refused(data).key == "questionnaire.questions.q0_orphan"  # unreachable


def test_inline_texts_and_labels_are_read() -> None:
    data = seed()
    questions(data)["q1_mail_program"].update(
        text={"ja": "メールソフトをお使いですか？", "en": "Do you use a mail program?"},
        labels={"no": {"ja": "Webメールだけです", "en": "Webmail only"}},
    )
    question = parse_profile(data, "p.toml").questionnaire.flowchart.questions["q1_mail_program"]
    assert question.text.inline("en") == "Do you use a mail program?"
    assert question.labels["no"].inline("ja") == "Webメールだけです"
    assert question.labels["yes"].key == "choice.yes"  # unlabelled answers keep the default


def test_the_runtime_refuses_a_profile_whose_text_is_not_in_the_catalogs(tmp_path: Path) -> None:
    text = resources.files("bot.ops").joinpath("default_profile.toml").read_text("utf-8")
    path = tmp_path / "p.toml"
    path.write_text(text.replace('text = "q3.question"', 'text = "q3.questoin"'), "utf-8")
    with pytest.raises(ProfileError) as caught:
        build_runtime(Settings(profile_path=path, store_url="sqlite://:memory:"))
    assert str(caught.value) == (
        f"{path}: [questionnaire.questions.q3_uses_our_smtp.text] catalog key 'q3.questoin' "
        "has no ja or en text"
    )
