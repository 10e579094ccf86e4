"""The agents' desk message in Block Kit: within Slack's limits, and no markup from a subscriber."""

from __future__ import annotations

import json

from adapters.slack import desk_blocks as slack_desk
from adapters.slack.desk_actions import action_from_payload
from adapters.slack.desk_members import slack_member, slack_member_id
from bot.desk.ownership import Holder, holder_shown
from bot.desk.summary import MESSAGE_LEFT, HandoffSummary
from bot.ops.catalogs import Catalogs
from tests.adapters.channel_contract import load_payload


def test_the_message_stays_within_block_kit_limits(catalogs: Catalogs) -> None:
    summary = HandoffSummary(
        key="slack:T0MAILMOVE:D0SUBSCRIBER",
        channel="slack",
        conversation_id="T0MAILMOVE:D0SUBSCRIBER",
        sender="<!channel> " + "長い名前" * 700,
        locale="en",
        reason="理由" * 100,
        address="",
        program="some_future_program",
        answers={"q1_mail_program": "yes"},
        receiving="",
        sending="",
        stage="ask_address",
        last_check="",
        transcript_url="https://mm.example.jp/agent/#slack:T0MAILMOVE:D0SUBSCRIBER",
    )
    message = slack_desk.render_summary(summary, catalogs)
    header, facts, link, status, actions = message["blocks"]
    assert len(header["text"]["text"]) <= slack_desk.MAX_HEADER
    assert all(len(f["text"]) <= slack_desk.MAX_FIELD for f in facts["fields"])
    # A subscriber's name cannot ping the agents' channel: facts are plain text.
    assert {f["type"] for f in facts["fields"]} == {"plain_text"}
    words = json.dumps(facts, ensure_ascii=False)
    assert "メールソフト: some_future_program" in words  # a program with no word yet
    assert "判定（受信/送信）：不明 / 不明" in words
    assert link["text"]["text"].startswith("<https://mm.example.jp/agent/#slack:")
    assert status["block_id"] == slack_desk.STATUS_BLOCK
    assert [e["value"] for e in actions["elements"]] == [f"{summary.key}#0"] * 2
    assert len(message["text"]) <= slack_desk.MAX_TEXT


def test_a_contacts_markup_is_escaped_in_the_notification_text(catalogs: Catalogs) -> None:
    summary = HandoffSummary(
        key="webchat:c1",
        channel="webchat",
        conversation_id="c1",
        sender="<!channel> <https://evil.example/reset|Reset your password> & co",
        locale="ja",
        reason="担当者を希望",
        address="",
        program="",
        answers={},
        receiving="",
        sending="",
        stage="ask_address",
        last_check="",
        transcript_url="https://mm.example.jp/agent/#webchat:c1",
    )
    text = slack_desk.render_summary(summary, catalogs)["text"]
    assert "<" not in text
    assert ">" not in text
    assert (
        "&lt;!channel&gt; &lt;https://evil.example/reset|Reset your password&gt; &amp; co" in text
    )


def test_a_buttons_value_gives_the_conversation_and_the_state_it_was_drawn_in() -> None:
    payload = load_payload("slack_desk", "block_actions")
    channel = payload["container"]["channel_id"]
    for value, key, state in (
        (slack_desk.button_value("webchat:abc", 3), "webchat:abc", 3),
        ("webchat:abc", "webchat:abc", 0),  # drawn before buttons carried a state
        ("slack:T0:D0#x", "slack:T0:D0#x", 0),
    ):
        payload["actions"][0]["value"] = value
        action = action_from_payload(payload, channel)
        assert action is not None
        assert (action.key, action.state) == (key, state)
    # Each state is a press of its own; the same state twice is one press.
    ids = []
    for value in ("k#1", "k#1", "k#2"):
        payload["actions"][0]["value"] = value
        action = action_from_payload(payload, channel)
        assert action is not None
        ids.append(action.event_id)
    assert ids[0] == ids[1] != ids[2]


def test_a_long_message_left_keeps_its_call_back_in_the_field(catalogs: Catalogs) -> None:
    # A message for the desk up to the chat's 2,000 characters, then the line with the
    # number: Slack's field holds 2,000, and what is cut must not be the call-back, the one
    # thing the desk acts on.
    message = "メールが届きません。" * 199 + "\n電話は090-1234-5678です"
    summary = HandoffSummary(
        key="webchat:c1",
        channel="webchat",
        conversation_id="c1",
        sender="",
        locale="ja",
        reason="伝言",
        address="",
        program="",
        answers={},
        receiving="",
        sending="",
        stage="ask_address",
        last_check="",
        transcript_url="https://mm.example.jp/agent/#webchat:c1",
        kind=MESSAGE_LEFT,
        message=message,
        callback="090-1234-5678",
    )
    _, facts, *_ = slack_desk.render_summary(summary, catalogs)["blocks"]
    assert all(len(f["text"]) <= slack_desk.MAX_FIELD for f in facts["fields"])
    [row] = [f["text"] for f in facts["fields"] if "メールが届きません" in f["text"]]
    assert "090-1234-5678" in row


def test_a_member_of_an_enterprise_grid_is_shown_by_her_mention(catalogs: Catalogs) -> None:
    # Member ids of an Enterprise Grid org begin with W: the handoff's message read
    # 「佐藤 (Slack W0AGENT1)さんが対応しています」, her member id in the words, where a U… member
    # reads as her mention (the three readers of `name (Slack …)` now one, in desk_members).
    status, _ = slack_desk.holder_status(Holder.AGENT, slack_member("佐藤", "W0AGENT1"), catalogs)
    assert "<@W0AGENT1>" in status
    assert "Slack" not in status


def test_a_slack_member_is_named_and_read_back_in_one_place() -> None:
    # A display name that itself ends like a member's name keeps it: the id is the last one.
    who = slack_member("山田 (Slack U0FAKE)", "U0AGENT1")
    assert (slack_member_id(who), holder_shown(who)) == ("U0AGENT1", "山田 (Slack U0FAKE)")
    assert (slack_member_id("佐藤 花子 (Chatwoot)"), holder_shown("佐藤")) == (None, "佐藤")
