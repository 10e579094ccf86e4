"""Telegram's updates as inbound messages: text, bot commands, and pressed inline buttons.

Pure functions over python-telegram-bot's `Update` objects (imported for types only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import orjson
from pydantic import Field

from adapters.stickers import sign_of_emoji
from bot.channels.choice_codes import asked_question, question_of
from bot.channels.shape import Shape, check_shape
from bot.web.openapi import refuse_duplicate_keys
from dialogs.vocabulary import (
    DEFAULT_LOCALE,
    EDITED_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    MENU_CHOICE,
    STICKER_CHOICE,
    Inbound,
    Locale,
    parse_locale,
)

if TYPE_CHECKING:
    from telegram import Message, Update

CHANNEL: Final = "telegram"
PRIVATE: Final = "private"
# A command is 1-32 Latin letters, digits and underscores; `@name` names the bot it is for.
_COMMAND_RE: Final = re.compile(r"^/([a-z0-9_]+)(?:@(\w+))?(?:\s|$)", re.IGNORECASE)
# Bot commands that mean a button the dialog already knows. /settings is one of the global
# commands Telegram asks every bot to support (with /start and /help): the menu holds what a
# subscriber can set, the other language among it.
_COMMAND_CHOICES: Final = {
    "menu": MENU_CHOICE,
    "help": MENU_CHOICE,
    "settings": MENU_CHOICE,
    "restart": "restart",
}


@dataclass(frozen=True, slots=True)
class Pressed:
    """A pressed inline button: its query (to answer) and its message (to clear)."""

    query_id: str
    chat_id: int
    message_id: int
    labels: Mapping[str, str]
    question: str | None = None
    """The question the button belongs to, when its data names one."""

    def label(self, data: str | None) -> str | None:
        """The label of the button that sent `data`, as the keyboard showed it."""
        return self.labels.get(data or "")


# An album holds at most 10 items, sent together: their message ids follow one another.
ALBUM_SIZE: Final = 10


@dataclass(frozen=True, slots=True)
class AlbumItem:
    """A message of an album (one `media_group_id`): Telegram sends one update per item.

    The album is answered once. The items without words are one turn (one event id for all),
    asking for the text; an item with words (a caption) is its own turn, and once one is
    stored the wordless turn says nothing (`channel` holds it back a moment for that).
    """

    chat_id: int
    group: str
    message_id: int
    words: bool

    def words_event_ids(self, bot_id: str) -> tuple[str, ...]:
        """The event ids a captioned item of this album can have: its neighbours' ids."""
        return tuple(
            _album_words_id(bot_id, self.chat_id, self.group, message_id)
            for message_id in range(self.message_id - ALBUM_SIZE + 1, self.message_id + ALBUM_SIZE)
        )


def _album_words_id(bot_id: str, chat_id: int, group: str, message_id: int) -> str:
    return f"{CHANNEL}:{bot_id}:album:{chat_id}:{group}:words:{message_id}"


@dataclass(frozen=True, slots=True)
class TelegramTurn:
    """One update, parsed: the message and the chat to answer in."""

    inbound: Inbound
    chat_id: int
    pressed: Pressed | None = None
    album: AlbumItem | None = None
    quoted: str | None = None
    """The question of the bot's message this typed one replies to, when its buttons name one."""


# What python-telegram-bot's `de_json` and `turn_from_update` read of the updates we take,
# typed as the Bot API documents them.
class _User(Shape):
    id: int
    is_bot: bool
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class _Chat(Shape):
    id: int
    type: str


class _Entity(Shape):
    type: str
    offset: int
    length: int


class _Button(Shape):
    text: str
    callback_data: str | None = None


class _Keyboard(Shape):
    inline_keyboard: list[list[_Button]]


class _Message(Shape):
    message_id: int
    date: int
    edit_date: int | None = None
    chat: _Chat
    sender: _User | None = Field(default=None, alias="from")
    text: str | None = None
    caption: str | None = None
    photo: list[dict[str, Any]] | None = None
    sticker: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    entities: list[_Entity] | None = None
    reply_markup: _Keyboard | None = None
    media_group_id: str | None = None
    message_thread_id: int | None = None
    is_topic_message: bool | None = None


class _Query(Shape):
    id: str
    sender: _User = Field(alias="from")
    chat_instance: str
    message: _Message | None = None
    data: str | None = None


class _Member(Shape):
    user: _User
    status: str


class _MemberUpdate(Shape):
    chat: _Chat
    sender: _User = Field(alias="from")
    date: int
    old_chat_member: _Member
    new_chat_member: _Member


