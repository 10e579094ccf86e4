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

from dialogs.understanding import find_address, normalise

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
    address = find_address(text)
    if address:
        return address
    for match in _PHONE.finditer(normalise(text)):
        if sum(c.isdigit() for c in match.group(0)) >= _MIN_DIGITS:
            return match.group(0).strip()
    return None
