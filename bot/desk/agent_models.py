"""The agent API's bodies as pydantic models, and its OpenAPI description built from them.

The hand-back's facts are checked here as far as a model can; whether the address is one
the migration moves needs the profile, so `handback.facts_from` checks that afterwards.
"""

from __future__ import annotations

import copy
import functools
import re
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bot.engine import KEPT_LENGTH, without_bidi_controls
from bot.store.conversation_store import Author, Owner
from bot.web.openapi import (
    EXAMPLE_DOMAIN,
    ApiModel,
    ErrorBody,
    Operation,
    Parameter,
    Returns,
    openapi_document,
)
from dialogs.mail_programs import MailProgram
from dialogs.questionnaire import SETTINGS_STAGES, Stage
from dialogs.settings_card import SmtpHost
from dialogs.vocabulary import Locale, Receiving, Sending

MAX_LIST: Final = 500
MAX_AGENT: Final = 100
# An agent's message, and what the transcript keeps of a subscriber's: one length.
MAX_MESSAGE: Final = KEPT_LENGTH
MAX_EVENT_ID: Final = 100
DEFAULT_AGENT: Final = "an agent"
NOT_DELIVERED: Final = "not_delivered"
MAY_HAVE_ARRIVED: Final = "may_have_arrived"

DESCRIPTION: Final = "/api/agent/openapi.json"
CONVERSATIONS: Final = "/api/agent/conversations"
CONVERSATION: Final = CONVERSATIONS + "/{key}"
TAKE: Final = CONVERSATION + "/take"
HANDBACK: Final = CONVERSATION + "/handback"
CLOSE: Final = CONVERSATION + "/close"
TRANSFER: Final = CONVERSATION + "/transfer"
MESSAGES: Final = CONVERSATION + "/messages"
QUESTIONNAIRE: Final = "/api/agent/questionnaire"
ME: Final = "/api/agent/me"

# Any profile's question: which ones the running profile has is `handback.facts_from`'s
# to check (the ids follow dialogs.flowchart's rule); GET /api/agent/questionnaire lists them.
QuestionId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}$",  # QUESTION_ID below
        description="A question of the running profile's questionnaire, as "
        "GET /api/agent/questionnaire lists them (the seed's: q1_mail_program ... q4_op25b).",
    ),
]
# The same values as dialogs.resume (a test holds them equal), spelled out so the
# description lists them.
Answer = Literal["yes", "no", "unsure"]


def _only_question_ids(schema: dict[str, Any]) -> None:
    # pydantic writes the keys' pattern as patternProperties only, which lets any other key
    # through in JSON Schema: `{"": "yes"}` was valid by the description and refused with
    # 422. The keys are the questions' ids, nothing else.
    schema["additionalProperties"] = False
    schema.setdefault("propertyNames", {})["pattern"] = QUESTION_ID


QUESTION_ID: Final = r"^[a-z][a-z0-9_]{0,39}$"
Answers = Annotated[dict[QuestionId, Answer], Field(json_schema_extra=_only_question_ids)]
Step = Literal["questionnaire", "settings", "check"]
# A name is one line of visible text. A bare token's holder chooses it, and the subscriber
# reads it beside the agent's words: no control character (a line break would forge a line
# of the transcript and the desks' messages), no bidi embedding, override or isolate
# (U+202A-U+202E, U+2066-U+2069: the subscriber would read another name), and one visible
# character at least; or empty, which says nothing (as absent). Without look-arounds, as
# VISIBLE_TEXT below.
_NAME_CHARACTER: Final = r"[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_VISIBLE_IN_NAME: Final = (
    r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
AGENT_NAME: Final = rf"^(?:{_NAME_CHARACTER}*{_VISIBLE_IN_NAME}{_NAME_CHARACTER}*)?$"
_AGENT_NAME_RE: Final = re.compile(AGENT_NAME)


def _one_visible_line(name: str) -> str:
    # Checked here rather than by `pattern`, whose refusal quoted the pattern to the caller.
    if not _AGENT_NAME_RE.fullmatch(name):
        raise ValueError(
            "must be one line of visible text: no control characters or line breaks, no "
            "bidi controls (U+202A-U+202E, U+2066-U+2069), not only white space"
        )
    return name


