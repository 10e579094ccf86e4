"""Slack's Block Kit for each kind of reply: limits, escaping, metadata (pure functions)."""

from __future__ import annotations

from adapters.slack import render as slack
from adapters.slack.events import Clicked
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    FileReply,
    LinkReply,
    Receiving,
    Sending,
    TextReply,
    VerdictReply,
)

URL = "https://mm.example.jp/files/taro-mail.mobileconfig"


def test_buttons_stay_within_block_kit_limits() -> None:
    choices = tuple(Choice(f"c{n}", "長いラベル" * 20) for n in range(30))
    (message,) = slack.render(ChoicesReply("どれですか？", choices))
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    for action in actions:
        for element in action["elements"]:
            assert len(element["text"]["text"]) <= slack.MAX_BUTTON_TEXT
        assert len({e["action_id"] for e in action["elements"]}) == len(action["elements"])


def test_a_long_text_is_one_message_of_sections_of_3000() -> None:
    paragraphs = [str(n) + "段落" * 1000 for n in range(4)]
    text = "\n\n".join(paragraphs)
    messages = slack.render(VerdictReply(Receiving.REQUIRED, Sending.REQUIRED, text))
    # Cut between paragraphs, never inside one; one message, not four pieces.
    (message,) = messages
    assert [b["text"]["text"] for b in message["blocks"]] == paragraphs
    assert message["text"] == text
    assert messages[0]["metadata"]["event_payload"] == {
        "receiving": "required",
        "sending": "required",
    }


def test_an_agents_long_answer_arrives_as_one_message() -> None:
    # An agent's 3,700 characters came as four messages, the first only its opening line.
    said = "サポート担当より: 設定の手順をご説明します。"
    steps = "\n".join(f"{n}. " + "手順の説明" * 60 for n in range(1, 13))
    (message,) = slack.render(TextReply(f"{said}\n\n{steps}"))
    sections = [b["text"]["text"] for b in message["blocks"]]
    assert all(len(section) <= slack.MAX_SECTION_TEXT for section in sections)
    assert "".join(sections).replace("\n", "") == f"{said}{steps}".replace("\n", "")


def test_more_sections_than_a_message_holds_go_in_several() -> None:
    text = "\n\n".join("段落" * 1000 for _ in range(60))
    messages = slack.render(TextReply(text))
    assert [len(m["blocks"]) for m in messages] == [50, 10]


def test_a_link_is_escaped_and_clickable() -> None:
    (message,) = slack.render(
        LinkReply("設定ファイル <Thunderbird> & Mac", "https://mm.example.jp/f/1")
    )
    text = message["blocks"][0]["text"]
    assert text["type"] == "mrkdwn"
    assert text["text"] == "設定ファイル &lt;Thunderbird&gt; &amp; Mac\n<https://mm.example.jp/f/1>"


def test_a_file_is_offered_as_its_link() -> None:
    reply = FileReply(
        "プロファイル", "taro-mail.mobileconfig", "application/x-apple-aspen-config", URL
    )
    (message,) = slack.render(reply)
    assert message["blocks"][0]["text"]["text"] == f"プロファイル\n<{URL}>"


def test_an_answered_question_keeps_its_words_and_shows_the_answer() -> None:
    (message,) = slack.render(ChoicesReply("使っていますか？", (Choice("yes", "はい"),)))
    clicked = Clicked("D0SUBSCRIBER", "1212345678.000001", "はい", tuple(message["blocks"]))
    blocks = slack.answered_blocks(clicked)
    assert [b["type"] for b in blocks] == ["section", "context"]
    assert blocks[-1]["elements"][0]["text"] == "✓ はい"


def test_the_notification_text_of_a_plain_message_is_escaped() -> None:
    # An agent's words travel as plain_text blocks; the top-level `text` beside them is
    # mrkdwn (the notification and the fallback), where Slack requires &, < and > escaped:
    # unescaped, an agent's "<!channel>" would notify a whole channel from a thread.
    (message,) = slack.render(TextReply("サポート担当より:\n<!channel> <@U0BOSS> a & b"))
    assert message["text"] == "サポート担当より:\n&lt;!channel&gt; &lt;@U0BOSS&gt; a &amp; b"
    assert message["blocks"][0]["text"] == slack.plain(
        "サポート担当より:\n<!channel> <@U0BOSS> a & b"
    )
    (link,) = slack.render(LinkReply("<設定> & 手順", URL))
    assert link["text"] == f"&lt;設定&gt; &amp; 手順 {URL}"


def test_a_web_address_in_words_is_a_link_and_the_rest_stays_as_written() -> None:
    # In a plain-text section Slack links nothing: an agent's 「詳しくは https://… をご覧くだ
    # さい」 reached a Slack subscriber as words to copy, where the web chat shows a link.
    said = (
        "サポート担当の佐藤より：\n"
        "詳しくは「https://www.117.ne.jp/support?a=1&b=2」を *必ず* ご覧ください。"
    )
    (message,) = slack.render(TextReply(said))
    (block,) = message["blocks"]
    assert block["type"] == "rich_text"
    (section,) = block["elements"]
    assert section["elements"] == [
        {"type": "text", "text": "サポート担当の佐藤より：\n詳しくは「"},
        {"type": "link", "url": "https://www.117.ne.jp/support?a=1&b=2"},
        {"type": "text", "text": "」を *必ず* ご覧ください。"},
    ]
    # Without an address, a plain-text section as before: nothing becomes markup.
    (plain,) = slack.render(TextReply("vpop.117.ne.jp を *必ず* 入力"))[0]["blocks"]
    assert plain == {"type": "section", "text": slack.plain("vpop.117.ne.jp を *必ず* 入力")}
