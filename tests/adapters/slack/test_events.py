"""Slack's events and clicks as inbound messages, and conversation keys (pure functions)."""

from __future__ import annotations

import pytest

from adapters.slack import events as slack
from dialogs.vocabulary import EDITED_CHOICE
from tests.adapters.channel_contract import load_payload


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<@U0MAILBOT> はい", "はい"), ("<@U0MAILBOT|mailmove>  yes ", "yes")],
)
def test_the_mention_is_taken_out_of_the_text(text: str, expected: str) -> None:
    payload = load_payload("slack", "app_mention")
    payload["event"]["text"] = text
    turn = slack.turn_from_event(payload)
    assert turn is not None
    assert turn.inbound.text == expected


def test_a_mention_is_a_conversation_in_its_thread() -> None:
    payload = load_payload("slack", "app_mention")
    turn = slack.turn_from_event(payload)
    assert turn is not None
    event = payload["event"]
    assert turn.thread_ts == event["ts"]
    assert turn.inbound.conversation_key == f"{payload['team_id']}:{event['channel']}:{event['ts']}"


@pytest.mark.parametrize("name", ["message_channel", "reaction_added"])
def test_other_events_are_no_turn(name: str) -> None:
    assert slack.turn_from_event(load_payload("slack", name)) is None


def test_an_edit_in_a_dm_asks_for_the_words_again_but_an_unfurl_or_the_bots_own_does_not() -> None:
    edited = load_payload("slack", "message_changed")
    turn = slack.turn_from_event(edited)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.sender) == (EDITED_CHOICE, "U0SUBSCRIBER")
    unfurled = load_payload("slack", "message_changed")
    del unfurled["event"]["message"]["edited"]
    assert slack.turn_from_event(unfurled) is None
    same_words = load_payload("slack", "message_changed")
    same_words["event"]["message"]["text"] = same_words["event"]["previous_message"]["text"]
    assert slack.turn_from_event(same_words) is None
    own = load_payload("slack", "message_changed")
    own["event"]["message"]["bot_id"] = "B0MAILBOT"
    assert slack.turn_from_event(own) is None
    in_channel = load_payload("slack", "message_changed")
    in_channel["event"]["channel_type"] = "channel"
    assert slack.turn_from_event(in_channel) is None


def test_a_click_in_a_dm_continues_the_dm() -> None:
    payload = load_payload("slack", "block_actions")
    action = {"action_id": "choice-0", "value": "yes", "text": {"text": "はい"}}
    turn = slack.turn_from_action(payload, action)
    assert turn is not None
    assert turn.thread_ts is None
    assert turn.inbound.choice == "yes"
    assert turn.clicked is not None
    assert turn.clicked.label == "はい"


@pytest.mark.parametrize(
    ("key", "address"),
    [
        ("T0:D0SUB", ("D0SUB", None)),
        ("T0:C0HELP:1212345678.000100", ("C0HELP", "1212345678.000100")),
    ],
)
def test_a_conversation_key_names_its_dm_or_thread(
    key: str, address: tuple[str, str | None]
) -> None:
    assert slack.address_of(key) == address
    channel, thread_ts = address
    assert slack.conversation_key("T0", channel, thread_ts) == key


