"""The Chatwoot inbox as the agents' desk: a private note for agents, then `open`.

A message left for the desk is the note alone: the bot keeps answering in `pending`.
"""

from __future__ import annotations

from typing import Final

from adapters.chatwoot.api import ChatwootApi, ChatwootApiError
from adapters.chatwoot.events import CHANNEL, OPEN
from adapters.chatwoot.render import private_note
from bot.desk.handoff import DeskUnavailableError
from bot.desk.summary import MESSAGE_LEFT, HandoffSummary
from bot.ops.catalogs import Catalogs
from dialogs.vocabulary import Locale

DESK_LOCALE: Final[Locale] = "ja"


class ChatwootDesk:
    """Hands a Chatwoot conversation to the inbox's agents: a private note, then `open`."""

    name = CHANNEL

    def __init__(self, api: ChatwootApi, catalogs: Catalogs) -> None:
        self._api = api
        self._catalogs = catalogs

    def accepts(self, channel: str) -> bool:
        """Only Chatwoot's own conversations: others' subscribers are not in its inbox."""
        return channel == CHANNEL

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Tell the agents in the conversation itself; other channels' go to other desks."""
        if summary.channel != CHANNEL:
            # Agents reach a subscriber only through the conversation they are in, so this
            # desk cannot take a web chat's: another desk (or the give-back) must.
            raise DeskUnavailableError("the Chatwoot desk takes only Chatwoot conversations")
        try:
            note = summary.as_text(self._catalogs, DESK_LOCALE)
            await self._api.post_message(summary.conversation_id, private_note(note))
            if summary.kind != MESSAGE_LEFT:
                # A message left for the desk stays `pending`: the bot still answers the
                # subscriber, and the note in the conversation is where agents read it.
                await self._api.toggle_status(summary.conversation_id, OPEN)
        except ChatwootApiError as err:
            raise DeskUnavailableError(str(err)) from err
