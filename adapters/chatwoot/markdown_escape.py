r"""What a subscriber typed, escaped so that Chatwoot's dashboard shows it as typed.

Chatwoot renders every message's content as Markdown in the dashboard
(`FormattedContent.vue` → `shared/helpers/MessageFormatter.js`: markdown-it 13 with
`breaks`, `linkify` and `typographer`, so CommonMark plus tables, `~~strike~~`, smart
quotes and `(c)`/`--`/`...` replacements). The mirror posts a subscriber's words as a
message, so `*大事*`, `__init__` or `1. 2. 3.` would reach the agent as emphasis and lists.

The escape is CommonMark's own: a backslash before an ASCII punctuation character, which
every CommonMark renderer turns back into the character, and only where the character could
mean something (`taro_san_2@…` stays as it is). markdown-it keeps escaped characters out of
the typographer's reach, so breaking a run (`.\..`) keeps `...` as typed. Lines that
Markdown reads as an indented code block are shown literally there, so they stay as typed.
Only the Chatwoot copy is escaped: the store, the transcript and the other channels keep
the words as typed.

What stays different: a URL with such characters inside is shown as typed but linked only
up to the first escaped one, and linkify shows a link's percent-escapes decoded.
"""

from __future__ import annotations

import re
from typing import Final

# Characters that mark up wherever they stand (code spans, emphasis, links, raw HTML and
# autolinks, smart quotes).
_ALWAYS: Final = frozenset("`*[]<\"'")
# Typographer replacements act on runs (`..`, `--`, `,,`, `????`, `!!!!`) and on `+-`.
# Each character, with the ones before it that make a replaced pair.
_RUNS: Final = {".": ".", ",": ",", "-": "-+", "?": "?!", "!": "?!"}
_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINE_BREAK: Final = re.compile(r"(\r\n?|\n)")
_BLANK: Final = re.compile(r"[ \t]*")
_HEADING: Final = re.compile(r"#{1,6}(?:[ \t]|$)")
# Where a line would open a block: a heading, a quote, a list item, a rule or a setext
# underline, a table's delimiter row.
_BULLET: Final = re.compile(r"[-+*](?:[ \t]|$)")
_ORDERED: Final = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|$))")
_RULE_OR_UNDERLINE: Final = re.compile(r"(?:[-*_=][ \t]*)+$")
# A line of these characters only, with a `-` among them; the look-ahead reads the line
# once (`[-:| \t]*-[-:| \t]*$` tried every split of a long run: quadratic).
_TABLE_DELIMITER_ROW: Final = re.compile(r"(?=[-:| \t]*$)[:| \t]*-")
_ENTITY: Final = re.compile(r"&#?[0-9A-Za-z]+;")
_ABBREVIATION: Final = re.compile(r"\((?:c|tm|r)\)", re.IGNORECASE)


def escaped(text: str) -> str:
    """`text` with backslashes where Chatwoot's Markdown would change what it shows."""
    parts = _LINE_BREAK.split(text)
    # `parts` alternates lines and the breaks between them.
    lines, breaks = parts[0::2], parts[1::2]
    out: list[str] = []
    may_open_code = True
    for n, line in enumerate(lines):
        if _BLANK.fullmatch(line):
            out.append(line)
            may_open_code = True
        elif may_open_code and _columns(_indent(line)) >= 4:
            # An indented code block shows its lines as they are, backslashes too.
            out.append(line)
        else:
            out.append(_escaped_line(line))
            may_open_code = False
        if n < len(breaks):
            out.append(breaks[n])
    return "".join(out)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _columns(indent: str) -> int:
    column = 0
    for char in indent:
        column = column + 4 - column % 4 if char == "\t" else column + 1
    return column


def _escaped_line(line: str) -> str:
    marks = [_marks(line, i) for i in range(len(line))]
    start = len(_indent(line))
    rest = line[start:]
    if rest and (
        rest[0] == ">"
        or _HEADING.match(rest)
        or _BULLET.match(rest)
        or _RULE_OR_UNDERLINE.match(rest)
        or _TABLE_DELIMITER_ROW.match(rest)
    ):
        marks[start] = True
    ordered = _ORDERED.match(rest)
    if ordered:
        marks[start + ordered.end()] = True
    for match in _ENTITY.finditer(line):
        marks[match.start()] = True
    for match in _ABBREVIATION.finditer(line):
        marks[match.start()] = True
    # A run the typographer would shorten: every other character is escaped.
    for i in range(1, len(line)):
        if line[i - 1] in _RUNS.get(line[i], "") and not marks[i - 1]:
            marks[i] = True
    # A backslash before a punctuation character (escaped or not) escapes it: it must
    # escape itself instead. Before anything else it is only a backslash.
    for i, char in enumerate(line):
        if char == "\\" and (i + 1 == len(line) or line[i + 1] in _ASCII_PUNCTUATION):
            marks[i] = True
    return "".join("\\" + char if mark else char for char, mark in zip(line, marks, strict=True))


def _marks(line: str, i: int) -> bool:
    char = line[i]
    if char in _ALWAYS:
        return True
    before = line[i - 1] if i else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if char == "_":
        # `_` between two letters or digits opens and closes nothing (taro_san_2).
        return not (before.isalnum() and after.isalnum())
    if char == "~":
        # markdown-it strikes through with `~~`; a lone `~` is a tilde.
        return "~" in (before, after)
    return False