# A control character parts two words (a line break in a display name); a bidi control
# shows as nothing, so it goes without a trace, as the engine drops it from words.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible_name(name: str) -> str | None:
    """`name` as one line of visible text by the agent API's rule, or None if nothing is left.

    For a name no agent typed into the API (Slack's display names): a control character
    becomes a space (a line break parts two words), bidi controls go, white space is one
    space, and it is cut at MAX_AGENT characters. Refused outright, as the API refuses it,
    the subscriber would read a member id instead of a name with a stray character.
    """
    cleaned = " ".join(_CONTROL.sub(" ", without_bidi_controls(name)).split())[:MAX_AGENT].strip()
    return cleaned if cleaned and _AGENT_NAME_RE.fullmatch(cleaned) else None


AgentName = Annotated[
    str,
    Field(
        max_length=MAX_AGENT,
        # For the description (and the tools that read it), as it is checked.
        json_schema_extra={"pattern": AGENT_NAME},
        description="Who is acting: one line of visible text, without bidi controls.",
    ),
    AfterValidator(_one_visible_line),
]

# A colleague handed a conversation is someone: unlike `agent`, never empty. `{"to": ""}`
# gave the conversation to nobody (held, and named by no desk) and told the subscriber
# 「ここからは、サポート担当のが引き継いでご案内します」.
COLLEAGUE_NAME: Final = rf"^{_NAME_CHARACTER}*{_VISIBLE_IN_NAME}{_NAME_CHARACTER}*$"


def _someone(name: str) -> str:
    if not name:
        raise ValueError("must name the colleague: it is empty")
    return name


ColleagueName = Annotated[
    str,
    Field(
        max_length=MAX_AGENT,
        json_schema_extra={"pattern": COLLEAGUE_NAME},
        description="One line of visible text, without bidi controls; not empty.",
    ),
    AfterValidator(_one_visible_line),
    AfterValidator(_someone),
]

# Who has a conversation as a desk shows it (`bot.desk.ownership.Holder`'s values).
Holding = Literal["bot", "queue", "agent", "closed"]

# -- requests ---------------------------------------------------------------------------------


class Take(BaseModel):
    """Who takes the conversation over. Other fields are ignored, as they always were."""

    model_config = ConfigDict(frozen=True)

    agent: AgentName = DEFAULT_AGENT
    take_over_from: AgentName | None = Field(
        default=None,
        description="The agent who has the conversation now, as a 409 named them: takes it "
        "from them (the transcript and the desks say so). Refused with 409 when someone "
        "else has it by then. Without it, a conversation another agent has is refused.",
    )
    expected_holder: Holding | None = Field(
        default=None,
        description="Who had the conversation as the agent last read it (the read's "
        "`holder`): taken only while that is still so, else refused with 409 (`holder` "
        "says who has it now) and nothing is said to the subscriber. A console's button "
        "shows what its last read showed: a subscriber gone back to the bot, or a "
        "conversation closed, in between is not taken from the bot, nor followed up, on "
        "the strength of a screen that no longer holds. Absent: taken whoever has it.",
    )


class Transfer(BaseModel):
    """Who hands the conversation on (a bare token's holder may say), and to which colleague."""

    model_config = ConfigDict(frozen=True)

    agent: AgentName = DEFAULT_AGENT
    to: ColleagueName = Field(
        description="The colleague who has the conversation from now on, by the name they act "
        "under (their console name, or their named token's)."
    )


class Close(BaseModel):
    """Who closes the conversation (a bare token's holder may say). Other fields are ignored."""

    model_config = ConfigDict(frozen=True)

    agent: AgentName | None = None
    expected_holder: Holding | None = Field(
        default=None,
        description="Who had the conversation as the agent last read it (the read's "
        "`holder`): closed only while that is still so, else refused with 409 (`holder` "
        "says who has it now) and the subscriber is asked nothing. A subscriber gone back "
        "to the bot since the console's last read was asked 「解決しましたか？」 just after "
        "the bot said it carries on. Absent: closed whoever has it (but another agent).",
    )


