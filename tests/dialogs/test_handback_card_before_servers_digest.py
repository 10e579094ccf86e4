"""A hand-back after a card shown before the card kept its servers (926a522).

Since 926a522 what a card was shown for (`card_shown_for`) begins with a digest of the
servers it named. A card shown before kept none, and a hand-back compared the facts whole:
they always differed, so 「担当者から引き継ぎました」 came with the whole card and guide (six
messages) again, though nothing on them had changed, pushing the agent's words out of sight.
A record without the digest is compared on the rest, as the turns already take it
(`_card_moved`: unknown, not sent again for it); any other fact changed still sends it.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState
from dialogs.vocabulary import SettingsReply, SystemEvent, TextReply
from tests.dialogs.driver import Driver
from tests.dialogs.test_handoff import CONSOLE_FACTS, _card_shown_then_handed_off


def _before_the_digest(driver: Driver) -> DialogState:
    """The conversation as a replica before 926a522 stored it: no servers in the card's facts."""
    stored = DialogState.from_json(driver.state.to_json())
    kept = tuple(fact for fact in stored.card_shown_for if not fact.startswith("servers:"))
    assert len(kept) == len(stored.card_shown_for) - 1
    return dataclasses.replace(stored, card_shown_for=kept)


def _handed_back(
    state: DialogState, step: str, profile: MigrationProfile, catalogs: Catalogs, **facts: str
) -> Driver:
    q = profile.questionnaire
    state = resume_stage(apply_facts(state, questionnaire=q, **facts), step, questionnaire=q)  # type: ignore[arg-type]
    back = Driver(profile, catalogs, state=state)
    back._run(event=SystemEvent("handback", (("step", step),)))
    return back


@pytest.mark.parametrize("step", ["questionnaire", "settings"])
def test_a_card_shown_before_the_digest_is_not_sent_again_at_a_handback(
    step: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _card_shown_then_handed_off(profile, catalogs)
    back = _handed_back(_before_the_digest(driver), step, profile, catalogs, **CONSOLE_FACTS)
    assert back.state.stage is Stage.SETTINGS_DELIVERED
    assert not any(isinstance(r, SettingsReply) for r in back.last.replies)
    texts = [r.text for r in back.last.replies if isinstance(r, TextReply)]
    assert texts == [
        catalogs.raw("ja", "handback.greeting"),
        catalogs.raw("ja", "handback.settings_above"),
    ]


@pytest.mark.parametrize(
    "changed",
    [{"program": "becky"}, {"address": "hanako@vp.117.ne.jp"}, {"smtp_host": "other"}],
)
def test_a_card_shown_before_the_digest_is_sent_again_when_its_facts_changed(
    changed: dict[str, str], profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _card_shown_then_handed_off(profile, catalogs)
    back = _handed_back(
        _before_the_digest(driver), "settings", profile, catalogs, **{**CONSOLE_FACTS, **changed}
    )
    assert sum(isinstance(r, SettingsReply) for r in back.last.replies) == 1
    # The new card keeps its servers from now on.
    assert back.state.card_shown_for[0].startswith("servers:")
