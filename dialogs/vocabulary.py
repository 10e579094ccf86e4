"""The vocabulary every layer shares: one inbound message and the channel-neutral replies.

Standard library only: `dialogs` produces these values and every adapter renders them, so
this module must not depend on either.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from dialogs.frozen import quick_init

Locale = Literal["ja", "en"]
LOCALES: Final[tuple[Locale, ...]] = ("ja", "en")
DEFAULT_LOCALE: Final[Locale] = "ja"


# The shape of every button id the dialog offers (`yes`, `program:thunderbird`,
# `feedback:solved`). A client can send anything as a pressed button (Telegram's callback
# data can be forged, the web chat API takes a string): what has not this shape is no button.
# The part after the colon may be a domain (`skip:minato-biz.example.jp`, one button per
# affected domain): without dots and hyphens the web chat API refused that press (422) and
# the platforms kept it as a forged button, so a subscriber of several domains could not go
# on without typing the address. 253 is the longest domain name.
CHOICE_ID_PATTERN: Final = r"^[a-z0-9_]{1,32}(?::[a-z0-9_.-]{1,253})?$"
_CHOICE_ID: Final = re.compile(CHOICE_ID_PATTERN)


def is_choice_id(value: str) -> bool:
    """Whether `value` is shaped like a button id the dialog could have offered."""
    return _CHOICE_ID.fullmatch(value) is not None


def parse_locale(value: str | None) -> Locale | None:
    """Map a platform's locale tag ("ja-JP", "en_US", "EN") to one we speak, or None."""
    if not value:
        return None
    primary = value.replace("_", "-").split("-", 1)[0].strip().lower()
    if primary == "ja":
        return "ja"
    if primary == "en":
        return "en"
    return None


@quick_init
@dataclass(frozen=True, slots=True)
class SystemEvent:
    """Something that happened outside the chat which the dialog must put into words.

    `kind` is `check_result` (a live login check finished) or `handback` (an agent gave
    the conversation to the bot); `data` holds plain strings, never a secret.
    """

    kind: str
    data: tuple[tuple[str, str], ...] = ()

    def get(self, name: str, default: str = "") -> str:
        """The value of `name` in `data`."""
        return next((value for key, value in self.data if key == name), default)


@quick_init
@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a subscriber (or the platform on their behalf) sent to the bot.

    Exactly one of `text`, `choice`, `event` is set, unless `start` is true (a new
    conversation, which carries none), or the choice is `EDITED_CHOICE`: an edited message
    may carry its new words in `text`, which the dialog leaves unread (it asks for them
    anew) and the transcript keeps for an agent. A `FORWARDED_CHOICE` carries the forwarded
    words in `text` too, read for an error alone, and an `EMOJI_CHOICE` the emoji's names.
    """

    channel: str
    conversation_key: str
    event_id: str
    text: str | None = None
    choice: str | None = None
    locale: Locale | None = None
    start: bool = False
    sender: str | None = None
    event: SystemEvent | None = None
    attached: bool = False
    """A photo or file came with the words (a caption, a comment on a shared file): the bot
    reads the words alone, and the transcript notes the rest for an agent."""
    cut_from: int = 0
    """The length of the words as sent, where the runtime kept only their first part (`text`):
    a long message's transcript line says how much was left out. 0: `text` is all of them."""
    hidden: tuple[str, ...] = ()
    """Words of `text` the sender hid from view (a Telegram spoiler): what someone hides in a
    support chat is a secret, masked as a typed password is (`dialogs.redaction.redact`)."""


class Receiving(enum.StrEnum):
    """Whether the subscriber must change their incoming (POP) settings."""

    REQUIRED = "required"
    NOT_NEEDED = "not_needed"


class Sending(enum.StrEnum):
    """Whether the subscriber must change their outgoing (SMTP) settings."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"
    NOT_NEEDED = "not_needed"


@quick_init
@dataclass(frozen=True, slots=True)
class Choice:
    """A button: `id` comes back in `Inbound.choice`, `label` is shown."""

    id: str
    label: str


class ResultVerdict(enum.StrEnum):
    """What a reported result came to (a live login check, one of its parts).

    Channels that can mark it (an icon and a word) read it here, never from the words.
    """

    PASSED = "pass"
    FAILED = "fail"
    NOT_VERIFIED = "not_verified"  # refused for safety: neither a pass nor a failure


@quick_init
@dataclass(frozen=True, slots=True)
class TextReply:
    """Plain text; may hold several paragraphs separated by blank lines.

    A result's report also carries its `verdict`, and `verdicts`, one per paragraph in
    order (None where a paragraph reports nothing, such as a note); other text has neither.
    """

    text: str
    verdict: ResultVerdict | None = None
    verdicts: tuple[ResultVerdict | None, ...] = ()
    type: Literal["text"] = field(default="text", init=False)


@quick_init
@dataclass(frozen=True, slots=True)
class ChoicesReply:
    """A question with buttons; the subscriber may also answer in words."""

    text: str
    choices: tuple[Choice, ...]
    type: Literal["choices"] = field(default="choices", init=False)


@quick_init
@dataclass(frozen=True, slots=True)
class VerdictReply:
    """The questionnaire's two-part answer, with its explanation."""

    receiving: Receiving
    sending: Sending
    text: str
    type: Literal["verdict"] = field(default="verdict", init=False)


