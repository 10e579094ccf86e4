"""The web chat API's bodies as pydantic models, and its OpenAPI description built from them.

The request models validate what the page sends; the response models describe what
`dialogs.vocabulary.reply_to_dict` and the channel answer (the channel keeps building those
as plain dicts for orjson, and the contract tests hold every answer to these models).
"""

from __future__ import annotations

import copy
import functools
import re
from datetime import datetime
from typing import Annotated, Any, Final, Literal, Self

from pydantic import MISSING, AfterValidator, ConfigDict, Field, RootModel, model_validator

from bot.web.openapi import (
    EXAMPLE_DOMAIN,
    ApiModel,
    ErrorBody,
    Operation,
    Parameter,
    Returns,
    openapi_document,
    too_many,
)
from dialogs.vocabulary import CHOICE_ID_PATTERN, Locale, Receiving, Sending

MAX_TEXT: Final = 2000
MAX_CHOICE: Final = 200
MAX_EVENT_ID: Final = 100
QUESTION_PATTERN: Final = r"^[0-9a-f]{16}$"
_QUESTION: Final = (
    "The id of the question the buttons of this reply answer: send it back as `question` "
    "with a press of one of them."
)
CONVERSATION_ID_PATTERN: Final = r"^[0-9a-f]{32}$"

CONVERSATIONS: Final = "/api/webchat/conversations"
MESSAGES: Final = "/api/webchat/conversations/{conversation_id}/messages"
CLOSE: Final = "/api/webchat/conversations/{conversation_id}/close"
TEXTS: Final = "/api/webchat/texts/{locale}"
DESCRIPTION: Final = "/api/webchat/openapi.json"


# Control characters but tab and line breaks, and the bidi embeddings, overrides and isolates:
# invisible in what was typed, they were kept in the transcript that agents read and desks
# are sent (an unclosed U+202E turns the rest of a summary line round; NUL is refused by
# Chatwoot's database). A carriage return is a line break.
_INVISIBLE_CONTROLS: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _without_controls(text: str) -> str:
    return _INVISIBLE_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be only white space")
    return text


# -- requests ---------------------------------------------------------------------------------


class NewConversation(ApiModel):
    """What a new conversation starts with; the body may be empty, or be `{}`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"locale": "en"}, {}]})

    locale: Locale | None = Field(
        default=None, description="The language to start in; null or absent means Japanese."
    )


class Message(ApiModel):
    """One subscriber message: exactly one of `text` and `choice`."""

    model_config = ConfigDict(
        json_schema_extra={
            # What the validator below enforces, said in JSON Schema.
            "oneOf": [
                {"required": ["text"], "not": {"required": ["choice"]}},
                {"required": ["choice"], "not": {"required": ["text"]}},
            ],
            "dependentRequired": {"question": ["choice"]},
            "examples": [
                {
                    "choice": "yes",
                    "question": "9b2e4c1d0a7f3e58",
                    "event_id": "3f0c9a4e5b6d4c1e9a7b2d8f0e1c3a5b",
                },
                {"choice": "menu"},
                {"text": "taro@vp.117.ne.jp"},
            ],
        }
    )

    text: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_TEXT,
                json_schema_extra={"pattern": r"\S"},
                description=f"What the subscriber typed: 1 to {MAX_TEXT} characters, "
                "not only white space. Control characters other than tab and line breaks, "
                "and bidi embeddings, overrides and isolates, are dropped.",
            ),
            AfterValidator(_without_controls),
            AfterValidator(_not_blank),
        ]
        | MISSING
    ) = MISSING
    choice: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_CHOICE,
                pattern=CHOICE_ID_PATTERN,
                description="The `id` of a button the bot offered.",
            ),
        ]
        | MISSING
    ) = MISSING
    question: (
        Annotated[
            str,
            Field(
                pattern=QUESTION_PATTERN,
                description="With `choice`: the `question` of the reply whose button was "
                "pressed. Button ids repeat from one question to the next, so a press of a "
                "question that is no longer the open one (a second tap, another tab) changes "
                "nothing and is answered `stale: true`. Without it, the choice answers "
                "whatever is open (the page's own commands: `menu`, `restart`, …).",
            ),
        ]
        | MISSING
    ) = MISSING
    event_id: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_EVENT_ID,
                description="A client-chosen id for this message, reused when the same "
                "message is sent again after a failure.",
            ),
        ]
        | MISSING
    ) = MISSING

    @model_validator(mode="after")
    def _text_or_choice(self) -> Self:
        if (self.text is MISSING) == (self.choice is MISSING):
            raise ValueError('send exactly one of "text" or "choice"')
        if self.question is not MISSING and self.choice is MISSING:
            raise ValueError('"question" goes only with "choice"')
        return self


class Leave(ApiModel):
    """Leaving a conversation says nothing more: the body is the empty object `{}`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{}]})


