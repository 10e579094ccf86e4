"""Where in a Slack DM the subscriber writes is noted once, as they move, never back."""

from __future__ import annotations

from adapters.slack.channel import dm_place_line
from bot.engine import PLACE_NOTE_LINE
from bot.store.conversation_store import record_key
from tests.adapters.channel_contract import Harness
from tests.adapters.slack import test_channel as slack_tests
from tests.adapters.slack.test_long_conversations import THREAD, harness
from tests.fakes.platform_api import SLACK_TEAM

__all__ = ["harness"]  # the fixture, shared with the long conversations' tests


async def test_a_redelivered_event_does_not_move_the_place_back(harness: Harness) -> None:
    # Slack delivers an event again when its first delivery was not acknowledged in time.
    # Noted again (7427df5: its first delivery may have failed before its note), an event
    # in the DM's thread redelivered after the subscriber went on at the top moved the
    # place back: an agent's words and a check's result then went to the thread.
    in_thread = slack_tests.message_event("message_im", "送れません", 1)
    in_thread["event"]["thread_ts"] = THREAD
    at_top = slack_tests.message_event("message_im", "まだ送れません", 2)
    for request in (
        slack_tests.event_request(in_thread),
        slack_tests.event_request(at_top),
        slack_tests.event_request(
            in_thread, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
        ),
    ):
        response = await harness.post(request)
        assert response.status_code == 200, response.text
    await harness.settle()
    key = record_key("slack", f"{SLACK_TEAM}:{slack_tests.DM}")
    noted = await harness.store.latest_line(key, "system", PLACE_NOTE_LINE)
    assert noted is not None
    assert noted.text == dm_place_line(None)
