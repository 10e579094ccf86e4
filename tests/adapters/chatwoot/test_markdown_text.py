"""An agent's Markdown from Chatwoot as plain text: markers gone, words and layout kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.chatwoot.markdown_text import plain_text


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**大事** です", "大事 です"),
        ("*斜体*と__太字__です", "斜体と__太字__です"),  # `__` inside a word is no mark
        ("_至急_ ご確認ください", "至急 ご確認ください"),
        ("- 手順1\n- 手順2", "・手順1\n・手順2"),
        ("* 手順1\n+ 手順2", "・手順1\n・手順2"),
        ("手順です。\n1. 開く\n2. 閉じる", "手順です。\n1. 開く\n2. 閉じる"),
        ("3) 開く\n4) 閉じる", "3) 開く\n4) 閉じる"),
        ("1. 開く\n   - 受信\n   - 送信\n2. 閉じる", "1. 開く\n  ・受信\n  ・送信\n2. 閉じる"),
        ("- 開く\n\n  続けて閉じる\n- 終わり", "・開く\n\n  続けて閉じる\n・終わり"),
        ("[サポート](https://example.jp)", "サポート https://example.jp"),
        # The URL is spaced from the next word, or a linkifier takes 「まで」 into it.
        ("[こちら](https://example.jp)までどうぞ。", "こちら https://example.jp までどうぞ。"),
        ("[こちら](https://example.jp)。", "こちら https://example.jp。"),
        ("<https://example.jp>まで", "https://example.jp まで"),
        ("[https://example.jp](https://example.jp)", "https://example.jp"),
        ("[窓口](https://example.jp/サポート)", "窓口 https://example.jp/サポート"),
        ("<taro@vp.117.ne.jp>", "taro@vp.117.ne.jp"),
        ("[メール](mailto:support@117.ne.jp)", "メール support@117.ne.jp"),
        ("![設定画面](https://example.jp/a.png)", "設定画面 https://example.jp/a.png"),
        ("サーバーは `vpop.117.ne.jp` です", "サーバーは vpop.117.ne.jp です"),
        ("```\npop.117.ne.jp\n  port 110\n```", "pop.117.ne.jp\n  port 110"),
        ("# 設定の手順\n受信から始めます", "設定の手順\n受信から始めます"),
        ("> まだ届きません\n\n確認いたします", "> まだ届きません\n\n確認いたします"),
        # Chatwoot's editor escapes what would be a mark, and ends a line with a backslash.
        ("taro\\_san@vp.117.ne.jp", "taro_san@vp.117.ne.jp"),
        ("1行目\\\n2行目", "1行目\n2行目"),
        ("A &amp; B &lt;C&gt; &#12354;", "A & B <C> あ"),
        ("前\n\n---\n\n後", "前\n\n後"),
        ("段落1\n\n\n\n段落2", "段落1\n\n段落2"),
        # Two addresses, one opening and one closing with `_`, are emphasis to CommonMark, and
        # so in Chatwoot's own view of the message; its editor would have sent `\_` for each.
        ("_taro@vp.117.ne.jp と hana_@vp.117.ne.jp", "taro@vp.117.ne.jp と hana@vp.117.ne.jp"),
    ],
)
def test_markdown_becomes_plain_text(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    "text",
    [
        "メールが届きません。設定を確認していただけますか？",
        "taro_san@vp.117.ne.jp",
        "_taro@vp.117.ne.jp",
        "taro_@vp.117.ne.jp",
        "2*3",
        "10 * 3 * 2 = 60",
        "1行目\n2行目\n\n3行目",
        "https://example.jp/a_b_c?x=1&y=2",
        "C:\\Program Files\\Thunderbird",
        "<b>確認いたします</b>",  # shown as written, never as markup
        "[x](javascript:alert(1))",  # no link markdown-it would follow
        "料金は100%変わりません (2008年6月1日から)",
        "~~取り消し~~",
    ],
)
def test_text_without_markdown_comes_through_unchanged(text: str) -> None:
    assert plain_text(text) == text


# Words and the punctuation of Japanese prose, none of it Markdown's.
_WORDS = st.text(
    alphabet=st.sampled_from(
        "あいうえおかきくけこアイウエオ漢字設定受信送信abcXYZ019。、？！@.:/()% "
    ),
    min_size=1,
    max_size=20,
)
# A line starts with a word: digits there (`01. `) could begin a list.
_LINE = st.builds(lambda first, rest: (first + rest).rstrip(), st.sampled_from("あ設Xメ"), _WORDS)


@given(st.lists(_LINE, min_size=1, max_size=6), st.sampled_from(["\n", "\n\n"]))
def test_prose_comes_through_unchanged(lines: list[str], separator: str) -> None:
    text = separator.join(lines)
    assert plain_text(text) == text


def test_nothing_but_marks_is_nothing() -> None:
    # The webhook then keeps the agent's text as written, rather than sending nothing.
    assert plain_text("---") == ""