# -- the replies (dialogs.vocabulary.reply_to_dict) -------------------------------------------

NonEmpty = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
SettingsKey = Literal[
    "address",  # only where the address moves to a new domain ([provider] new_domain)
    "username",
    "password",
    "pop_server",
    "pop_port",
    "pop_security",
    "smtp_server",
    "smtp_port",
    "smtp_security",
    "smtp_auth",
]


ResultVerdict = Literal["pass", "fail", "not_verified"]


class TextReply(ApiModel):
    """Plain text; a blank line separates paragraphs.

    A login check's result also says what it came to, as data: show each paragraph's
    `verdicts` entry with an icon and a word (not colour alone), never by reading the text.
    """

    type: Literal["text"]
    text: NonEmpty
    verdict: ResultVerdict | MISSING = Field(
        default=MISSING,
        description="On a login check's result only: what the check came to as a whole. "
        "`pass`: every part that was checked logged in; `fail`: a part found a problem; "
        "`not_verified`: a part was not tried, to keep the password safe or because its "
        "server could not be reached (no failure of the subscriber's).",
    )
    verdicts: list[ResultVerdict | None] | MISSING = Field(
        default=MISSING,
        description="On a login check's result, when its paragraphs can be told apart: one "
        "entry per paragraph of `text` (paragraphs are separated by a blank line), in order: "
        "what that paragraph reports (`pass`, `fail`, `not_verified`), or null for a "
        "paragraph that reports no result (a note).",
    )


class Choice(ApiModel):
    """A button."""

    id: str = Field(min_length=1, max_length=MAX_CHOICE, description="Send it back as `choice`.")
    label: str = Field(min_length=1, description="What the button says.")


class ChoicesReply(ApiModel):
    """A question with buttons; the subscriber may also answer in words."""

    type: Literal["choices"]
    text: NonEmpty
    choices: list[Choice] = Field(min_length=1)


class VerdictReply(ApiModel):
    """The questionnaire's two-part answer.

    Must the subscriber change their incoming (POP) and outgoing (SMTP) settings?
    """

    type: Literal["verdict"]
    receiving: Receiving
    sending: Sending
    text: NonEmpty


class SettingsItem(ApiModel):
    """One row of the settings card."""

    key: SettingsKey = Field(description="Stable, whatever the language.")
    label: str = Field(min_length=1, description="The row's name in the conversation's language.")
    value: str = Field(
        min_length=1,
        description="What to enter (a host name, a port, the address), or an explanation such "
        'as "no change".',
    )
    changed: bool = Field(
        description="False where the subscriber keeps what they have (the password, a port "
        "that stays): shown quieter."
    )


class SettingsReply(ApiModel):
    """The new settings with the subscriber's own address, in a mail program's order."""

    type: Literal["settings"]
    title: NonEmpty
    items: list[SettingsItem] = Field(min_length=1)


class LinkReply(ApiModel):
    """A link to open in a new tab (the one-time page for checking the new login, say)."""

    type: Literal["link"]
    text: NonEmpty
    url: Url


class FileReply(ApiModel):
    """A file the subscriber's mail program can load; it never holds a password."""

    type: Literal["file"]
    text: NonEmpty
    filename: str = Field(min_length=1, description="The name to save it under.")
    media_type: str = Field(min_length=1, examples=["application/x-apple-aspen-config"])
    url: Url = Field(description="Where to download it.")