def test_a_key_that_is_not_slacks_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Slack conversation key"):
        slack.address_of("5123456789")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b'{"type": "event_callback", "event": ', "application/json"), (b"payload=[1]", "")],
)
def test_a_body_bolt_cannot_read_is_malformed(body: bytes, content_type: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - json and our own check raise it
        slack.check_body(body, content_type)


def test_the_user_locale_is_read_from_users_info() -> None:
    assert slack.user_locale({"user": {"locale": "en-US"}}) == "en"
    assert slack.user_locale({"user": {}}) is None


def _file_share(text: str) -> dict[str, object]:
    # A screenshot sent in the DM, as the Events API delivers it (subtype file_share).
    payload = load_payload("slack", "message_im")
    payload["event"] = {
        **payload["event"],
        "subtype": "file_share",
        "text": text,
        # The blocks hold the same words as the text (none without words).
        "blocks": _rich({"type": "text", "text": text}) if text else [],
        "files": [{"id": "F0SHOT", "name": "error.png", "mimetype": "image/png"}],
        "upload": False,
    }
    return payload


def test_a_file_without_words_is_answered_like_a_photo_elsewhere() -> None:
    # It was dropped: a subscriber who sent a screenshot of the error heard nothing.
    turn = slack.turn_from_event(_file_share(""))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == ("media", None)


def test_a_file_with_words_is_read_as_the_words() -> None:
    turn = slack.turn_from_event(_file_share("送信できません"))
    assert turn is not None
    assert turn.inbound.text == "送信できません"
    # The file beside them is noted for an agent, who read the words alone.
    assert turn.inbound.attached


def test_a_bots_file_is_no_turn() -> None:
    payload = _file_share("")
    payload["event"]["bot_id"] = "B0MAILBOT"  # type: ignore[index]
    assert slack.turn_from_event(payload) is None


def _rich(*elements: dict[str, object]) -> list[dict[str, object]]:
    """A message's blocks as Slack sends them: one rich_text block, one section."""
    section = {"type": "rich_text_section", "elements": list(elements)}
    return [{"type": "rich_text", "block_id": "Rt0", "elements": [section]}]


def _dm(text: str, blocks: list[dict[str, object]]) -> dict[str, object]:
    payload = load_payload("slack", "message_im")
    payload["event"] = {**payload["event"], "text": text, "blocks": blocks}
    return payload


def test_a_dm_whose_words_are_in_its_blocks_only_is_read_from_them() -> None:
    # Slack's `text` is a fallback that clients may leave empty: the words were dropped.
    blocks = _rich(
        {"type": "text", "text": "アドレスは "},
        {"type": "link", "url": "mailto:taro@vp.117.ne.jp", "text": "taro@vp.117.ne.jp"},
        {"type": "text", "text": " です"},
        {"type": "emoji", "name": "bow", "unicode": "1f647"},
    )
    turn = slack.turn_from_event(_dm("", blocks))
    assert turn is not None
    assert turn.inbound.text == "アドレスは taro@vp.117.ne.jp です🙇"


def test_lists_quotes_and_code_in_blocks_are_read_line_by_line() -> None:
    blocks: list[dict[str, object]] = [
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": "エラー:"}]},
                {
                    "type": "rich_text_preformatted",
                    "elements": [{"type": "text", "text": "550 relay denied"}],
                },
                {
                    "type": "rich_text_list",
                    "style": "bullet",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "a"}]},
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "b"}]},
                    ],
                },
                {"type": "rich_text_quote", "elements": [{"type": "text", "text": "引用"}]},
            ],
        }
    ]
    turn = slack.turn_from_event(_dm("", blocks))
    assert turn is not None
    assert turn.inbound.text == "エラー:\n550 relay denied\na\nb\n引用"


def test_an_emoji_reads_as_the_character_slack_shows() -> None:
    # `:+1:` is Slack's name for 👍: the dialog reads 👍 as yes, as on Telegram and LINE.
    blocks = _rich(
        {"type": "text", "text": "はい"},
        {"type": "emoji", "name": "+1", "unicode": "1f44d-1f3fb", "skin_tone": 2},
        {"type": "emoji", "name": "partyparrot"},  # a workspace's own: no character
    )
    turn = slack.turn_from_event(_dm("はい:+1::skin-tone-2::partyparrot:", blocks))
    assert turn is not None
    assert turn.inbound.text == "はい👍🏻"


def test_colons_that_name_no_emoji_in_the_blocks_stay() -> None:
    blocks = _rich({"type": "text", "text": "10:30:00 :smile:"})
    turn = slack.turn_from_event(_dm("10:30:00 :smile:", blocks))
    assert turn is not None
    assert turn.inbound.text == "10:30:00 :smile:"


def test_a_dm_of_a_lone_emoji_is_read_as_its_character() -> None:
    blocks = _rich({"type": "emoji", "name": "+1", "unicode": "1f44d"})
    turn = slack.turn_from_event(_dm(":+1:", blocks))
    assert turn is not None
    assert turn.inbound.text == "👍"


