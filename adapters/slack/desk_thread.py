"""The handoff message's thread as the conversation: agents' replies in, the notes that find it.

Pure functions over the Events API's JSON body and the transcript; no SDK is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import orjson

from adapters.slack.desk_actions import CHANNEL
from adapters.slack.markup import bare_mentions, typed_text, with_emoji, without_marks
from bot.desk.ownership import changes_hands
from bot.desk.summary import MESSAGE_LEFT
from bot.engine import DESK_MESSAGE_LINE, HANDOFF_LINE
from bot.store.conversation_store import TranscriptEntry
from bot.web.openapi import refuse_duplicate_keys

# The Slack message metadata type on a handoff message; its payload holds the key.
HANDOFF_EVENT: Final = "mailmove_handoff"
# The payload's field naming the message left it shows (HandoffSummary.notice).
NOTICE_FIELD: Final = "notice"
_THREAD_NOTE: Final = "slack_desk thread: "
# Agents talk among themselves in the thread too: a message that opens with a member's
# mention (「@佐藤 確認お願いします」), with @here, @channel, @everyone or a user group's
# mention (「@support 至急」), or with // is a note between them, not for the subscriber.
# Full-width 「／／」 too, as a Japanese IME types it: it reached the subscriber.
_NOTE_AMONG_AGENTS: Final = re.compile(
    r"\s*(?:<(?:@[UW][A-Z0-9]+|!(?:here|channel|everyone|subteam\^[A-Z0-9]+))(?:\|[^>]*)?>"
    r"|[/／]{2})"
)
# Edits, deletions, joins and the bot's own posts are not an agent writing to a subscriber.
_IGNORED_SUBTYPES: Final = frozenset(
    {"message_changed", "message_deleted", "bot_message", "channel_join", "thread_broadcast"}
)


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """An agent's message in a thread of the agents' channel."""

    thread_ts: str
    user_id: str
    markup: str
    """The text as Slack sends it, in its markup (mentions, links, entities)."""
    slack_event_id: str
    blocks: object = None
    """The same words as rich-text blocks: they say which `:name:` is an emoji, and which."""
    files: bool = False
    """Whether files came with the words (a picture, a PDF, a long paste as a snippet)."""

    @property
    def event_id(self) -> str:
        """Once per Slack event: Slack sends an event again when the answer is late."""
        return f"{CHANNEL}:{self.slack_event_id}"

    @property
    def mentioned(self) -> set[str]:
        """The members the words mention by id alone, whose names they need."""
        return bare_mentions(self.markup)

    def words(self, names: Mapping[str, str]) -> str:
        """What the agent typed, as the subscriber reads it: a mention as the member's name.

        An emoji as its character, as the subscriber's own Slack words are read: the text
        names it (`:slightly_smiling_face:`), which no other platform shows as a picture.
        A workspace's own emoji has no character: a reply of those alone is sent as named.
        Bold and italic words lose Slack's markers, struck-out words are left out.
        """
        shown = typed_text(with_emoji(without_marks(self.markup, self.blocks), self.blocks), names)
        return shown if shown.strip() else typed_text(self.markup, names)


@dataclass(frozen=True, slots=True)
class ThreadEdit:
    """An agent's reply in a thread, edited: the new words never reach the subscriber."""

    thread_ts: str
    slack_event_id: str

    @property
    def event_id(self) -> str:
        """Once per Slack event: Slack sends an event again when the answer is late."""
        return f"{CHANNEL}:{self.slack_event_id}"


def parse_thread_reply(body: bytes, agents_channel: str) -> str | ThreadReply | ThreadEdit | None:
    """The URL check's challenge, an agent's reply in a thread, or None for anything else.

    ValueError for a body that is not an Events API JSON object.
    """
    data = orjson.loads(body)  # orjson.JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")
    # As the Slack channel's events (adapters.slack.events): an Events API body always names
    # its type, and a repeated key could mean one thing here and another to Slack. Signed
    # bodies of either kind were answered 200 here and 400 on the channel's route.
    if not isinstance(data.get("type"), str):
        raise ValueError("an Events API body names its type")
    refuse_duplicate_keys(body)
    if data.get("type") == "url_verification":
        challenge = data.get("challenge")
        if not isinstance(challenge, str):
            raise ValueError("a URL check without its challenge")
        return challenge
    event = data.get("event")
    if data.get("type") != "event_callback" or not isinstance(event, Mapping):
        return None
    if event.get("subtype") == "message_changed":
        return _edit(event, data.get("event_id"), agents_channel)
    return _reply(event, data.get("event_id"), agents_channel)


def _edit(event: Mapping[str, Any], event_id: object, agents_channel: str) -> ThreadEdit | None:
    """A person's reply in a thread whose words she changed, not a note among agents.

    Slack sends `message_changed` too when it unfurls a link and when the bot updates its own
    messages (the handoff message): their words are unchanged, or no person's.
    """
    message, before = event.get("message"), event.get("previous_message")
    if event.get("channel") != agents_channel or not isinstance(message, Mapping):
        return None
    if message.get("bot_id") or "edited" not in message or not isinstance(event_id, str):
        return None
    thread_ts, text = message.get("thread_ts"), message.get("text")
    if not isinstance(thread_ts, str) or thread_ts == message.get("ts"):
        return None
    old = before.get("text") if isinstance(before, Mapping) else None
    if old == text or not isinstance(text, str):
        return None
    if _NOTE_AMONG_AGENTS.match(old if isinstance(old, str) else text):
        return None  # a note between agents, never the subscriber's
    return ThreadEdit(thread_ts, event_id)


