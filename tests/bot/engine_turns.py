"""What a subscriber sends the engine in its tests, and a desk hook that notes withdrawals."""

from __future__ import annotations

from bot.engine import TurnOutcome
from bot.store.conversation_store import record_key
from dialogs.vocabulary import Inbound

# The one conversation these tests talk in.
KEY = record_key("test", "c1")


def typed(event: str, text: str) -> Inbound:
    return Inbound(channel="test", conversation_key="c1", event_id=event, text=text)


def pressed(event: str, choice: str) -> Inbound:
    return Inbound(channel="test", conversation_key="c1", event_id=event, choice=choice)


class Desks:
    """The desks' hook: records what they were told to take back."""

    def __init__(self) -> None:
        self.taken_back: list[tuple[str, str]] = []

    def available_for(self, channel: str) -> bool:
        return False

    async def after_handoff(self, outcome: TurnOutcome) -> None:
        pass

    async def relay(self, outcome: TurnOutcome) -> None:
        pass

    async def after_message_left(self, outcome: TurnOutcome) -> None:
        pass

    async def withdrawn(self, key: str, said: str) -> None:
        self.taken_back.append((key, said))