@pytest.mark.parametrize("odd", [None, 5, "x", [], {}, [1], {"x": 1}])
def test_blocks_of_any_shape_are_read_without_failing(odd: object) -> None:
    # Blocks are not part of the checked shape: a value of another JSON type anywhere in
    # them (a list for a type, say) was a TypeError, and Slack's event a 500.
    for blocks in (
        odd,
        [odd],
        [{"type": "rich_text", "elements": odd}],
        [{"type": "rich_text", "elements": [{"type": odd, "elements": []}]}],
        _rich({"type": odd, "text": odd, "url": odd, "name": odd, "unicode": odd}),
        _rich({"type": "emoji", "name": "x", "unicode": odd, "skin_tone": odd}),
        _rich({"type": "link", "url": odd, "text": odd}),
    ):
        for text in ("", "はい:x:"):
            slack.turn_from_event(_dm(text, blocks))  # type: ignore[arg-type]


def test_a_file_without_a_subtype_is_answered_like_a_file_share() -> None:
    # Slack has sent a file as a plain message too (no subtype, `upload: true`): it was dropped.
    payload = _file_share("")
    del payload["event"]["subtype"]  # type: ignore[attr-defined]
    turn = slack.turn_from_event(payload)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == ("media", None)


def test_a_dm_of_emoji_without_characters_is_emoji_sent_not_words() -> None:
    # A workspace's own emoji has no character: left out, nothing would be left to answer.
    # Read as the words 「:party-parrot:」 it was not understood, and the third such handed
    # the chat to a person: the blocks say they are emoji (channels2).
    blocks = _rich({"type": "emoji", "name": "party-parrot"}, {"type": "emoji", "name": "tada2"})
    turn = slack.turn_from_event(_dm(":party-parrot::tada2:", blocks))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == ("emoji", ":party-parrot::tada2:")
    # Colon words the blocks do not name as emoji are typed words.
    words = _rich({"type": "text", "text": ":party-parrot:"})
    turn = slack.turn_from_event(_dm(":party-parrot:", words))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (None, ":party-parrot:")


def test_an_edit_in_a_dm_thread_is_asked_again_in_that_thread() -> None:
    edited = load_payload("slack", "message_changed")
    edited["event"]["message"]["thread_ts"] = "1212345678.000050"
    turn = slack.turn_from_event(edited)
    assert turn is not None
    assert turn.thread_ts == "1212345678.000050"
    assert turn.inbound.conversation_key == "T0MAILMOVE:D0SUBSCRIBER"


def test_a_grid_workspace_install_keys_by_the_workspace_and_an_org_install_by_the_org() -> None:
    # Installed in one workspace of a Grid org: the member's team_id is the org's (E…) in a
    # click (Slack's interaction payload reference), yet the click's team names the workspace.
    payload = load_payload("slack", "block_actions")
    payload["user"]["team_id"] = "E0GRID"
    payload["team"]["enterprise_id"] = "E0GRID"
    action = {"action_id": "choice-0", "value": "yes", "text": {"text": "はい"}}
    turn = slack.turn_from_action(payload, action)
    assert turn is not None
    assert turn.inbound.conversation_key == "T0MAILMOVE:D0SUBSCRIBER"
    # Installed for the whole org, with `team` as a string-less object too.
    payload.update(is_enterprise_install=True, enterprise={"id": "E0GRID", "name": "117net"})
    turn = slack.turn_from_action(payload, action)
    assert turn is not None
    assert turn.inbound.conversation_key == "E0GRID:D0SUBSCRIBER"
    event = load_payload("slack", "message_im")
    event["authorizations"][0].update(enterprise_id="E0GRID", team_id=None)
    event["authorizations"][0]["is_enterprise_install"] = True
    turn = slack.turn_from_event(event)
    assert turn is not None
    assert turn.inbound.conversation_key == "E0GRID:D0SUBSCRIBER"


def test_a_thread_message_mentioning_a_member_whose_id_begins_with_the_bots_is_read() -> None:
    # Only the bot's own mention makes Slack send an app_mention (answered as that): a
    # member whose id merely begins with the bot's (U0MAILBOT, U0MAILBOTXY) was taken for
    # it, and the subscriber's words in the thread went unanswered.
    payload = load_payload("slack", "message_channel")
    payload["event"]["thread_ts"] = "1212345600.000100"
    payload["event"]["text"] = "<@U0MAILBOTXY> さんに聞いたら、送信できないそうです"
    turn = slack.turn_from_event(payload, "U0MAILBOT")
    assert turn is not None
    assert turn.in_thread
    assert turn.inbound.text == "@someone さんに聞いたら、送信できないそうです"
    payload["event"]["text"] = "<@U0MAILBOT> 送信できません"
    assert slack.turn_from_event(payload, "U0MAILBOT") is None