def _reply(event: Mapping[str, Any], event_id: object, agents_channel: str) -> ThreadReply | None:
    if event.get("type") != "message" or event.get("channel") != agents_channel:
        return None
    if event.get("bot_id") or event.get("subtype") in _IGNORED_SUBTYPES:
        return None
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    files = bool(event.get("files"))
    user, text = event.get("user"), event.get("text", "" if files else None)
    if not isinstance(thread_ts, str) or thread_ts == ts:
        return None  # not in a thread, or the thread's first message
    if not (isinstance(user, str) and isinstance(text, str) and isinstance(event_id, str)):
        raise ValueError("a thread message without its user, text or event id")
    if not text.strip() and not files:
        return None
    if _NOTE_AMONG_AGENTS.match(text):
        return None
    # Files alone are kept too: only words reach the subscriber, and the thread says so.
    return ThreadReply(thread_ts, user, text, event_id, event.get("blocks"), files)


def thread_line(channel: str, ts: str) -> str:
    """The transcript's note of where the handoff's thread is."""
    return f"{_THREAD_NOTE}{channel} {ts}"


def thread_note_prefix(channel: str) -> str:
    """How the transcript's notes of handoff threads in `channel` begin (`latest_line`)."""
    return f"{_THREAD_NOTE}{channel} "


def thread_of(transcript: Sequence[TranscriptEntry], channel: str) -> str | None:
    """The latest handoff thread in `channel` noted in the transcript, or None."""
    for line in reversed(transcript):
        if line.author == "system" and line.text.startswith(_THREAD_NOTE):
            noted_channel, _, ts = line.text.removeprefix(_THREAD_NOTE).partition(" ")
            if noted_channel == channel and ts:
                return ts
    return None


@dataclass(frozen=True, slots=True)
class HandoffMessage:
    """A desk message of a handoff (or a message left): where it is, and why it was sent.

    `seq` is the transcript line that notes it: the summary as it stood when it was posted.
    """

    ts: str
    reason: str
    seq: int = 0


def _posts(transcript: Sequence[TranscriptEntry], channel: str) -> list[tuple[int, HandoffMessage]]:
    """Every desk message posted in `channel`, in order, with the index of its reason's line."""
    posts: list[tuple[int, HandoffMessage]] = []
    reason: tuple[int, str] | None = None
    for index, line in enumerate(transcript):
        if line.author != "system":
            continue
        if line.text.startswith(HANDOFF_LINE):
            reason = (index, line.text.removeprefix(HANDOFF_LINE))
        elif line.text == DESK_MESSAGE_LINE:
            # A message left for the desk is posted as a handoff is, and followed alike.
            reason = (index, MESSAGE_LEFT)
        elif reason is not None and line.text.startswith(_THREAD_NOTE):
            noted_channel, _, noted_ts = line.text.removeprefix(_THREAD_NOTE).partition(" ")
            if noted_channel == channel and noted_ts:
                posts.append((reason[0], HandoffMessage(noted_ts, reason[1], line.seq)))
            reason = None  # one message per handoff
    return posts


def latest_handoff(transcript: Sequence[TranscriptEntry], channel: str) -> HandoffMessage | None:
    """The message in `channel` of the latest handoff (or message left for the desk), if posted.

    An earlier handoff's message was settled when its handoff ended, and a handoff that
    Slack refused has no message whose buttons could still be pressed.
    """
    posts = _posts(transcript, channel)
    if not posts:
        return None
    index, message = posts[-1]
    later = (line for line in transcript[index + 1 :] if line.author == "system")
    if any(line.text.startswith(HANDOFF_LINE) or line.text == DESK_MESSAGE_LINE for line in later):
        return None  # the latest handoff was not posted here
    return message


def unfollowed_messages_left(
    transcript: Sequence[TranscriptEntry], channel: str
) -> list[HandoffMessage]:
    """Earlier messages-left posts in `channel` that still show 「対応する」 beside the latest.

    A message left is followed while it is the latest post; one left again (or a handoff
    after it) became the latest before anyone dealt with the first, which then no owner
    change reached. Back from the latest post to the last hand-over of any kind.
    """
    posts = _posts(transcript, channel)
    if latest_handoff(transcript, channel) is None:
        return []
    unfollowed: list[HandoffMessage] = []
    last_index = posts[-1][0]
    for index, message in reversed(posts[:-1]):
        between = transcript[index + 1 : last_index]
        if any(changes_hands(x) and not x.text.startswith(HANDOFF_LINE) for x in between):
            break
        if message.reason == MESSAGE_LEFT:
            unfollowed.append(message)
    return unfollowed[::-1]
