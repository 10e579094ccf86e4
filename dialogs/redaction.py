"""Spotting a password typed into the chat, so it is masked before anything stores it.

The bot never asks for a password in the chat, but subscribers sometimes type one anyway
("パスワードは abc123 です"). Chat platforms keep what was sent; mailmove must not also
keep it in its transcript, so the runtime stores the masked text and the dialog warns.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

MASK: Final = "********"
# "password" (any way people write it), a separator, then one token that is not a
# question about passwords ("パスワードは変わりますか" has no token after "は" that looks secret).
_TYPED_PASSWORD: Final = re.compile(
    r"(?P<label>パスワード|ぱすわーど|暗証番号|password|passwd|pass ?word|pw|pwd)"
    r"(?P<sep>\s*(?:は|:|：|=|is|です|→)\s*|\s+)"
    r"(?P<secret>[!-~]{4,64})",
    re.IGNORECASE,
)
_NOT_SECRETS: Final = frozenset({"same", "unchanged", "change", "changed", "what", "does", "will"})


def redact(text: str) -> tuple[str, bool]:
    """`text` with anything that follows "password:" masked, and whether anything was."""
    folded = unicodedata.normalize("NFKC", text)
    found = False

    def mask(match: re.Match[str]) -> str:
        nonlocal found
        secret = match.group("secret")
        if secret.lower().strip("?.!") in _NOT_SECRETS:
            return match.group(0)
        found = True
        return f"{match.group('label')}{match.group('sep')}{MASK}"

    masked = _TYPED_PASSWORD.sub(mask, folded)
    return (masked, True) if found else (text, False)