class Reply(
    RootModel[
        Annotated[
            TextReply | ChoicesReply | VerdictReply | SettingsReply | LinkReply | FileReply,
            Field(discriminator="type"),
        ]
    ]
):
    """One thing the bot says. Clients should show the text of a reply whose `type` they do not know."""  # noqa: E501


# -- responses --------------------------------------------------------------------------------


_AT: Final = (
    "When the server answered: the time the page shows on these replies (in the "
    "subscriber's own time zone), as the transcript's lines carry theirs. Absent on a "
    "duplicate or stale answer (the transcript has the first answer's time)."
)


class ConversationCreated(ApiModel):
    """A new conversation: its id, its language and the bot's greeting."""

    conversation_id: str = Field(pattern=CONVERSATION_ID_PATTERN)
    locale: Locale
    replies: list[Reply] = Field(min_length=1)
    at: datetime | MISSING = Field(default=MISSING, description=_AT)
    question: str | MISSING = Field(
        default=MISSING, pattern=QUESTION_PATTERN, description=_QUESTION
    )


Holder = Literal["bot", "queue", "agent", "closed"]
_OWNER: Final = (
    "Who has the conversation now: the bot, the desk's queue (waiting for a person), an "
    "agent, or nobody (closed: the next message starts afresh)."
)


class MessageAnswered(ApiModel):
    """The bot's answer to one message."""

    replies: list[Reply]
    at: datetime | MISSING = Field(default=MISSING, description=_AT)
    locale: Locale | MISSING = Field(
        default=MISSING,
        description="The conversation's language after this message (it changes when the "
        "subscriber switches language). Absent on a duplicate.",
    )
    # Issue 10: a client tells a handoff happened from the answer itself, not a poll later.
    owner: Holder | MISSING = Field(
        default=MISSING,
        description=f"{_OWNER} After this message, as the transcript's `owner` says it; "
        "absent on a duplicate or stale answer, and while an agent's conversation runs on "
        "past the 16 latest lines without a word from a person (the transcript says it "
        "then).",
    )
    agent: str | MISSING | None = Field(
        default=MISSING,
        description="The display name of the agent who has it (owner agent); absent where "
        "`owner` is.",
    )
    question: str | MISSING = Field(
        default=MISSING, pattern=QUESTION_PATTERN, description=_QUESTION
    )
    duplicate: Literal[True] | MISSING = Field(
        default=MISSING,
        description="Present (and true) only when this `event_id` had already been handled: "
        "nothing changed, and `replies` are the replies of the first answer, again.",
    )
    stale: Literal[True] | MISSING = Field(
        default=MISSING,
        description="Present (and true) only when the message pressed a button of a "
        "`question` that is no longer open: nothing changed and `replies` is empty; the "
        "transcript (`GET`) has what happened since.",
    )
    said: str | MISSING = Field(
        default=MISSING,
        description="Present only when the message's `text` looked as if it held a "
        "password: the text as the transcript keeps it, with the password masked, for the "
        "page to show in place of what was typed.",
    )


Author = Literal["subscriber", "bot", "agent", "system"]
_AUTHOR: Final = (
    "`system` lines are notes for support agents (events such as a finished login check), "
    "not chat messages: they keep their place in the numbering, with an empty `text`."
)
_SEQ: Final = "The line's number in the conversation, from 1, without gaps."


class ReplyLine(ApiModel):
    """A bot or agent line that carries the structured reply."""

    seq: int = Field(ge=1, description=_SEQ)
    author: Author = Field(description=_AUTHOR)
    at: datetime
    reply: Reply
    agent: str | MISSING = Field(
        default=MISSING, description="On an agent's line: the agent's display name."
    )
    question: str | MISSING = Field(
        default=MISSING, pattern=QUESTION_PATTERN, description=f"On a `choices` line: {_QUESTION}"
    )


