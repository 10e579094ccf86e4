"""Slack's events and clicks as inbound messages, and where a conversation lives in Slack.

A direct message is a conversation of its own (`team:channel`), answered where the
subscriber wrote (at its top level, or in the thread they replied in); a mention in a
channel is answered in its thread, which is the conversation (`team:channel:thread_ts`).
`team` is the installation: a workspace, or the organisation of an org-wide Enterprise Grid
install. Pure functions over Bolt's parsed bodies: no SDK is imported here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

import orjson
from pydantic import model_validator

from adapters.slack.markup import (
    block_words,
    formatted,
    typed_text,
    user_elements,
    with_emoji,
)
from bot.channels.choice_codes import question_of
from bot.channels.shape import Shape, check_shape
from bot.desk.agent_models import visible_name
from bot.web.openapi import refuse_duplicate_keys
from dialogs.vocabulary import (
    EDITED_CHOICE,
    EMOJI_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    MENU_CHOICE,
    Inbound,
    Locale,
    parse_locale,
)

CHANNEL: Final = "slack"
FILE_SHARE: Final = "file_share"
# Subtypes that are the subscriber writing: a file (usually a screenshot of an error), a
# thread reply also sent to the DM ("Also send to direct message"), and `/me` words.
_WRITTEN: Final = frozenset({None, FILE_SHARE, "thread_broadcast", "me_message"})
MESSAGE_CHANGED: Final = "message_changed"
MESSAGE_DELETED: Final = "message_deleted"
# Where several people talk (message.channels, message.groups, message.mpim).
_SHARED: Final = frozenset({"channel", "group", "mpim"})
# A member mentioned in a message's text: `<@U…>`, or `<@U…|name>` as older clients wrote.
_MENTION: Final = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
SOMEONE: Final = "someone"
"""How a mentioned member reads whose name Slack does not tell (`users.info` failed)."""

Names = Mapping[str, str]
"""Display names of members, by user id, as far as they are known."""


@dataclass(frozen=True, slots=True)
class Clicked:
    """The message whose button was pressed, so its buttons can be taken away."""

    channel: str
    ts: str
    label: str
    blocks: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class SlackTurn:
    """One inbound Slack event, parsed: the message, where to answer, and who sent it."""

    inbound: Inbound
    channel: str
    thread_ts: str | None
    """Where to answer: a channel's thread, a DM's thread the subscriber wrote in, or None."""
    user: str | None
    clicked: Clicked | None = None
    question: str | None = None
    """The question the pressed button belongs to, when its block names one."""
    in_thread: bool = False
    """A reply in a channel's thread, unmentioned: a turn only where the thread is the bot's."""
    former: str | None = None
    """A retried turn's name before turns were named otherwise (`adapters.redelivery`)."""
    opened: bool = False
    """The member opened the bot's Messages tab: a turn only where no conversation is kept."""


def is_direct(channel: str) -> bool:
    """Whether a Slack channel id is a direct-message channel (ids of DMs begin with D)."""
    return channel.startswith("D")


def conversation_key(team: str, channel: str, thread_ts: str | None) -> str:
    """The conversation a DM (no thread) or a channel thread is."""
    return f"{team}:{channel}" if thread_ts is None else f"{team}:{channel}:{thread_ts}"


def address_of(key: str) -> tuple[str, str | None]:
    """The channel and thread (None for a DM) a conversation key names."""
    parts = key.split(":")
    if len(parts) == 2:
        return parts[1], None
    if len(parts) == 3:
        return parts[1], parts[2]
    raise ValueError(f"{key!r} is not a Slack conversation key (team:channel[:thread_ts])")


