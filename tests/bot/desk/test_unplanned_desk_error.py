"""A desk that fails as nobody planned is one desk not told, not the handoff lost.

A desk's `hand_off` raises DeskUnavailableError when it cannot tell its agents; anything
else (a bug, a client error it did not wrap) went straight out of the handoff's background
task: the desks after it were never told, the conversation stayed in the queue with no
agent knowing, the subscriber was not told to call, and the log said only "Background task
handoff … failed". Now it is one error line with its traceback, counted in
`mailmove_background_errors_total{task="desk"}`, and the handoff goes on as for a desk
that is down.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.desk.handoff import DeskUnavailableError
from bot.desk.summary import HandoffSummary
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for, settings_for
from tests.bot.ops.test_background_loops import counted


class BrokenDesk:
    """A desk whose client fails in a way it does not turn into DeskUnavailableError."""

    name = "broken"

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        raise KeyError("channel_id")


class ListeningDesk:
    """A desk that hears every handoff."""

    name = "listening"

    def __init__(self) -> None:
        self.heard: list[HandoffSummary] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        self.heard.append(summary)


async def test_the_next_desk_is_told_after_one_fails_unexpectedly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    runtime = app.state.runtime
    listening = ListeningDesk()
    runtime.handoffs.add(BrokenDesk())
    runtime.handoffs.add(listening)
    with app.state.metrics.current(), caplog.at_level(logging.INFO, logger="bot"):
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await runtime.tasks.idle()
    assert [s.key for s in listening.heard] == [chat.key]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        f"Desk broken failed unexpectedly (handoff of {chat.key}), taken as not told:"
        " KeyError: 'channel_id'"
    ]
    assert errors[0].exc_info is not None
    assert counted(app.state.metrics.registry, "desk") == 1


async def test_a_handoff_no_desk_heard_says_what_became_of_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The desks' own lines said only that each was not told; what the subscriber got then
    # (the bot back, and how to reach the desk) was nowhere in the log.
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    runtime = app.state.runtime
    runtime.handoffs.add(BrokenDesk())
    with caplog.at_level(logging.INFO, logger="bot.desk"):
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await runtime.tasks.idle()
            record = await runtime.engine.store.load(chat.key)
    assert record is not None
    assert record.owner is Owner.BOT
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == [
        f"No desk heard of the handoff of {chat.key}: the bot has it back and told the"
        " subscriber how to reach the desk"
    ]


class DownDesk(ListeningDesk):
    """A desk whose platform answers 5xx."""

    name = "down"

    async def hand_off(self, summary: HandoffSummary) -> None:
        raise DeskUnavailableError("webhook answered 503")


async def test_every_desk_not_told_is_counted(tmp_path: Path) -> None:
    # Only the log said a desk missed a handoff: nothing to alert on, though each such
    # subscriber was told to call instead.
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    runtime = app.state.runtime
    runtime.handoffs.add(DownDesk())
    runtime.handoffs.add(BrokenDesk())
    with app.state.metrics.current():
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await runtime.tasks.idle()
    registry = app.state.metrics.registry
    for desk in ("down", "broken"):
        labels = {"desk": desk, "kind": "handoff"}
        assert registry.get_sample_value("mailmove_desk_not_told_total", labels) == 1
