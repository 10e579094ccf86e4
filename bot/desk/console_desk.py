"""The agent console (and the agent API) as a desk: the queue it lists is where agents look.

Nothing is sent anywhere: a handoff is stored with the conversation, and the console lists
every conversation waiting for a person (announcing newcomers while it is open). So with
agent tokens configured and no other desk, a subscriber who asks for a person in the
desk's hours is handed over rather than told no one can join.
"""

from __future__ import annotations

from bot.desk.summary import HandoffSummary


class ConsoleDesk:
    """Takes every channel's handoffs; the console's queue reads them from the store."""

    name = "console"

    def accepts(self, channel: str) -> bool:
        """The console reaches a subscriber of any channel (the agent API sends the words)."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Nothing to send: the stored handoff (or message left) is the console's queue."""