class _ReactionType(Shape):
    type: str


class _ReactionUpdate(Shape):
    chat: _Chat
    message_id: int
    user: _User | None = None
    actor_chat: _Chat | None = None
    date: int
    old_reaction: list[_ReactionType]
    new_reaction: list[_ReactionType]


class _Update(Shape):
    update_id: int
    message: _Message | None = None
    edited_message: _Message | None = None
    callback_query: _Query | None = None
    my_chat_member: _MemberUpdate | None = None
    message_reaction: _ReactionUpdate | None = None


def parse_update_json(body: bytes) -> dict[str, Any]:
    """The update as a dict; ValueError unless it has the shape of a Telegram update."""
    data = orjson.loads(body)
    refuse_duplicate_keys(body)
    return checked_update(data)


def checked_update(data: object) -> dict[str, Any]:
    """`data` (a webhook's body or one of getUpdates' results, decoded) as an update's dict.

    ValueError unless it has the shape of a Telegram update: the webhook and long polling
    hand PTB only what passed this.
    """
    check_shape(_Update, data)
    return cast("dict[str, Any]", data)


def turn_from_update(
    update: Update, bot_id: str, username: str | None = None
) -> TelegramTurn | None:
    """A text message or a pressed button; None for every other kind of update.

    `username` is the bot's own (getMe's): its @mention is no word of the subscriber's.
    """
    query = update.callback_query
    # The sender of the two kinds taken, whose shape `parse_update_json` checked: PTB's
    # `effective_user` would also read a membership change's or a reaction's user.
    user = query.from_user if query is not None else None
    if query is None and update.message is not None:
        user = update.message.from_user
    if query is None and update.edited_message is not None:
        user = update.edited_message.from_user
    locale = parse_locale(user.language_code if user else None)
    sender = str(user.id) if user else None
    if query is not None:
        message = query.message
        if message is None or not query.data or message.chat.type != PRIVATE:
            return None
        chat_id = message.chat.id
        labels: dict[str, str] = {}
        markup = getattr(message, "reply_markup", None)
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if isinstance(button.callback_data, str):
                    labels[question_of(button.callback_data)[0]] = button.text
        choice, question = question_of(query.data)
        inbound = Inbound(
            channel=CHANNEL,
            conversation_key=str(chat_id),
            # One answer per question message: a double tap or a second button is dropped.
            event_id=f"{CHANNEL}:{bot_id}:pressed:{chat_id}:{message.message_id}",
            choice=choice,
            locale=locale,
            sender=sender,
        )
        pressed = Pressed(query.id, chat_id, message.message_id, labels, question)
        return TelegramTurn(inbound, chat_id, pressed)
    message = update.message
    fields: dict[str, Any]
    edited = update.edited_message
    if edited is not None and (edited.text or edited.caption):
        # The subscriber put right something already answered (a typo in an address,
        # say): which question the old words answered is unknown, so they are asked to
        # send it again. A live location's updates are edits too, without words. The new
        # words go with it for the transcript: an agent who has the conversation reads them,
        # without those struck out (as a new message's; struck out whole, as it came).
        put_right = (
            _shown(edited, username).strip() or (edited.text or edited.caption or "").strip()
        )
        message, fields = edited, {"choice": EDITED_CHOICE, "text": put_right or None}
    if message is None or message.chat.type != PRIVATE:
        # In a group the settings card and the login-check link, with the subscriber's
        # address, would be in front of everyone: the bot answers private chats only.
        return None
    if message is not edited:
        found = _written(message, username)
        if found is None:
            return None
        fields = found
    event_id = f"{CHANNEL}:{bot_id}:{update.update_id}"
    group, album = message.media_group_id, None
    if group and message is not edited:
        # Photos sent together come one update each, of one media group: the wordless ones
        # are asked for the text once for all, and not at all when a caption gave words.
        words = fields.get("choice") != MEDIA_CHOICE
        # Its other photos are said as photos: the caption's words are noted alone.
        fields.pop("attached", None)
        album = AlbumItem(message.chat.id, group, message.message_id, words)
        event_id = (
            _album_words_id(bot_id, message.chat.id, group, message.message_id)
            if words
            else f"{CHANNEL}:{bot_id}:album:{message.chat.id}:{group}"
        )
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=str(message.chat.id),
        event_id=event_id,
        locale=locale,
        sender=sender,
        **fields,
    )
    quoted = _quoted_question(message, bot_id) if "text" in fields and not edited else None
    return TelegramTurn(inbound, message.chat.id, album=album, quoted=quoted)


