"""A message for the desk when no one can take the chat, and how it says to call back.

The desk needs a phone number or an address that still receives mail; the words of the
question are the subscriber's own and are kept as typed (masked if a password slipped in).

The phone matcher is hand-written: it only has to notice that a number is there, which a
desk person then dials, not to validate or format it (a full numbering-plan library would
be a new dependency for a yes/no).
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.understanding import find_address, normalise, without_addresses

# A Japanese number (0 and 9–10 more digits) or an international one (+ and 10–14 digits),
# with the hyphens, spaces, dots or brackets people write between the groups.
_PHONE: Final = re.compile(r"(?<!\d)(?:\+\d[\d\-\s().]{8,18}\d|0[\d\-\s().]{8,14}\d)(?!\d)")
_MIN_DIGITS: Final = 10


# The whole message takes the offer back (「やっぱりやめます」「戻る」「キャンセル」 "never mind"):
# typed where only a button could leave, which LINE's quick replies no longer show.
_WITHDRAWN: Final = re.compile(
    r"(?:やっぱり|やはり|すみません|すいません)?[、,\s]*"
    r"(?:やめ(?:る|ます|ておきます|とく|ました)?|止め(?:る|ます)|キャンセル|取り消し|とりけし"
    r"|(?:もう)?(?:いいです|結構です|けっこうです|大丈夫です)|戻る|もどる|戻ります|(?:質問|続き)に戻(?:る|りたい|ります)"
    r"|cancel|never ?mind|go back|back|stop)[。.!！\s]*"
)


# The ids of the two buttons under the offer to take a message (「伝言を残す」「自動案内を続ける」);
# the second is also the menu's 「質問に戻る」: back to the question where the chat was.
LEAVE_MESSAGE: Final = "desk_message"
CARRY_ON: Final = "resume"
# Typed instead of pressed, a yes or the button's words takes the offer...
_YES: Final = r"(?:はい|ええ|うん|yes|ok|okay|sure)"
_LEAVE_WORDS: Final = (
    r"(?:伝言|でんごん|メッセージ)を?\s*(?:残(?:す|します|したい(?:です)?)|のこ(?:す|します|したい)"
    r"|お願い(?:します|いたします)?|おねがい(?:します)?|頼みます|したい(?:です)?|で)?"
    r"|お願い(?:します|いたします)|おねがいします|頼みます|よろしく(?:お願いします)?"
    r"|(?:i'?d like to |i want to )?(?:leave|take) (?:a )?message(?: please)?|please"
)
_LEAVES: Final = re.compile(rf"(?:{_YES}[、,\s]*(?:{_LEAVE_WORDS})?|(?:{_LEAVE_WORDS}))[。.!！\s]*")
# ...and a no or the other button's words declines it, back to where the chat was: read as
# the question underneath, 「いいえ」 said "I use no mail program" and ended the questions.
_DECLINING: Final = r"(?:いいえ|いや|いえ|no)"
_CARRIES_ON: Final = re.compile(
    rf"(?:(?:{_DECLINING}[、,\s]*)?"
    r"(?:(?:自動案内を|案内を|質問を|このまま)?(?:続け(?:る|ます|たい(?:です)?|てください)|つづける)"
    r"|(?:いい|結構|けっこう|大丈夫|だいじょうぶ)です|(?:continue|carry on|go on)(?: with the bot)?"
    rf"(?: please)?|no thanks?)|{_DECLINING})[。.!！\s]*"
)


# What a line giving only a way to call back says besides it: 「電話番号は…です」「連絡先：…
# お願いします」 "my number is …". A name or the trouble beside the number is more than this.
_ONLY_THE_CONTACT: Final = re.compile(
    r"(?:(?:私|わたし|僕|ぼく)の)?(?:お?電話|携帯|けいたい|ケータイ|自宅|日中|折り?返し|おりかえし)?"
    r"(?:番号|ばんごう|連絡先|れんらくさき|の?ご?連絡|電話|でんわ)?"
    r"|は|が|に|へ|まで|で(?:す|お願いします)?|お願い(?:します|いたします)?|おねがいします|ください|下さい"
    r"|よろしく(?:お願いします)?|\b(?:my|phone|mobile|cell|tel|number|is|it'?s|call|me|back|at|on"
    r"|please|contact|you can reach me|reach)\b|[、。,.!！:：\s\-()（）]"
)


def says_only_how_to_call(text: str) -> bool:
    """Whether `text` gives a phone number and nothing else the desk could read of the trouble."""
    written = normalise(without_addresses(text))
    if phone_in(text) is None:
        return False
    rest = _PHONE.sub("", written)
    return not _ONLY_THE_CONTACT.sub("", rest).strip()


_NO_FIRST: Final = re.compile(r"^(?:いいえ|いや|いえ|no)\b[、,.\s]*")
_MESSAGE_NAMED: Final = re.compile(r"伝言|でんごん|メッセージ|\bmessage\b")


def answer_to_offer(text: str) -> str | None:
    """The button that `text`, typed under the offer to take a message, stands for, or None.

    Only a whole message that is a yes or a no, or one of the buttons' words; anything else
    (a problem, a question) is read as it would be without the offer.
    """
    folded = normalise(text)
    if not folded:
        return None
    # 「いいえ、伝言をお願いします」 "no, leave a message": no to the bot, the message named.
    rest = _NO_FIRST.sub("", folded, count=1)
    if _LEAVES.fullmatch(folded) or (
        rest != folded and _MESSAGE_NAMED.search(rest) and _LEAVES.fullmatch(rest)
    ):
        return LEAVE_MESSAGE
    if _CARRIES_ON.fullmatch(folded) or withdraws(folded):
        return CARRY_ON
    return None


def withdraws(text: str) -> bool:
    """Whether `text`, all of it, takes back leaving a message."""
    return _WITHDRAWN.fullmatch(normalise(text)) is not None


def has_callback(text: str) -> bool:
    """Whether `text` holds a phone number or an e-mail address to reach the subscriber."""
    return callback_in(text) is not None


def callback_in(text: str) -> str | None:
    """The phone number or e-mail address in `text` to reach the subscriber, else None.

    An address as found; a number as written (after width normalisation), for a person to dial.
    """
    # A number first: beside an address it is where to call, the address most often the
    # account in trouble (「taro@… が受信できません。090-… に電話ください」).
    return phone_in(text) or find_address(text)


def phone_in(text: str) -> str | None:
    """The phone number in `text`, as written (after width normalisation), else None.

    Not digits inside an address (「taro0312345678@…」).
    """
    for match in _PHONE.finditer(normalise(without_addresses(text))):
        if sum(c.isdigit() for c in match.group(0)) >= _MIN_DIGITS:
            return match.group(0).strip()
    return None