class TextLine(ApiModel):
    """Any other line: what was said, as text (a pressed button is `[<choice id>]`)."""

    seq: int = Field(ge=1, description=_SEQ)
    author: Author = Field(description=_AUTHOR)
    at: datetime
    text: str


class Transcript(ApiModel):
    """The conversation's lines, and its current language."""

    locale: Locale
    messages: list[ReplyLine | TextLine]
    owner: Holder = Field(description=_OWNER)
    agent: str | None = Field(
        default=None, description="The display name of the agent who has it (owner agent)."
    )
    at: datetime | MISSING = Field(
        default=MISSING,
        description="When the server answered. Under a preview of another day (`--as-of`) it "
        "is that day, as the lines' times are: the page times the subscriber's new words by "
        "it there.",
    )


class Left(ApiModel):
    """Who has the conversation now that the subscriber has left it."""

    owner: Literal["bot", "closed"] = Field(
        description="closed: the desk's queue or an agent had it, and it is closed now (or "
        "was already); bot: the bot answers it, so it was left as it is."
    )


class UiTexts(RootModel[dict[Annotated[str, Field(pattern=r"^[a-z0-9_.]+$")], str]]):
    """The page's own words: key → text, which may hold `{name}` placeholders."""


# -- the description --------------------------------------------------------------------------

_RETRY_AFTER: Final = {"Retry-After": "Seconds to wait before sending the request again."}
_TOO_LARGE: Final = Returns("The body is larger than 64 KiB.", ErrorBody)
_CONVERSATION_ID: Final = Parameter(
    "conversation_id",
    "path",
    Annotated[str, Field(pattern=CONVERSATION_ID_PATTERN)],
    "The id returned when the conversation was created. Anything that is not 32 lower-case "
    "hexadecimal characters gets 404.",
)

