"""What a reported problem proves, its cause and its one fix, worded from the profile.

A problem report answers questions the subscriber was never asked: whoever pastes an
Outlook error uses a mail program, and a relay refusal from another network proves the
sending settings must change. What that means for the profile's own questions is the
questionnaire's to say (`Questionnaire.using_a_program`, `.sending_required`); a proof only
ever asks for more change, so a problem report can never lower the change needed. Facts in
the wording come from the profile through placeholders ({new_smtp}, {smtp_port},
{pop_server}, {old_pop_until}).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from dialogs.knowledge import (
    Timing,
    Topic,
    Window,
    answer_keys,
    for_profile,
    for_window,
    old_server_key,
)
from dialogs.reading.problems import Problem
from dialogs.texts import N_


class Proof(enum.StrEnum):
    """What a problem report proves about the subscriber, whatever the questions are."""

    USES_A_PROGRAM = "uses_a_program"
    # The sending settings must change (and the subscriber uses a program to send).
    SENDING_REQUIRED = "sending_required"


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A problem's cause and fix (catalog keys, in order) and what it proves, if anything."""

    keys: tuple[str, ...]
    proves: Proof | None


# Problems whose answer holds before the window too: what happens to old mail, and "type
# the error's text".
_ANY_DAY: Final = frozenset(
    {
        Problem.MAIL_MISSING,
        Problem.ERROR_WITHOUT_TEXT,
        # A code no rule knows: its sentence, or a person, on any day.
        Problem.UNKNOWN_CODE,
        # Bounces for the recipient or the size: the settings worked, on any day.
        Problem.RECIPIENT_UNKNOWN,
        Problem.TOO_LARGE,
        # A full mailbox, a message refused as spam, too many recipients: no setting of the
        # migration causes them, on any day.
        Problem.MAILBOX_FULL,
        Problem.SPAM_REJECTED,
        Problem.TOO_MANY_RECIPIENTS,
        # The old server locks a mailbox just as the new one does.
        Problem.MAILBOX_IN_USE,
        # A message without a sender, recipient or subject: no server involved.
        Problem.MESSAGE_INCOMPLETE,
        # The program's own data file, a start or a freeze: no server involved either.
        Problem.PROGRAM_FAULT,
        # The webmail's login: no program, so no setting that waits for the window.
        Problem.WEBMAIL_LOGIN,
    }
)


# A receiving problem's cause once the old receiving server is gone (dates_said_once.po).
_CANT_RECEIVE_OLD_GONE: Final[dict[str, str]] = {
    N_("problem.cant_receive"): N_("problem.cant_receive.old_gone"),
    N_("problem.cant_receive.any"): N_("problem.cant_receive.any.old_gone"),
    N_("problem.cant_receive.hosts_kept"): N_("problem.cant_receive.hosts_kept.old_gone"),
}


# The notice's connection problems put down to port 25 being blocked, and their words for
# subscribers who do not send on port 25 today (`Timing.old_smtp_on_port_25`).
_NOT_PORT_25_KEYS: Final[dict[str, str]] = {
    N_("problem.send_connect.old_up"): N_("problem.send_connect.old_up.not_port_25"),
    N_("problem.send_connect"): N_("problem.send_connect.not_port_25"),
    N_("problem.connect"): N_("problem.connect.not_port_25"),
    N_("problem.send_connect.old_up.hosts_kept"): N_(
        "problem.send_connect.old_up.hosts_kept.not_port_25"
    ),
    N_("problem.send_connect.old_up.hosts_kept.undecided"): N_(
        "problem.send_connect.old_up.hosts_kept.undecided.not_port_25"
    ),
    N_("problem.send_connect.hosts_kept"): N_("problem.send_connect.hosts_kept.not_port_25"),
    N_("problem.connect.hosts_kept"): N_("problem.connect.hosts_kept.not_port_25"),
    N_("problem.connect.smtp_kept"): N_("problem.connect.smtp_kept.not_port_25"),
}


