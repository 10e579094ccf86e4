"""A turn moves the questionnaire exactly as its `transitions` machine would (`fire`).

The machine is what the questionnaire is (built and checked once per profile, drawn by
`mailmove profile diagram`); `Questionnaire.fire` takes its transitions without the
machine's per-event machinery, so every event from every node of every shipped profile is
fired both ways here, with the one condition (`needs_smtp_host`) either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import pytest
from transitions import MachineError
from transitions.core import Event

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Questionnaire, check_machine
from tests.dialogs.driver import Driver

EXAMPLES: Final = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


class Model:
    """What `fire` moves: a `node`, the condition, the callback after every move."""

    def __init__(self, node: str, *, smtp_host_needed: bool) -> None:
        self.node = node
        self.entered: list[str] = []
        self._smtp_host_needed = smtp_host_needed

    def needs_smtp_host(self) -> bool:
        return self._smtp_host_needed

    def on_stage_entered(self) -> None:
        self.entered.append(self.node)


Outcome = tuple[object, ...]


def fired(fire: Callable[[Model, str], bool], model: Model, trigger: str) -> Outcome:
    """What firing `trigger` did: its result (or error) and where the model went."""
    try:
        result: object = fire(model, trigger)
    except (MachineError, ValueError) as err:
        result = (type(err), str(err))
    return (result, model.node, type(model.node), tuple(model.entered))


def cases(questionnaire: Questionnaire) -> Iterator[tuple[str, str, bool]]:
    for trigger in questionnaire.machine.events:
        for node in questionnaire.machine.states:
            for needed in (True, False):
                yield trigger, node, needed


@pytest.mark.parametrize("path", [None, *EXAMPLES], ids=["seed", *(p.stem for p in EXAMPLES)])
def test_every_event_moves_as_the_machine_moves_it(path: Path | None) -> None:
    questionnaire = load_profile(path).questionnaire
    machine = questionnaire.machine
    compared = 0
    for trigger, node, needed in cases(questionnaire):
        by_machine = fired(
            lambda model, name: bool(machine.events[name].trigger(model)),
            Model(node, smtp_host_needed=needed),
            trigger,
        )
        by_fire = fired(questionnaire.fire, Model(node, smtp_host_needed=needed), trigger)
        assert by_fire == by_machine, (trigger, node, needed)
        compared += 1
    assert compared > 100


def test_an_unknown_node_is_refused_as_the_machine_refuses_it(profile: MigrationProfile) -> None:
    questionnaire = profile.questionnaire
    by_machine = fired(
        lambda model, name: bool(questionnaire.machine.events[name].trigger(model)),
        Model("nowhere", smtp_host_needed=True),
        "give_address",
    )
    by_fire = fired(questionnaire.fire, Model("nowhere", smtp_host_needed=True), "give_address")
    assert by_fire == by_machine
    assert by_fire[0][0] is ValueError  # type: ignore[index]


def test_a_whole_questionnaire_fires_no_event_of_the_machine(
    profile: MigrationProfile, catalogs: Catalogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> bool:
        raise AssertionError("an event fired through transitions' Event.trigger")

    monkeypatch.setattr(Event, "trigger", refuse)
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.settings()["pop_server"] == "vpop.117.ne.jp"


@pytest.mark.parametrize("callbacks", ["prepare", "before", "after"])
def test_a_machine_with_callbacks_fire_would_skip_is_refused(
    profile: MigrationProfile, callbacks: str
) -> None:
    machine = Questionnaire(profile.questionnaire.flowchart).machine  # its own, not the shared
    transition = machine.events["give_address"].transitions["ask_address"][0]
    getattr(transition, callbacks).append("note")
    with pytest.raises(ValueError, match=callbacks):
        check_machine(machine)