OPERATIONS: Final = (
    Operation(
        "get",
        "/",
        "The chat page",
        {
            200: Returns(
                "The web chat page; it loads its script and style from `/webchat/static/`.",
                media_types=("text/html",),
            )
        },
        operation_id="getChatPage",
        tags=("page",),
    ),
    Operation(
        "get",
        "/webchat/static/{file}",
        "An asset of the chat page",
        {
            200: Returns(
                "The file, with a media type guessed from its name.",
                media_types=("text/javascript", "text/css"),
            ),
            404: Returns(
                "No such file, or not an asset (the page itself is `/`).",
                media_types=("text/plain",),
            ),
        },
        description=(
            "The scripts and styles of the chat page (`chat.js`, `chat.css`), served as they "
            "are. Only assets: the page is served at `/` alone, where it carries its "
            "Content-Security-Policy."
        ),
        parameters=(Parameter("file", "path", str),),
        operation_id="getStaticAsset",
        tags=("page",),
    ),
    Operation(
        "get",
        "/embed.js",
        "The snippet that embeds the chat in a provider's page",
        {200: Returns("The script.", media_types=("text/javascript",))},
        description=(
            "Loaded by the provider's own pages (a script tag with `defer`): a "
            "launcher button that opens the chat page in a panel. Only the origins in "
            "MAILMOVE_EMBED_ORIGINS may frame the chat page."
        ),
        operation_id="getEmbedScript",
        tags=("page",),
    ),
    Operation(
        "get",
        DESCRIPTION,
        "This description",
        {200: Returns("This OpenAPI document, generated from the API's models.")},
        operation_id="getOpenApi",
        tags=("page",),
    ),
    Operation(
        "get",
        TEXTS,
        "The chat page's own words in one language",
        {
            200: Returns("Key → text.", UiTexts, headers={"Cache-Control": "`max-age=300`"}),
            404: Returns("The bot does not speak this language.", ErrorBody),
        },
        description="Labels, placeholders and notices of the page (not the bot's messages), "
        "from the message catalogs: every catalog key that starts with `webchat.`, with that "
        "prefix removed. A value may hold `{name}` placeholders that the page fills in "
        "itself. Cacheable for 5 minutes.",
        parameters=(Parameter("locale", "path", Locale, "A language the bot speaks."),),
        operation_id="getUiTexts",
        tags=("page",),
    ),
    Operation(
        "post",
        CONVERSATIONS,
        "Start a conversation",
        {
            201: Returns("The conversation was created.", ConversationCreated),
            413: _TOO_LARGE,
            429: too_many(
                "it started more conversations than `MAILMOVE_WEBCHAT_CONVERSATION_LIMIT` "
                "(60 by default) within 10 minutes"
            ),
            422: Returns(
                "The body is not a JSON object, has an unknown field, or names a language "
                "the bot does not speak.",
                ErrorBody,
            ),
            503: Returns(
                "No conversation was created: the conversation store is unavailable, or this "
                "server is shutting down (another one takes over). Send the request again "
                "after `Retry-After` seconds.",
                ErrorBody,
                headers=_RETRY_AFTER,
            ),
        },
        description="Creates a conversation and returns the bot's greeting and first "
        "question. The body may be omitted (or be empty, or `{}`): the conversation is then "
        "in Japanese.",
        request=NewConversation,
        request_required=False,
        operation_id="createConversation",
        tags=("conversation",),
    ),
    Operation(
        "post",
        MESSAGES,
        "Send one subscriber message",
        {
            200: Returns(
                "The bot's replies (none while a support agent has taken the conversation "
                "over, and none for a press of a question that is no longer open).",
                MessageAnswered,
            ),
            404: Returns(
                "No conversation has this id (checked once the body has been read, so a "
                "malformed body gets 422 first).",
                ErrorBody,
            ),
            413: _TOO_LARGE,
            429: too_many(
                "it sent more messages than `MAILMOVE_WEBCHAT_MESSAGE_LIMIT` (300 by default) "
                "within a minute"
            ),
            422: Returns(
                "The body is not a JSON object; it holds both or neither of `text` and "
                "`choice`, an empty or too long value, a value of the wrong type or null, or "
                "an unknown field.",
                ErrorBody,
            ),
            503: Returns(
                "The message could not be recorded: the conversation store is unavailable, "
                "or this server is shutting down (another one takes over). Send the same "
                "request again after `Retry-After` seconds; with an `event_id`, a message "
                "the store did record before failing is answered `duplicate: true` rather "
                "than handled twice.",
                ErrorBody,
                headers=_RETRY_AFTER,
            ),
        },
        description="Either typed `text` or the `choice` id of a button the bot offered "
        "(ids that were not offered are understood where they make sense, e.g. `menu`, "
        "`restart`, `human`, `back`, `lang:en`, `lang:ja`). The answer carries the bot's "
        "replies to this message.\n\nGive an `event_id` to make a retry safe: a message "
        "whose `event_id` was already handled in this conversation changes nothing and is "
        "answered with `duplicate: true` and the replies of the first answer.\n\nGive a "
        "button's `question` with its `choice`, so that it counts once: a press of a question "
        "that is no longer open changes nothing and is answered `stale: true`.\n\nA "
        "refused message (404, 413, 422) changes nothing: the conversation stays exactly "
        "where it was.\n\nOne client (an address, or an IPv6 /64) may hand "
        "`MAILMOVE_WEBCHAT_HANDOFF_LIMIT` (20 by default) conversations to the desk within "
        "an hour: past it, asking for a person is answered 200 with words saying the "
        "requests from this connection are with the desk, to ask again later or call, and "
        "the conversation stays with the bot.",
        request=Message,
        parameters=(_CONVERSATION_ID,),
        operation_id="sendMessage",
        tags=("conversation",),
    ),
    Operation(
        "post",
        CLOSE,
        "Leave the conversation (the subscriber starts over)",
        {
            200: Returns("Left; the answer says who has the conversation now.", Left),
            404: Returns(
                "No conversation has this id (checked once the body has been read).", ErrorBody
            ),
            413: _TOO_LARGE,
            429: too_many(
                "it sent more messages than `MAILMOVE_WEBCHAT_MESSAGE_LIMIT` (300 by default) "
                "within a minute (leaving counts as a message)"
            ),
            422: Returns("The body is not the empty JSON object `{}`.", ErrorBody),
            503: Returns(
                "Nothing changed: the conversation store is unavailable, or this server is "
                "shutting down. Send it again after `Retry-After` seconds.",
                ErrorBody,
                headers=_RETRY_AFTER,
            ),
        },
        description="The page calls it when the subscriber starts over (「最初から」) while "
        "the desk's queue or a support agent has the conversation: it is closed, with a line "
        "in its transcript saying the subscriber left, so the desk stops waiting for them "
        "(its queue and its messages follow, as after an agent's close). Nobody is asked "
        "whether it was solved.\n\nA conversation the bot answers is left as it is (a "
        "message left for the desk still waits for its call back). Idempotent: leaving "
        "again changes nothing and answers the same.",
        request=Leave,
        parameters=(_CONVERSATION_ID,),
        operation_id="leaveConversation",
        tags=("conversation",),
    ),
    Operation(
        "get",
        MESSAGES,
        "Read the conversation's lines",
        {
            200: Returns("The lines, and the conversation's current language.", Transcript),
            404: Returns("No conversation has this id.", ErrorBody),
            422: Returns("`after` is not a whole number of at most 12 digits.", ErrorBody),
            429: too_many(
                "it read more than `MAILMOVE_WEBCHAT_READ_LIMIT` (600 by default) times within "
                "a minute; the page, polling every 2 s at most, backs off and reads again"
            ),
            503: Returns(
                "The conversation store is unavailable. Read again after `Retry-After` seconds.",
                ErrorBody,
                headers=_RETRY_AFTER,
            ),
        },
        description="The conversation's transcript after line `after`, oldest first: of "
        "a longer one, its latest 200 lines. The "
        "page reads it whole to redraw itself after a reload, and polls it (with `after` = "
        "the last line it has) for replies that answer none of its own requests: a login "
        "check's result, a support agent's message.\n\nA pressed button is recorded as the "
        "subscriber line `[<choice id>]`.",
        parameters=(
            _CONVERSATION_ID,
            Parameter(
                "after",
                "query",
                Annotated[str, Field(pattern=r"^[0-9]{0,12}$", examples=["12"])],
                "Only lines numbered above this; 0 or absent for all.",
            ),
        ),
        operation_id="readTranscript",
        tags=("conversation",),
    ),
)