class Handback(ApiModel):
    """What the agent knows; the bot asks nothing it is told. Null or absent: not known."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "agent": "佐藤",
                    "address": "taro@vp.117.ne.jp",
                    "program": "thunderbird",
                    "answers": {"q1_mail_program": "yes", "q2_other_network": "no"},
                }
            ]
        }
    )

    agent: AgentName | None = None
    address: str | None = Field(
        default=None, description="The subscriber's address in the migrating domain."
    )
    program: MailProgram | None = None
    smtp_host: SmtpHost | None = Field(
        default=None,
        description="old: the subscriber sends through the old outgoing server today.",
    )
    answers: Answers | None = Field(
        default=None, description="The questionnaire's answers the agent already has."
    )
    # An empty step has always meant the default, and the console may send one.
    step: Literal[Step, ""] | None = Field(
        default=None,
        description="Where the bot carries on; empty or absent: questionnaire. questionnaire: "
        "the first question not answered yet (the settings, for a subscriber who went "
        "straight to them); settings: the settings, the card and guide sent again only when "
        "they changed; check: the login check (its link, or the question for the address).",
    )


# No control character but tab, line feed and carriage return, and one visible character at
# least: a NUL or an escape has nothing to show and platforms refuse it in their JSON. One
# pattern without look-arounds, so that pydantic's regex engine, Python's and JSON Schema's
# (the OpenAPI description) read it alike.
_TEXT_CHARACTER: Final = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
# Visible: not white space, not a control character, and not one of the invisible format
# characters (soft hyphen, zero-width space and joiners, word joiner, BOM, and the bidi
# embeddings, overrides and isolates, which the message loses) that show nothing.
_VISIBLE: Final = r"[^\s\x00-\x1f\x7f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
VISIBLE_TEXT: Final = rf"^{_TEXT_CHARACTER}*{_VISIBLE}{_TEXT_CHARACTER}*$"
_VISIBLE_TEXT_RE: Final = re.compile(VISIBLE_TEXT)


def _visible_text(text: str) -> str:
    # Checked here rather than by `pattern`, whose refusal quoted the pattern to the caller.
    if not _VISIBLE_TEXT_RE.fullmatch(text):
        raise ValueError(
            "must show at least one character (not only white space or zero-width "
            "characters) and hold no control characters but tab and line breaks"
        )
    return text


class AgentMessage(ApiModel):
    """What an agent writes to the subscriber: shown as plain text on every channel."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "パスワードは変わりません。", "event_id": "m-1"}]}
    )

    text: Annotated[str, AfterValidator(_visible_text)] = Field(
        min_length=1,
        max_length=MAX_MESSAGE,
        # For the description (and the tools that read it), as it is checked.
        json_schema_extra={"pattern": VISIBLE_TEXT},
        description=f"1 to {MAX_MESSAGE} characters, not only white space, no control "
        "characters but tab and line breaks; never read as markup.",
    )
    event_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_EVENT_ID,
        description="The tool's own id for this message: a request sent again with the same "
        "id stores and delivers the message once.",
    )
    agent: AgentName | None = Field(
        default=None,
        description="With a bare token: who is writing (as in take and handback); a named "
        "token's name is used whatever this says.",
    )


# -- responses --------------------------------------------------------------------------------


class Conversation(ApiModel):
    """A conversation as the list shows it."""

    key: str = Field(description="channel:conversation id")
    channel: str
    owner: Owner
    stage: str = Field(
        description="Where the conversation stands: one of the profile's questions or "
        "verdicts (GET /api/agent/questionnaire), or a settings stage ("
        + ", ".join(s.value for s in (Stage.START, *SETTINGS_STAGES))
        + ")."
    )
    locale: Locale
    address: str | None
    new_address: str | None = Field(
        default=None,
        description="Where the profile moves the addresses to a new domain: the address "
        "after the move (what the subscriber logs in with), whichever one was typed. "
        "Absent or null where it is the address as typed.",
    )
    # 「Outlookです」 without new or classic is kept as it was said until the subscriber tells
    # which; a hand-back's `program` must still name one (the guides differ).
    program: MailProgram | Literal["outlook_ambiguous"] | None = Field(
        description="The subscriber's mail program; outlook_ambiguous: Outlook, not yet "
        "told whether the new or the classic one."
    )
    answers: Answers
    receiving: Receiving | None
    sending: Sending | None
    created_at: datetime
    updated_at: datetime


class TakeOverNote(ApiModel):
    """A system line's data: an agent took the conversation from another agent."""

    type: Literal["take_over"]
    agent: str = Field(description="Who has it now.")
    taken_from: str = Field(description="Who had it.")
    by: str | None = Field(
        default=None,
        description="Who handed it on, when the agent who had it gave it to a colleague "
        "(POST .../transfer); absent when it was taken.",
    )


# Why the acting agent's name was refused, for the console's words in the agent's language.
NameRefusal = Literal["agent", "agent_token", "agent_named"]
_NAME_REASONS: Final = (
    "`agent`: the name is not one line of visible text; `agent_token`: the name holds an "
    "agent token; `agent_named`: with a bare token, the name of an agent who holds a named "
    "token."
)