def turn_from_event(
    body: Mapping[str, Any], bot_user: str | None = None, names: Names | None = None
) -> SlackTurn | None:
    """A direct `message`, or an `app_mention` in a channel (answered in its thread).

    A `message` in a channel's thread that does not mention the bot (`bot_user`; Slack sends
    a mention as an `app_mention` too) is a turn `in_thread`: the thread's conversation, if
    the bot holds one there, goes on without being mentioned again. A DM written in one of
    its threads is the DM's conversation, answered in that thread.

    Only the bot's own mention is taken out of the words; another member's reads as
    `@name` from `names` (their display names), or `@someone`.

    None for anything else: channel messages without a mention, deletions, joins, bots'
    posts, edits outside a DM. A file (subtype `file_share`, usually a screenshot of an
    error), a thread reply sent to the DM too (`thread_broadcast`) and words written with
    `/me` (`me_message`) are messages too; an edit in a DM asks for the words again
    (`_edited_turn`).
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("bot_id"):
        return None
    bot_user = bot_user or bot_user_of(body)
    if event.get("subtype") == MESSAGE_CHANGED and event.get("channel_type") == "im":
        return _edited_turn(body, event, bot_user)
    if event.get("subtype") == MESSAGE_CHANGED and event.get("channel_type") in _SHARED:
        # An edit in a channel's thread: the thread's conversation, if the bot holds one
        # there with its writer, is asked for the words again, as in a DM.
        turn = _edited_turn(body, event, bot_user, in_channel=True)
        return dataclasses.replace(turn, in_thread=True) if turn else None
    if event.get("subtype") not in _WRITTEN:
        return None
    channel = event.get("channel")
    people = _Mentions(bot_user, names or {})
    thread_ts = event.get("thread_ts")
    if event.get("type") == "message" and event.get("channel_type") == "im":
        reply_ts = str(thread_ts) if thread_ts else None
        return _text_turn(body, event, people, thread_ts=None, reply_ts=reply_ts)
    if event.get("type") == "message" and event.get("channel_type") in _SHARED and thread_ts:
        text = str(event.get("text") or "")
        # The whole id: a member's may begin with the bot's (U0BOT, U0BOTXY).
        if any(m.group(1) == bot_user or not bot_user for m in _MENTION.finditer(text)):
            return None  # answered as the app_mention Slack sends for it
        turn = _text_turn(body, event, people, thread_ts=str(thread_ts))
        return dataclasses.replace(turn, in_thread=True) if turn else None
    if event.get("type") == "app_mention" and isinstance(channel, str) and not is_direct(channel):
        thread_ts = event.get("thread_ts") or event.get("ts")
        return _text_turn(body, event, people, thread_ts=str(thread_ts) if thread_ts else None)
    return None


def bot_user_of(body: Mapping[str, Any]) -> str | None:
    """The bot's own user id, as the event's installation (`authorizations`) names it."""
    authorizations = body.get("authorizations")
    if isinstance(authorizations, list) and authorizations:
        first = authorizations[0]
        if isinstance(first, Mapping) and first.get("is_bot") and first.get("user_id"):
            return str(first["user_id"])
    return None


def mentioned_users(body: Mapping[str, Any]) -> set[str]:
    """The members a message event mentions without naming them (its text and its blocks)."""
    event = body.get("event")
    if not isinstance(event, Mapping):
        return set()
    markup = f"{event.get('text') or ''}\n{_forwarded(event.get('attachments')).text}"
    found = {m.group(1) for m in _MENTION.finditer(markup) if not m.group(2)}
    found |= user_elements(event.get("blocks"))
    return found


class _Mentions:
    """How each member's mention reads: the bot's as nothing, another's as `@name`."""

    def __init__(self, bot_user: str | None, names: Names) -> None:
        self._bot = bot_user
        self._names = names

    def __call__(self, user: str, label: str | None = None) -> str:
        if self._bot is None or user == self._bot:
            # Without the bot's id (no auth.test, no authorizations) every mention was the
            # bot's as far as anyone can tell: left out, as before.
            return ""
        return f"@{label or self._names.get(user) or SOMEONE}"

    def in_text(self, markup: str) -> str:
        return _MENTION.sub(lambda m: self(m.group(1), m.group(2)), markup)


def installed_team(body: Mapping[str, Any], fallback: object = None) -> object:
    """The installation the bot answers as, which every conversation key of it names.

    A workspace's id; for an org-wide install on Enterprise Grid, the organisation's
    (`authorizations` name it and no team, and a click's `team` may be null while its
    user's `team_id` is the organisation's), so an event and a click name one
    conversation. In a Slack Connect channel another organisation set up, the envelope's
    `team_id` is that organisation's (the channel's host); `authorizations` names the
    installation, as a click's `team` does.
    """
    authorizations = body.get("authorizations")
    if isinstance(authorizations, list) and authorizations:
        first = authorizations[0]
        if isinstance(first, Mapping):
            if first.get("is_enterprise_install") is True and first.get("enterprise_id"):
                return first["enterprise_id"]
            if first.get("team_id"):
                return first["team_id"]
    if body.get("is_enterprise_install") is True:
        organisation = _enterprise_of(body)
        if organisation:
            return organisation
    team = body.get("team")
    if isinstance(team, Mapping) and team.get("id"):
        return team["id"]  # a click
    return body.get("team_id") or fallback


