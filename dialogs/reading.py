"""Reading typed words in the light of the current stage: one `Intent` per message.

`understanding` knows the words that mean the same everywhere ("戻る", "はい", an address);
this module knows what they mean where the subscriber stands ("outlook" while choosing a
program, "vs.117.ne.jp" while asked for the outgoing server).
"""

from __future__ import annotations

import re
from typing import Final

from dialogs import understanding
from dialogs.mail_programs import MailProgram, recognise_mail_program
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import QUESTIONS, Stage
from dialogs.redaction import redact
from dialogs.understanding import Intent, Kind

# Said after the settings were given: the bot is not helping, so a person should.
_STILL_BROKEN: Final = re.compile(
    r"まだ.*でき(ない|ません)|うまくいか|うまく行か|直らな|なおらな|解決しな|だめでした|ダメでした"
    r"|still (does ?n.?t|do ?n.?t|can.?t|cannot|not)|does ?n.?t work|not working"
)
_CHECK_WORDS: Final = re.compile(
    r"ログイン.*確認|確認したい|テスト|試したい|試して|\bcheck\b|\btest\b|\btry\b"
)
_NEW_OUTLOOK: Final = ("新しい", "新", "new", "ニュー")
_CLASSIC_OUTLOOK: Final = ("クラシック", "従来", "古い", "classic", "old", "2016", "2019")
_WEBMAIL: Final = ("webメール", "ウェブメール", "webmail", "web mail")


def read_text(
    raw: str, stage: Stage, offered: tuple[str, ...], profile: MigrationProfile
) -> Intent:
    """What `raw` means at `stage`, given the buttons last `offered`."""
    text = understanding.normalise(raw)
    if not text:
        return Intent(Kind.UNKNOWN)
    if redact(raw)[1]:
        return Intent(Kind.SECRET_TYPED)
    picked = understanding.pick_offered(text, offered)
    if picked is not None:
        return understanding.understand_choice(picked)
    command = understanding.understand_command(text)
    if command is not None:
        return command
    address = understanding.find_address(text)
    if address is not None:
        return Intent(Kind.ADDRESS, address)
    at_stage = _read_for_stage(text, stage, profile)
    if at_stage is not None:
        return at_stage
    return understanding.understand_topic(text) or Intent(Kind.UNKNOWN)


def _read_for_stage(text: str, stage: Stage, profile: MigrationProfile) -> Intent | None:
    if stage is Stage.Q1_MAIL_PROGRAM and any(word in text for word in _WEBMAIL):
        return Intent(Kind.NO)
    if stage is Stage.ASK_SMTP_HOST:
        return _named_smtp_host(text, profile) or understanding.understand_answer(text)
    if stage in QUESTIONS:
        return understanding.understand_answer(text)
    if stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS):
        return Intent(Kind.SKIP) if understanding.understand_skip(text) else None
    if stage is Stage.ASK_OUTLOOK_KIND:
        return _outlook_kind(text) or program_intent(text)
    if stage is Stage.SETTINGS_DELIVERED:
        if _STILL_BROKEN.search(text):
            return Intent(Kind.HUMAN, "still_broken")
        if _CHECK_WORDS.search(text):
            return Intent(Kind.CHOICE, "check")
    if stage in (Stage.ASK_PROGRAM, Stage.SETTINGS_DELIVERED):
        return program_intent(text)
    return None


def _named_smtp_host(text: str, profile: MigrationProfile) -> Intent | None:
    outgoing = profile.outgoing
    if any(host in text for host in outgoing.old_hosts):
        return Intent(Kind.YES)
    if outgoing.new_host in text or "smtp." in text or "mail." in text:
        return Intent(Kind.NO)
    return None


def program_intent(text: str) -> Intent | None:
    """A mail program named anywhere in `text`, as the button that would choose it."""
    program = recognise_mail_program(text)
    if program is None:
        return None
    value = program if isinstance(program, str) else program.value
    return Intent(Kind.CHOICE, f"program:{value}")


def _outlook_kind(text: str) -> Intent | None:
    if any(word in text for word in _NEW_OUTLOOK):
        return Intent(Kind.CHOICE, f"program:{MailProgram.OUTLOOK_NEW.value}")
    if any(word in text for word in _CLASSIC_OUTLOOK):
        return Intent(Kind.CHOICE, f"program:{MailProgram.OUTLOOK_CLASSIC.value}")
    return None
