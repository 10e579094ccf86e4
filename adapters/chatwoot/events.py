"""Chatwoot's webhook bodies as the bot reads them: a subscriber's message, or a new status.

Chatwoot marks a conversation `pending` while a bot should answer and `open` once agents
have it: only pending conversations' incoming messages are turns. A message also carries
the conversation's status as Chatwoot saw it then, which repairs a status event that never
arrived (`ContactMessage`). Pure functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

import orjson

from adapters.chatwoot.markdown_text import plain_text
from bot.channels.choice_codes import question_of
from bot.channels.shape import Shape, check_shape
from bot.desk.agent_models import visible_name
from bot.web.openapi import refuse_duplicate_keys
from dialogs.vocabulary import EMOJI_CHOICE, MEDIA_CHOICE, Inbound

CHANNEL: Final = "chatwoot"
# A choice id as a select item's value carries it (bot.channels.choice_codes): no spaces.
_CHOICE_CODE: Final = re.compile(r"\S{1,256}")
# As Slack's: a signed delivery older (or newer) than this is a replay.
SIGNATURE_WINDOW: Final = 300.0
MAX_TIMESTAMP: Final = 12  # digits: Unix seconds until the year 33658
PENDING: Final = "pending"
OPEN: Final = "open"
RESOLVED: Final = "resolved"
# The custom attribute that ties a mirrored conversation (another channel's) to ours.
MIRROR_KEY: Final = "mailmove_key"
# An agent's Markdown is parsed before Chatwoot is answered, on the event loop, where every
# subscriber's turn waits for it: a pasted log dense with `_`, `*` and `[` cost markdown-it-py
# 30-60 ms per 1,000 characters here (0.4 s for 10,000). Past this, about what LINE (5,000)
# or Telegram (4,096) shows in one message, the words go as written.
MAX_MARKDOWN: Final = 4_000


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A conversation's new status (`pending`, `open`, `resolved`, ...), as Chatwoot reported it."""

    conversation_id: str
    status: str
    event_id: str
    agent: str


@dataclass(frozen=True, slots=True)
class ContactMessage:
    """A subscriber's message, with its conversation's status when Chatwoot sent it.

    `created_at` is when Chatwoot stored the message (None when the payload does not say);
    `agent` is the conversation's assignee then ("" for none).
    """

    inbound: Inbound
    status: str
    created_at: dt.datetime | None = None
    agent: str = ""
    question: str | None = None
    """The question a select answered in the web widget belongs to, when its value names one."""
    inbox: str = ""
    """The kind of the conversation's inbox (`Channel::Whatsapp`, ...), "" when not said:
    what Chatwoot makes of a select there (`render`)."""

    @property
    def event_id(self) -> str:
        """The message's own event id: the key a redelivery is dropped by."""
        return self.inbound.event_id


@dataclass(frozen=True, slots=True)
class AgentWrote:
    """An agent answered in one of Chatwoot's own conversations (Chatwoot delivered it).

    The first such reply to a conversation waiting for a person, or one the bot has, takes
    it, for the other desks (the console, the agent API, Slack) to see who has it.
    """

    conversation_id: str
    agent: str
    event_id: str
    # The reply's words as plain text (as a mirror's are): kept in the transcript, so the
    # console shows the exchange in order; "" for an attachment alone.
    text: str = ""
    # When Chatwoot stored the reply (None when the payload does not say).
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class MirrorReply:
    """An agent's message in a mirrored conversation: for the subscriber of `key`.

    `text` is the agent's Markdown as plain text (`markdown_text`): the words, no markers.
    """

    key: str
    text: str
    agent: str
    event_id: str
    mirror: str  # the Chatwoot conversation it was written in
    # Files came with it (a screenshot, a PDF): only words reach the subscriber's channel.
    files: bool = False


@dataclass(frozen=True, slots=True)
class MirrorStatus:
    """A mirrored conversation set to pending (the bot takes `key` back) or resolved (closed)."""

    key: str
    status: str
    event_id: str
    agent: str
    mirror: str  # the Chatwoot conversation whose status changed