def _enterprise_of(body: Mapping[str, Any]) -> object:
    enterprise = body.get("enterprise")
    if isinstance(enterprise, Mapping):
        enterprise = enterprise.get("id")
    team, user = body.get("team"), body.get("user")
    if not enterprise and isinstance(team, Mapping):
        enterprise = team.get("enterprise_id")
    if not enterprise and isinstance(user, Mapping) and str(user.get("team_id")).startswith("E"):
        enterprise = user.get("team_id")  # Slack reports a Grid member's team as the org's
    return enterprise or body.get("enterprise_id")


def _text_turn(
    body: Mapping[str, Any],
    event: Mapping[str, Any],
    people: _Mentions,
    *,
    thread_ts: str | None,
    reply_ts: str | None = None,
) -> SlackTurn | None:
    """The turn a message is, answered in `thread_ts` (its conversation's) or `reply_ts`.

    `reply_ts` is a DM's thread the subscriber wrote in: the DM stays one conversation.
    """
    channel, user, event_id = event.get("channel"), event.get("user"), body.get("event_id")
    team = installed_team(body, event.get("team"))
    # The words shown, not Slack's markup: `<mailto:a@b|a@b>` is the address typed, `:+1:`
    # is 👍. A message whose text (a fallback) is empty is read from its blocks.
    blocks, markup = event.get("blocks"), str(event.get("text") or "")
    own, pictures = _words_or_pictures(blocks, markup, people)
    forwarded = _forwarded(event.get("attachments"))
    shown = typed_text(people.in_text(forwarded.text)).strip()
    # The forwarded words follow the forwarder's comment ("これです"), as Slack shows them.
    text = "\n".join(words for words in (own, shown) if words) or _snippets(event.get("files"))
    # A file without words: the dialog asks for the error as text, as on Telegram and LINE.
    # Slack marks it `file_share`, and has sent it as a message without a subtype too.
    media = not text and (bool(event.get("files")) or forwarded.files)
    # Files beside words of the subscriber's (a screenshot with 「エラー画面です」): the words
    # are read, and the transcript notes the files, which reach no one.
    attached = bool(own or shown) and (bool(event.get("files")) or forwarded.files)
    # The bot mentioned without words (「@mailmove」 alone) is a call for it: a new
    # conversation is greeted (every first message is), one under way shows the menu. In a
    # DM it comes as a message: one that said something and reads as nothing said only that.
    said = event.get("type") == "app_mention" or bool(markup.strip() or user_elements(blocks))
    called = not text and not media and said
    if not (isinstance(channel, str) and isinstance(event_id, str) and team):
        return None
    if not (text or media or called):
        return None
    choice = MEDIA_CHOICE if media else MENU_CHOICE if called else None
    if choice is None and pictures and not shown and not attached:
        # 「:party-parrot:」 alone: thanked for as 「😊」 is, not read as words (channels2).
        choice = EMOJI_CHOICE
    if choice is None and shown and not own:
        # Forwarded words without a comment are someone else's, shown: the dialog reads an
        # error in them, never an answer (a colleague's 「いいえ」 is not the subscriber's).
        choice = FORWARDED_CHOICE
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, thread_ts),
        event_id=said_id(channel, event.get("ts")) or f"{CHANNEL}:{event_id}",
        text=text or None,
        choice=choice,
        sender=user if isinstance(user, str) else None,
        attached=attached,
    )
    where = reply_ts if thread_ts is None else thread_ts
    return SlackTurn(inbound, channel, where, inbound.sender)


