"""The member who has a conversation hands it to a colleague from the agents' channel.

The handoff message of a conversation a member took shows Slack's member picker 「ほかの担当者に
渡す…」 beside 「ボットに戻す」. Picked by the member who has it, the colleague has it (named as
「対応する」 names a member), the message says who handed it to whom, and the subscriber is told
who takes over. Picked by another member, nothing changes and the thread says who has it.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.desk_actions import CLOSE, GIVE_BACK, TAKE, TRANSFER
from adapters.slack.desk_blocks import ACTIONS_BLOCK
from tests.adapters.channel_contract import load_payload
from tests.adapters.slack.test_desk import (
    WAIT,
    Desk,
    Shown,
    desk,
    fake,
    form,
    handed_off,
    signed,
)

__all__ = ["desk", "fake"]  # the fixtures this module uses

COLLEAGUE = "U0AGENT2"


def _picked(shown: Shown, member: str, n: int, *, by: str = "U0AGENT1") -> bytes:
    """The `block_actions` payload Slack sends when `by` picks `member` in the picker."""
    payload: dict[str, Any] = load_payload("slack_desk", "block_actions")
    payload["container"]["message_ts"] = payload["message"]["ts"] = shown.ts
    payload["message"].update(text=shown.text, blocks=shown.blocks)
    payload["user"].update(id=by, username=by.lower(), name=by.lower())
    payload["trigger_id"] = f"1212345700.{n}.trigger"
    picker = shown.buttons()[TRANSFER]
    payload["actions"] = [
        {
            **picker,
            "selected_user": member,
            "block_id": ACTIONS_BLOCK,
            "action_ts": f"1212345700.{n:06d}",
        }
    ]
    return form(payload)


async def _pick(desk: Desk, member: str, n: int, *, by: str = "U0AGENT1") -> None:
    body = _picked(desk.shown(), member, n, by=by)
    response = await desk.post(body, signed(body))
    assert response.status_code == 200, response.text


async def test_the_member_who_has_it_hands_it_to_a_colleague(desk: Desk) -> None:
    desk.fake.slack_names[COLLEAGUE] = "jiro"
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    shown = desk.shown()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    assert shown.buttons()[TRANSFER]["type"] == "users_select"
    await _pick(desk, COLLEAGUE, 2)
    await desk.wait_for_updates(2)
    await desk.runtime.tasks.idle()
    assert "<@U0AGENT1>さんが<@U0AGENT2>さんに渡しました。" in desk.shown().words()
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert taken[-1] == "taken over by jiro (Slack U0AGENT2) from hanako (Slack U0AGENT1)"
    told = [
        line["reply"]["text"]
        for line in json.loads(await chat.history())
        if line["author"] == "bot" and "引き継いで" in line["reply"]["text"]
    ]
    # Named as her words will name her, without the member id the transcript keeps.
    assert told == [
        "ここからは、サポート担当のjiroが引き継いでご案内します。これまでの内容は伝わって"
        "おりますので、同じことをお書きいただく必要はありません。少々お待ちください。"
    ]
    # Picked again (Slack's retry of the same pick): handed on once, said once.
    await _pick(desk, COLLEAGUE, 2)
    await desk.settle()
    assert (await chat.history()).count("引き継いでご案内します") == 1


async def test_another_members_pick_hands_nothing_on(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    before = len(desk.posts())
    await _pick(desk, COLLEAGUE, 2, by="U0AGENT3")
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    await desk.settle()
    said = desk.posts()[-1].params["text"]
    assert "hanakoさんが対応中のため、ほかの担当者に渡していません。" in said, said
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert taken == ["taken over by hanako (Slack U0AGENT1)"]
    assert "引き継いでご案内します" not in await chat.history()