class RefusedName(ErrorBody):
    """A request refused for the name it acts under."""

    reason: NameRefusal | None = Field(
        default=None,
        description=f"Why, when it is the name: {_NAME_REASONS} The console says it in the "
        "agent's language.",
    )


class RefusedText(ErrorBody):
    """A message that cannot be sent as written."""

    reason: Literal["password"] | NameRefusal | None = Field(
        default=None,
        description="`password`: the text holds a password, which the chat never carries "
        f"(its transcript keeps every word); give it another way. {_NAME_REASONS}",
    )


# Why a hand-back's fact was refused (`handback.FactRefusedError`), for the console's words.
FactRefusal = Literal["address", "address_domain", "answers", "answers_step"]


class RefusedFact(ErrorBody):
    """A hand-back fact the running profile cannot use."""

    reason: FactRefusal | NameRefusal | None = Field(
        default=None,
        description="Which fact: `address`, not one e-mail address alone; `address_domain`, "
        "an address of a domain the migration does not move; `answers`, a question this "
        "profile does not ask; `answers_step`, answers that mean nothing changes (webmail "
        "only) with the step `settings` or `check`. Or the name: "
        f"{_NAME_REASONS} The console says it in the agent's language.",
    )
    domains: list[str] | None = Field(
        default=None,
        description="With `address_domain`: the domains the migration moves.",
    )


class RefusedTransfer(ErrorBody):
    """A transfer refused for a name: the colleague's (`to`) or the acting agent's."""

    reason: Literal["to", "to_token", "to_unknown"] | NameRefusal | None = Field(
        default=None,
        description="`to`: names nobody in particular (empty, not one line of visible text, "
        "or the name of any agent: `an agent`, `agent`); `to_token`: holds an agent token; "
        "`to_unknown`: every token is named and none by that name (found as names are told "
        "apart, width, case and spaces aside, and without さん or 様), nor is it another "
        f"desk's agent. {_NAME_REASONS} The console says it in the agent's language.",
    )
    names: list[str] | None = Field(
        default=None,
        description="With `to_unknown`: the colleagues a conversation can be handed to, by "
        "their named tokens' names (the acting agent's left out).",
    )


# Why a 409 that names no agent was refused, for the console's words.
Conflict = Literal["bot", "closed", "kept_changing"]


class OwnedElsewhere(ErrorBody):
    """A refusal because of who has the conversation."""

    reason: Conflict | None = Field(
        default=None,
        description="When no other agent is why: `bot`, the bot has the conversation; "
        "`closed`, it is closed; `kept_changing`, it changed at every read (nothing was done: "
        "send it again).",
    )

    agent: str | None = Field(
        default=None,
        description="Another agent who has the conversation: take it over from them first "
        "(POST .../take with `take_over_from`). Absent when the bot has it or it is closed.",
    )
    agent_name: str | None = Field(
        default=None,
        description="`agent` as every desk shows the name (without a Slack member's id or "
        "「(Chatwoot)」).",
    )


class TakeRefused(OwnedElsewhere):
    """A take or close refused: another agent has it, or it changed since it was read."""

    holder: Holding | None = Field(
        default=None,
        description="Who has the conversation now, when it is not who `expected_holder` "
        "said: read it again before taking it. Absent when the refusal is that another "
        "agent has it (`agent`).",
    )


class UndeliveredNote(ApiModel):
    """A system line's data: the subscriber's platform did not take an agent's or the bot's line."""

    type: Literal["undelivered"]
    seq: int | None = Field(description="The agent's (or the bot's) line it is about.")
    by: Literal["agent", "bot"] = Field(
        default="agent",
        description="Whose line it is about: `bot` for the bot's own words sent with no "
        "message to answer (a hand-back's greeting, a check's result), never sent again.",
    )
    may_have_arrived: bool = Field(
        description="The last attempt got no answer, so it may have arrived all the same."
    )
    reason: str = Field(description="What the platform said, in English (for the agent).")
    cause: Literal["unreachable", "quota"] | None = Field(
        default=None,
        description="Why no send reaches the subscriber now, where the platform said so: "
        "`unreachable` (they blocked the bot, left, or the chat is gone) or `quota` (the "
        "channel's monthly allowance of messages is used up). Sending again does not help.",
    )


class CheckWords(ApiModel):
    """A login check's result in words, per language, as the handoff summary words it."""

    ja: str
    en: str


