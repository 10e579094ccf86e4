"""Chatwoot's round robin gives a conversation waiting for a person to one of its agents.

The bot hands a contact's conversation to agents by setting it open; an inbox's
auto-assignment (on unless turned off: AutoAssignmentHandler) then assigns it to one of the
inbox's online agents, whose "Mine" list it joins while every other Chatwoot agent sees her
name on it. mailmove left it in the queue: the console and Slack offered it to their agents
as waiting, and one took it and answered beside her. It is her take now, as her reply's
would be; the contact, told at the handoff that a person comes, is told nothing more.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from tests.adapters.chatwoot.test_channel import CONVERSATION, KEY, assignment, message, webhook
from tests.adapters.chatwoot.test_held_elsewhere import delivered
from tests.adapters.chatwoot.test_take_races import HEADERS, _app
from tests.fakes.acting_store import ActingBetween
from tests.fakes.chatwoot_api import FakeChatwoot, running_chatwoot


async def delivered_meanwhile(client: httpx.AsyncClient, payload: dict[str, Any]) -> None:
    """`delivered`, from inside another delivery's turn (which waits on this one)."""
    request = webhook(payload)
    response = await client.post(request.path, content=request.body, headers=request.headers)
    assert response.status_code == 200
    here = asyncio.current_task()
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*(t for t in running if t is not here))


async def armed(store: ActingBetween, between: Callable[[], Awaitable[object]]) -> None:
    """Set `between` to run at the store's next read (after the one that runs this)."""
    store.between = between


async def handed_over(client: httpx.AsyncClient, fake: FakeChatwoot) -> None:
    """The contact greets and asks for a person: the conversation waits for the desk."""
    for n, words in enumerate(("こんにちは", "人と話したい"), start=1):
        await delivered(client, message(words, n))
    await fake.wait_for(lambda: bool(fake.toggles()))


async def test_a_waiting_conversation_chatwoot_assigns_is_the_assignees(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            path = f"/api/agent/conversations/{KEY}"
            assert (await client.get(path, headers=HEADERS)).json()["holder"] == "queue"
            said = len(fake.messages(private=False))
            toggles = list(fake.toggles())
            for _ in range(2):  # delivered again: taken once
                await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "agent")
            assert read["agent"] == "佐藤 花子 (Chatwoot)"
            taken = [x["text"] for x in read["transcript"] if x["text"].startswith("taken over")]
            assert taken == ["taken over by 佐藤 花子 (Chatwoot)"]
            # A console agent takes it only as a take-over, naming her.
            refused = await client.post(f"{path}/take", headers=HEADERS, json={"agent": "鈴木"})
            assert (refused.status_code, refused.json()["agent"]) == (409, "佐藤 花子 (Chatwoot)")
            # Nothing said to the contact, and Chatwoot left as it is (open, hers).
            assert len(fake.messages(private=False)) == said
            assert fake.toggles() == toggles


GREETING = "担当者から引き継ぎました"


async def test_an_assignment_undone_before_anyone_replied_leaves_it_waiting(
    tmp_path: Path,
) -> None:
    # Auto-assigned to 佐藤 花子 (her take), then unassigned before anyone wrote (she went
    # offline, a lead moved it): Chatwoot shows it open and unassigned, waiting for an agent.
    # The bot took it back and greeted a contact who had asked for a person, and set it
    # pending, out of the agents' sight (desk25). It waits in the queue again.
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            path = f"/api/agent/conversations/{KEY}"
            await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            said = len(fake.messages(private=False))
            toggles = list(fake.toggles())
            undone = assignment(None, time.time() + 1, status="open")
            for _ in range(2):  # delivered again: once
                await delivered(client, undone)
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "queue")
            system = [x["text"] for x in read["transcript"] if x["author"] == "system"]
            assert system.count("back in the queue from 佐藤 花子 (Chatwoot)") == 1
            assert len(fake.messages(private=False)) == said
            assert fake.toggles() == toggles
            # The contact writes on: kept for the agents, the bot says nothing.
            await delivered(client, message("まだですか", 3, status="open"))
            assert len(fake.messages(private=False)) == said
            # A console agent takes it from the queue, as any waiting conversation.
            taken = await client.post(
                f"{path}/take", headers=HEADERS, json={"agent": "鈴木", "expected_holder": "queue"}
            )
            assert taken.status_code == 200, taken.text