@dataclass(frozen=True, slots=True)
class MirrorAssigned:
    """A mirrored conversation assigned in Chatwoot to `agent` (by name), or unassigned ("")."""

    key: str
    agent: str
    event_id: str
    mirror: str  # the Chatwoot conversation assigned
    # When Chatwoot changed it (`updated_at`): its deliveries may come out of order.
    changed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class AssigneeChange:
    """One of Chatwoot's own conversations assigned to `agent` (by name), or unassigned ("")."""

    conversation_id: str
    agent: str
    event_id: str
    # When Chatwoot changed it (`updated_at`): its deliveries may come out of order.
    changed_at: dt.datetime | None = None


def signature_of(secret: str, timestamp: str, body: bytes) -> str:
    """`X-Chatwoot-Signature` as Chatwoot computes it (lib/webhooks/trigger.rb, v4.11.2+).

    `sha256=` and the hex HMAC-SHA256, keyed with the webhook's (or agent bot's) secret,
    of `{X-Chatwoot-Timestamp}.{raw body}`.
    """
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed(secrets: Iterable[str], timestamp: str, signature: str, body: bytes, now: float) -> bool:
    """Whether one of `secrets` signed `body` at `timestamp`, within the window of `now`."""
    # Chatwoot sends Unix seconds as digits; `int` would also take " 12", "1_2" or "+12".
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > MAX_TIMESTAMP:
        return False
    moment = int(timestamp)
    if abs(now - moment) > SIGNATURE_WINDOW:
        return False
    given = signature.encode()
    # Every secret is compared, so the time taken does not tell which one was close.
    matches = [
        hmac.compare_digest(given, signature_of(secret, timestamp, body).encode())
        for secret in secrets
    ]
    return any(matches)


def _id(value: object) -> str | None:
    # Chatwoot sends ids as numbers; its documentation's samples show strings too.
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return text if text.isdigit() else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _same_account(body: Mapping[str, Any], account_id: str) -> bool:
    account = _id(_mapping(body.get("account")).get("id")) or _id(body.get("account_id"))
    # Conversation events of older versions name no account: the URL's token vouches for them.
    return account is None or account == account_id


def _sender_name(body: Mapping[str, Any]) -> str | None:
    name = _mapping(body.get("sender")).get("name")
    return name if isinstance(name, str) and name else None


