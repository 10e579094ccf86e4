"""Slack's markup in a message's text, read back as the words a person typed.

Slack sends a message's text in its own markup: a typed host name, address or URL comes as
`<http://vpop.117.ne.jp|vpop.117.ne.jp>`, a mention as `<@U…>`, and `&`, `<`, `>` as
entities (https://docs.slack.dev/messaging/formatting-message-text). A subscriber's words
(`events`) and an agent's (`desk_thread`) are read the same way. Pure.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

_SLACK_MARKUP: Final = re.compile(r"<([^<>]*)>|&(lt|gt|amp);")
_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&"}
# A member's mention without the name in it (`<@U0BOSS>`, as Slack writes every mention now).
_BARE_MENTION: Final = re.compile(r"<@([UW][A-Z0-9]+)>")


def typed_text(text: str, names: Mapping[str, str] | None = None) -> str:
    """`text` as it reads on screen: links as their words, entities as their characters.

    A member's mention reads as `@` and their name in `names` (by user id), as Slack shows
    it; a member not named there, by their id. Read in one pass, so an escaped `&lt;` never
    opens a link.
    """
    return _SLACK_MARKUP.sub(functools.partial(_shown, names=names or {}), text)


def bare_mentions(text: str) -> set[str]:
    """The user ids of the members `text` mentions without their name (`<@U…>`)."""
    return set(_BARE_MENTION.findall(text))


def _shown(match: re.Match[str], *, names: Mapping[str, str]) -> str:
    """One piece of Slack markup as words: a link's label (and its address if it differs)."""
    if match.group(2) is not None:
        return _ENTITIES[match.group(2)]
    target, _, label = (_entities(part) for part in match.group(1).partition("|"))
    if target[:1] == "@" and not label and target[1:] in names:
        return f"@{names[target[1:]]}"
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


# A message's words in its rich_text blocks (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block):
# blocks are read only when the `text` Slack sends beside them, a fallback, is empty.
_LINES: Final = frozenset({"rich_text_section", "rich_text_preformatted", "rich_text_quote"})


Mention = Callable[[str], str]
"""How a mention of a member (by user id) reads."""


def _nobody(_: str) -> str:
    return ""


def block_words(blocks: object, mention: Mention = _nobody) -> str:
    """The words of a message's rich_text blocks, line by line, as Slack shows them.

    A mention of a member reads as `mention(user_id)` says, as `<@U…>` in the text does
    (by default it is left out); an emoji is its character. Words struck out are left out:
    the writer took them back (「~はい~ いいえ」 says no).
    """

    def inline(elements: object) -> str:
        return _inline(elements, mention)

    lines: list[str] = []
    for block in _objects(blocks):
        if block.get("type") == "rich_text":
            for part in _objects(block.get("elements")):
                kind = part.get("type")
                if kind == "rich_text_list":
                    lines += (
                        inline(item.get("elements")) for item in _objects(part.get("elements"))
                    )
                elif isinstance(kind, str) and kind in _LINES:
                    lines.append(inline(part.get("elements")))
    return "\n".join(lines)


def with_emoji(text: str, blocks: object) -> str:
    """`text` with each `:name:` of an emoji in the message's blocks as the character shown.

    Slack writes 👍 as `:+1:` (and `:+1::skin-tone-2:` for 👍🏻) in the text; the blocks say
    which names are emoji and what they show, so a colon that is no emoji stays. A
    workspace's own emoji is a picture without a character: it is left out.
    """
    if not blocks:
        # Older clients and some integrations send the text alone: the blocks that would say
        # which names are emoji are missing, and `:+1:` was read as words (not understood,
        # where 👍 from a newer client answered). The signs the dialog reads as an answer
        # are named here by Slack's own names; any other colon word stays as typed.
        return _SIGN_NAMES.sub(lambda match: _SIGNS[match.group("name")], text)
    shown: dict[str, str] = {}
    for element in _all_elements(blocks):
        name, tone = element.get("name"), element.get("skin_tone")
        if element.get("type") == "emoji" and isinstance(name, str):
            toned = f"{name}::skin-tone-{tone}" if isinstance(tone, int) else name
            shown[f":{toned}:"] = _character(element)
    if not shown:
        return text
    names = re.compile("|".join(map(re.escape, sorted(shown, key=len, reverse=True))))
    return names.sub(lambda match: shown[match.group(0)], text)


# Slack's names of the signs the dialog reads alone as yes or no (dialogs.reading.answers),
# with their aliases; a skin tone after one is dropped (the sign is the same).
_SIGNS: Final[Mapping[str, str]] = {
    "+1": "👍",
    "thumbsup": "👍",
    "ok_hand": "👌",
    "ok_woman": "🙆",
    "woman-gesturing-ok": "🙆",
    "o": "⭕",
    "-1": "👎",
    "thumbsdown": "👎",
    "no_good": "🙅",
    "woman-gesturing-no": "🙅",
    "x": "❌",
    "heavy_multiplication_x": "✖",
}
# Between letters or digits a colon is no emoji's: "1:+1:2" stays.
_SIGN_NAMES: Final = re.compile(
    r"(?<![0-9A-Za-z]):(?P<name>"
    + "|".join(map(re.escape, _SIGNS))
    + r"):(?::skin-tone-[2-6]:)?(?![0-9A-Za-z])"
)


