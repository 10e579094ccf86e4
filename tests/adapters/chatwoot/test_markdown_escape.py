"""A subscriber's words, escaped for Chatwoot, render back to exactly the words typed.

The renderers are markdown-it-py's CommonMark and markdown-it-py set up as Chatwoot's
dashboard sets up markdown-it (MessageFormatter.js: raw HTML off, `breaks`, `typographer`,
tables and strike-through); the rendered HTML is read back as a browser shows its text.
"""

from __future__ import annotations

import time
from html.parser import HTMLParser
from typing import Final

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from adapters.chatwoot.markdown_escape import escaped

COMMONMARK: Final = MarkdownIt("commonmark")
CHATWOOT: Final = MarkdownIt("commonmark", {"html": False, "breaks": True, "typographer": True})
CHATWOOT.enable(["replacements", "smartquotes", "strikethrough", "table"])
RENDERERS: Final = {"commonmark": COMMONMARK, "chatwoot": CHATWOOT}
# What subscribers type: Japanese, ASCII with all its punctuation, spaces, tabs, line breaks.
ALPHABET: Final = st.sampled_from(
    [*"abcXYZ019 \t\n\r", *"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *"あ漢カ。「」　"]
)
# Each of these, posted as typed, would show otherwise in Chatwoot.
MARKED: Final = [
    "*important*",
    "__init__",
    "1. 2. 3.",
    "# 見出しではありません",
    "> 引用ではありません",
    "- 箇条書きではありません",
    "[サポート](https://example.jp)",
    "`vpop.117.ne.jp`",
    "~~取り消し~~",
    'I can\'t send... (c) -- "quote" +-',
    "a | b\n--|--\n1 | 2",
    "題名\n===",
    "本文\n---",
    "<b>太字</b> <https://example.jp>",
    "&amp; &#x41;",
    "行末に\\\n改行",
]
TYPED: Final = [*MARKED, "taro_san_2@vp.117.ne.jp", "    字下げしたコード *そのまま*"]


class _Text(HTMLParser):
    """An element's text as a browser shows it: tags gone, a line per block or `<br>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "li", "tr", "pre", "h1", "h2", "blockquote", "hr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(html: str) -> list[str]:
    """The lines a reader sees: blank lines and each line's outer white space do not show."""
    parser = _Text()
    parser.feed(html)
    lines = "".join(parser.parts).split("\n")
    return [line.strip() for line in lines if line.strip()]


def typed(text: str) -> list[str]:
    # Markdown reads `\r` and `\r\n` as a line break too.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("text", TYPED)
def test_what_was_typed_is_what_is_shown(renderer: str, text: str) -> None:
    assert shown(RENDERERS[renderer].render(escaped(text))) == typed(text)


@pytest.mark.parametrize("text", MARKED)
def test_the_same_words_unescaped_would_be_marked_up(text: str) -> None:
    """The examples are Markdown indeed: posted as typed, Chatwoot would change them."""
    assert shown(CHATWOOT.render(text)) != typed(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("taro_san_2@vp.117.ne.jp", "taro_san_2@vp.117.ne.jp"),
        ("メールが届きません。", "メールが届きません。"),
        ("*important*", "\\*important\\*"),
        ("__init__", "\\_\\_init\\_\\_"),
        ("1. 2. 3.", "1\\. 2. 3."),
        ("10時~12時", "10時~12時"),
        ("a...b", "a.\\..b"),
    ],
)
def test_only_what_could_mean_something_is_escaped(text: str, expected: str) -> None:
    assert escaped(text) == expected


@settings(max_examples=600, deadline=None)
@given(st.text(ALPHABET, max_size=60))
@example("\t    a\n\n    *b*\nc")
@example("a\n    -\n")
def test_any_text_renders_back_to_itself(text: str) -> None:
    for renderer in RENDERERS.values():
        assert shown(renderer.render(escaped(text))) == typed(text)


@pytest.mark.parametrize("run", ["-", "-:", "- ", "|-"])
def test_a_long_line_of_table_marks_is_escaped_at_once(run: str) -> None:
    # Slack lets 40,000 characters through; the table's delimiter-row pattern tried every
    # split of such a run (4.9 s of CPU for 40,000 「-」), holding the event loop.
    line = (run * 40_000)[:40_000] + "x"
    started = time.process_time()
    assert escaped(line).endswith("x")
    assert time.process_time() - started < 0.5
