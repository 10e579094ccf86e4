"""Answers to questions not yet asked, told in the subscriber's own story.

「会社でも家でもOutlookで送っています」 or "I only use 117net at home and Outlook cannot send"
at the first question tells the network question's answer before it is asked; the bot asked
it anyway, and the subscriber had to say again what they had written. A part of the message
that speaks of the question's subject (the line: home, work, a provider; the server) is read
as an answer to it; the turn keeps the answer and, when the question comes, says it back
instead of asking (`Turn._take_told`), so 「戻る」 still undoes it.
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.flowchart import Reading
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.answers import affirmed_ahead, clauses, read_answer
from dialogs.reading.morphemes import Analyser
from dialogs.reading.stage_reading import own_names
from dialogs.understanding import Kind

# What a part of the message must speak of to answer the question: the line, or the server.
_SUBJECT: Final[dict[Reading, re.Pattern[str]]] = {
    Reading.OTHER_NETWORK: re.compile(
        r"家|自宅|うち|会社|職場|勤務先|外出先|出先|lan|プロバイダ|回線|wi-?fi"
        # 「外ではドコモです」: away from home, by another company's line.
        r"|(?<!以)外|そと|ドコモ|docomo|(?<![a-z])au(?![a-z])|ソフトバンク|softbank|楽天"
        r"|\b(?:home|house|work|office|providers?|networks?|isps?)\b"
        # "I use docomo when I'm out" (subscriber19).
        r"|\bwhen (?:i'?m|i am|we'?re|we are) (?:out|away|outside)\b"
        r"|\boutside\b(?!\s+servers?)|\baway from home\b"
    ),
    Reading.OUR_SMTP: re.compile(r"サーバ|smtp|\bservers?\b"),
}
_READER: Final[dict[Reading, Stage]] = {
    Reading.OTHER_NETWORK: Stage.Q2_OTHER_NETWORK,
    Reading.OUR_SMTP: Stage.Q3_USES_OUR_SMTP,
}
# 「家のパソコンだけで使ってます」 describes a computer, not the line: never the network
# question's no (it would lower the change needed on words about something else).
_DEVICE: Final = re.compile(
    r"パソコン|ぱそこん|\bpc\b|スマホ|携帯|けいたい|iphone|ipad|タブレット|\b(?:computer|laptop|phone)\b"
)
# "…at home and Outlook cannot send": the parts of one English sentence.
_AND: Final = re.compile(r"\s+and\s+|\s*(?:し|て)、")
# The provider's line named as the only one, and then something else too, or denied.
_OTHERWISE: Final = re.compile(
    r"会社|職場|外|lan|ない|ません|\b(?:not|n't|work|office|also|too|sometimes)\b|も"
)
_TOLD: Final[dict[Kind, str]] = {Kind.YES: "yes", Kind.NO: "no"}
# A guess anywhere in the message: 「たぶん117netだけです」 is 'unsure' at the network question,
# and was its firm no ahead of it (review). Asked when the question comes instead.
_GUESSED: Final = re.compile(
    r"たぶん|多分|おそらく|恐らく|かも|気がし|はず|"
    r"\b(?:maybe|probably|perhaps|i think|i guess|i believe|not sure)\b"
)


def told_answers(
    text: str,
    questions: dict[str, Reading],
    profile: MigrationProfile,
    analyser: Analyser | None = None,
) -> dict[str, str]:
    """The answers (question id → "yes" / "no") that normalised `text` gives to `questions`.

    `questions` are the ones not on screen and not yet answered, with their readers. A
    question is answered only where every part of `text` that speaks of its subject reads
    as the same yes or no; a part that asks, guesses or contradicts answers nothing.
    """
    parts = [part for clause in clauses(text) for part in _AND.split(clause) if part.strip()]
    own = own_names(profile)
    told: dict[str, str] = {}
    for question_id, reading in questions.items():
        subject, reader = _SUBJECT.get(reading), _READER.get(reading)
        if subject is None or reader is None:
            continue
        kinds = set()
        for part in parts:
            if not subject.search(part) and not _names_the_provider_alone(part, profile):
                continue
            if reading is Reading.OTHER_NETWORK and _names_the_provider_alone(part, profile):
                # "I only use 117net at home", 「うちは117netだけ」: its own line and no other.
                kinds.add(None if _OTHERWISE.search(part) or _GUESSED.search(text) else Kind.NO)
                continue
            morphemes = analyser(part) if analyser else None
            answer = read_answer(part, reader, morphemes, own)
            kind = answer.kind if answer is not None else None
            if kind is Kind.YES and not affirmed_ahead(part, reader, own):
                # A yes only in the plain words said ahead of a question (「会社からも送り
                # ます」), not 「会社のパソコンです」: whose computer, not which line.
                kind = None
            kinds.add(kind)
        if len(kinds) != 1:
            continue
        (kind,) = kinds
        if kind is Kind.NO and reading is Reading.OTHER_NETWORK and _DEVICE.search(text):
            continue
        if kind in _TOLD:
            told[question_id] = _TOLD[kind]
    return told


def _names_the_provider_alone(part: str, profile: MigrationProfile) -> bool:
    """「117netだけです」: the provider's line named as the only one."""
    names = (profile.provider_name, *profile.provider_aliases)
    return any(
        re.search(
            rf"{re.escape(name.lower())}\s*(?:の回線)?\s*(?:だけ|のみ|しか)"
            rf"|\bonly (?:use |have )?{re.escape(name.lower())}\b(?! ?(?:mail|e-?mail|'s))",
            part,
        )
        for name in names
        if name
    )


# What a changed answer must say to lower the change needed (the network's yes turned no): the
# line named as the only one (「いいえ、家だけです」, "no, no other provider", "never from
# office"). 「いいえ、家では使いません」 says nothing of other lines.
_ONLY_SAID: Final = re.compile(r"だけ|のみ|しか|以外|\b(?:only|just|no other|never)\b")
# The words of the later questions themselves (the server, the blocking): 「家ではブロック
# されていません」 at the blocking question answers it, of home, and changes no earlier answer.
_LATER_SUBJECTS: Final = re.compile(
    r"ブロック|op25b|(?<![0-9])25(?![0-9])|制限|サーバ|smtp|\b(?:block\w*|servers?)\b"
)


# The blocking question's own words: the sending-server question's answer is not in them.
_BLOCKING: Final = re.compile(r"ブロック|op25b|(?<![0-9])25(?![0-9])|制限|\bblock\w*")


def may_change(text: str, to: str, reading: Reading | None = None) -> bool:
    """Whether normalised `text`, typed at a later question, may change an earlier answer to `to`.

    Never where it speaks of the later questions' own subjects; to a no only where it says
    "only" (a no lowers the change needed). The sending-server question (`reading`) is
    changed by words of the server, its own subject: 「やっぱりいいえ、gmailのサーバーで送って
    ます」 at the blocking question names the server that sends, which its no is read from.
    """
    if reading is Reading.OUR_SMTP:
        return _BLOCKING.search(text) is None
    if _LATER_SUBJECTS.search(text):
        return False
    return to != "no" or _ONLY_SAID.search(text) is not None