@functools.cache
def description() -> dict[str, Any]:
    """The API's OpenAPI 3.1 document (built once, on first use)."""
    return openapi_document(
        title="mailmove web chat API",
        version="1.0.0",
        description="The JSON API behind mailmove's web chat page (`GET /`). A conversation "
        "starts with `POST /api/webchat/conversations`; each subscriber message (typed text, "
        "or the id of a button the bot offered) is a `POST` to its `messages`, answered at "
        "once with the bot's replies. `GET` on the same `messages` path reads the "
        "conversation's transcript: a page redraws itself from it after a reload, and polls "
        "it for replies that answer none of its requests (a login check's result, a support "
        "agent's message).\n\nReplies are channel-neutral: plain text, a question with "
        "buttons (`choices`), the two-part verdict (receiving / sending), the settings card, "
        "a link, or a file to download. Texts may contain `\\n` line breaks; a blank line "
        "separates paragraphs, and lines starting with `1. `, `2. `, … are numbered steps."
        "\n\nEvery request body is limited to 64 KiB (65536 bytes): a larger body gets 413 "
        'before it is read. Errors always come as `{"error": "..."}`, a message meant for '
        "the developer of the client, not for subscribers.",
        operations=OPERATIONS,
        tags={
            "conversation": "The conversation itself.",
            "page": "The chat page, its assets, its words and this description.",
        },
    )


@functools.cache
def description_for(domain: str) -> dict[str, Any]:
    """The description with the running profile's domain in its examples' addresses."""
    if domain == EXAMPLE_DOMAIN:
        return description()
    document = copy.deepcopy(description())
    for example in document["components"]["schemas"]["Message"]["examples"]:
        text = example.get("text")
        if isinstance(text, str):
            example["text"] = text.replace(f"@{EXAMPLE_DOMAIN}", f"@{domain}")
    return document