def diagnose(problem: Problem, when: Timing) -> Diagnosis:
    """The diagnosis of `problem` today: whether the old servers still answer matters."""
    found = _diagnose(problem, when)
    if (
        when.hosts_kept
        or when.receiving_unchanged
        or when.sending_host_kept
        or when.receiving_host_kept
    ):
        # A migration that keeps its host names words every answer without a move; one that
        # changes only sending, without a receiving change (its outgoing name may move); one
        # that keeps only the outgoing name, or only the receiving one, without a move of it.
        found = Diagnosis(tuple(for_profile(key, when) for key in found.keys), found.proves)
    if not when.old_smtp_on_port_25:
        # Outbound Port25 Blocking stops port 25 only: no cause for who sends on 587 today.
        keys = tuple(_NOT_PORT_25_KEYS.get(key, key) for key in found.keys)
        found = Diagnosis(keys, found.proves)
    if when.window is Window.BEFORE and problem not in _ANY_DAY:
        # Before the window mail still arrives at the old server with the old account: the
        # new settings would break what works, and the card says "change nothing yet".
        key = for_window(N_("problem.before_window"), when)
        # The refusal is not the migration's, so it proves no change of sending (「従来の
        # 設定では送信できません」 beside 「別の原因が考えられます」): only that a program is used.
        proves = Proof.USES_A_PROGRAM if found.proves is not None else None
        return Diagnosis((for_profile(key, when),), proves)
    return found


