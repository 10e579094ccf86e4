"""A person asked for by telephone: 「電話で聞きたい」「電話番号を教えて」 or "call me".

The desk answers in the chat; whoever asked for a call is also told the contact the profile
gives for the desk (`contact_ja` / `contact_en`), where a telephone can be found.
"""

from __future__ import annotations

import re
from typing import Final

_CALL: Final = re.compile(
    # Not the phone the mail is read on: 「携帯電話で」「電話でメールを見ています」 is no call.
    r"(?<!携帯)(?<!けいたい)(?<!固定)(?:電話|でんわ|デンワ)(?!\s*で\s*(?:メール|めーる|見|み))"
    r"|\b(?:call|ring|phone|telephone)\b(?!\s+(?:mail|app))",
    re.IGNORECASE,
)


def wants_a_call(text: str) -> bool:
    """Whether `text`, a request for a person, asks for one on the telephone."""
    return bool(_CALL.search(text))