async def test_an_assignment_undone_after_her_reply_gives_it_back_to_the_bot(
    tmp_path: Path,
) -> None:
    # She answered (her words reached the contact), then unassigned herself: nobody in
    # Chatwoot has it; the bot has it back, as before, and greets once.
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            reply = message("担当の佐藤です", 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
            await delivered(client, reply)
            await delivered(client, assignment(None, time.time() + 1, status="open"))
            await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert read["owner"] == "bot"
            greetings = [m for m in fake.messages(private=False) if GREETING in m["content"]]
            assert len(greetings) == 1


async def test_an_assignment_read_at_the_moment_of_its_undoing_is_left_alone(
    tmp_path: Path,
) -> None:
    # Two replicas took Chatwoot's two jobs at the same moment: the unassignment (2.5) was
    # followed and noted between the assignment's (1.5) look at the latest change and its
    # own note, so the assignment, having seen no later change, was followed too (checked,
    # then noted): 佐藤 花子 had a conversation Chatwoot showed unassigned (desk25's guard).
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            await handed_over(client, fake)

            store.after_latest_line = True  # the assignment has read the latest change: none
            undone = assignment(None, 1212292802.5, status="open")
            store.between = functools.partial(delivered_meanwhile, client, undone)
            await delivered(client, assignment("佐藤 花子", 1212292801.5, status="open"))
            assert store.between is None  # it ran
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "queue")
            assert not any("佐藤" in x["text"] for x in read["transcript"])


async def test_an_assignment_to_a_colleague_after_her_reply_hands_it_on(tmp_path: Path) -> None:
    # She answered in the contact's own conversation, then assigned it to 鈴木 一郎: her reply
    # line named no Chatwoot holder, so the assignment changed nothing and the desks went on
    # naming her (desk25). Handed on as the mirror's assignment is.
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            reply = message("担当の佐藤です", 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
            await delivered(client, reply)
            handed = assignment("鈴木 一郎", time.time() + 1, status="open")
            handed["changed_attributes"][0]["assignee_id"]["previous_value"] = 3
            handed["changed_attributes"][0]["assignee_id"]["current_value"] = 4
            await delivered(client, handed)
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["holder"], read["agent"]) == ("agent", "鈴木 一郎 (Chatwoot)")
            await fake.wait_for(
                lambda: any("鈴木 一郎が引き継いで" in m["content"] for m in fake.messages())
            )


async def test_an_assignment_delivered_after_its_undoing_is_left_alone(tmp_path: Path) -> None:
    # Chatwoot's webhook jobs run in parallel: the unassignment (2.5) arrived before the
    # auto-assignment it undid (1.5), which then gave 佐藤 花子 a conversation Chatwoot showed
    # unassigned; the console and Slack named her and refused their agents (desk25).
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            await delivered(client, assignment(None, 1212292802.5, status="open"))
            await delivered(client, assignment("佐藤 花子", 1212292801.5, status="open"))
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "queue")
            # A later assignment is followed.
            await delivered(client, assignment("鈴木 一郎", 1212292803.5, status="open"))
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["holder"], read["agent"]) == ("agent", "鈴木 一郎 (Chatwoot)")
            # The agents read no bookkeeping of it.
            assert not any("assignee" in x["text"] for x in read["transcript"])


async def test_an_assignment_its_undoing_overtakes_while_it_is_followed_is_left_alone(
    tmp_path: Path,
) -> None:
    # The order guard's note and the take that follows it were two transactions: the
    # unassignment (2.5), delivered while the assignment (1.5) was between its guard and its
    # take, passed its own guard (1.5 < 2.5), found nothing to undo (still in the queue) and
    # left; the assignment's take then landed, giving 佐藤 花子 a conversation Chatwoot
    # shows unassigned (desk29, desk27's leftover).
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            await handed_over(client, fake)
            # Right after the assignment reads the lines to take it (its guard passed).
            store.after_transcript = True
            store.between = functools.partial(
                delivered_meanwhile, client, assignment(None, 1212292802.5, status="open")
            )
            await delivered(client, assignment("佐藤 花子", 1212292801.5, status="open"))
            assert store.between is None  # it ran
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "queue")
            assert not any(x["text"].startswith("taken over") for x in read["transcript"])