class Line(ApiModel):
    """One transcript line."""

    seq: int
    at: datetime
    author: Author
    text: str
    agent: str | None = Field(
        default=None,
        description="On an agent's line: the display name it was written under, as every "
        "desk shows it (without a Slack member's id or 「(Chatwoot)」).",
    )
    label: str | None = Field(
        default=None,
        description="On a pressed button's line (`[choice id]`): the words on the button.",
    )
    question: str | None = Field(
        default=None,
        description="On a pressed button's line that does not follow the question it answered "
        "(pressed while an agent had the conversation, after the agent's own questions): that "
        "question, as the Slack thread and Chatwoot name it (up to its question mark, without "
        "asides in brackets, at most 60 characters).",
    )
    delivery: Literal["not_delivered", "may_have_arrived"] | None = Field(
        default=None,
        description="On an agent's line the subscriber's platform did not take, after every "
        "resend that could not make a second copy: not_delivered, or may_have_arrived (the "
        "last attempt got no answer, so it was not sent again). A system line under it says "
        "why. Absent: delivered, or still being delivered.",
    )
    note: UndeliveredNote | TakeOverNote | None = Field(
        default=None,
        description="On a system line the server wrote as data: what it says, for a client "
        "to word in its own language (`text` says the same in English, for logs): "
        "`undelivered`, under an agent's (or the bot's) line the platform did not take; "
        "`take_over`, an "
        "agent took the conversation from another.",
    )
    names: dict[str, str] | None = Field(
        default=None,
        description="On a system line naming an agent (a take, a take-over's note, a "
        "close, a hand-back, a take undone): each name as the line keeps it that every desk "
        "shows otherwise, and how it is shown (without a Slack member's id or 「(Chatwoot)」). "
        "Absent when every name is shown as kept.",
    )
    check: CheckWords | None = Field(
        default=None,
        description="On a login check's system line (`check_result: smtp=… pop=…`, the "
        "audit data as kept): the result in words, in Japanese and English, as the handoff "
        "summary says it (「送信（ポート587）: 認証に失敗、受信（ポート110）: 成功」).",
    )


class PostedLine(Line):
    """The stored line of an agent's message."""

    duplicate: bool = Field(
        default=False, description="True when this event id had stored the message before."
    )


class LeftMessage(ApiModel):
    """A message the subscriber left for the desk while no one could take the chat."""

    at: datetime = Field(description="When it was left.")
    text: str = Field(
        description="The subscriber's words for the desk, one line per message (passwords "
        "masked); the transcript has them in place."
    )
    callback: str | None = Field(
        description="The phone number or e-mail address to reach the subscriber back, as "
        "written; null if none could be picked out of the words."
    )


# How every desk shows who has it; `agent` is who a take-over names.
_AGENT_SHOWN: Final = (
    "`agent` as every desk shows the name: without what tells agents apart where the name "
    "alone cannot (a Slack member's id, 「(Chatwoot)」), which `agent` keeps for "
    "`take_over_from`."
)


class Listed(Conversation):
    """A listed conversation; one for the desk also says who has it, why and since when."""

    holder: Literal["queue", "agent"] | None = Field(
        default=None,
        description="queue: handed to the desk, or a message left for it, and no agent has "
        "taken it yet (the bot still answers one with a message: `owner` is bot).",
    )
    agent: str | None = Field(default=None, description="Who has it, when an agent does.")
    agent_name: str | None = Field(default=None, description=_AGENT_SHOWN)
    reason: str | None = Field(
        default=None,
        description="Why it came to the desk: asked, not_understood, check_failed, "
        "still_broken (not solved after the settings), unsolved_after_close (「解決しない」 "
        "after an agent closed it), forgotten_password, or message_left.",
    )
    waiting_since: datetime | None = Field(
        default=None,
        description="When it was handed over or the message left (the subscriber's wait since).",
    )
    unanswered_since: datetime | None = Field(
        default=None,
        description="For the desk: since when the subscriber waits on a person. In the queue, "
        "or taken and not written to yet, `waiting_since`; after an agent's words, when the "
        "subscriber's first line since was written; null when the agent wrote last.",
    )
    message_left: LeftMessage | None = Field(
        default=None,
        description="The message the subscriber left for the desk, when that is why it is here.",
    )
    said: list[str] | None = Field(
        default=None,
        description="A person's conversation (owner agent): the subscriber's latest typed "
        "words, up to three, oldest first, each on one line and cut to 200 characters, as the "
        "handoff summary quotes them (as stored: a password typed by mistake stays masked; "
        "pressed buttons are left out). What tells one waiting subscriber from another.",
    )


