"""The web chat's language button pressed while an agent has the chat reads as words there.

The press is stored as its choice id (`[lang:en]`), which no offer of the bot's names: the
Slack thread showed 「お客様: [lang:en]」, and the agent, who writes in Japanese, was not told
that the subscriber now reads the chat in English.
"""

from __future__ import annotations

from adapters.slack.desk_actions import TAKE
from tests.adapters.slack.test_desk import Desk, handed_off
from tests.adapters.slack.test_desk_relay import desk, in_thread, thread_fake

__all__ = ["desk", "thread_fake"]


async def test_the_language_button_reads_as_the_language_chosen(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    pressed = await chat.client.post(
        f"/api/webchat/conversations/{chat.id}/messages", json={"choice": "lang:en"}
    )
    assert pressed.json()["locale"] == "en"
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    words = [str(call.params.get("text", "")) for call in in_thread(desk)]
    assert not any("lang:" in w for w in words), words
    assert any(w.startswith("お客様: ") and "英語で会話しています" in w for w in words), words
