"""Chatwoot's webhook bodies as the bot reads them: messages and status changes (pure)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from adapters.chatwoot import events as chatwoot
from adapters.chatwoot.channel import MAX_WEBHOOK_BYTES
from dialogs.vocabulary import Inbound
from tests.adapters.channel_contract import load_payload
from tests.adapters.chatwoot.test_mirror_desk import INBOX, from_agent
from tests.fakes.chatwoot_api import ACCOUNT

CONVERSATION = "1234"


def test_only_a_change_of_status_counts_as_one() -> None:
    labelled = load_payload("chatwoot", "conversation_updated")
    assert chatwoot.parse_event(labelled, ACCOUNT) is None
    pending = copy.deepcopy(labelled)
    pending["changed_attributes"] = [
        {"status": {"previous_value": "open", "current_value": "pending"}}
    ]
    change = chatwoot.parse_event(pending, ACCOUNT)
    assert isinstance(change, chatwoot.StatusChange)
    assert (change.conversation_id, change.status, change.agent) == (
        CONVERSATION,
        "pending",
        "佐藤 花子",
    )
    assert chatwoot.parse_event(pending, "8") is None


def test_an_assignment_is_one_unless_the_status_changed_with_it() -> None:
    assigned = load_payload("chatwoot", "conversation_updated")
    assigned["changed_attributes"] = [{"assignee_id": {"previous_value": None, "current_value": 3}}]
    change = chatwoot.parse_event(assigned, ACCOUNT)
    assert isinstance(change, chatwoot.AssigneeChange)
    assert (change.conversation_id, change.agent) == (CONVERSATION, "佐藤 花子")
    unassigned = copy.deepcopy(assigned)
    unassigned["changed_attributes"][0]["assignee_id"] = {
        "previous_value": 3,
        "current_value": None,
    }
    unassigned["meta"]["assignee"] = None
    change = chatwoot.parse_event(unassigned, ACCOUNT)
    assert isinstance(change, chatwoot.AssigneeChange)
    assert change.agent == ""
    # Opened on assignment (an AI assignee's conversation): the status is what counts.
    opened = copy.deepcopy(assigned)
    opened["changed_attributes"].append(
        {"status": {"previous_value": "pending", "current_value": "open"}}
    )
    assert isinstance(chatwoot.parse_event(opened, ACCOUNT), chatwoot.StatusChange)
    # Assigned to someone the body does not name: no one to say has it.
    nameless = copy.deepcopy(assigned)
    nameless["meta"]["assignee"] = None
    assert chatwoot.parse_event(nameless, ACCOUNT) is None


def test_a_message_from_a_version_without_private_is_read_and_a_note_is_not() -> None:
    older = load_payload("chatwoot", "message_created")
    del older["private"]
    message = chatwoot.parse_event(older, ACCOUNT)
    assert message == chatwoot.ContactMessage(
        Inbound(
            channel="chatwoot",
            conversation_key=CONVERSATION,
            event_id="chatwoot:5001",
            text="こんにちは",
            sender="山田 太郎",
        ),
        "pending",
        dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC),
        "",
        inbox="Channel::WebWidget",
    )
    note = load_payload("chatwoot", "message_created_private")
    note["conversation"]["status"] = "pending"
    assert chatwoot.parse_event(note, ACCOUNT) is None
    del note["private"]
    assert chatwoot.parse_event(note, ACCOUNT) is None  # outgoing all the same


def test_a_select_answered_in_the_widget_is_its_value_once_per_message() -> None:
    selected = load_payload("chatwoot", "message_updated_input_select")
    message = chatwoot.parse_event(selected, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert (message.inbound.choice, message.inbound.text) == ("yes", None)
    assert message.event_id == f"chatwoot:select:{selected['id']}"


@pytest.mark.parametrize("status", ["open", "resolved"])
def test_a_message_carries_its_conversations_status_and_assignee(status: str) -> None:
    # Not a turn, but news of a status event that may never have arrived.
    body = load_payload("chatwoot", "message_created")
    body["conversation"]["status"] = status
    body["conversation"]["meta"]["assignee"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
    message = chatwoot.parse_event(body, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert (message.status, message.agent) == (status, "佐藤 花子")


def test_a_message_in_a_snoozed_conversation_is_nothing() -> None:
    # Chatwoot opens a snoozed conversation before it sends the message: a late payload.
    message = load_payload("chatwoot", "message_created")
    message["conversation"]["status"] = "snoozed"
    assert chatwoot.parse_event(message, ACCOUNT) is None


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2008-06-01T03:00:05.250Z", dt.datetime(2008, 6, 1, 3, 0, 5, 250000, tzinfo=dt.UTC)),
        ("2008-06-01T12:00:05+09:00", dt.datetime(2008, 6, 1, 3, 0, 5, tzinfo=dt.UTC)),
        (1212289205, dt.datetime(2008, 6, 1, 3, 0, 5, tzinfo=dt.UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_when_a_message_was_written_is_read_as_chatwoot_writes_it(
    created_at: object, expected: dt.datetime | None
) -> None:
    body = load_payload("chatwoot", "message_created")
    body["created_at"] = created_at
    message = chatwoot.parse_event(body, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert message.created_at == expected


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"{"])
def test_a_body_that_is_no_json_object_is_malformed(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - orjson and our own check raise it
        chatwoot.parse_body(body)


def test_with_inboxes_configured_other_inboxes_are_not_the_bots() -> None:
    message = load_payload("chatwoot", "message_created")  # inbox 3, pending
    assert isinstance(
        chatwoot.parse_event(message, ACCOUNT, frozenset({"3"})), chatwoot.ContactMessage
    )
    assert chatwoot.parse_event(message, ACCOUNT, frozenset({"4", "5"})) is None
    # Named only inside the conversation (agent-bot payloads of some versions).
    del message["inbox"]
    assert chatwoot.parse_event(message, ACCOUNT, frozenset({"4"})) is None
    assert isinstance(
        chatwoot.parse_event(message, ACCOUNT, frozenset({"3"})), chatwoot.ContactMessage
    )
    # A status change of another inbox's conversation changes nothing either.
    status = load_payload("chatwoot", "conversation_status_changed")
    status["inbox_id"] = 9
    assert chatwoot.parse_event(status, ACCOUNT, frozenset({"3"})) is None


def test_a_picture_without_words_is_answered_like_a_photo_elsewhere() -> None:
    # It was dropped: a subscriber who sent a screenshot of the error heard nothing.
    picture = load_payload("chatwoot", "message_created")
    picture["content"] = None
    picture["attachments"] = [{"id": 9, "file_type": "image", "data_url": "https://x/e.png"}]
    message = chatwoot.parse_event(picture, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert (message.inbound.choice, message.inbound.text) == ("media", None)
    picture["content"] = "送信できません"
    message = chatwoot.parse_event(picture, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert message.inbound.text == "送信できません"
    # Read as the words, and the screenshot beside them noted for an agent (the console and
    # Slack's thread said the words alone), as a Telegram caption's.
    assert message.inbound.attached
    del picture["attachments"]
    message = chatwoot.parse_event(picture, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert not message.inbound.attached


@pytest.mark.parametrize("written", ["1_212_345_678", " 1212345678", "+1212345678", "１２１２"])
def test_a_timestamp_is_digits_as_chatwoot_writes_it(written: str) -> None:
    body = b'{"event": "message_created"}'
    signature = chatwoot.signature_of("s3cret", written, body)
    assert not chatwoot.signed(["s3cret"], written, signature, body, 1212345678.0)
    digits = "1212345678"
    signature = chatwoot.signature_of("s3cret", digits, body)
    assert chatwoot.signed(["s3cret"], digits, signature, body, 1212345678.0)


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("**確認いたします**\n- 受信\n- 送信", "確認いたします\n・受信\n・送信"),
        (" taro_san@vp.117.ne.jp \n", "taro_san@vp.117.ne.jp"),
        # Nothing but marks: the agent's text as written, rather than an empty message.
        ("---", "---"),
        # Longer than any one message a platform shows: not parsed, so it cannot hold the loop.
        ("**確認** " * 1500, ("**確認** " * 1500).strip()),
    ],
)
def test_an_agents_reply_in_the_mirror_is_read_as_plain_text(content: str, text: str) -> None:
    body = from_agent("line:U206d25c2ea6bd87c17655609a1c37cb8", content, 1)
    reply = chatwoot.parse_event(body, ACCOUNT, desk_inbox=INBOX)
    assert isinstance(reply, chatwoot.MirrorReply)
    assert (reply.text, reply.agent) == (text, "佐藤")


# An agent's name as Chatwoot gives it reached the subscriber (beside the agent's words) and
# the other desks without the agent API's rule for names: a line break forged a line of the
# transcript, a bidi override made another name read, any length went. Held to the same rule
# as Slack's names (bot.desk.agent_models.visible_name).
FORGED_NAMES = [
    ("佐藤\nclosed by 鈴木", "佐藤 closed by 鈴木"),
    ("\u202e藤佐\u202c", "藤佐"),
    ("長" * 150, "長" * 100),
]


@pytest.mark.parametrize(("given", "shown"), FORGED_NAMES)
def test_an_agents_name_in_the_mirror_is_one_visible_line(given: str, shown: str) -> None:
    body = from_agent("line:U206d25c2ea6bd87c17655609a1c37cb8", "確認いたします", 1)
    body["sender"]["name"] = given
    reply = chatwoot.parse_event(body, ACCOUNT, desk_inbox=INBOX)
    assert isinstance(reply, chatwoot.MirrorReply)
    assert reply.agent == shown


@pytest.mark.parametrize(("given", "shown"), FORGED_NAMES)
def test_an_agents_name_in_chatwoots_own_conversation_is_one_visible_line(
    given: str, shown: str
) -> None:
    body = load_payload("chatwoot", "message_created")
    body.update(message_type="outgoing", private=False)
    body["sender"] = {"id": 3, "name": given, "type": "user"}
    wrote = chatwoot.agent_wrote(body)
    assert wrote is not None
    assert wrote.agent == shown
    body = load_payload("chatwoot", "message_created")
    body["conversation"]["status"] = "open"
    body["conversation"]["meta"]["assignee"] = {"id": 3, "name": given, "type": "user"}
    message = chatwoot.parse_event(body, ACCOUNT)
    assert isinstance(message, chatwoot.ContactMessage)
    assert message.agent == shown


def test_an_agents_name_of_nothing_visible_is_none() -> None:
    body = load_payload("chatwoot", "message_created")
    body.update(message_type="outgoing", private=False)
    body["sender"] = {"id": 3, "name": "\u202e\u200b", "type": "user"}
    wrote = chatwoot.agent_wrote(body)
    assert wrote is not None
    assert wrote.agent == ""


@pytest.mark.parametrize(
    "many",
    [
        [{"a": 1}] * (chatwoot.MAX_SEPARATORS // 2 + 1),
        [1] * (chatwoot.MAX_SEPARATORS + 1),
        [[1]] * (chatwoot.MAX_SEPARATORS // 2 + 1),
    ],
)
def test_a_body_of_more_values_than_a_webhook_has_is_malformed_before_it_is_parsed(
    many: list[object],
) -> None:
    """2 MiB of small values held the event loop up to a second; a real body has hundreds."""
    body = load_payload("chatwoot", "message_created")
    body["custom_attributes"] = {"x": many}
    raw = json.dumps(body).encode()
    assert len(raw) < MAX_WEBHOOK_BYTES
    with pytest.raises(ValueError, match="more than 50000 values"):
        chatwoot.parse_body(raw)


def test_the_longest_message_chatwoot_keeps_is_parsed() -> None:
    """150,000 characters, a comma in every ten, sent three times as Chatwoot sends them."""
    body = load_payload("chatwoot", "message_created")
    words = ("送信できませんね, " * 15_000)[:150_000]
    body["content"] = words
    (latest,) = body["conversation"]["messages"]
    latest["content"] = latest["processed_message_content"] = words
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert len(raw) < MAX_WEBHOOK_BYTES
    assert chatwoot.parse_body(raw)["content"] == words