def opened_from_event(body: Mapping[str, Any]) -> SlackTurn | None:
    """A member opened the bot's Messages tab (`app_home_opened`, tab "messages"): a start.

    Slack sends it on every visit; Telegram's /start and LINE's follow greet a new chat, and
    a first visit to an empty DM was left blank, the member not knowing what to type. Its
    Home tab (`tab` "home") holds nothing of the bot's: no turn.
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("tab") != "messages":
        return None
    channel, user, event_id = event.get("channel"), event.get("user"), body.get("event_id")
    team = installed_team(body)
    if not (isinstance(channel, str) and is_direct(channel) and isinstance(user, str)):
        return None
    if not (isinstance(event_id, str) and team):
        return None
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, None),
        event_id=f"{CHANNEL}:{event_id}",
        start=True,
        sender=user,
    )
    return SlackTurn(inbound, channel, None, user, opened=True)


@dataclass(frozen=True)
class Reaction:
    """A member's reaction (an emoji) on one of the bot's messages."""

    team: str
    channel: str
    ts: str
    user: str


def reaction_from_event(body: Mapping[str, Any], bot_user: str | None) -> Reaction | None:
    """A `reaction_added` on a message the bot posted, by someone else; None otherwise."""
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("type") != "reaction_added":
        return None
    item, user = event.get("item"), event.get("user")
    if not isinstance(item, Mapping) or item.get("type") != "message":
        return None
    channel, ts = item.get("channel"), item.get("ts")
    if not (isinstance(channel, str) and isinstance(ts, str) and isinstance(user, str)):
        return None
    if bot_user is None or event.get("item_user") != bot_user or user == bot_user:
        return None
    team = installed_team(body)
    if not isinstance(team, str) or not team:
        return None
    return Reaction(team=team, channel=channel, ts=ts, user=user)


def former_id(body: Mapping[str, Any], turn: SlackTurn) -> str | None:
    """The name every version gave the turn of Slack's event `body`, when it now has another."""
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or turn.inbound.event_id == f"{CHANNEL}:{event_id}":
        return None
    return f"{CHANNEL}:{event_id}"


def said_id(channel: str, ts: object) -> str | None:
    """The event id of the turn that stored the words of the message `ts` in `channel`.

    Named by the message (its `ts` is unique in its channel, and the same in a retry) rather
    than by the event, so that its deletion, which names only the message, finds the words
    to withdraw.
    """
    return f"{CHANNEL}:message:{channel}:{ts}" if isinstance(ts, str) and ts else None


def edited_id(channel: str, ts: object, edited: object) -> str | None:
    """The event id of the turn that stored an edit of the message `ts` (its words put right).

    Named by the message and the edit's own ts (`edited.ts`, the same in a retry), so that
    the message's deletion, whose `previous_message` shows the latest edit, withdraws it too.
    """
    said = said_id(channel, ts)
    edited_ts = edited.get("ts") if isinstance(edited, Mapping) else None
    return f"{said}:edited:{edited_ts}" if said and isinstance(edited_ts, str) else None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A message its writer deleted (`message_deleted`): its words are to be withdrawn."""

    conversation_key: str
    event_id: str
    said: str
    """The event id of the turn that stored its words (`said_id`)."""
    edit: str | None = None
    """The event id of the turn that stored its latest edit's words (`edited_id`), if edited."""


def withdrawal_from_event(body: Mapping[str, Any]) -> Withdrawal | None:
    """A message deleted in a DM or in a channel's thread; None for every other event.

    A message with replies under it (a channel mention the bot answered in its thread, a DM
    message answered in a thread) is not deleted but left as a tombstone: Slack sends
    `message_changed` whose message is of subtype `tombstone` ("This message was deleted.").
    """
    event = body.get("event")
    if not isinstance(event, Mapping):
        return None
    previous = event.get("previous_message")
    if not isinstance(previous, Mapping):
        previous = {}
    if event.get("subtype") == MESSAGE_DELETED:
        deleted_ts = event.get("deleted_ts")
    elif event.get("subtype") == MESSAGE_CHANGED and _tombstone(event.get("message")):
        tombstone = event["message"]
        deleted_ts = tombstone.get("ts")
        # The thread it opened is the tombstone's too.
        previous = {"thread_ts": tombstone.get("thread_ts"), **previous}
    else:
        return None
    channel, team, event_id = event.get("channel"), installed_team(body), body.get("event_id")
    said = said_id(str(channel), deleted_ts)
    if not (isinstance(channel, str) and team and isinstance(event_id, str) and said):
        return None
    thread_ts: str | None = None
    if event.get("channel_type") in _SHARED:
        thread = previous.get("thread_ts")
        if not isinstance(thread, str):
            return None  # a channel's own talk: the bot keeps none of it
        thread_ts = thread
    elif event.get("channel_type") != "im":
        return None
    key = conversation_key(str(team), channel, thread_ts)
    # Only the latest edit is named (an earlier one's ts is not in the event).
    edit = edited_id(channel, deleted_ts, previous.get("edited"))
    return Withdrawal(key, f"{CHANNEL}:{event_id}", said, edit)