class ConversationList(ApiModel):
    """Conversations, most recently active first."""

    conversations: list[Listed]
    now: datetime = Field(
        description="The server's clock when listed: waits are counted against it, not "
        "against the agent's computer (a preview's date, a clock set wrong)."
    )


class Held(Conversation):
    """A conversation just taken or handed on, and who has it now.

    Before, the answer was the conversation alone: a take or a transfer made with curl said
    nothing of who had it, and only a read after it told.
    """

    holder: Literal["agent"] = Field(description="An agent has it (the one who took it).")
    agent: str = Field(description="Who has it, as a take-over names them (`take_over_from`).")
    agent_name: str = Field(description=_AGENT_SHOWN)


class ConversationRead(Conversation):
    """A conversation with its whole transcript."""

    holder: Holding = Field(description="queue: handed to the desk and no agent has taken it yet.")
    agent: str | None = Field(default=None, description="Who has it, when an agent does.")
    agent_name: str | None = Field(default=None, description=_AGENT_SHOWN)
    transcript: list[Line]


class Words(ApiModel):
    """The same words in each language the subscribers may use."""

    ja: str
    en: str


class AskedQuestion(ApiModel):
    """One question of the running profile's questionnaire, as subscribers read it."""

    id: QuestionId
    label: str = Field(
        description="Its short name, Q1 for the profile's first question, as the handoff "
        "summary names it."
    )
    text: Words
    answers: dict[Answer, Words] = Field(description="The words on each answer's button.")
    fact: Words | None = Field(
        default=None,
        description="What a yes to it says, in a few words the desks show beside the answer "
        "(「メールソフトを使用：はい」); null where the profile gives none (shown by its label).",
    )


class QuestionnaireRead(ApiModel):
    """The running profile's questions in its order: what a hand-back's `answers` may name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "questions": [
                        {
                            "id": "q1_mail_program",
                            "label": "Q1",
                            "fact": {"ja": "メールソフトを使用", "en": "Uses a mail program"},
                            "text": {
                                "ja": "メールソフトをお使いですか？",
                                "en": "Do you use a mail program?",
                            },
                            "answers": {
                                "yes": {"ja": "はい", "en": "Yes"},
                                "no": {"ja": "いいえ", "en": "No"},
                                "unsure": {"ja": "わからない", "en": "Not sure"},
                            },
                        }
                    ],
                    "timezone": "Asia/Tokyo",
                }
            ]
        }
    )

    questions: list[AskedQuestion]
    timezone: str = Field(
        description="The provider's time zone (an IANA name, the profile's): the console "
        "shows every time in it, whatever the agent's computer is set to."
    )


class Me(ApiModel):
    """Who the token acts as: what the console shows as signed in."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"agent": "佐藤 花子"}]})

    agent: str | None = Field(
        description="The name given with the token in MAILMOVE_AGENT_TOKENS, which every "
        "action records whatever name a request claims; null for a bare token, whose "
        "requests say who is acting (`agent`, else 'an agent')."
    )


class HandedBack(Conversation):
    """The conversation back with the bot, and what the bot said (web chat reply objects)."""

    replies: list[dict[str, Any]]


# -- the description --------------------------------------------------------------------------

_KEY: Final = Parameter("key", "path", str, "channel:conversation id, as listed")
_UNAUTHORISED: Final = Returns("No token, or a wrong one.", ErrorBody)
_MISSING: Final = Returns("No such conversation.", ErrorBody)
_TOO_LARGE: Final = Returns("The body is larger than 64 KiB.", ErrorBody)
_UNAVAILABLE: Final = Returns(
    "The store is unavailable or this server is shutting down; retry after `Retry-After`.",
    ErrorBody,
    headers={"Retry-After": "Seconds to wait before sending the request again."},
)