def _diagnose(problem: Problem, when: Timing) -> Diagnosis:
    """The diagnosis inside or after the window."""
    if problem is Problem.AUTH_MISSING:
        # The server asks for authentication: the sending settings must change, whatever
        # the network.
        return Diagnosis((for_profile(N_("problem.auth_missing"), when),), Proof.SENDING_REQUIRED)
    if problem is Problem.RELAY_DENIED:
        return Diagnosis((N_("problem.relay_denied"),), Proof.SENDING_REQUIRED)
    if problem is Problem.SEND_CONNECT:
        # While the old outgoing server answers, "it is out of service" is no cause to give.
        key = N_("problem.send_connect.old_up") if when.old_smtp_up else N_("problem.send_connect")
        return Diagnosis((key,), Proof.SENDING_REQUIRED)
    if problem is Problem.LOGIN_FAILED:
        return Diagnosis((for_profile(N_("problem.login_failed"), when),), Proof.USES_A_PROGRAM)
    if problem is Problem.RECEIVE_CONNECT:
        key = (
            N_("problem.receive_connect.old_up")
            if when.old_pop_up
            else N_("problem.receive_connect.old_gone")
        )
        return Diagnosis((for_profile(key, when),), Proof.USES_A_PROGRAM)
    if problem is Problem.AUTH_METHOD:
        # The method each server takes, from the profile; the account and password as ever.
        return Diagnosis((N_("problem.auth_method"),), Proof.USES_A_PROGRAM)
    if problem is Problem.MAILBOX_IN_USE:
        # The server answered, so its name is right: another session holds the mailbox.
        return Diagnosis((N_("problem.mailbox_in_use"),), Proof.USES_A_PROGRAM)
    if problem is Problem.CERTIFICATE:
        # Names and the encryption setting as the profile has them, whatever the day: a
        # certificate warning is never fixed by accepting it.
        return Diagnosis((N_("problem.certificate"),), Proof.USES_A_PROGRAM)
    if problem is Problem.CONNECT:
        if when.old_pop_up and when.old_smtp_up:
            return Diagnosis((N_("problem.connect"),), Proof.USES_A_PROGRAM)
        # An old server is gone: the likeliest reason nothing answers, said with its day.
        return Diagnosis((N_("problem.connect"), old_server_key(when)), Proof.USES_A_PROGRAM)
    if problem is Problem.CANT_SEND:
        key = N_("problem.cant_send") if when.old_smtp_up else N_("problem.cant_send.old_gone")
        return Diagnosis((key,), Proof.USES_A_PROGRAM)
    if problem is Problem.CANT_RECEIVE:
        cause = for_profile(N_("problem.cant_receive"), when)
        if when.receiving_unchanged:
            # Not the migration's doing: the day sending changes says nothing to it.
            return Diagnosis((cause,), Proof.USES_A_PROGRAM)
        old_gone = _CANT_RECEIVE_OLD_GONE.get(cause)
        if not when.old_pop_up and old_gone is not None:
            # The old servers' line says the mail waits on the new server until the settings
            # change (「…設定を変更すると受信できます」): the cause, after it, says only what
            # to change, or 「変更すると受信できます」 was said twice.
            return Diagnosis((old_server_key(when), old_gone), Proof.USES_A_PROGRAM)
        return Diagnosis((cause, old_server_key(when)), Proof.USES_A_PROGRAM)
    if problem is Problem.RECIPIENT_UNKNOWN:
        # The mail left and came back: nothing here proves or changes a setting.
        return Diagnosis((N_("problem.recipient_unknown"),), None)
    if problem is Problem.TOO_LARGE:
        return Diagnosis((N_("problem.too_large"),), None)
    if problem is Problem.MAILBOX_FULL:
        return Diagnosis((N_("problem.mailbox_full"),), None)
    if problem is Problem.SPAM_REJECTED:
        return Diagnosis((N_("problem.spam_rejected"),), None)
    if problem is Problem.TOO_MANY_RECIPIENTS:
        return Diagnosis((N_("problem.too_many_recipients"),), None)
    if problem is Problem.UNKNOWN_CODE:
        return Diagnosis((N_("problem.unknown_code"),), None)
    if problem is Problem.PROGRAM_FAULT:
        # No server setting fixes the program's own files: a person, with nothing proved (a
        # program is in use, but its trouble says nothing of the questions).
        return Diagnosis((N_("problem.program_fault"),), None)
    if problem is Problem.WEBMAIL_LOGIN:
        # The notice changes mail programs only (webmail 「そのままお使いいただけます」): what
        # refuses the webmail's login is nothing the bot can set, so a person; and nothing
        # proved, so the mail-program question's no stands. Where the domain changes, the
        # address does for webmail users too (as the webmail topic says), so that is said.
        if when.domain_changes:
            return Diagnosis((N_("problem.webmail_login.new_domain"),), None)
        return Diagnosis((N_("problem.webmail_login"),), None)
    if problem is Problem.ACCOUNT_NOT_SAVED:
        # The program tried the servers with what was typed: the fields against the card.
        return Diagnosis((N_("problem.account_not_saved"),), Proof.USES_A_PROGRAM)
    if problem is Problem.MESSAGE_INCOMPLETE:
        # The program checked the message before sending it: a program is used, nothing more.
        return Diagnosis((N_("problem.message_incomplete"),), Proof.USES_A_PROGRAM)
    if problem in (Problem.ENCRYPTION_REQUIRED, Problem.ENCRYPTION_MISMATCH):
        # The encryption each server uses, from the profile: the same answer as the question,
        # whichever side asked for encryption the other would not use.
        return Diagnosis(answer_keys(Topic.SECURITY, when), Proof.USES_A_PROGRAM)
    if problem is Problem.SENDER_NOT_OWNED:
        # It logged in to send: a program, whose sender and account disagree.
        return Diagnosis((N_("problem.sender_not_owned"),), Proof.USES_A_PROGRAM)
    if problem is Problem.MAIL_MISSING:
        # The question's own answer, so "receive once before changing" is never said once
        # the old server no longer answers.
        return Diagnosis(answer_keys(Topic.OLD_MAIL, when), Proof.USES_A_PROGRAM)
    return Diagnosis((N_("problem.error_without_text"),), None)
