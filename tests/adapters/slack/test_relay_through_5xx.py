"""The subscriber's words reach the handoff's Slack thread through a Slack 5xx.

A relay that Slack answered 500 (an outage of seconds) was logged and dropped: the agent
working in the thread never saw what the subscriber wrote, and waited for an answer the
subscriber had given. It is posted once, as every other bot post is (`post_once`): read
back after the failure, and sent again only when Slack does not have it.
"""

from __future__ import annotations

from adapters.slack.desk_actions import TAKE
from bot.channels.answer_first import RETRY_WAIT
from bot.store.conversation_store import Owner
from tests.adapters.slack import test_desk_relay as relay
from tests.adapters.slack.test_desk import Desk, handed_off
from tests.adapters.slack.test_desk_relay import in_thread

thread_fake = relay.thread_fake
desk = relay.desk

WORDS = "まだ送信できません。エラー番号は 0x800CCC0F です"


def relayed(desk: Desk) -> list[str]:
    return [str(c.params.get("text", "")) for c in in_thread(desk) if WORDS in str(c.params)]


async def test_words_slack_answered_500_for_are_posted_again(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert await desk.owner(chat.key) is Owner.AGENT
    desk.fake.fail("slack", "chat.postMessage", status=500)
    await chat.send(text=WORDS)
    await desk.runtime.tasks.idle()
    assert len(relayed(desk)) == 1, [c.params for c in in_thread(desk)]
    assert relay.pauses_of(desk).asked == [RETRY_WAIT]  # the back-off, cut by the fixture
