"""Slack's markup in a message's text, read back as the words a person typed.

Slack sends a message's text in its own markup: a typed host name, address or URL comes as
`<http://vpop.117.ne.jp|vpop.117.ne.jp>`, a mention as `<@U…>`, and `&`, `<`, `>` as
entities (https://docs.slack.dev/messaging/formatting-message-text). A subscriber's words
(`events`) and an agent's (`desk_thread`) are read the same way. Pure.
"""

from __future__ import annotations

import re
from typing import Final

_SLACK_MARKUP: Final = re.compile(r"<([^<>]*)>|&(lt|gt|amp);")
_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&"}


def typed_text(text: str) -> str:
    """`text` as it reads on screen: links as their words, entities as their characters.

    Read in one pass, so an escaped `&lt;` never opens a link.
    """
    return _SLACK_MARKUP.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    """One piece of Slack markup as words: a link's label (and its address if it differs)."""
    if match.group(2) is not None:
        return _ENTITIES[match.group(2)]
    target, _, label = (_entities(part) for part in match.group(1).partition("|"))
    if target[:1] in ("@", "#"):
        return target[0] + (label.removeprefix(target[0]) or target[1:])
    if target.startswith("!"):
        # <!here>, <!channel>, <!subteam^S…|@team>, <!date^…|fallback>
        return label or "@" + target[1:].split("^")[0]
    address = target.removeprefix("mailto:")
    if not label or label in (address, address.split("://", 1)[-1]):
        return label or address
    return f"{label} ({address})"


def _entities(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