def _quoted_question(message: Message, bot_id: str) -> str | None:
    """The question of the bot's message that `message` replies to (Telegram's "Reply").

    Its yes/no buttons name the question they belong to (`with_question`); a message without
    them (a press took them away, or it asked nothing) names none.
    """
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if replied is None or author is None or str(author.id) != bot_id:
        return None
    markup = replied.reply_markup
    rows = markup.inline_keyboard if markup else ()
    return asked_question(
        b.callback_data for r in rows for b in r if isinstance(b.callback_data, str)
    )


def _written(message: Message, username: str | None = None) -> dict[str, Any] | None:
    """What a new message says, as the dialog's fields; None for a service message."""
    shown = _shown(message, username).strip()
    if not shown and _mentions(message, username):
        # The bot's @username alone calls it up: the menu, as /menu (and Slack's mention
        # alone); a new conversation is greeted, as every first message is. As a photo's
        # caption it says nothing about the photo.
        attached = message.effective_attachment is not None
        return {"choice": MEDIA_CHOICE if attached else MENU_CHOICE}
    text = shown or (message.text or message.caption or "").strip()
    if not text:
        # A photo or file is usually a screenshot of an error, and a voice memo, a location
        # or a contact is no more readable: the dialog asks for the error's text rather than
        # leaving the subscriber without an answer. A service message (no attachment
        # either) is not the subscriber talking.
        if message.effective_attachment is None:
            return None
        if message.sticker is None:
            return {"choice": MEDIA_CHOICE}
        sign = sign_of_emoji(message.sticker.emoji)
        # A 👍 sticker is 👍 typed: a yes said back at a question, noted elsewhere. Not when
        # forwarded: someone else's 👍 is no answer of the subscriber's. Any other sticker
        # is a greeting or thanks, acknowledged, never taken for a screenshot of an error.
        forwarded = message.forward_origin is not None
        return {"text": sign} if sign and not forwarded else {"choice": STICKER_CHOICE}
    if message.forward_origin is not None:
        # Forwarded from someone else (a colleague's 「いいえ」, a bounce's words): shown, not
        # said. The dialog reads an error in it, as a paste, and never an answer; nor a
        # command (their /start is not the subscriber's).
        return {"choice": FORWARDED_CHOICE, "text": text, **_attached(message)}
    command = _COMMAND_RE.match(text)
    if command:
        name = command.group(1).lower()
        if name == "start":
            return {"start": True}
        # Any other command (/stop, /cancel, one the subscriber knows from another bot)
        # calls the bot up as /menu does: read as words it was 「うまく読み取れませんでした」,
        # counted toward handing the chat to a person (channels2).
        return {"choice": _COMMAND_CHOICES.get(name, MENU_CHOICE)}
    return {"text": text, **_attached(message), **_hidden(message)}


def _hidden(message: Message) -> dict[str, Any]:
    """`hidden` for the words under a spoiler: hidden in a support chat, they are a secret."""
    text = message.text or message.caption or ""
    entities = message.entities if message.text else message.caption_entities
    units = text.encode("utf-16-le")
    hidden = tuple(
        words
        for e in entities or ()
        if e.type == "spoiler"
        and (
            words := units[2 * e.offset : 2 * (e.offset + e.length)]
            .decode("utf-16-le", errors="replace")
            .strip()
        )
    )
    return {"hidden": hidden} if hidden else {}


def _attached(message: Message) -> dict[str, Any]:
    """`attached` for a caption's words: the photo or file under them reaches no one."""
    return {"attached": True} if message.effective_attachment is not None else {}


def _shown(message: Message, username: str | None = None) -> str:
    """The message's words without those struck out, nor the bot's own @username.

    Struck-out words the writer took back; 「@mailmove_bot はい」 (`username`) says 「はい」.
    Telegram sends struck-out words in the text, marked by a `strikethrough` entity, so
    「~~はい~~ いいえ」 (a yes struck out for a no) would read as both; a mention comes as a
    `mention` entity. Entities count UTF-16 code units.
    """
    text = message.text or message.caption or ""
    entities = message.entities if message.text else message.caption_entities
    units = text.encode("utf-16-le")
    struck = sorted(
        (e.offset, e.offset + e.length)
        for e in entities or ()
        if e.type == "strikethrough" or _names_the_bot(e, units, username)
    )
    if not struck:
        return text
    kept, at = bytearray(), 0
    for start, end in struck:
        kept += units[2 * at : 2 * start] if start > at else b""
        at = max(at, end)
    kept += units[2 * at :]
    return kept.decode("utf-16-le", errors="replace")


