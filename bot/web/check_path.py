"""The login check's link path, and the link written so that only its owner can use it.

A link (`/check/<token>`, `bot.mailcheck.check_links`) works once, for ten minutes, for
whoever opens it first. The subscriber's own web chat shows it again after a reload; every
other view of the conversation (the agent API and console, the desks' mirrors and threads,
handoff summaries) shows it as `/check/…`: an agent who opened it would use up the
subscriber's check, and one pasted into a desk's thread is read by everyone there.
"""

from __future__ import annotations

import re
from typing import Final

PATH_PREFIX: Final = "/check/"
# The token's alphabet (token_urlsafe's); its length is checked where a link is opened, so a
# token cut short or run on when copied is hidden all the same.
_CHECK_LINK: Final = re.compile(re.escape(PATH_PREFIX) + r"[A-Za-z0-9_-]{8,}")
HIDDEN: Final = "…"  # what stands for the token


def hide_check_tokens(text: str) -> str:
    """`text` with every check link's token written as `…` (the rest of the link kept)."""
    if PATH_PREFIX not in text:
        return text
    return _CHECK_LINK.sub(PATH_PREFIX + HIDDEN, text)