def _tombstone(message: object) -> bool:
    """Whether `message` (a `message_changed`'s new message) is a deleted message's tombstone."""
    return isinstance(message, Mapping) and message.get("subtype") == "tombstone"


def _shown_words(blocks: object, markup: str, people: _Mentions) -> str:
    """A message's words as Slack shows them, from its blocks and its `text` (markup)."""
    return _words_or_pictures(blocks, markup, people)[0]


def _words_or_pictures(blocks: object, markup: str, people: _Mentions) -> tuple[str, bool]:
    """`_shown_words`, and whether they are only emoji without a character (`EMOJI_CHOICE`)."""
    # Words in bold, italics or struck out come with Slack's markers in the text: read then
    # from the blocks, as shown (a message struck out whole reads as its text).
    text = block_words(blocks, people).strip() if formatted(blocks) or not markup else ""
    if not text and markup:
        text = typed_text(people.in_text(with_emoji(markup, blocks))).strip()
        if not text:
            # Emoji without a character only (a workspace's own 「:party-parrot:」, as the
            # blocks name it): the names as sent, for the transcript; a picture to the dialog.
            text = typed_text(people.in_text(markup)).strip()
            return text, bool(text)
    return text, False


def _snippets(files: object) -> str:
    """The words of the text snippets among a message's files (their `preview`), or "".

    Slack turns a long paste (an error's log) into a text snippet, a file of mode "snippet"
    whose first lines come with the event: the subscriber's words, pasted, not a picture.
    """
    if not isinstance(files, list):
        return ""
    previews = [
        str(item["preview"]).strip()
        for item in files
        if isinstance(item, Mapping)
        and item.get("mode") == "snippet"
        and isinstance(item.get("preview"), str)
    ]
    return "\n".join(words for words in previews if words)


@dataclass(frozen=True, slots=True)
class _Forwarded:
    text: str
    """The forwarded messages' words, in Slack's markup."""
    files: bool


def _forwarded(attachments: object) -> _Forwarded:
    """What the messages a message forwards say ("Forward message", or a shared message).

    Slack puts a forwarded message in the forwarding one's `attachments`, marked `is_share`
    or `is_msg_unfurl`, with its words in `text` and its files in `files`; the forwarding
    message's own `text` holds only the comment typed with it, often nothing. A colleague's
    error message forwarded into the DM is the subscriber's problem, in words. Other
    attachments (an app's legacy ones) are no words of the subscriber's.
    """
    if not isinstance(attachments, list):
        return _Forwarded("", files=False)
    shared = [
        item
        for item in attachments
        if isinstance(item, Mapping)
        and (item.get("is_share") is True or item.get("is_msg_unfurl") is True)
    ]
    words = [str(item["text"]) for item in shared if isinstance(item.get("text"), str)]
    return _Forwarded(
        "\n".join(w for w in words if w.strip()), files=any(item.get("files") for item in shared)
    )


