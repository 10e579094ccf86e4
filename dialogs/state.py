"""A conversation's dialog state, what a step needs besides it, and what a step returns."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from dialogs.flowchart import is_node_id
from dialogs.frozen import quick_init
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Position, Stage, position
from dialogs.reading.morphemes import Analyser
from dialogs.settings_card import SmtpHost
from dialogs.texts import Texts
from dialogs.vocabulary import DEFAULT_LOCALE, Locale, Receiving, Reply, Sending, parse_locale

_E = TypeVar("_E", bound=enum.Enum)

# After this many messages in a row that the bot did not understand, it offers a person.
MISUNDERSTOOD_LIMIT: Final = 3
# After this many failed live checks in a row, the bot offers a person.
CHECK_FAILURE_LIMIT: Final = 2
# A trouble said before the verdict, in a record kept before its kind was (`trouble_said`).
TROUBLE_OF_NO_KIND: Final = "said"


class Signal(enum.StrEnum):
    """Things the runtime must know about a step (metrics, handoff, audit)."""

    VERDICT_REACHED = "verdict_reached"
    SETTINGS_DELIVERED = "settings_delivered"
    HANDOFF_REQUESTED = "handoff_requested"
    CONTACT_GIVEN = "contact_given"
    SECRET_TYPED = "secret_typed"  # noqa: S105 - a name, not a secret
    HANDOFF_SUGGESTED = "handoff_suggested"
    CHECK_REQUESTED = "check_requested"
    CHECK_PASSED = "check_passed"
    CHECK_FAILED = "check_failed"
    NOT_UNDERSTOOD_REPEATEDLY = "not_understood_repeatedly"
    # A person was asked for past the client's handoff limit: told, and nothing handed over.
    HANDOFF_HELD = "handoff_held"
    # A message for the desk, with a way to call back, was left while no one could answer.
    DESK_MESSAGE_LEFT = "desk_message_left"
    # 「解決しましたか？」 answered (dialogs.feedback).
    FEEDBACK_SOLVED = "feedback_solved"
    FEEDBACK_UNSOLVED = "feedback_unsolved"
    # 「さっきのはパスワードです」: the subscriber's message before this one was the password;
    # the runtime withdraws it from the record (`DialogState.last_words` names its turn).
    PREVIOUS_WITHDRAWN = "previous_withdrawn"


@quick_init
@dataclass(frozen=True, slots=True)
class StepContext:
    """Everything a step may consult that is not the conversation's own state."""

    profile: MigrationProfile
    texts: Texts
    today: dt.date
    # Whether a human desk takes conversations now (one is configured): then asking for a
    # person hands the conversation over instead of giving a phone number.
    desk_available: bool = False
    # A desk is configured but it is outside the profile's desk hours now.
    desk_closed: bool = False
    # When the desk's hours next begin (the provider's time), if the profile gives hours and
    # they are over now: a message left for the desk says when it will be read.
    desk_opens: dt.datetime | None = None
    # While the hours are open: when they end, and when they begin again after that. A
    # message left at 17:59 must not sound as if someone will call before 18:00.
    desk_closes: dt.datetime | None = None
    desk_reopens: dt.datetime | None = None
    # The runtime's morphological analyser (a pure function over text); None reads with
    # patterns alone.
    analyser: Analyser | None = None
    # The words the sender hid in this turn's message (`Inbound.hidden`, a Telegram spoiler).
    hidden: tuple[str, ...] = ()
    # The sender has handed as many conversations to the desk as one client may lately (the
    # web chat's per-client limit): asking for a person again is answered in words, and the
    # conversation stays with the bot (`Signal.HANDOFF_HELD`).
    handoffs_held: bool = False
    # Held by the platform sender's own limit (Telegram, LINE, Slack), not by a connection's
    # that others may share: they are told it was their requests.
    handoffs_held_sender: bool = False
    # When this process took up its profile (milliseconds since the epoch; 0 unknown). In a
    # rolling deploy replicas of the old profile and the new answer side by side: the one
    # taken up later is the one a conversation follows (`DialogState.profile_since`).
    profile_since: int = 0
    # A button was pressed of a question of an earlier conversation no longer kept (past the
    # retention): the new conversation it starts says so before its greeting (channels2).
    earlier_ended: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class DialogState:
    """A conversation's position and the facts collected so far; stored between turns."""

    # Where the conversation stands; the profile's first question comes after START.
    stage: Position = Stage.START
    locale: Locale = DEFAULT_LOCALE
    answers: Mapping[str, str] = field(default_factory=dict)
    address: str | None = None
    # The `event_tag` of the turn whose typed words gave the address held (set by the runtime,
    # `bot.engine._address_source`): unsent on LINE or deleted on Slack, that message takes
    # the address with it. "" when no message of theirs gave it (none, the agent's hand-back,
    # the check page); None in a state stored before it was kept.
    address_from: str | None = ""
    program: str | None = None
    smtp_host: SmtpHost | None = None
    receiving: Receiving | None = None
    sending: Sending | None = None
    history: tuple[Position, ...] = ()
    misunderstood: int = 0
    check_failures: int = 0
    # The last live login check passed: 「もう設定は変えました」 then has nothing left to do.
    check_passed: bool = False
    offered: tuple[str, ...] = ()
    # The next words typed are a message for the desk (no one could take the conversation).
    leaving_message: bool = False
    # The subscriber said sending fails now: a "recommended" change must not be worded as
    # "your current settings still send".
    cannot_send: bool = False
    # A trouble was said before the verdict (「メールが使えなくなりました」 first, then Q1
    # "no"): the webmail-only verdict says it is not the migration's, not "nothing to do" alone.
    # The problem's kind (`Problem` value), so the verdict names it; "" for none.
    trouble_said: str = ""
    # What the settings card last shown was filled with (the turn's `_card_facts`): a hand-back
    # that changes none of it sends no second copy of the card and guide above.
    card_shown_for: tuple[str, ...] = ()
    # The message for the desk in progress holds a line before its way to call back (the
    # trouble, as 「伝言を残す」 asks for it): the number then typed alone needs nothing more.
    message_said: bool = False
    # A message with a way to call back was left for the desk, and no agent has dealt with
    # it yet: asked for a person again, the subscriber is not asked for the contact again.
    message_left: bool = False
    # The last message ended naming a password with none after it (「パスワードは」), or the
    # bot has just sent the login check's link (`bot.engine._named`): the next, a token
    # alone, is the password (`dialogs.redaction.redact`'s `named_before`).
    password_named: bool = False
    # The subscriber's own last message announced the password (「パスワードは」, 'my password
    # is'), not the login check's link: the next message is the password whatever it is, a
    # word of letters too (`dialogs.redaction.redact`'s `announced`). After the link, 'success'
    # or 'fixed' is what the check did.
    password_announced: bool = False
    # The subscriber's own last message spoke of a password (a password word in it, a value
    # after it or not: 「パスワードはabc」): a correction alone next (「じゃなくてabd123です」) is
    # that password put right (`dialogs.redaction.redact`'s `corrected_next`).
    password_spoken: bool = False
    # The agent who has the conversation asked for the password in their latest words
    # (`dialogs.redaction.asks_for_a_password`): until they write again, a token the
    # subscriber sends alone is read as the password (`redact`'s `named_before`), however many
    # messages come first (「はい」「少々お待ちください」「Zk2mWq9p」). Cleared by their next words
    # and by the bot's next turn.
    password_asked: bool = False
    # The provider's calendar day the subscriber last heard the advice (a verdict, the card):
    # come back after a day of the schedule (the window opened, an old server stopped), they
    # are told what changed (`Turn.say_what_changed`). None before any verdict.
    advised_on: dt.date | None = None
    # The `event_tag` of the turn of the subscriber's latest message (set by the runtime,
    # `bot.engine._remembered`): what 「さっきのはパスワードです」 withdraws, a button pressed
    # since or not (a press holds no words). "" once withdrawn, or before anything typed.
    # None in a state stored before it was kept: the runtime then finds that message in the
    # transcript.
    last_words: str | None = ""
    # The subscriber's latest act was a button press, not typed words (a press of an old
    # question's button too): with no typed message to withdraw, they are told so.
    last_pressed: bool = False
    # The address held was taken from the latest message typed, read at this stage (its
    # value; "" if not): withdrawn as the password, the address is forgotten and the
    # question it answered asked again.
    address_typed_at: str = ""
    # The latest message was 「さっきのはパスワードです」 itself: said again, nothing more of
    # theirs is withdrawn (only the message right before, once).
    taken_back_last: bool = False
    # The latest turn explained the question open now (「？」「どういう意味？」): asked again
    # straight after, the same long explanation is not said word for word a second time.
    explained: bool = False
    # The latest message, a sentence left unfinished that the dialog could not read alone
    # (「メールが」, `dialogs.pieces`), as the transcript keeps it (any password masked): read
    # joined with the next message. "" when none is waiting.
    fragment: str = ""
    # Answers to questions not yet asked, told in the subscriber's own words (「家だけで、
    # 117netのサーバーで送っています」 at the first question): question id → "yes" / "no".
    # Said back instead of asked when the question comes (`dialogs.reading.told_before`).
    told: Mapping[str, str] = field(default_factory=dict)
    # The subscriber chose to go on without giving the address when asked for it: a
    # hand-back that needs it for the card does not ask a second time (`dialogs.resume`).
    address_skipped: bool = False
    # Skipped where several domains move to new ones each: the affected domain they chose
    # (`settings_card.skip_domains`), which the card's words follow; "" if none.
    address_domain: str = ""
    # The subscriber has been told once how to have the chat in the other language (typed
    # in it): told at every such message, it pushed the answers down (subscriber25).
    language_offered: bool = False
    # The profile the verdict was given under (`MigrationProfile.verdict_key`); "" in a state
    # stored before it was kept, or before any turn.
    profile_key: str = ""
    # When the process that last answered under `profile_key` took it up
    # (`StepContext.profile_since`); 0 in a state stored before it was kept.
    profile_since: int = 0

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict; `from_json` reads it back."""
        return {
            "stage": self.stage.value,
            "locale": self.locale,
            "answers": dict(self.answers),
            "address": self.address,
            "address_from": self.address_from,
            "program": self.program,
            "smtp_host": self.smtp_host.value if self.smtp_host else None,
            "receiving": self.receiving.value if self.receiving else None,
            "sending": self.sending.value if self.sending else None,
            "history": [s.value for s in self.history],
            "misunderstood": self.misunderstood,
            "check_failures": self.check_failures,
            "check_passed": self.check_passed,
            "offered": list(self.offered),
            "leaving_message": self.leaving_message,
            "cannot_send": self.cannot_send,
            "trouble_said": self.trouble_said,
            "card_shown_for": list(self.card_shown_for),
            "message_left": self.message_left,
            "message_said": self.message_said,
            "password_named": self.password_named,
            "password_announced": self.password_announced,
            "password_spoken": self.password_spoken,
            "password_asked": self.password_asked,
            "advised_on": self.advised_on.isoformat() if self.advised_on else None,
            "last_words": self.last_words,
            "last_pressed": self.last_pressed,
            "address_typed_at": self.address_typed_at,
            "taken_back_last": self.taken_back_last,
            "explained": self.explained,
            "fragment": self.fragment,
            "told": dict(self.told),
            "address_skipped": self.address_skipped,
            "address_domain": self.address_domain,
            "language_offered": self.language_offered,
            "profile_key": self.profile_key,
            "profile_since": self.profile_since,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DialogState:
        """Read a stored state; a field that no longer makes sense falls back to its default."""

        def text(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) else None

        def strings(name: str) -> list[str]:
            value = data.get(name)
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        answers = data.get("answers")
        told = data.get("told")
        since = data.get("profile_since")
        misunderstood = data.get("misunderstood")
        check_failures = data.get("check_failures")
        return cls(
            # Whether an id is one of the profile's nodes is the turn's to judge.
            stage=_position(text("stage")),
            locale=parse_locale(text("locale")) or DEFAULT_LOCALE,
            answers=(
                {str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {}
            ),
            address=text("address"),
            # Missing (or null): stored before it was kept, so unknown, not "nothing".
            address_from=text("address_from"),
            program=text("program"),
            smtp_host=_enum(SmtpHost, text("smtp_host")),
            receiving=_enum(Receiving, text("receiving")),
            sending=_enum(Sending, text("sending")),
            history=tuple(position(v) for v in strings("history") if is_node_id(v)),
            misunderstood=misunderstood if isinstance(misunderstood, int) else 0,
            check_failures=check_failures if isinstance(check_failures, int) else 0,
            check_passed=data.get("check_passed") is True,
            offered=tuple(strings("offered")),
            leaving_message=data.get("leaving_message") is True,
            cannot_send=data.get("cannot_send") is True,
            trouble_said=_trouble(data.get("trouble_said")),
            card_shown_for=tuple(strings("card_shown_for")),
            message_left=data.get("message_left") is True,
            message_said=data.get("message_said") is True,
            password_named=data.get("password_named") is True,
            password_announced=data.get("password_announced") is True,
            password_spoken=data.get("password_spoken") is True,
            password_asked=data.get("password_asked") is True,
            advised_on=_day(text("advised_on")),
            # Missing (or null): stored before it was kept, so unknown, not "nothing".
            last_words=text("last_words"),
            last_pressed=data.get("last_pressed") is True,
            address_typed_at=text("address_typed_at") or "",
            taken_back_last=data.get("taken_back_last") is True,
            explained=data.get("explained") is True,
            fragment=text("fragment") or "",
            told=(
                {str(k): v for k, v in told.items() if v in ("yes", "no")}
                if isinstance(told, dict)
                else {}
            ),
            address_skipped=data.get("address_skipped") is True,
            address_domain=text("address_domain") or "",
            language_offered=data.get("language_offered") is True,
            profile_key=text("profile_key") or "",
            profile_since=since if isinstance(since, int) and not isinstance(since, bool) else 0,
        )

    @property
    def has_verdict(self) -> bool:
        """Whether the questionnaire (or a shortcut to the settings) has concluded."""
        return self.receiving is not None and self.sending is not None


def _position(value: str | None) -> Position:
    return position(value) if value is not None and is_node_id(value) else Stage.START


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value is not None else None
    except ValueError:
        return None


def _trouble(value: object) -> str:
    """A stored `trouble_said`: the problem's kind, or `TROUBLE_OF_NO_KIND` (a stored true)."""
    if isinstance(value, str):
        return value
    return TROUBLE_OF_NO_KIND if value is True else ""


def _enum(kind: type[_E], value: str | None) -> _E | None:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


@quick_init
@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step produced."""

    state: DialogState
    replies: tuple[Reply, ...]
    signals: tuple[Signal, ...]
    handoff_reason: str = ""  # asked, not_understood, check_failed, still_broken
    # The words the step read for a password and what the transcript keeps of them (any
    # password masked, `dialogs.reading.stage_reading.redact_typed`): the runtime stores
    # these rather than read the words a second time. None if it read no words. The typed
    # words may hold a password: kept out of the result's repr (a log line, a traceback).
    said: tuple[str, str] | None = field(default=None, repr=False)
