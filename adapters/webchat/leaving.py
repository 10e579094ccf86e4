"""A subscriber who starts over leaves the old conversation, and the desk stops waiting.

The page calls `POST .../close` on 「最初から」 while the desk's queue or an agent has the
conversation; without it the old conversation would wait in the queue for someone gone.
"""

from __future__ import annotations

import re
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from adapters.webchat.api_models import CONVERSATION_ID_PATTERN, Leave
from adapters.webchat.conversation_key import key_of, moved_to_its_key
from bot.desk.closing import subscriber_left
from bot.engine import Engine
from bot.store.conversation_store import Owner
from bot.web.client_limit import ClientThrottle
from bot.web.json_response import FastJSONResponse
from bot.web.openapi import error_response, read_body

_ID_RE: Final = re.compile(CONVERSATION_ID_PATTERN)


class Leaving:
    """`POST /api/webchat/conversations/{id}/close`: idempotent, 404 for an unknown id."""

    def __init__(self, engine: Engine, channel: str, throttle: ClientThrottle) -> None:
        self._engine = engine
        self._channel = channel
        self._throttle = throttle

    async def close(self, request: Request) -> Response:
        """Close the conversation if a person was involved; say who has it now."""
        conversation_id = request.path_params["conversation_id"]
        if not _ID_RE.match(conversation_id):
            return error_response(404, "no such conversation")
        if refused := await self._throttle.admit(request):
            return refused
        body = await read_body(request, Leave)
        if isinstance(body, Response):
            return body
        key = key_of(conversation_id)
        store = self._engine.store
        if await store.load(key) is None:
            await moved_to_its_key(store, conversation_id)
        if await subscriber_left(self._engine, key) is not None:
            return FastJSONResponse({"owner": Owner.CLOSED.value})
        record = await store.load(key)
        if record is None:
            return error_response(404, "no such conversation")
        closed = record.owner is Owner.CLOSED
        return FastJSONResponse({"owner": Owner.CLOSED.value if closed else Owner.BOT.value})