def _edited_turn(
    body: Mapping[str, Any],
    event: Mapping[str, Any],
    bot_user: str | None,
    *,
    in_channel: bool = False,
) -> SlackTurn | None:
    """A message the subscriber edited after sending it: asked for again, as a new message.

    Only an edit by a person that changed the words: Slack sends `message_changed` too when
    it unfurls a link in a message, and when the bot updates its own messages. In a
    channel (`in_channel`) only an edit in a thread, which is its conversation.
    """
    message, before = event.get("message"), event.get("previous_message")
    if not isinstance(message, Mapping) or message.get("bot_id") or "edited" not in message:
        return None
    if isinstance(before, Mapping) and before.get("text") == message.get("text"):
        return None
    channel, user, event_id = event.get("channel"), message.get("user"), body.get("event_id")
    team = installed_team(body, message.get("team"))
    if not (isinstance(channel, str) and isinstance(event_id, str) and team):
        return None
    thread_ts = str(message["thread_ts"]) if message.get("thread_ts") else None
    if in_channel and thread_ts is None:
        return None
    # The new words go with it for the transcript: an agent who has the conversation (the
    # bot silent) reads them there, as shown (a new message's are: 「~はい~ いいえ」 is a no).
    markup = str(message.get("text") or "")
    words = _shown_words(message.get("blocks"), markup, _Mentions(bot_user, {}))
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, thread_ts if in_channel else None),
        event_id=edited_id(channel, message.get("ts"), message.get("edited"))
        or f"{CHANNEL}:{event_id}",
        text=words or None,
        choice=EDITED_CHOICE,
        sender=user if isinstance(user, str) else None,
    )
    # Asked again where the edited message is: in the (DM's) thread it was written in.
    return SlackTurn(inbound, channel, thread_ts, inbound.sender)


def turn_from_action(body: Mapping[str, Any], action: Mapping[str, Any]) -> SlackTurn | None:
    """A pressed choice button (`block_actions`)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    team = installed_team(body, (body.get("user") or {}).get("team_id"))
    user = (body.get("user") or {}).get("id")
    value = action.get("value")
    if not (isinstance(channel, str) and isinstance(message_ts, str) and team and value):
        return None
    in_thread = message.get("thread_ts") or container.get("thread_ts")
    # A DM is one conversation, its threads included; a channel's thread is its own.
    thread_ts = None if is_direct(channel) else str(in_thread or message_ts)
    label = str((action.get("text") or {}).get("text") or "")
    blocks = tuple(b for b in message.get("blocks") or () if isinstance(b, Mapping))
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, thread_ts),
        # One answer per question message: a double click or a second button is dropped.
        event_id=f"{CHANNEL}:action:{channel}:{message_ts}",
        choice=str(value),
        sender=user if isinstance(user, str) else None,
    )
    clicked = Clicked(channel, message_ts, label, blocks)
    _, question = question_of(str(action.get("block_id") or ""))
    reply_ts = str(in_thread) if in_thread and thread_ts is None else thread_ts
    return SlackTurn(inbound, channel, reply_ts, inbound.sender, clicked, question)


# The fields Bolt's middleware (slack_bolt.request.internals) and this package read, typed:
# a user, channel, team or enterprise is an id or an object, depending on the event.
_Ref = str | dict[str, Any] | None


class _Inner(Shape):
    """An event, or a message, item or thread inside one."""

    user: _Ref = None
    channel: _Ref = None
    team: _Ref = None
    user_id: str | None = None
    channel_id: str | None = None
    user_team: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    text: str | None = None


class _Event(_Inner):
    type: str
    subtype: str | None = None
    channel_type: str | None = None
    bot_id: str | None = None
    message: _Inner | None = None
    previous_message: _Inner | None = None
    item: _Inner | None = None
    assistant_thread: _Inner | None = None
    files: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None


class _Authorization(Shape):
    enterprise_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class _Envelope(Shape):
    """The Events API's body (`event_callback`, `url_verification`, ...)."""

    type: str
    token: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None
    context_team_id: str | None = None
    context_enterprise_id: str | None = None
    api_app_id: str | None = None
    event_id: str | None = None
    challenge: str | None = None
    is_enterprise_install: bool | None = None
    is_ext_shared_channel: bool | None = None
    authorizations: list[_Authorization] | None = None
    event: _Event | None = None
    response_urls: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _complete(self) -> _Envelope:
        if "response_urls" in self.model_fields_set and self.response_urls is None:
            raise ValueError("response_urls, when named, is a list")  # Bolt takes its length
        if self.type == "event_callback" and (self.event is None or self.event_id is None):
            raise ValueError("an event_callback carries an event and an event_id")
        if self.type == "url_verification" and self.challenge is None:
            raise ValueError("a url_verification carries a challenge")
        return self


class _Id(Shape):
    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


