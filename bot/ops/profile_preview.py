"""`mailmove profile check`: what the bot will tell subscribers on a profile's key dates.

The profile is validated as start-up validates it; then the real dialog runs, one step at a
time with the day fixed, through every path of the questionnaire (every answer; "don't know"
only where it leads somewhere "yes" and "no" do not, as the seed's port-25 question does to a
verdict worded for not knowing) and the schedule question, on each key date:
the day before the window, its first and last days, the day after it, and the first day
each old server no longer answers. What it prints is what a subscriber would read, so an
operator checks the wording against the dates before the window opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from bot.ops.catalogs import Catalogs
from bot.ops.startup_summary import old_receiving_name
from dialogs.advice import offers_config_file, settings_lead_keys
from dialogs.conversation import step
from dialogs.facts import profile_facts
from dialogs.knowledge import Topic, address_change_keys, password_reset_keys, timing
from dialogs.mail_config_files import (
    APPLE_FILE_READERS,
    AUTOCONFIG_READERS,
    AUTODISCOVER_READERS,
    withheld_for_webmail,
)
from dialogs.profile import LoginName, MigrationProfile, PasswordKind
from dialogs.settings_card import CardFacts, fill_values
from dialogs.state import DialogState, StepContext
from dialogs.vocabulary import (
    ChoicesReply,
    Inbound,
    Locale,
    Sending,
    TextReply,
    VerdictReply,
)

# Choices that move around the questionnaire rather than answer it.
_NOT_ANSWERS: Final = frozenset({"back", "menu", "restart", "human", "skip"})
# Deeper than any questionnaire a person would sit through: a cycle, not a path.
_MAX_DEPTH: Final = 12
_INDENT: Final = "    "


@dataclass(frozen=True, slots=True)
class KeyDate:
    """A day worth previewing, with why (one day may be several of these)."""

    day: dt.date
    why: str


@dataclass(frozen=True, slots=True)
class Leaf:
    """One way through the questionnaire: the answers' labels and the verdict's words."""

    answers: tuple[str, ...]
    verdict: str


def key_dates(profile: MigrationProfile) -> list[KeyDate]:
    """The window's edges and the old servers' last days, in date order, merged by day."""
    schedule = profile.schedule
    one_day = dt.timedelta(days=1)
    receiving = old_receiving_name(profile)
    reasons: dict[dt.date, list[str]] = {}
    days = [
        (schedule.window_start - one_day, "the day before the window"),
        (schedule.window_start, "the window's first day"),
        (schedule.window_end, "the window's last day"),
        (schedule.window_end + one_day, "the day after the window"),
    ]
    # An old server's last day not decided yet has no first day without it.
    for until, server in ((schedule.old_pop_until, receiving), (schedule.old_smtp_until, "SMTP")):
        if until is not None:
            days.append((until + one_day, f"the first day without the old {server} server"))
    if schedule.old_address_until is not None:
        days.append(
            (
                schedule.old_address_until + one_day,
                "the first day mail to the old addresses no longer arrives",
            )
        )
    for day, why in days:
        reasons.setdefault(day, []).append(why)
    return [KeyDate(day, "; ".join(reasons[day])) for day in sorted(reasons)]


def _until(day: dt.date | None) -> str:
    return str(day) if day is not None else "a day not decided yet (left out of [schedule])"


class _Conversation:
    """The pure dialog on one fixed day, started fresh for each path."""

    def __init__(self, profile: MigrationProfile, catalogs: Catalogs, day: dt.date) -> None:
        # Buttons only: no free text to read, so no morphological analyser to load.
        self.context = StepContext(profile=profile, texts=catalogs, today=day)

    def run(self, state: DialogState, **inbound: object) -> tuple[DialogState, list[object]]:
        message = Inbound(channel="preview", conversation_key="preview", event_id="0", **inbound)  # type: ignore[arg-type]
        result = step(state, message, self.context)
        return result.state, list(result.replies)


def _answers(
    profile: MigrationProfile, state: DialogState, replies: list[object]
) -> list[tuple[str, str]]:
    questions = [reply for reply in replies if isinstance(reply, ChoicesReply)]
    if not questions:
        return []
    choices = [(c.id, c.label) for c in questions[-1].choices if c.id not in _NOT_ANSWERS]
    question = profile.questionnaire.question(state.stage.value)
    if question is None:
        return [(choice, label) for choice, label in choices if choice != "unsure"]
    # "Don't know" that shares "yes"'s branch (or "no"'s) would print that path twice; one
    # that has a branch of its own leads to words the operator has not seen anywhere else.
    shared = {question.answers["yes"], question.answers["no"]}
    return [
        (choice, label)
        for choice, label in choices
        if choice != "unsure" or question.answers["unsure"] not in shared
    ]


def leaves(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, locale: Locale
) -> list[Leaf]:
    """Every path through the questionnaire on `day`, depth first, with its verdict."""
    talk = _Conversation(profile, catalogs, day)
    state, replies = talk.run(DialogState(), start=True, locale=locale)

    def walk(state: DialogState, replies: list[object], path: tuple[str, ...]) -> Iterator[Leaf]:
        if len(path) > _MAX_DEPTH:
            raise ValueError(f"the questionnaire goes deeper than {_MAX_DEPTH} questions")
        for choice, label in _answers(profile, state, replies):
            after, said = talk.run(state, choice=choice)
            verdicts = [reply for reply in said if isinstance(reply, VerdictReply)]
            if verdicts:
                # Named by the questions' own ids when the state keeps them (q1_...=yes).
                named = tuple(f"{question}={answer}" for question, answer in after.answers.items())
                yield Leaf(named or (*path, label), verdicts[-1].text)
            else:
                yield from walk(after, said, (*path, label))

    return list(walk(state, replies, ()))


def schedule_answer(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, locale: Locale
) -> str:
    """The answer to "when is the change?" on `day`."""
    talk = _Conversation(profile, catalogs, day)
    state, _ = talk.run(DialogState(), start=True, locale=locale)
    _, replies = talk.run(state, choice=f"topic:{Topic.SCHEDULE.value}")
    return "\n".join(reply.text for reply in replies if isinstance(reply, TextReply))


def preview(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, source: str
) -> list[str]:
    """The report's lines: the profile's facts, then each key date's answers."""
    schedule = profile.schedule
    # A name written in each language ([provider] name = { ja, en }) is shown as both; its
    # English one is not an alias the operator wrote.
    english = profile.provider_name_en
    name = f"{profile.provider_name} / {english}" if english else profile.provider_name
    aliases = [alias for alias in profile.provider_aliases if alias != english]
    lines = [
        f"{source}: valid ({name}, {profile.timezone})",
        *([f"also written: {', '.join(aliases)}"] if aliases else []),
        f"window {schedule.window_start} to {schedule.window_end};"
        + (
            # Nothing stops on the receiving side: no day to name, not "undecided".
            (
                f" receiving unchanged in this phase (it changes in the next, from"
                f" {schedule.next_phase_from}: [schedule] next_phase_from),"
                if schedule.next_phase_from is not None
                else " receiving unchanged (only sending changes),"
            )
            if profile.incoming.unchanged
            else f" old {old_receiving_name(profile)} answers until"
            f" {_until(schedule.old_pop_until)},"
        )
        + (
            # Nothing stops on the sending side: no day to name, not "undecided".
            (
                f" sending unchanged in this phase (it changes in the next, from"
                f" {schedule.next_phase_from}: [schedule] next_phase_from)"
                if schedule.next_phase_from is not None
                else " sending unchanged (only receiving changes)"
            )
            if profile.outgoing.unchanged
            else f" old SMTP until {_until(schedule.old_smtp_until)}"
        ),
        *_address_line(profile),
        # Read off the old port unless the profile says it: the operator sees which.
        f"sending today: port {profile.outgoing.old_port}"
        f" {'with' if profile.outgoing.old_authenticated else 'without'} SMTP AUTH"
        " ([outgoing] old_smtp_auth)",
        *(
            [f"own Outbound Port 25 Blocking from {day} ([schedule] op25b_from)"]
            if (day := schedule.op25b_from) is not None
            else []
        ),
        *_login_line(profile),
        *(
            [
                f"webmail: {webmail.url}"
                + (
                    f"; sent there instead of a guide: {', '.join(webmail.only_for)}"
                    " ([webmail] only_for)"
                    if webmail.only_for
                    else ""
                )
            ]
            if (webmail := profile.webmail) is not None
            else []
        ),
        *_withheld_files_line(profile),
        *(
            [
                f"new password by {reset.kind}: {reset.page_en}"
                if reset.kind in (PasswordKind.POST, PasswordKind.EMAIL)
                else f"{reset.kind} password first: {reset.url} ({reset.page_en})"
            ]
            if (reset := profile.password_reset) is not None
            else []
        ),
    ]
    # The subscriber-independent facts, and the address in the notice's notation
    # (「********@…」) for the texts that name one.
    facts = {
        **profile_facts(profile, catalogs, locale),
        **fill_values(
            profile,
            CardFacts(address=None, sending=Sending.REQUIRED, smtp_host=None),
            lambda key, /, **params: catalogs.fill(locale, key, params),
        ),
    }
    for key_date in key_dates(profile):
        day = key_date.day
        when = timing(profile, day)
        lines += ["", f"== {day} ({day:%a}): {key_date.why}", "-- when is the change?"]
        lines += _indented(schedule_answer(profile, catalogs, day, locale))
        for leaf in leaves(profile, catalogs, day, locale):
            lines.append(f"-- answers {' > '.join(leaf.answers)}")
            lines += _indented(leaf.verdict)
        leads = [catalogs.fill(locale, key, facts) for key in settings_lead_keys(when)]
        leads += [catalogs.fill(locale, key, facts) for key in address_change_keys(when)]
        leads += [catalogs.fill(locale, key, facts) for key in password_reset_keys(when)]
        if leads:
            lines.append("-- before the settings")
            lines += _indented("\n".join(leads))
        offered = "offered" if offers_config_file(when) else "not offered yet"
        lines.append(f"-- configuration files (Thunderbird, Apple, Outlook): {offered}")
    return lines


