r"""An agent's Markdown from Chatwoot as the plain text every other channel shows as typed.

Chatwoot's reply editor writes CommonMark (`**大事**`, `- 手順1`, `[サポート](https://…)`,
`` `vpop.117.ne.jp` ``, `taro\_san` escaped, a backslash before a line break), and an API
inbox's webhook passes it on as it was stored (MessageContentPresenter#webhook_content:
only Chatwoot's own channel types are rendered, by Messages::MarkdownRendererService). The
mirror desk's subscribers are on LINE, the web chat, Telegram or Slack, whose senders all
show an agent's words as plain text: so the markers go and their words stay, as Chatwoot's
own PlainTextRenderer does for SMS. markdown-it-py parses it exactly as CommonMark says
(escapes, entities, what `_` inside a word means), which hand-written patterns would not.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

# CommonMark, as Chatwoot's CommonMarker reads it, but `~~` stays: a struck-out word has no
# plain form. Raw HTML stays as written (every channel shows it as text, never as markup).
_MARKDOWN: Final = MarkdownIt("commonmark")
BULLET: Final = "・"
QUOTE: Final = "> "
_INDENT: Final = "  "
# Where markdown-it's line numbers (`SyntaxTreeNode.map`) break the source: `str.splitlines`
# breaks at more characters (U+2028, form feed) and would number the lines differently.
_LINE_BREAK: Final = re.compile(r"\r\n?|\n")


def plain_text(markdown: str) -> str:
    """`markdown` as plain text: words kept, markers gone; links as 「text url」."""
    root = SyntaxTreeNode(_MARKDOWN.parse(markdown))
    return _blocks(root.children, _LINE_BREAK.split(markdown)).strip()


def _blocks(nodes: list[SyntaxTreeNode], source: list[str]) -> str:
    """Blocks one under the other, a blank line between two where the source has one."""
    text = ""
    for node in nodes:
        block = _block(node, source)
        if block and text:
            start = node.map[0] if node.map else 0
            # A quote's blank line is a bare `>`.
            blank = 0 < start <= len(source) and not source[start - 1].strip(" \t>")
            text += "\n\n" if blank else "\n"
        text += block
    return text


def _block(node: SyntaxTreeNode, source: list[str]) -> str:
    kind = node.type
    if kind in ("paragraph", "heading", "inline"):
        return _inline(node.children)
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, source)
    if kind == "blockquote":
        quoted = _blocks(node.children, source)
        return "\n".join(f"{QUOTE}{line}".rstrip() for line in quoted.split("\n"))
    if kind in ("fence", "code_block", "html_block"):
        return node.content.rstrip("\n")
    # A thematic break (`---`) has no words.
    return ""


def _list(node: SyntaxTreeNode, source: list[str]) -> str:
    start = node.attrs.get("start", 1) if node.type == "ordered_list" else None
    items = []
    for n, item in enumerate(node.children):
        marker = BULLET if not isinstance(start, int) else f"{start + n}{node.markup} "
        # An item's paragraphs and nested lists, under its marker and indented.
        first, *rest = _blocks(item.children, source).split("\n")
        items.append(
            "\n".join([marker + first, *(_INDENT + line if line else "" for line in rest)])
        )
    return "\n".join(items)


def _inline(nodes: list[SyntaxTreeNode]) -> str:
    parts: list[str] = []
    after_url = False
    for node in nodes:
        text = _span(node)
        if after_url and text and not _stops_a_link(text[0]):
            # A URL running into the next word would be linked with it: 「https://…まで」.
            parts.append(" ")
        parts.append(text)
        after_url = node.type == "link" and bool(_url(node)) and text.endswith(_url(node))
    return "".join(parts)


def _stops_a_link(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _children(node: SyntaxTreeNode) -> str:
    return _inline(node.children)


def _span(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind in ("text", "code_inline", "html_inline"):
        # Escapes and entities are already decoded (`taro\_san`, `&amp;`).
        return node.content
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind in ("strong", "em"):
        return _children(node)
    if kind == "link":
        return _link(node)
    if kind == "image":
        alt = _children(node)
        source = _MARKDOWN.normalizeLinkText(str(node.attrs.get("src", "")))
        return f"{alt} {source}".strip()
    return _children(node)


def _url(node: SyntaxTreeNode) -> str:
    # markdown-it stores the URL percent-encoded; the subscriber reads it as written, and an
    # address without its `mailto:`.
    href = _MARKDOWN.normalizeLinkText(str(node.attrs.get("href", "")))
    return href.removeprefix("mailto:")


def _link(node: SyntaxTreeNode) -> str:
    words, url = _children(node), _url(node)
    if not words or not url or words == url:
        return words or url
    return f"{words} {url}"