# Slack's marker in `text` for each style the blocks name.
_MARKERS: Final[Mapping[str, str]] = {"bold": "*", "italic": "_", "strike": "~"}


def without_marks(text: str, blocks: object) -> str:
    """`text` (Slack's markup) without its markers of bold, italics and strike-through.

    Slack writes a styled run in the text between markers (「*重要*」, 「_必ず_」, 「~明日~」);
    the blocks say which runs are styled, so an asterisk or underscore the writer typed
    (「2*3」, 「a_b」) stays. Words struck out are left out, as `block_words` leaves them (the
    writer took them back). Other platforms show no such marks: an agent's bold words
    reached a subscriber on Telegram as 「*重要*」.
    """
    kept: list[str] = []
    at = 0
    for element in _in_order(blocks):
        styles = [name for name in _MARKERS if _style(element, name)]
        words = _escaped(str(element.get("text") or "")).strip()
        if element.get("type") != "text" or not styles or not words:
            continue
        for marked in _marked(words, styles):
            found = text.find(marked, at)
            if found >= 0:
                kept += (text[at:found], "" if "strike" in styles else words)
                at = found + len(marked)
                break
    return "".join(kept) + text[at:]


def _marked(words: str, styles: Sequence[str]) -> list[str]:
    """`words` between the markers of `styles`, nested in each order Slack may write them."""
    forms = []
    for order in itertools.permutations(styles):
        form = words
        for name in order:
            form = f"{_MARKERS[name]}{form}{_MARKERS[name]}"
        forms.append(form)
    return forms


def _escaped(words: str) -> str:
    """`words` as Slack's text writes them: `&`, `<` and `>` as entities."""
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _in_order(blocks: object) -> list[dict[str, object]]:
    """Every element inside `blocks`, at any depth, in the order they are shown."""
    found: list[dict[str, object]] = []
    for element in _objects(blocks):
        found += (element, *_in_order(element.get("elements")))
    return found


def _character(emoji: dict[str, object]) -> str:
    codes = emoji.get("unicode")
    try:
        return "".join(chr(int(code, 16)) for code in str(codes).split("-")) if codes else ""
    except (ValueError, OverflowError):
        return ""


def user_elements(blocks: object) -> set[str]:
    """The user ids of the members a message's blocks mention."""
    return {
        str(e["user_id"])
        for e in _all_elements(blocks)
        if e.get("type") == "user" and isinstance(e.get("user_id"), str)
    }


def _inline(elements: object, mention: Mention) -> str:
    words: list[str] = []
    for element in _objects(elements):
        kind = element.get("type")
        if kind == "user" and isinstance(element.get("user_id"), str):
            words.append(mention(str(element["user_id"])))
        elif kind == "text" and not _style(element, "strike"):
            words.append(str(element.get("text") or ""))
        elif kind == "link":
            address = str(element.get("url") or "").removeprefix("mailto:")
            words.append(str(element.get("text") or address))
        elif kind == "emoji":
            words.append(_character(element))
        elif kind == "broadcast":
            words.append(f"@{element.get('range') or ''}")
        elif kind == "channel":
            words.append(f"#{element.get('channel_id') or ''}")
        elif kind == "date":
            words.append(str(element.get("fallback") or ""))
        elif kind == "color":
            words.append(str(element.get("value") or ""))
    return "".join(words)


# What Slack marks in `text` with `*`, `_` and `~`: the markers are no words of the writer's.
_MARKED_STYLES: Final = ("bold", "italic", "strike")


def formatted(blocks: object) -> bool:
    """Whether the blocks hold words in bold, italics or struck out.

    The `text` beside them then carries Slack's markers (「*はい*」, 「_いいえ_」, 「~はい~」),
    which read as no words anyone typed: the blocks say what is shown.
    """
    return any(
        element.get("type") == "text" and any(_style(element, s) for s in _MARKED_STYLES)
        for element in _all_elements(blocks)
    )


def _style(element: dict[str, object], name: str) -> bool:
    style = element.get("style")
    return isinstance(style, dict) and style.get(name) is True


def _all_elements(blocks: object) -> list[dict[str, object]]:
    """Every element inside `blocks`, at any depth."""
    found: list[dict[str, object]] = []
    pending = list(_objects(blocks))
    while pending:
        element = pending.pop()
        found.append(element)
        pending += _objects(element.get("elements"))
    return found


def _objects(value: object) -> list[dict[str, object]]:
    """The JSON objects in a list; anything else (a field Slack left out) as none."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]
