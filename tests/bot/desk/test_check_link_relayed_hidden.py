"""A check link pasted back is relayed to the desks without its token (attacker13).

「このリンクが開きません https://…/check/<token>」 typed while a person has the chat went
whole to the Slack thread and the Chatwoot mirror: anyone there could open it and use up
the subscriber's check (`bot.web.check_path`).
"""

from __future__ import annotations

from bot.delivery import Delivery
from bot.desk.handoff import Handoffs
from bot.desk.summary import HandoffSummary
from bot.engine import TurnOutcome
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW
from tests.bot.desk.test_check_link_hidden_from_agents import PASTED


class _Thread:
    """A desk whose agents read the subscriber's later words (Slack's thread, Chatwoot's mirror)."""

    name = "thread"

    def __init__(self) -> None:
        self.relayed: list[str] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        pass

    async def relay(self, key: str, text: str, said: str = "") -> None:
        self.relayed.append(text)

    async def relay_note(self, key: str, text: str) -> None:
        self.relayed.append(text)


async def test_a_pasted_link_is_relayed_to_the_desk_without_its_token(catalogs: Catalogs) -> None:
    store = SQLiteStore(":memory:")
    await store.open()
    chat = "line:U1"
    record = ConversationRecord(chat, "line", Owner.AGENT, DialogState(), IN_WINDOW, IN_WINDOW)
    line = TranscriptEntry(IN_WINDOW, "subscriber", PASTED)
    await store.transact(chat, None, lambda _: Change(record, [line], None))
    tasks = BackgroundTasks()
    thread = _Thread()
    handoffs = Handoffs(
        store,
        Delivery(tasks),
        catalogs,
        [thread],
        "http://127.0.0.1:8080",
        load_profile(),
        tasks,
        message_waiting=lambda record, transcript: IN_WINDOW,
        now=lambda: IN_WINDOW,
    )
    await handoffs.relay(TurnOutcome(record=record, for_agent=PASTED))
    await tasks.idle()
    assert thread.relayed == ["このリンクが開きません https://chat.example.jp/check/… どうすれば？"]
    await store.close()