def _names_the_bot(entity: Any, units: bytes, username: str | None) -> bool:
    """Whether `entity` is a mention of the bot itself (`@username`, in any case)."""
    if username is None or entity.type != "mention":
        return False
    start, end = 2 * entity.offset, 2 * (entity.offset + entity.length)
    named = units[start:end].decode("utf-16-le", errors="replace")
    return named.casefold() == f"@{username}".casefold()


def _mentions(message: Message, username: str | None) -> bool:
    """Whether the message's words name the bot's @username."""
    text = message.text or message.caption or ""
    entities = message.entities if message.text else message.caption_entities
    units = text.encode("utf-16-le")
    return any(_names_the_bot(e, units, username) for e in entities or ())


@dataclass(frozen=True, slots=True)
class GroupRequest:
    """Someone in a group asked the bot for something: it answers that it talks privately."""

    chat_id: int
    locale: Locale
    message_id: int | None = None
    """The message that asked, answered as a reply (None: the bot was added)."""
    topic: int | None = None
    """The forum topic it was written in (`message_thread_id`), where the answer goes."""


# Statuses of a chat member that is in the chat, and of one that is not.
_IN: Final = frozenset({"member", "administrator", "creator", "restricted"})


def group_request(update: Update, bot_id: str, username: str) -> GroupRequest | None:
    """Something addressed to the bot in a group: a command, its @username, a reply, or it added.

    Only what is addressed to the bot is answered: a group's own conversation (which the
    bot sees when its privacy mode is off) is none of its business, nor is a command that
    names another bot (`/start@other_bot`; `username` is this bot's). A mention is what
    privacy mode (BotFather's default) sends besides commands, as LINE and Slack send
    theirs. Being added is answered as LINE's `join` is, so whoever added it learns where
    it talks.
    """
    change = update.my_chat_member
    if change is not None and change.chat.type not in (PRIVATE, "channel"):
        joined = change.new_chat_member.status in _IN
        if not joined or change.old_chat_member.status in _IN:
            return None
        locale = parse_locale(change.from_user.language_code if change.from_user else None)
        return GroupRequest(change.chat.id, locale or DEFAULT_LOCALE)
    message = update.message
    if message is None or message.chat.type in (PRIVATE, "channel"):
        return None
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    command = _COMMAND_RE.match(message.text or "")
    if command and command.group(2) and command.group(2).casefold() != username.casefold():
        command = None
    mentioned = _mentions(message, username)
    if not (command or mentioned or (author and str(author.id) == bot_id)):
        return None
    user = message.from_user
    locale = parse_locale(user.language_code if user else None)
    # In a forum the chat at large is its General topic: the answer goes where they asked.
    topic = message.message_thread_id if message.is_topic_message else None
    return GroupRequest(message.chat.id, locale or DEFAULT_LOCALE, message.message_id, topic)


def happened_at(update: Update) -> dt.datetime | None:
    """When Telegram made the update, if it says: a message's `date`, an edit's `edit_date`.

    A button's press (`callback_query`) carries no time of its own (its message's `date`
    is when the bot asked), so None.
    """
    if update.edited_message is not None:
        return update.edited_message.edit_date
    for dated in (
        update.message,
        update.my_chat_member,
        update.chat_member,
        update.message_reaction,
    ):
        if dated is not None:
            return dated.date
    return None


@dataclass(frozen=True, slots=True)
class Reacted:
    """The subscriber gave a reaction (👍) to a message in their private chat with the bot."""

    chat_id: int
    message_id: int


def reaction_of(update: Update) -> Reacted | None:
    """A reaction the subscriber added in a private chat (`message_reaction`); None otherwise.

    Taking one back (none new) and a group's reactions are nothing to answer.
    """
    change = update.message_reaction
    if change is None or change.chat.type != PRIVATE or change.user is None:
        return None
    added = [kind for kind in change.new_reaction if kind not in change.old_reaction]
    return Reacted(change.chat.id, change.message_id) if added else None


def blocked_chat(update: Update) -> int | None:
    """The private chat whose subscriber blocked the bot (`my_chat_member`, now "kicked")."""
    change = update.my_chat_member
    if change is None or change.chat.type != PRIVATE:
        return None
    return change.chat.id if change.new_chat_member.status == "kicked" else None


def chat_id_of(conversation_key: str) -> int:
    """The chat a conversation key names (a private chat's id is its user's)."""
    try:
        return int(conversation_key)
    except ValueError:
        raise ValueError(f"{conversation_key!r} is not a Telegram chat id") from None