OPERATIONS: Final = (
    Operation(
        "get",
        DESCRIPTION,
        "This description",
        {200: Returns("This OpenAPI document, generated from the API's models.")},
        public=True,
    ),
    Operation(
        "get",
        CONVERSATIONS,
        "Conversations, most recently active first",
        {
            200: Returns("The list.", ConversationList),
            401: _UNAUTHORISED,
            422: Returns("A filter that cannot be used (the message names it).", ErrorBody),
        },
        parameters=(
            # Empty is absent, as the route reads it: the description refused what it served.
            Parameter(
                "owner",
                "query",
                Owner | Literal[""],
                "Only conversations this owner has; empty or absent: every owner.",
            ),
            Parameter(
                "desk",
                "query",
                bool,
                "true: only the desk's conversations, those a person has and those the bot "
                "answers with a message left for the desk that no one has taken or closed "
                "since (each with `holder`); false or absent: all.",
            ),
            Parameter("stage", "query", str, "Only conversations at this stage."),
            Parameter(
                "limit",
                "query",
                Annotated[int, Field(ge=1, le=MAX_LIST)],
                "At most this many; 100 when absent.",
            ),
        ),
    ),
    Operation(
        "get",
        QUESTIONNAIRE,
        "The running profile's questions, with their words",
        {200: Returns("The questions in order.", QuestionnaireRead), 401: _UNAUTHORISED},
        description="What a hand-back's `answers` may name, and how the summary and the "
        "console label each question (Q1, Q2...).",
    ),
    Operation(
        "get",
        ME,
        "Who this token acts as",
        {200: Returns("The token's name, if it has one.", Me), 401: _UNAUTHORISED},
    ),
    Operation(
        "get",
        CONVERSATION,
        "One conversation with its transcript",
        {
            200: Returns(
                "The conversation.",
                ConversationRead,
                headers={"ETag": "This read's version: send it as `If-None-Match` next time."},
            ),
            304: Returns(
                "Nothing shown has changed since the read whose `ETag` the request sent as "
                "`If-None-Match` (the console's poll; a list holding it, or `*`, too): no body.",
                media_types=(),
                headers={"ETag": "The same version."},
            ),
            401: _UNAUTHORISED,
            404: _MISSING,
        },
        parameters=(_KEY,),
    ),
    Operation(
        "post",
        TAKE,
        "Take the conversation over: the bot stays silent until it is handed back",
        {
            200: Returns(
                "Taken (or this agent had it already), and who has it now. A closed "
                "conversation is taken again to follow it up: the subscriber is told that a "
                "person has it.",
                Held,
            ),
            401: _UNAUTHORISED,
            404: _MISSING,
            409: Returns(
                "Another agent has the conversation (`agent` names them), and "
                "`take_over_from` did not name them; or, with `expected_holder`, someone "
                "else than it names has it now (`holder` says who); or it kept changing "
                "(`reason`: `kept_changing`): nothing was taken, and the subscriber was told "
                "nothing.",
                TakeRefused,
            ),
            413: _TOO_LARGE,
            422: Returns(
                "A body that is not a JSON object, or a bad agent name (with a bare token, "
                "the name of an agent who holds a named token is one; `reason` says which).",
                RefusedName,
            ),
            503: _UNAVAILABLE,
        },
        request=Take,
        request_required=False,
        parameters=(_KEY,),
    ),
    Operation(
        "post",
        HANDBACK,
        "Hand the conversation to the bot with what is known",
        {
            200: Returns("Handed back, with what the bot said.", HandedBack),
            401: _UNAUTHORISED,
            404: _MISSING,
            409: Returns(
                "The bot has the conversation already (handed back before; `reason`: "
                "`bot`), or it is closed (`closed`): nothing is said to the subscriber. Or "
                "another agent has it (`agent` names them): take it over first. Or it kept "
                "changing (`kept_changing`).",
                OwnedElsewhere,
            ),
            413: _TOO_LARGE,
            422: Returns(
                "A fact that cannot be used (the message names it, `reason` which), or a bad "
                "agent name (with a bare token, the name of an agent who holds a named token "
                "is one; `reason` says which).",
                RefusedFact,
            ),
            503: _UNAVAILABLE,
        },
        description="The bot greets the subscriber and carries on from the first thing it "
        "does not know yet.",
        request=Handback,
        request_required=False,
        parameters=(_KEY,),
    ),
    Operation(
        "post",
        MESSAGES,
        "Write to the subscriber on their own channel",
        {
            201: Returns("Stored; delivery to the subscriber's channel has begun.", PostedLine),
            200: Returns("Stored before under the same event id; not delivered again.", PostedLine),
            401: _UNAUTHORISED,
            404: _MISSING,
            409: Returns(
                "The bot has the conversation (`reason`: `bot`; take it over first), it is "
                "closed (`closed`; take it over to follow it up), it kept changing "
                "(`kept_changing`; send it again), or another agent has it (`agent` names "
                "them; take it over from them first). Nothing was stored or sent.",
                OwnedElsewhere,
            ),
            413: _TOO_LARGE,
            422: Returns(
                "Empty, only white space, or longer than 4,000 characters; an `event_id` "
                "that stored other words in this conversation; a bad agent name (with a "
                "bare token, the name of an agent who holds a named token is one; `reason` "
                "says which); or a password in the text (`reason`: `password`).",
                RefusedText,
            ),
            503: _UNAVAILABLE,
        },
        description="Stored in the transcript as the agent's line, then delivered once in "
        "the background: a platform that answers 429 or 5xx is retried without a second copy.",
        request=AgentMessage,
        parameters=(_KEY,),
    ),
    Operation(
        "post",
        TRANSFER,
        "Hand the conversation to a named colleague, who has it from now on",
        {
            200: Returns("Handed on (or the colleague had it already), and who has it now.", Held),
            401: _UNAUTHORISED,
            404: _MISSING,
            409: Returns(
                "Another agent has the conversation (`agent` names them), or the bot has it "
                "(`reason`: `bot`), or it is closed (`closed`): only the agent who has it "
                "(or, from the queue, anyone) hands it on. Or it kept changing "
                "(`kept_changing`).",
                OwnedElsewhere,
            ),
            413: _TOO_LARGE,
            422: Returns(
                "A bad name as `agent` or `to`, `to` naming nobody in particular, or, with a "
                "bare token, the name of an agent who holds a named token as `agent` "
                "(`reason` says which).",
                RefusedTransfer,
            ),
            503: _UNAVAILABLE,
        },
        description="The transcript says `taken over by <to> from <agent>` (its note's `by` "
        "names who handed it), every desk shows the colleague as the holder, and the "
        "subscriber is told on their own channel that a colleague takes over.",
        request=Transfer,
        parameters=(_KEY,),
    ),
    Operation(
        "post",
        CLOSE,
        "Close the conversation: the subscriber's next message starts afresh",
        {
            200: Returns("Closed.", Conversation),
            401: _UNAUTHORISED,
            404: _MISSING,
            409: Returns(
                "Another agent has the conversation (`agent` names them): take it over first. "
                "Or, with `expected_holder`, someone else than it names has it now (`holder` "
                "says who), or it kept changing (`reason`: `kept_changing`): nothing was "
                "closed, and the subscriber was asked nothing.",
                TakeRefused,
            ),
            413: _TOO_LARGE,
            422: Returns(
                "A body that is not a JSON object, or a bad agent name (with a bare token, "
                "the name of an agent who holds a named token is one; `reason` says which).",
                RefusedName,
            ),
            503: _UNAVAILABLE,
        },
        request=Close,
        request_required=False,
        parameters=(_KEY,),
    ),
)