_LOGIN_WORDS: Final = {
    LoginName.ADDRESS: "the whole address",
    LoginName.LOCAL_PART: "the part before @",
    # An id the bot cannot show: the operator sees that it was read as one.
    LoginName.MAILBOX_ID: "a mailbox id",
}


def _login_line(profile: MigrationProfile) -> list[str]:
    """How the receiving login changes, if it does: the texts warn about it either way.

    Every direction is printed (Hoshizora's whole address to the part before @ was not),
    so the operator sees which way old_login_name and login_name were read.
    """
    incoming = profile.incoming
    if incoming.old_login_name is incoming.login_name:
        return []
    return [
        f"login today: {_LOGIN_WORDS[incoming.old_login_name]} (old_login_name), from now on"
        f" {_LOGIN_WORDS[incoming.login_name]}"
    ]


def _address_line(profile: MigrationProfile) -> list[str]:
    """Where the addresses move and until when the old ones receive; none if they stay."""
    if not profile.domain_changes:
        return []
    moves = ", ".join(f"@{old} -> @{new}" for old, new in profile.new_domains)
    until = _until(profile.schedule.old_address_until)
    sender = profile.schedule.old_sender_until
    also = f"; the old address may stay the sender until {sender}" if sender else ""
    return [f"addresses move: {moves}; mail to the old addresses arrives until {until}{also}"]


def _withheld_files_line(profile: MigrationProfile) -> list[str]:
    # The files no supported program may load are not served (bot.web.config_file_routes):
    # an operator pointing autoconfig.<domain> at mailmove sees why it answers 404.
    names = [
        name
        for name, readers in (
            ("Thunderbird autoconfig", AUTOCONFIG_READERS),
            ("Outlook autodiscover", AUTODISCOVER_READERS),
            ("Apple .mobileconfig", APPLE_FILE_READERS),
        )
        if withheld_for_webmail(profile, readers)
    ]
    if not names:
        return []
    return [f"not served, every program that loads it sent to webmail: {', '.join(names)}"]


def _indented(text: str) -> list[str]:
    return [f"{_INDENT}{line}" if line else "" for line in text.splitlines()]