def test_an_edit_carries_its_words_as_shown() -> None:
    # 「~はい~ いいえ」 put right by an edit (a yes struck out for a no): Slack's markers are
    # in `text`, what is shown in the blocks. The edit reached the agent and a hand-back's
    # question as 「~はい~ いいえ」, both answers; a new message's words are read as shown.
    edited = load_payload("slack", "message_changed")
    message = edited["event"]["message"]
    message["text"] = "~はい~ *いいえ*"
    elements = [
        {"type": "text", "text": "はい", "style": {"strike": True}},
        {"type": "text", "text": " "},
        {"type": "text", "text": "いいえ", "style": {"bold": True}},
    ]
    message["blocks"] = [
        {
            "type": "rich_text",
            "block_id": "Ed1",
            "elements": [{"type": "rich_text_section", "elements": elements}],
        }
    ]
    turn = slack.turn_from_event(edited)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (EDITED_CHOICE, "いいえ")


def _deleted(name: str, **previous: str) -> dict[str, object]:
    payload = load_payload("slack", name)
    event = payload["event"]
    written = {"type": "message", "user": event.pop("user"), "ts": event["ts"], **previous}
    event.update(
        subtype="message_deleted", hidden=True, deleted_ts=event["ts"], previous_message=written
    )
    return payload


def test_a_deletion_names_the_turn_of_the_message_it_withdraws() -> None:
    written = slack.turn_from_event(load_payload("slack", "message_im"))
    unsent = slack.withdrawal_from_event(_deleted("message_im"))
    assert written is not None
    assert unsent == slack.Withdrawal(
        written.inbound.conversation_key, "slack:Ev0MAILMOVE01", written.inbound.event_id
    )
    # In a channel's thread it is the thread's conversation; the channel's own talk is none.
    in_thread = slack.withdrawal_from_event(_deleted("message_channel", thread_ts="1212345600.1"))
    assert in_thread is not None
    assert in_thread.conversation_key == "T0MAILMOVE:C0HELPDESK:1212345600.1"
    assert slack.withdrawal_from_event(_deleted("message_channel")) is None
    assert slack.withdrawal_from_event(load_payload("slack", "message_im")) is None


def _tombstone(channel: str, channel_type: str, ts: str) -> dict[str, object]:
    """A message with replies deleted: Slack leaves a tombstone in its place, as an edit."""
    payload = load_payload("slack", "message_changed")
    event = payload["event"]
    written = {"type": "message", "user": "U0SUBSCRIBER", "text": "パスワードは Kq7xyz99"}
    event.update(channel=channel, channel_type=channel_type)
    event["previous_message"] = {**written, "ts": ts, "thread_ts": ts, "reply_count": 2}
    event["message"] = {
        "type": "message",
        "subtype": "tombstone",
        "text": "This message was deleted.",
        "user": "USLACKBOT",
        "hidden": True,
        "ts": ts,
        "thread_ts": ts,
        "parent_user_id": "USLACKBOT",
        "reply_count": 2,
    }
    return payload


@pytest.mark.parametrize(
    ("channel", "channel_type", "key"),
    [
        ("D0SUBSCRIBER", "im", "T0MAILMOVE:D0SUBSCRIBER"),
        ("C0HELPDESK", "channel", "T0MAILMOVE:C0HELPDESK:1212345600.000100"),
    ],
)
def test_a_message_with_replies_deleted_is_withdrawn_through_its_tombstone(
    channel: str, channel_type: str, key: str
) -> None:
    # Deleted with replies under it (a channel mention the bot answered in its thread, a DM
    # message answered in a thread), the message becomes a tombstone: Slack sends
    # message_changed, not message_deleted, and the words stayed in the transcript.
    ts = "1212345600.000100"
    body = _tombstone(channel, channel_type, ts)
    assert slack.withdrawal_from_event(body) == slack.Withdrawal(
        key, "slack:Ev0MAILMOVE05", f"slack:message:{channel}:{ts}"
    )
    # It is no edit to answer either.
    assert slack.turn_from_event(body, "U0MAILBOT") is None
