"""A fake Chatwoot REST API on 127.0.0.1 that records every call.

Built on the shared fake platform API (its server, its call log, its throttling and
failures, and its `wait_for`), with Chatwoot's routes added: messages, toggle_status and
assignments, and for the mirror desk creating a contact (with its place in an inbox:
through the account API, or the inbox's public Client API) and a conversation. It checks
the `api_access_token` header as Chatwoot does: an agent bot's token (API_TOKEN) is
refused outside BOT_ACCESSIBLE_ENDPOINTS, a user's (USER_TOKEN) may do everything. It
keeps each conversation's status, as Chatwoot would, and the assignee the bot set.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.platform_api import Call, FakePlatformAPI

PLATFORM: Final = "chatwoot"
ACCOUNT: Final = "7"
API_TOKEN: Final = "cw-agent-bot-token-0123456789"
# A user's (an agent's) access token: Chatwoot's profile endpoint answers it with the user.
USER_TOKEN: Final = "cw-user-access-token-9876543210"
USER: Final = {"id": 3, "name": "佐藤 花子", "email": "sato@example.jp", "role": "agent"}
_STATUSES: Final = frozenset({"open", "pending", "resolved", "snoozed"})
_ACCOUNT: Final = "/api/v1/accounts/{account}"
_CONVERSATIONS: Final = "/api/v1/accounts/{account}/conversations/{conversation}"
MIRROR_ID_START: Final = 5000
# AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS, as this fake names the calls: an agent
# bot's token may create messages and assignments and create, update and toggle
# conversations, nothing else (no contacts, no message deletion); any other call answers
# it 401 with BOT_REFUSAL.
BOT_CALLS: Final = frozenset(
    {"messages", "conversations", "update", "toggle_status", "assignments"}
)
BOT_REFUSAL: Final = "Access to this endpoint is not authorized for bots"
# The desk inbox's Inbox Identifier: its public Client API (no token) creates contacts.
DESK_IDENTIFIER: Final = "xQ4hTn8bWcRkYp2LmZa7Ve3s"


class FakeChatwoot(FakePlatformAPI):
    """Chatwoot's agent-bot API; `calls_to("chatwoot", "messages")` lists what was posted."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[str, str] = {}
        # Each conversation's assignee as the bot last set it (None: unassigned).
        self.assignees: dict[str, object] = {}
        self.app.router.routes.extend(
            [
                Route(f"{_CONVERSATIONS}/messages", self._message, methods=["POST"]),
                Route(_CONVERSATIONS, self._update, methods=["PATCH"]),
                Route(f"{_CONVERSATIONS}/messages/{{message}}", self._delete, methods=["DELETE"]),
                Route(f"{_CONVERSATIONS}/toggle_status", self._toggle, methods=["POST"]),
                Route(f"{_CONVERSATIONS}/assignments", self._assign, methods=["POST"]),
                Route(f"{_ACCOUNT}/contacts", self._contact, methods=["POST"]),
                Route(
                    "/public/api/v1/inboxes/{identifier}/contacts",
                    self._public_contact,
                    methods=["POST"],
                ),
                Route("/public/api/v1/inboxes/{identifier}", self._public_inbox, methods=["GET"]),
                Route(
                    "/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations",
                    self._public_conversations,
                    methods=["GET"],
                ),
                Route(f"{_ACCOUNT}/conversations", self._conversation, methods=["POST"]),
                Route("/api/v1/profile", self._profile, methods=["GET"]),
            ]
        )
        self.created: dict[str, dict[str, Any]] = {}  # conversation id → its create body
        # The desk inbox's contact_inboxes made through its public API, by source id.
        self.contact_inboxes: dict[str, dict[str, Any]] = {}
        # The desk inbox's "Enforce User Identity Validation" (Channel::Api#hmac_mandatory).
        self.identity_validation = False
        # Messages agents wrote in Chatwoot's dashboard (`written`): a test that sends their
        # webhook says so, and a user's token may delete them as it deletes any message.
        self.by_agents: list[dict[str, Any]] = []

    def written(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body`, a `message_created` of an agent's message, kept as Chatwoot keeps it."""
        conversation = body.get("conversation") or {}
        self.by_agents.append(
            {
                "id": body["id"],
                "conversation_id": conversation.get("id"),
                "content": body["content"],
            }
        )
        return body

    def messages(self, *, private: bool | None = False) -> list[dict[str, Any]]:
        """The bodies of the messages posted (by default only those the subscriber sees)."""
        return [
            call.params
            for call in self.calls_to(PLATFORM, "messages")
            if private is None or call.params.get("private") is private
        ]

    def assignments(self) -> list[tuple[str, object]]:
        """(conversation, assignee_id) of every accepted assignments call, in order."""
        return [
            (call.params["conversation"], call.params.get("assignee_id"))
            for call in self.calls_to(PLATFORM, "assignments")
            if call.accepted
        ]

    def toggles(self) -> list[tuple[str, str]]:
        """(conversation, status) of every accepted toggle_status call, in order."""
        return [
            (call.params["conversation"], call.params["status"])
            for call in self.calls_to(PLATFORM, "toggle_status")
        ]

    async def _accepted(self, request: Request, method: str) -> tuple[Call, Response | None]:
        body = await request.body()
        params: dict[str, Any] = orjson.loads(body) if body else {}  # a DELETE has none
        params["conversation"] = request.path_params.get("conversation", "")
        call = Call(PLATFORM, method, params, dict(request.headers))
        refusal: Response | None = None
        if request.path_params["account"] != ACCOUNT:
            refusal = JSONResponse({"error": "Resource could not be found"}, status_code=404)
        elif (token := request.headers.get("api_access_token")) not in {API_TOKEN, USER_TOKEN}:
            refusal = JSONResponse({"error": "Invalid Access Token"}, status_code=401)
        elif token == API_TOKEN and method not in BOT_CALLS:
            refusal = JSONResponse({"error": BOT_REFUSAL}, status_code=401)
        elif (retry_after := self._throttled(PLATFORM, method)) is not None:
            refusal = JSONResponse(
                {"error": "Too many requests"},
                status_code=429,
                headers=retry_after,
            )
        elif (failed := self._failed(PLATFORM, method)) is not None:
            if failed.accepted and method in {"messages", "conversations"}:
                # Stored, then a 500: a callback after `save!` failing in Rails.
                call.status, call.accepted = failed.status, True
                call.result = self._stored(call) if method == "messages" else self._created(call)
                self._record(call)
                return call, JSONResponse({"error": "Internal"}, status_code=failed.status)
            # Not stored: Chatwoot's proxy answering for a Rails app it could not reach.
            refusal = Response("<html>Bad Gateway</html>", status_code=failed.status)
        if refusal is not None:
            call.status = refusal.status_code
            self._record(call)
        return call, refusal

    async def _message(self, request: Request) -> Response:
        call, refusal = await self._accepted(request, "messages")
        if refusal is not None:
            return refusal
        if call.params.get("content_type") == "input_select":
            items = (call.params.get("content_attributes") or {}).get("items")
            # Chatwoot's ContentAttributeValidator: items of exactly title and value.
            if not items or any(set(item) != {"title", "value"} for item in items):
                call.status = 422
                self._record(call)
                return JSONResponse({"error": "Invalid items"}, status_code=422)
        call.result = self._stored(call)
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    def _stored(self, call: Call) -> dict[str, Any]:
        """The message as Chatwoot's message partial shows it (`source_id` as posted)."""
        return {
            "id": 100000 + len(self.calls),
            "content": call.params.get("content"),
            "message_type": 1,
            "content_type": call.params.get("content_type", "text"),
            "content_attributes": call.params.get("content_attributes") or {},
            "private": bool(call.params.get("private")),
            "source_id": call.params.get("source_id"),
            "conversation_id": int(call.params["conversation"]),
            "created_at": 1212345678,
        }

    def stored_messages(self, conversation: str) -> list[dict[str, Any]]:
        """Every message Chatwoot stored in `conversation` (a 500 after storing too)."""
        return [
            call.result
            for call in self.calls
            if call.platform == PLATFORM
            and call.method == "messages"
            and call.accepted
            and call.params.get("conversation") == conversation
        ]

    async def _update(self, request: Request) -> Response:
        """ConversationsController#update: `priority` alone permitted; the conversation partial.

        The partial shows the latest message and the latest that is not an activity (here:
        the same), as `push_event_data`, `source_id` included. An agent bot may call it
        (BOT_ACCESSIBLE_ENDPOINTS); it may not list a conversation's messages.
        """
        call, refusal = await self._accepted(request, "update")
        if refusal is not None:
            return refusal
        stored = self.stored_messages(call.params["conversation"])
        call.result = {
            "id": int(call.params["conversation"]),
            "messages": stored[-1:],
            "last_non_activity_message": stored[-1] if stored else None,
            "status": self.statuses.get(call.params["conversation"], "pending"),
        }
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    async def _delete(self, request: Request) -> Response:
        """MessagesController#destroy: the content becomes Chatwoot's deleted-message text.

        Only a message of that conversation: another's id is a 404, as `find` raises.
        """
        call, refusal = await self._accepted(request, "delete")
        if refusal is not None:
            return refusal
        message = request.path_params["message"]
        call.params["message"] = message
        posted = [c.result for c in self.calls_to(PLATFORM, "messages")] + self.by_agents
        found = next((m for m in posted if str(m.get("id")) == message), None)
        if found is None or str(found["conversation_id"]) != call.params["conversation"]:
            call.status = 404
            self._record(call)
            return JSONResponse({"error": "Resource could not be found"}, status_code=404)
        found.update(content="This message was deleted", content_attributes={"deleted": True})
        call.result = dict(found)
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    async def _contact(self, request: Request) -> Response:
        call, refusal = await self._accepted(request, "contacts")
        if refusal is not None:
            return refusal
        contact_id = 900 + len(self.calls_to(PLATFORM, "contacts"))
        call.result = {
            "payload": {
                "contact": {"id": contact_id, "name": call.params.get("name")},
                "contact_inbox": {
                    "inbox": {"id": call.params.get("inbox_id")},
                    "source_id": f"source-{contact_id}",
                },
            }
        }
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    async def _public_contact(self, request: Request) -> Response:
        """Public::Api::V1::Inboxes::ContactsController#create: no token, the inbox's identifier.

        ContactInboxWithContactBuilder makes the contact and its place in the inbox, under
        the `source_id` given (else a fresh one), unless the inbox has a place of that source
        id already: then that contact is answered and none is made. The answer
        (contacts/create.json.jbuilder) is the source id, the pubsub token and the contact's
        id, name and email. An identifier no API inbox has is a 404 (`find_by!`). `fail`
        answers a 5xx, having made the contact first if `accepted`.
        """
        body = await request.body()
        params: dict[str, Any] = orjson.loads(body) if body else {}
        call = Call(PLATFORM, "contacts", params, dict(request.headers))
        if request.path_params["identifier"] != DESK_IDENTIFIER:
            call.status = 404
            self._record(call)
            return JSONResponse({"error": "Resource could not be found"}, status_code=404)
        failed = self._failed(PLATFORM, "contacts")
        if failed is not None and not failed.accepted:
            call.status = failed.status
            self._record(call)
            return Response("<html>Bad Gateway</html>", status_code=failed.status)
        source_id = str(params.get("source_id") or f"source-{len(self.contact_inboxes) + 1}")
        if source_id not in self.contact_inboxes:
            contact_id = 900 + len(self.contact_inboxes)
            self.contact_inboxes[source_id] = {
                "source_id": source_id,
                "pubsub_token": f"pubsub-{contact_id}",
                "id": contact_id,
                "name": params.get("name"),
                "email": params.get("email"),
            }
        call.result = dict(self.contact_inboxes[source_id])
        call.accepted = True
        if failed is not None:
            call.status = failed.status
            self._record(call)
            return JSONResponse({"error": "Internal"}, status_code=failed.status)
        self._record(call)
        return JSONResponse(call.result)

    async def _public_inbox(self, request: Request) -> Response:
        """Public::Api::V1::InboxesController#show (inboxes/show.json.jbuilder): no token.

        An identifier no API inbox has is RecordNotFound, which Chatwoot answers as JSON.
        """
        call = Call(PLATFORM, "public_inbox", {}, dict(request.headers))
        if request.path_params["identifier"] != DESK_IDENTIFIER:
            answer = JSONResponse({"error": "Resource could not be found"}, status_code=404)
        else:
            answer = JSONResponse(
                {
                    "identifier": DESK_IDENTIFIER,
                    "identity_validation_enabled": self.identity_validation,
                    "name": "mailmove desk",
                    "timezone": "Asia/Tokyo",
                }
            )
        call.status = answer.status_code
        call.accepted = answer.status_code == 200
        self._record(call)
        return answer

    async def _conversation(self, request: Request) -> Response:
        call, refusal = await self._accepted(request, "conversations")
        if refusal is not None:
            return refusal
        if not call.params.get("source_id") or not call.params.get("contact_id"):
            call.status = 422
            self._record(call)
            return JSONResponse({"error": "source_id and contact_id are required"}, 422)
        call.result = self._created(call)
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    def _created(self, call: Call) -> dict[str, Any]:
        """The conversation made from a create's body, as ConversationsController answers."""
        conversation_id = str(MIRROR_ID_START + len(self.created))
        self.created[conversation_id] = call.params
        self.statuses[conversation_id] = str(call.params.get("status", "open"))
        return {
            "id": int(conversation_id),
            "inbox_id": call.params.get("inbox_id"),
            "status": self.statuses[conversation_id],
            "custom_attributes": call.params.get("custom_attributes") or {},
        }

    async def _public_conversations(self, request: Request) -> Response:
        """Public::Api::V1::Inboxes::ConversationsController#index: no token.

        The conversations of the contact_inbox of that source id, each as the public
        conversation partial (`id` its display id); a source id the inbox has no place for
        is a 404 (`find_by!`).
        """
        source = request.path_params["source"]
        call = Call(PLATFORM, "public_conversations", {"source_id": source}, dict(request.headers))
        if (
            request.path_params["identifier"] != DESK_IDENTIFIER
            or source not in self.contact_inboxes
        ):
            call.status = 404
            self._record(call)
            return JSONResponse({"error": "Resource could not be found"}, status_code=404)
        conversations = [
            {"id": int(conversation_id), "status": self.statuses[conversation_id], "messages": []}
            for conversation_id, params in self.created.items()
            if params.get("source_id") == source
        ]
        call.result = {"conversations": conversations}
        call.accepted = True
        self._record(call)
        return JSONResponse(conversations)

    async def _profile(self, request: Request) -> Response:
        # As Api::V1::ProfilesController behind AccessTokenAuthHelper: a user's token gets
        # the user; an agent bot's is refused (no bot may use the endpoint); any other, 401.
        token = request.headers.get("api_access_token")
        call = Call(PLATFORM, "profile", {}, dict(request.headers))
        if token == USER_TOKEN:
            answer = JSONResponse({**USER, "account_id": int(ACCOUNT), "type": "user"})
        elif token == API_TOKEN:
            answer = JSONResponse({"error": BOT_REFUSAL}, status_code=401)
        else:
            answer = JSONResponse({"error": "Invalid Access Token"}, status_code=401)
        call.status = answer.status_code
        call.accepted = answer.status_code == 200
        self._record(call)
        return answer

    async def _toggle(self, request: Request) -> Response:
        call, refusal = await self._accepted(request, "toggle_status")
        if refusal is not None:
            return refusal
        status = call.params.get("status")
        if status not in _STATUSES:
            call.status = 422
            self._record(call)
            return JSONResponse({"error": "Invalid status"}, status_code=422)
        self.statuses[call.params["conversation"]] = status
        call.result = {
            "meta": {},
            "payload": {
                "success": True,
                "conversation_id": int(call.params["conversation"]),
                "current_status": status,
            },
        }
        call.accepted = True
        self._record(call)
        return JSONResponse(call.result)

    async def _assign(self, request: Request) -> Response:
        # AssignmentsController#create: `assignee_id` null unassigns, and Chatwoot renders
        # `null` (no agent); without the key (nor team_id) it changes nothing, also `null`.
        call, refusal = await self._accepted(request, "assignments")
        if refusal is not None:
            return refusal
        if "assignee_id" in call.params:
            self.assignees[call.params["conversation"]] = call.params["assignee_id"]
        call.accepted = True
        self._record(call)
        return JSONResponse(None)


@contextlib.asynccontextmanager
async def running_chatwoot() -> AsyncIterator[FakeChatwoot]:
    """A started fake Chatwoot, stopped on exit."""
    fake = FakeChatwoot()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