class _Message(Shape):
    ts: str | None = None
    thread_ts: str | None = None
    user: _Ref = None
    blocks: list[dict[str, Any]] | None = None


class _Container(Shape):
    channel_id: str | None = None
    message_ts: str | None = None
    thread_ts: str | None = None


class _Label(Shape):
    text: str | None = None


class _Action(Shape):
    action_id: str | None = None
    block_id: str | None = None
    value: str | None = None
    text: _Label | None = None


class _View(Shape):
    """A modal or App Home view an interaction came from."""

    type: str
    callback_id: str | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None


_ACTIONS: Final = frozenset({"block_actions", "interactive_message"})
_CALLBACKS: Final = frozenset(
    {"interactive_message", "dialog_submission", "dialog_cancellation", "workflow_step_edit"}
)


class _Interaction(Shape):
    """An interactivity payload (`block_actions`, ...), the form's `payload` field."""

    type: str
    user: _Id | None = None
    team: _Id | None = None
    enterprise: _Ref = None
    channel: _Id | None = None
    container: _Container | None = None
    message: _Message | None = None
    actions: list[_Action] | None = None
    view: _View | None = None
    callback_id: str | None = None
    workflow_step: dict[str, Any] | None = None
    response_urls: list[dict[str, Any]] | None = None
    authorizations: list[_Authorization] | None = None
    is_enterprise_install: bool | None = None

    @model_validator(mode="after")
    def _complete(self) -> _Interaction:
        # What Bolt's action matchers index without looking (slack_bolt.listener_matcher
        # .builtins): the first action of a click, its action_id, and a legacy callback_id.
        if self.type in _ACTIONS and not self.actions:
            raise ValueError(f"a {self.type} payload carries at least one action")
        if self.type == "block_actions" and self.actions and self.actions[0].action_id is None:
            raise ValueError("a block action carries an action_id")
        if self.type in _CALLBACKS and self.callback_id is None:
            raise ValueError(f"a {self.type} payload carries a callback_id")
        # Bolt looks inside these whenever they are named (slack_bolt.request.internals).
        for name in ("view", "response_urls"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"a payload's {name}, when named, is not null")
        # A workflow step's edit, and the save of its view, hand Bolt their workflow_step.
        step_view = self.view is not None and self.view.type == "workflow_step"
        stepped = self.type == "workflow_step_edit" or (
            self.type == "view_submission" and step_view
        )
        if stepped and self.workflow_step is None:
            raise ValueError(f"a {self.type} payload of a workflow step carries the step")
        return self


def check_body(body: bytes, content_type: str) -> None:
    """Raise ValueError unless `body` is a Slack body of the shape Bolt and we read.

    Slack sends events as JSON and clicks as a form with a `payload` field; any other
    type, or a body whose fields have the wrong JSON types, is malformed.
    """
    text = body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type == "application/json":
        check_shape(_Envelope, orjson.loads(text))
        refuse_duplicate_keys(text)
    elif media_type == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(text, keep_blank_values=True))
        if form.get("ssl_check") == "1":
            return  # Slack checking the URL's certificate: Bolt answers it with 200
        if "command" in form:
            return  # a slash command (the bot offers none): Bolt's, acknowledged unhandled
        if "payload" not in form:
            raise ValueError("a form from Slack carries a payload")
        check_shape(_Interaction, orjson.loads(form["payload"]))
        refuse_duplicate_keys(form["payload"])
    else:
        raise ValueError(f"Slack sends no {media_type or 'untyped'} bodies")


def display_name(users_info: Mapping[str, Any]) -> str | None:
    """The name Slack shows for a member, from a `users.info` answer.

    The display name the member chose, else their full name, else their user name.
    """
    user = users_info.get("user")
    if not isinstance(user, Mapping):
        return None
    profile = user.get("profile")
    if not isinstance(profile, Mapping):
        profile = {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        # Held to the agent API's rule for names: the subscriber reads it as an agent's
        # name or a mention, and the agents in the console and the desks' messages.
        if isinstance(name, str) and (shown := visible_name(name)) is not None:
            return shown
    return None


def user_locale(users_info: Mapping[str, Any]) -> Locale | None:
    """The language of a `users.info` answer (asked with `include_locale`)."""
    return parse_locale(str((users_info.get("user") or {}).get("locale") or ""))