def _created_at(value: object) -> dt.datetime | None:
    # Message#webhook_data gives ISO 8601 ("2008-06-01T03:00:00.000Z"); the shape inside a
    # conversation gives seconds since the epoch.
    try:
        if isinstance(value, str):
            moment = dt.datetime.fromisoformat(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _agent_name(name: object) -> str:
    """An agent's name as Chatwoot gives it, held to the agent API's rule; "" for none.

    The subscriber reads it beside the agent's words, and the other desks in their lines.
    """
    return (visible_name(name) or "") if isinstance(name, str) else ""


def _assignee(conversation: Mapping[str, Any]) -> str:
    return _agent_name(_mapping(_mapping(conversation.get("meta")).get("assignee")).get("name"))


def _message_inbound(
    body: Mapping[str, Any], conversation_id: str, message_id: str
) -> Inbound | None:
    event = body.get("event")
    if event == "message_created":
        text = body.get("content")
        # webhook_data names the type; the shape inside a conversation numbers it (0).
        incoming = body.get("message_type") in ("incoming", 0)
        words = text.strip() if isinstance(text, str) else ""
        # A picture or file without words (usually a screenshot of the error): the dialog
        # asks for the error as text, as on Telegram, LINE and Slack.
        files = bool(body.get("attachments"))
        media = not words and files
        if not incoming or not (words or media):
            return None
        if words and _mapping(body.get("content_attributes")).get("is_reaction") is True:
            # A WhatsApp reaction (👍 on the question), which Chatwoot keeps as a message of
            # its emoji: read as typed words, 👍 answered 「はい」. A reaction is no answer (as
            # on Slack and Telegram): thanked for as an emoji alone is, the question asked
            # again; the emoji stays for the transcript.
            return Inbound(
                channel=CHANNEL,
                conversation_key=conversation_id,
                event_id=f"{CHANNEL}:{message_id}",
                text=words,
                choice=EMOJI_CHOICE,
                sender=_sender_name(body),
            )
        pressed = _pressed_value(words)
        if pressed is not None:
            # A select's item sent back by its value (Chatwoot's Telegram inbox): a press.
            return Inbound(
                channel=CHANNEL,
                conversation_key=conversation_id,
                event_id=f"{CHANNEL}:{message_id}",
                choice=pressed,
                sender=_sender_name(body),
            )
        return Inbound(
            channel=CHANNEL,
            conversation_key=conversation_id,
            event_id=f"{CHANNEL}:{message_id}",
            text=words or None,
            choice=MEDIA_CHOICE if media else None,
            sender=_sender_name(body),
            # Words with a screenshot: the console and Slack's thread showed the words alone,
            # as Telegram's caption was before `Inbound.attached`.
            attached=bool(words) and files,
        )
    if event == "message_updated" and body.get("content_type") == "input_select":
        # The web widget answers a select by updating the bot's own message with the choice.
        value, title = _submitted(body)
        choice = question_of(value)[0] if isinstance(value, str) and value else None
        text = title.strip() if isinstance(title, str) and choice is None else None
        if not (choice or text):
            return None
        # One answer per question: a second update of the same message is a repeat.
        return Inbound(
            channel=CHANNEL,
            conversation_key=conversation_id,
            event_id=f"{CHANNEL}:select:{message_id}",
            text=text or None,
            choice=choice,
        )
    return None


def event_from_message(body: Mapping[str, Any]) -> ContactMessage | None:
    """A subscriber's message and its conversation's status; None for what the bot ignores.

    Ignored: the bot's own messages and agents' (outgoing), templates, private notes, and
    conversations in a status the bot has no owner for (snoozed). Whether a message is a
    turn depends on its status and on who has the conversation: the channel decides.
    """
    conversation = _mapping(body.get("conversation"))
    conversation_id = _id(conversation.get("id"))
    message_id = _id(body.get("id"))
    status = conversation.get("status")
    # Versions before 2022 send no `private`; their notes are outgoing, ignored below anyway.
    if conversation_id is None or message_id is None or body.get("private"):
        return None
    if status not in (PENDING, OPEN, RESOLVED):
        return None
    inbound = _message_inbound(body, conversation_id, message_id)
    if inbound is None:
        return None
    value, _ = _submitted(body)
    question = question_of(value)[1] if isinstance(value, str) and inbound.choice else None
    kind = conversation.get("channel")
    return ContactMessage(
        inbound,
        status,
        _created_at(body.get("created_at")),
        _assignee(conversation),
        question,
        kind if isinstance(kind, str) else "",
    )


def _pressed_value(words: str) -> str | None:
    """The choice of words that are a select item's value naming its question, else None.

    Chatwoot's Telegram inbox renders a select as inline buttons whose callback_data is
    each item's value, and a press comes back as a message whose content is that data
    (Telegram::ParamHelpers#telegram_params_message_content): read as words, 「no~<tag>」
    was not understood, and after the retention a press restarted without a word of why.
    """
    code, question = question_of(words)
    return code if question is not None and _CHOICE_CODE.fullmatch(code) else None


def _submitted(body: Mapping[str, Any]) -> tuple[object, object]:
    """The value and title of a select's first submitted item (None, None when none).

    A message whose words are an item's value (`_pressed_value`) is its select's too.
    """
    if body.get("event") == "message_created":
        text = body.get("content")
        words = text.strip() if isinstance(text, str) else ""
        return (words, None) if _pressed_value(words) is not None else (None, None)
    if body.get("event") != "message_updated" or body.get("content_type") != "input_select":
        return None, None
    submitted = _mapping(body.get("content_attributes")).get("submitted_values")
    first = _mapping(submitted[0]) if isinstance(submitted, list) and submitted else {}
    return first.get("value"), first.get("title")


def _changed_status(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if event == "conversation_opened":
        return OPEN
    if event == "conversation_resolved":
        return RESOLVED
    if event == "conversation_status_changed":
        status = body.get("status")
        return status if isinstance(status, str) else None
    # conversation_updated fires for any attribute: only a change of status counts, or
    # a label added while the bot hands off would look like a hand-back.
    changes = body.get("changed_attributes")
    for change in changes if isinstance(changes, list) else ():
        status = _mapping(_mapping(change).get("status")).get("current_value")
        if isinstance(status, str):
            return status
    return None


def event_from_status(body: Mapping[str, Any]) -> StatusChange | None:
    """A conversation's status change; None when the event changed no status."""
    conversation_id = _id(body.get("id"))
    status = _changed_status(body)
    if conversation_id is None or status is None:
        return None
    # The same change can arrive as two events (status_changed and updated): one id for both.
    moment = body.get("updated_at") or body.get("timestamp") or ""
    return StatusChange(
        conversation_id=conversation_id,
        status=status,
        event_id=f"{CHANNEL}:status:{conversation_id}:{status}:{moment}",
        agent=_assignee(body),
    )


def _mirrored(conversation: Mapping[str, Any]) -> str | None:
    key = _mapping(conversation.get("custom_attributes")).get(MIRROR_KEY)
    return key if isinstance(key, str) and ":" in key else None


def _assignee_change(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A `conversation_updated`'s change of assignee (previous and current id), or None."""
    if body.get("event") != "conversation_updated":
        return None
    changes = body.get("changed_attributes")
    for change in changes if isinstance(changes, list) else ():
        assignee = _mapping(change).get("assignee_id")
        if isinstance(assignee, Mapping):
            return assignee
    return None


def _assigned(body: Mapping[str, Any]) -> int | str | None:
    """The assignee a `conversation_updated` changed to (its id), or None when it did not."""
    assignee = _assignee_change(body)
    now = assignee.get("current_value") if assignee is not None else None
    return now if isinstance(now, int | str) and now != "" else None


def _unassigned(body: Mapping[str, Any]) -> bool:
    """Whether a `conversation_updated` removed the assignee and changed no status."""
    assignee = _assignee_change(body)
    if assignee is None or _changed_status(body) is not None:
        return False
    now, before = assignee.get("current_value"), assignee.get("previous_value")
    return now in (None, "") and before not in (None, "")


def assignee_change(body: Mapping[str, Any]) -> AssigneeChange | None:
    """An assignment (or unassignment) of a Chatwoot conversation that changed no status.

    Chatwoot keeps a conversation its agent bot answers `pending`, and assigning it to an
    agent leaves it so (Conversations::AssignmentService opens it only for an AI assignee):
    the assignment is how an agent there says "mine" without a word to the contact yet.
    A change of status in the same update is the status's (`event_from_status`).
    """
    conversation_id = _id(body.get("id"))
    change = _assignee_change(body)
    if conversation_id is None or change is None or _changed_status(body) is not None:
        return None
    now = change.get("current_value")
    if now is None or now == "":
        agent = ""
    elif isinstance(now, int | str) and (named := _assignee(body)):
        agent = named
    else:
        return None  # assigned to someone the body does not name: nobody to say has it
    moment = body.get("updated_at") or body.get("timestamp") or ""
    return AssigneeChange(
        conversation_id,
        agent,
        f"{CHANNEL}:assignee:{conversation_id}:{now}:{moment}",
        _created_at(body.get("updated_at")),
    )


def mirror_event(
    body: Mapping[str, Any],
) -> MirrorReply | MirrorStatus | MirrorAssigned | None:
    """An agent's reply in, or a hand-back of, a mirrored conversation; None for the rest.

    Only agents' public messages count: the subscriber's relayed words (incoming), the
    summary (a private note) and the bot's own posts are not for the subscriber.
    """
    event = body.get("event")
    if event in ("message_created", "message_updated"):
        sender = _mapping(body.get("sender"))
        text, message_id = body.get("content"), _id(body.get("id"))
        key = _mirrored(_mapping(body.get("conversation")))
        outgoing = body.get("message_type") in ("outgoing", 1)
        if event != "message_created" or key is None or message_id is None:
            return None
        if not outgoing or body.get("private") or sender.get("type") != "user":
            return None
        files = bool(body.get("attachments"))
        if not isinstance(text, str) or not text.strip():
            if not files:
                return None
            text = ""  # a file alone: the agent is told it was not sent
        agent = _agent_name(sender.get("name")) or "Chatwoot"
        # Written in Chatwoot's Markdown editor; the subscriber's channel shows text as typed.
        mirror = _id(_mapping(body.get("conversation")).get("id")) or ""
        event_id = f"{CHANNEL}:mirror:{message_id}"
        return MirrorReply(key, _plain(text) if text else "", agent, event_id, mirror, files)
    assignee = _assigned(body)
    key = _mirrored(body)
    if assignee is not None and key is not None and (name := _assignee(body)):
        # Chatwoot's own hand-over: an agent (or a lead) assigned the mirror to a colleague.
        mirror = _id(body.get("id")) or ""
        moment = body.get("updated_at") or body.get("timestamp") or ""
        return MirrorAssigned(
            key,
            name,
            f"{CHANNEL}:assigned:{mirror}:{assignee}:{moment}",
            mirror,
            _created_at(body.get("updated_at")),
        )
    if key is not None and _unassigned(body):
        # Its assignee removed (by an agent, a lead, or Chatwoot as she leaves the inbox).
        mirror = _id(body.get("id")) or ""
        moment = body.get("updated_at") or body.get("timestamp") or ""
        return MirrorAssigned(
            key,
            "",
            f"{CHANNEL}:assigned:{mirror}:none:{moment}",
            mirror,
            _created_at(body.get("updated_at")),
        )
    change = event_from_status(body)
    key = _mirrored(body)
    if change is None or key is None or change.status not in (PENDING, RESOLVED):
        return None
    return MirrorStatus(
        key, change.status, change.event_id, change.agent or "Chatwoot", change.conversation_id
    )


def is_mirror(body: Mapping[str, Any]) -> bool:
    """Whether the body is about a mirrored conversation (never a Chatwoot subscriber's turn)."""
    return _mirrored(_mapping(body.get("conversation"))) is not None or _mirrored(body) is not None


def _inbox(body: Mapping[str, Any]) -> str | None:
    conversation = _mapping(body.get("conversation"))
    return (
        _id(_mapping(body.get("inbox")).get("id"))
        or _id(conversation.get("inbox_id"))
        or _id(body.get("inbox_id"))
    )


def agent_wrote(body: Mapping[str, Any]) -> AgentWrote | None:
    """A person's public reply (`outgoing`, sent by a `user`) in a Chatwoot conversation.

    Not the bot's own messages (`agent_bot`), nor private notes (nor a message of a
    version that does not say which it is).
    """
    sender = _mapping(body.get("sender"))
    conversation_id = _id(_mapping(body.get("conversation")).get("id"))
    message_id = _id(body.get("id"))
    # Only `private: false` tells a reply from a note: versions before 2022 send neither.
    if conversation_id is None or message_id is None or body.get("private") is not False:
        return None
    if body.get("message_type") not in ("outgoing", 1) or sender.get("type") != "user":
        return None
    return AgentWrote(
        conversation_id,
        _agent_name(sender.get("name")),
        f"{CHANNEL}:agent:{message_id}",
        _plain(body.get("content")),
        _created_at(body.get("created_at")),
    )


def _plain(content: object) -> str:
    """An agent's Markdown as the words the contact reads ("" for none)."""
    if not isinstance(content, str) or not content.strip():
        return ""
    return (plain_text(content) if len(content) <= MAX_MARKDOWN else "") or content.strip()


def parse_event(
    body: Mapping[str, Any],
    account_id: str,
    inboxes: frozenset[str] = frozenset(),
    desk_inbox: str = "",
) -> (
    ContactMessage
    | StatusChange
    | AssigneeChange
    | AgentWrote
    | MirrorReply
    | MirrorStatus
    | MirrorAssigned
    | None
):
    """What a webhook body means to the bot, or None when it means nothing.

    With `inboxes`, only their conversations (and the mirror desk's) are the bot's: an
    account webhook delivers every inbox's messages, and the bot must not start its
    questionnaire in a sales inbox.
    """
    if not _same_account(body, account_id):
        return None
    if is_mirror(body):
        # Only in the mirror desk's inbox: a widget visitor can set a conversation's custom
        # attributes, and must not reach another subscriber's conversation that way.
        return mirror_event(body) if desk_inbox and _inbox(body) == desk_inbox else None
    if inboxes and _inbox(body) not in inboxes:
        return None
    event = body.get("event")
    if event == "message_created" and (wrote := agent_wrote(body)) is not None:
        return wrote
    if event in ("message_created", "message_updated"):
        return event_from_message(body)
    if (assigned := assignee_change(body)) is not None:
        return assigned
    # Status changes come as conversation_status_changed or conversation_updated, and as
    # the deprecated conversation_opened and conversation_resolved.
    if isinstance(event, str) and event.startswith("conversation_"):
        return event_from_status(body)
    return None


# The fields `parse_event` reads, typed as Chatwoot sends them (ids as numbers, or strings
# in its documentation's samples); anything else in a body is left alone.
_Id = int | str


class _Account(Shape):
    id: _Id | None = None


class _Named(Shape):
    name: str | None = None
    type: str | None = None


class _Meta(Shape):
    assignee: _Named | None = None


class _Conversation(Shape):
    id: _Id | None = None
    status: str | None = None
    channel: str | None = None
    inbox_id: _Id | None = None
    custom_attributes: dict[str, Any] | None = None
    meta: _Meta | None = None


class _Body(Shape):
    event: str
    id: _Id | None = None
    account: _Account | None = None
    account_id: _Id | None = None
    inbox: _Account | None = None
    inbox_id: _Id | None = None
    conversation: _Conversation | None = None
    content: str | None = None
    content_type: str | None = None
    content_attributes: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] | None = None
    message_type: str | int | None = None
    private: bool | None = None
    sender: _Named | None = None
    status: str | None = None
    changed_attributes: list[dict[str, Any]] | None = None
    meta: _Meta | None = None
    custom_attributes: dict[str, Any] | None = None
    created_at: str | int | float | None = None


# The most separators ("," "{" "[", inside strings too) a body may hold before it is parsed.
# The token's path takes 2 MiB (`channel.MAX_WEBHOOK_BYTES`), and reading JSON costs by the
# value, not the byte: 2 MiB of small objects or numbers held the event loop 0.2 to 1.3 s
# (orjson, the duplicate-key check, the shape's errors), which a contact's custom attributes
# could make Chatwoot send. A real body has a few hundred; a contact's 150,000 characters,
# sent three times, reach this with a comma in every nine. At the limit, 10 ms here.
MAX_SEPARATORS: Final = 50_000


def parse_body(raw: bytes) -> Mapping[str, Any]:
    """The webhook body as a JSON object; ValueError unless it has a webhook's shape."""
    if raw.count(b",") + raw.count(b"{") + raw.count(b"[") > MAX_SEPARATORS:
        # Counted in C before any parser reads it: no JSON is read value by value.
        raise ValueError(f"the body holds more than {MAX_SEPARATORS} values")
    data = orjson.loads(raw)  # orjson.JSONDecodeError is a ValueError
    refuse_duplicate_keys(raw)
    check_shape(_Body, data)
    return cast("Mapping[str, Any]", data)
