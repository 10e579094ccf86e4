"""Words written in the DM under a card sent there from a channel's thread go on from it.

In a channel's thread the settings card and its guide go to the subscriber's DM with the
app (`test_thread_link`). Reading them there, the subscriber writes there: 「ありがとう」,
「送信できません」, a question about the card. The DM kept no conversation, so they were
greeted as a new one, the questionnaire's first question posted under the card.
"""

from __future__ import annotations

import datetime as dt

from adapters.slack.dm_carry import carried_line
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    record_key,
)
from dialogs.state import DialogState
from tests.adapters.channel_contract import Harness
from tests.adapters.slack import test_channel as slack_tests
from tests.adapters.slack.test_thread_link import CHANNEL, _in_a_thread, harness, oracle
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import SLACK_TEAM

__all__ = ["harness", "oracle"]

DM_KEY = record_key("slack", f"{SLACK_TEAM}:{slack_tests.DM}")
FIRST_QUESTION = "メールの送受信に、メールソフト"


async def _in_dm(harness: Harness, text: str, n: int) -> list[str]:
    before = len(harness.fake.calls_to("slack", "chat.postMessage"))
    payload = slack_tests.message_event("message_im", text, n)
    assert (await harness.post(slack_tests.event_request(payload))).status_code == 200
    await harness.runtime.tasks.idle()
    posted = harness.fake.calls_to("slack", "chat.postMessage")[before:]
    assert {p.params["channel"] for p in posted} <= {slack_tests.DM}
    return [str(p.params.get("text")) for p in posted]


async def test_thanks_under_the_card_in_the_dm_is_answered_not_greeted(
    harness: Harness, oracle: Driver
) -> None:
    thread = await _in_a_thread(harness, oracle)
    said = await _in_dm(harness, "ありがとう", 40)
    assert said, "nothing was said"
    assert not any(FIRST_QUESTION in words for words in said), said
    assert not any(words.startswith("こんにちは") for words in said), said
    assert "どういたしまして。" in said
    record = await harness.store.load(DM_KEY)
    assert record is not None
    assert (record.dialog.address, record.dialog.program) == ("taro@vp.117.ne.jp", "thunderbird")
    # An agent reading the DM's transcript is told where it began.
    noted = await harness.store.latest_line(DM_KEY, "system", "slack: continued")
    assert noted is not None
    assert noted.text == carried_line(f"{SLACK_TEAM}:{CHANNEL}:{thread}")


async def test_a_question_about_the_card_in_the_dm_is_answered_from_it(
    harness: Harness, oracle: Driver
) -> None:
    await _in_a_thread(harness, oracle)
    said = await _in_dm(harness, "送信サーバーは何でしたっけ", 40)
    assert not any(FIRST_QUESTION in words for words in said), said
    assert any("vsmtp.117.ne.jp" in words for words in said), said


async def test_a_dm_an_agent_has_is_not_taken_from_them(harness: Harness, oracle: Driver) -> None:
    at = dt.datetime(2008, 5, 1, tzinfo=dt.UTC)
    theirs = ConversationRecord(DM_KEY, "slack", Owner.AGENT, DialogState(), at, at)
    await harness.store.transact(DM_KEY, None, lambda _: Change(theirs, [], None))
    await _in_a_thread(harness, oracle)
    record = await harness.store.load(DM_KEY)
    assert record is not None
    assert (record.owner, record.dialog) == (Owner.AGENT, DialogState())