async def test_a_reassignment_while_her_unassignment_hands_it_back_keeps_it_the_colleagues(
    tmp_path: Path,
) -> None:
    # She answered, then unassigned herself (2): the bot was to have it back. Assigned to
    # 鈴木 一郎 (3) while that hand-back read the lines, the hand-back was refused once (the
    # lines had changed), read again and done: the bot greeted the contact and had it,
    # while Chatwoot showed 鈴木 一郎 on it (desk29).
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            await handed_over(client, fake)
            await delivered(client, assignment("佐藤 花子", 1212292801.0, status="open"))
            reply = message("担当の佐藤です", 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
            await delivered(client, reply)
            handed = assignment("鈴木 一郎", 1212292803.0, status="open")
            handed["changed_attributes"][0]["assignee_id"]["previous_value"] = None
            handed["changed_attributes"][0]["assignee_id"]["current_value"] = 4
            # The unassignment's first read of the lines decides the bot is to have it back;
            # the reassignment comes at its next, the hand-back's own.
            store.after_transcript = True
            store.between = functools.partial(
                armed, store, functools.partial(delivered_meanwhile, client, handed)
            )
            await delivered(client, assignment(None, 1212292802.0, status="open"))
            assert store.between is None  # both ran
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert (read["owner"], read["holder"]) == ("agent", "agent")
            assert read["agent"] == "鈴木 一郎 (Chatwoot)"
            assert not any(GREETING in m["content"] for m in fake.messages(private=False))


async def test_an_auto_assigned_conversation_goes_back_to_the_bot_when_the_contact_asks(
    tmp_path: Path,
) -> None:
    # Round robin names an agent the moment the handoff opens the conversation: nobody has
    # written. The contact's 「自動案内に戻る」 (as the handoff told them to type) was answered
    # 「担当者がすでに対応を始めております…」 and kept waiting for a person who had not
    # started. Chatwoot's assignment is not a person writing: the bot has it back.
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            await delivered(client, message("自動案内に戻る", 3, status="open"))
            await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
            read = (await client.get(f"/api/agent/conversations/{KEY}", headers=HEADERS)).json()
            assert read["owner"] == "bot"
            said = " ".join(m["content"] for m in fake.messages(private=False))
            assert "担当者へのおつなぎを取りやめ" in said
            assert "すでに対応を始めて" not in said
            # Off her list too: pending, it stayed 佐藤 花子's in Chatwoot ("Mine", her name
            # shown to every agent) while the bot answered. Unassigned with the bot's token.
            await fake.wait_for(lambda: fake.assignments() == [(CONVERSATION, None)])
            assert fake.assignees == {CONVERSATION: None}
            assert fake.statuses[CONVERSATION] == "pending"


async def test_a_console_take_from_her_handed_back_takes_her_off_the_conversation(
    tmp_path: Path,
) -> None:
    # 佐藤 花子 had it in Chatwoot (assigned, and she wrote); 鈴木 took it over in the
    # console and handed it back to the bot. Only the latest holder was looked at (鈴木, not
    # Chatwoot's), so it stayed assigned to her: pending in her "Mine" list, her name shown
    # to every Chatwoot agent while the bot answered.
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, ActingBetween(tmp_path / "s.sqlite3")):
            await handed_over(client, fake)
            await delivered(client, assignment("佐藤 花子", time.time(), status="open"))
            reply = message("担当の佐藤です", 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
            await delivered(client, reply)
            path = f"/api/agent/conversations/{KEY}"
            body = {"agent": "鈴木", "take_over_from": "佐藤 花子 (Chatwoot)"}
            taken = await client.post(f"{path}/take", headers=HEADERS, json=body)
            assert taken.status_code == 200, taken.text
            assert fake.assignments() == []  # still hers in Chatwoot while 鈴木 has it
            back = await client.post(f"{path}/handback", headers=HEADERS, json={"agent": "鈴木"})
            assert back.status_code == 200, back.text
            await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
            await fake.wait_for(lambda: fake.assignments() == [(CONVERSATION, None)])
            assert fake.assignees == {CONVERSATION: None}