@quick_init
@dataclass(frozen=True, slots=True)
class SettingsItem:
    """One row of the settings card: a stable `key`, a localised `label`, the `value`.

    `changed` is false where the subscriber keeps what they have (the password, a port
    that stays), so a channel can show those rows quieter than the ones to edit.
    """

    key: str
    label: str
    value: str
    changed: bool = True


@quick_init
@dataclass(frozen=True, slots=True)
class SettingsReply:
    """The new settings, filled in with the subscriber's own address."""

    title: str
    items: tuple[SettingsItem, ...]
    type: Literal["settings"] = field(default="settings", init=False)


# The dialog cannot mint a one-time link (that needs a secret and the clock) or know the
# server's address: it sends these URLs and the runtime replaces them before anything is
# stored or sent.
# The choice every adapter sends for a photo, a sticker or a file without words (often a
# screenshot of an error): the dialog asks for the error as text.
MEDIA_CHOICE: Final = "media"
# The menu's button: what a platform's own way of calling the bot up sends (Telegram's
# /menu, /help and /settings; the bot's mention alone on Slack and Telegram).
MENU_CHOICE: Final = "menu"
# The choice an adapter sends for a message the subscriber edited after sending it: which
# question the old words answered is unknown, so the dialog asks for them anew instead.
EDITED_CHOICE: Final = "edited"
# The choice an adapter sends for a message forwarded from someone else (Telegram's
# `forward_origin`, a message Slack shares into the chat), with its words in `text`: the
# subscriber shows it rather than says it, so the dialog reads it for an error alone, as a
# paste, and never as an answer (someone else's 「いいえ」 is not theirs).
FORWARDED_CHOICE: Final = "forwarded"
# The choice an adapter sends for a sticker that shows no yes or no sign (a 🙏, a waving
# cat): a greeting or thanks, never a screenshot of an error. The dialog acknowledges it
# and asks again what it asked; like a photo, it says no words.
STICKER_CHOICE: Final = "sticker"
# The choice an adapter sends for a message of the platform's own emoji alone, which have no
# character to read (a LINE emoji, 「(moon grin)」 with its `emojis` entry; a Slack
# workspace's 「:party-parrot:」, an emoji element of the blocks): the platform's fields say
# they are pictures, where as words they were not understood and counted toward a handoff.
# It carries the text as sent, for the transcript; the dialog thanks for it as for 「😊」.
EMOJI_CHOICE: Final = "emoji"
# The choice an adapter sends for a location shared (LINE's location message): no error to
# read in it, and no place changes the settings. It is thanked for, not taken for a photo.
LOCATION_CHOICE: Final = "location"
# What carries no words of the subscriber's: a photo or file, a sticker, a location.
WORDLESS_CHOICES: Final = frozenset({MEDIA_CHOICE, STICKER_CHOICE, LOCATION_CHOICE})
CHECK_LINK_PLACEHOLDER: Final = "mailmove:check-link"
APPLE_PROFILE_PLACEHOLDER: Final = "mailmove:config/apple"


@quick_init
@dataclass(frozen=True, slots=True)
class LinkReply:
    """A link the subscriber should open (a form, a configuration file)."""

    text: str
    url: str
    type: Literal["link"] = field(default="link", init=False)


@quick_init
@dataclass(frozen=True, slots=True)
class FileReply:
    """A file the subscriber's mail program can load (never holding a password).

    Channels that can send files send it as one; the others show `url` as a link.
    """

    text: str
    filename: str
    media_type: str
    url: str
    type: Literal["file"] = field(default="file", init=False)


Reply = TextReply | ChoicesReply | VerdictReply | SettingsReply | LinkReply | FileReply


def reply_to_dict(reply: Reply) -> dict[str, object]:
    """The JSON shape of a reply, as the web chat API documents it."""
    if isinstance(reply, TextReply):
        body: dict[str, object] = {"type": "text", "text": reply.text}
        if reply.verdict is not None:
            body["verdict"] = reply.verdict.value
        if reply.verdicts:
            body["verdicts"] = [None if v is None else v.value for v in reply.verdicts]
        return body
    if isinstance(reply, ChoicesReply):
        return {
            "type": "choices",
            "text": reply.text,
            "choices": [{"id": c.id, "label": c.label} for c in reply.choices],
        }
    if isinstance(reply, VerdictReply):
        return {
            "type": "verdict",
            "receiving": reply.receiving.value,
            "sending": reply.sending.value,
            "text": reply.text,
        }
    if isinstance(reply, SettingsReply):
        return {
            "type": "settings",
            "title": reply.title,
            "items": [
                {"key": i.key, "label": i.label, "value": i.value, "changed": i.changed}
                for i in reply.items
            ],
        }
    if isinstance(reply, FileReply):
        return {
            "type": "file",
            "text": reply.text,
            "filename": reply.filename,
            "media_type": reply.media_type,
            "url": reply.url,
        }
    return {"type": "link", "text": reply.text, "url": reply.url}


def reply_as_plain_text(reply: Reply) -> str:
    """A readable one-block rendering, for transcripts and text-only channels."""
    if isinstance(reply, ChoicesReply):
        options = " / ".join(c.label for c in reply.choices)
        return f"{reply.text}\n[{options}]"
    if isinstance(reply, SettingsReply):
        rows = "\n".join(f"{i.label}: {i.value}" for i in reply.items)
        return f"{reply.title}\n{rows}"
    if isinstance(reply, LinkReply | FileReply):
        return f"{reply.text}\n{reply.url}"
    return reply.text