@functools.cache
def description() -> dict[str, Any]:
    """The agent API's OpenAPI 3.1 document (built once, on first use)."""
    return openapi_document(
        title="mailmove agent API",
        version="1.0.0",
        description="For the support desk's agents and tools. Every call but this "
        "description needs `Authorization: Bearer <token>` with a token from "
        "MAILMOVE_AGENT_TOKENS; without one, or with a wrong one, the answer is 401 and "
        'nothing else. Errors come as `{"error": "..."}`.',
        operations=OPERATIONS,
        bearer="A token from MAILMOVE_AGENT_TOKENS.",
        # bot.web.failure_throttle, as bot.server mounts it over /api/agent/.
        throttled="after 30 refused tokens within a minute, every call from it that offers a "
        "token is refused until the oldest refusal is a minute old",
    )


@functools.cache
def description_for(domain: str, questions: tuple[str, ...]) -> dict[str, Any]:
    """The description with examples of the running profile: its domain and its questions.

    An agent copying the hand-back example must not send the seed's address or question
    ids to a server migrating another domain (the ids would be refused with 422).
    """
    document = copy.deepcopy(description())
    handback = document["components"]["schemas"]["Handback"]
    # The hand-back's `answers` name this profile's questions only: any other id was valid by
    # the description and refused with 422 (schemathesis, ST202).
    [answers] = [s for s in handback["properties"]["answers"]["anyOf"] if s.get("type") == "object"]
    answers["propertyNames"]["enum"] = list(questions)
    if domain == EXAMPLE_DOMAIN and questions[:2] == ("q1_mail_program", "q2_other_network"):
        return document
    for example in handback["examples"]:
        example["address"] = f"taro@{domain}"
        example["answers"] = dict(zip(questions[:2], ("yes", "no"), strict=False))
    return document
