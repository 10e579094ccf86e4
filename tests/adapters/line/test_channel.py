"""LINE: the channel contract, plus reply token then push, 429s, retry keys, and push."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from email.utils import format_datetime
from typing import Any

import pytest

from adapters.line import channel as line
from adapters.line.events import CHANNEL, QUESTION_SEPARATOR
from adapters.line.render import MAX_LABEL
from adapters.rendering import truncate, utf16_length
from bot.channels.answer_first import RETRY_WAIT
from bot.engine import WITHDRAWN_LINE
from bot.ops.catalogs import Catalogs
from bot.ops.settings import MAX_BODY_BYTES
from bot.store.conversation_store import (
    WITHDRAWN_TEXT,
    Change,
    StoreUnavailableError,
    Update,
    is_bookkeeping,
)
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import (
    LOCATION_CHOICE,
    MEDIA_CHOICE,
    Choice,
    ChoicesReply,
    Inbound,
    TextReply,
)
from testbed.clock import IN_WINDOW
from tests.adapters.channel_contract import (
    ADDRESS,
    Button,
    Delivered,
    Harness,
    IdempotentPushContract,
    OldButtonsContract,
    SignedRequest,
    answers_alike,
    load_payload,
)
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import FakePlatformAPI

CHANNEL_SECRET = "a5b6c7d8e9f00112233445566778899a"
USER = "U206d25c2ea6bd87c17655609a1c37cb8"


def signed(payload: dict[str, Any], secret: str = CHANNEL_SECRET) -> SignedRequest:
    """The body with `X-Line-Signature` = base64(HMAC-SHA256(channel secret, body))."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return signed_bytes(body, secret)


def signed_bytes(body: bytes, secret: str = CHANNEL_SECRET) -> SignedRequest:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    headers = {
        "content-type": "application/json; charset=utf-8",
        "x-line-signature": base64.b64encode(digest).decode(),
    }
    return SignedRequest(line.WEBHOOK_PATH, body, headers)


def event_payload(name: str, n: int) -> dict[str, Any]:
    payload = load_payload("line", name)
    event = payload["events"][0]
    # A webhook event id is a 26-character ULID; a reply token is unique per event.
    event["webhookEventId"] = f"01H{n:023d}"
    event["replyToken"] = f"rt{n:030d}"
    event["timestamp"] = 1212345678000 + n
    if "message" in event:
        event["message"]["id"] = f"4687895778982{n:05d}"  # each message has its own id
    return payload


# -- groups and rooms: the bot talks one to one only ------------------------------------------

GROUP = "Ca56f94637c4c812cd491258042226c99"
ROOM = "Ra8dbf4673c4c812cd491258042226c99"
BOT = "U0f8c1a2b3c4d5e6f7a8b9c0d1e2f3a4b"
SOURCES = {
    "group": {"type": "group", "groupId": GROUP, "userId": USER},
    "room": {"type": "room", "roomId": ROOM, "userId": USER},
}
WORDS = "こんにちは、メールの設定を教えてください"
# Message objects without words, as LINE's webhook documents each (their content is not sent).
_PROVIDED = {"contentProvider": {"type": "line"}}
WORDLESS: dict[str, dict[str, Any]] = {
    "image": {"type": "image", **_PROVIDED},
    "video": {"type": "video", "duration": 12000, **_PROVIDED},
    "audio": {"type": "audio", "duration": 4000, **_PROVIDED},
    "file": {"type": "file", "fileName": "error.png", "fileSize": 20480},
    "location": {
        "type": "location",
        "title": "東京駅",
        "address": "東京都千代田区丸の内1丁目",
        "latitude": 35.681236,
        "longitude": 139.767125,
    },
}


def shared_chat_event(name: str, n: int, kind: str = "group") -> dict[str, Any]:
    """A recorded event as it comes from a group or a room the bot is in."""
    payload = event_payload(name, n)
    payload["events"][0]["source"] = dict(SOURCES[kind])
    return payload


def mention(n: int, kind: str = "group", *, is_self: bool = True) -> dict[str, Any]:
    """`@bot ...` typed in a group or room: LINE marks the bot's own mention isSelf."""
    payload = shared_chat_event("message_text", n, kind)
    message = payload["events"][0]["message"]
    message["text"] = f"@メール案内 {WORDS}"
    mentionee = {"index": 0, "length": 6, "type": "user", "userId": BOT, "isSelf": is_self}
    message["mention"] = {"mentionees": [mentionee]}
    return payload


def join(n: int, kind: str = "group") -> dict[str, Any]:
    """The bot was added to a group or a room."""
    payload = shared_chat_event("follow", n, kind)
    event = payload["events"][0]
    event["type"] = "join"
    del event["follow"], event["source"]["userId"]
    return payload


class TestLineChannel(OldButtonsContract, IdempotentPushContract):
    channel = "line"
    signature_setting = "LINE_CHANNEL_SECRET"
    push_call = ("line", "push")
    # `send_once` waits out a 429's Retry-After too: LINE's SDK does not.
    paused_by_runtime = frozenset({"5xx", "429"})
    conversation_key = USER
    max_body = line.MAX_WEBHOOK_BYTES

    def environ(self, api_url: str) -> dict[str, str]:
        return {
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": "mailmove-line-access-token",
            "LINE_API_URL": f"{api_url}/line",
        }

    def turn_reply_calls(self) -> list[tuple[str, str]]:
        # With the event's reply token first; what it could not carry is pushed.
        return [("line", "reply"), self.push_call]

    def text_request(self, text: str, n: int) -> SignedRequest:
        payload = event_payload("message_text", n)
        payload["events"][0]["message"]["text"] = text
        return signed(payload)

    def press_request(self, button: Button, n: int) -> SignedRequest:
        payload = event_payload("postback", n)
        payload["events"][0]["postback"]["data"] = button.data
        return signed(payload)

    def badly_signed(self, request: SignedRequest) -> SignedRequest:
        return signed_bytes(request.body, secret="not-the-channel-secret")

    def malformed_request(self) -> SignedRequest:
        return signed_bytes(b'{"destination": "U0f8c1a2b", "events": {')

    def resigned(self, request: SignedRequest, body: bytes) -> SignedRequest:
        return signed_bytes(body)

    def odd_requests(self) -> list[SignedRequest]:
        text = event_payload("message_text", 1)
        event = text["events"][0]
        return [
            signed_bytes(b"[]"),
            signed_bytes(b'{"destination": "U0f8c1a2b", "events": "none"}'),
            signed({**text, "events": [5]}),
            signed({**text, "events": [{**event, "message": "hello"}]}),
            signed({**text, "events": [{**event, "source": {"type": "user", "userId": 5}}]}),
            signed({**text, "events": [{**event, "webhookEventId": ["x"]}]}),
        ]

    def unknown_requests(self) -> list[SignedRequest]:
        # A sticker is answered now: the bot asks for the error as text.
        names = ("verify", "unsend", "future_event")
        return [signed(load_payload("line", name)) for name in names]

    def delivered(self, fake: FakePlatformAPI) -> list[Delivered]:
        return list(_messages(fake))

    def choice_of(self, button: Button) -> str:
        choice, separator, tag = button.data.rpartition(QUESTION_SEPARATOR)
        assert separator, f"untagged postback data {button.data!r}"
        assert len(tag) == 16
        return choice

    def shown_label(self, label: str) -> str:
        return truncate(label, MAX_LABEL, measure=utf16_length)

    # -- LINE only --------------------------------------------------------------------------

    async def test_a_reply_line_holds_up_does_not_hold_up_another_subscriber_s(
        self, harness: Harness
    ) -> None:
        # LINE sends several subscribers' events in one request. Their replies went out one
        # after another in one task, so the second subscriber waited behind the first's
        # reply, which LINE held up with a 429 (or a slow answer), and its reply token aged.
        events = []
        for n, user in enumerate(("U" + "1" * 32, "U" + "2" * 32), start=1):
            [event] = event_payload("message_text", n)["events"]
            event["source"]["userId"] = user
            events.append(event)
        harness.fake.throttle("line", "reply")  # the first reply LINE is sent
        harness.pauses.hold()  # its Retry-After, until the other one is answered
        payload = {**event_payload("message_text", 1), "events": events}
        response = await harness.post(signed(payload))
        assert response.status_code == 200, response.text

        def replied() -> list[str]:
            return [
                call.params["replyToken"]
                for call in harness.fake.calls_to("line", "reply")
                if call.accepted
            ]

        # Whichever reply LINE holds up, the other subscriber's is answered meanwhile.
        await harness.fake.wait_for(lambda: len(replied()) == 1, seconds=5)
        harness.pauses.release()
        await harness.settle()
        assert sorted(replied()) == sorted(event["replyToken"] for event in events)

    async def test_a_batch_of_long_messages_past_64_kib_is_answered(self, harness: Harness) -> None:
        # LINE sends events that happen close together in one request, and documents no
        # limit on their number or weight. Three subscribers' messages of 10,000 characters
        # (the LINE app's longest), escaped as JSON may escape them, weigh about 180 KB: at
        # the app's 64 KiB they got 413 at every redelivery, and none was answered.
        words = "メールが送信できません。" * (10_000 // 12)
        events = []
        for n, user in enumerate(("U" + "1" * 32, "U" + "2" * 32, USER), start=1):
            [event] = event_payload("message_text", n)["events"]
            event["source"]["userId"] = user
            event["message"]["text"] = words
            events.append(event)
        payload = {**event_payload("message_text", 1), "events": events}
        request = signed_bytes(json.dumps(payload).encode())  # ensure_ascii: the heaviest form
        assert MAX_BODY_BYTES * 2 < len(request.body) < line.MAX_WEBHOOK_BYTES
        response = await harness.post(request)
        assert response.status_code == 200, response.text
        await harness.settle()
        assert len(await harness.store.list_records()) == 3
        replied = {
            call.params["replyToken"]
            for call in harness.fake.platform_calls("line")
            if call.method == "reply" and call.accepted
        }
        assert replied == {event["replyToken"] for event in events}

    async def test_a_text_with_an_unknown_mentionee_type_is_answered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        """An unknown enum value in a part the bot does not read loses no message."""
        request = self.text_request("こんにちは", 1)
        payload = json.loads(request.body)
        message = payload["events"][0]["message"]
        message["mention"] = {
            "mentionees": [{"index": 0, "length": 4, "type": "futureKind", "futureId": "X1"}]
        }
        message["emojis"] = [{"index": 5, "length": 1, "productId": "p", "emojiId": "e"}]
        oracle.start(locale="ja")
        await self.exchange(harness, signed(payload), oracle.last.replies)

    @pytest.mark.parametrize("kind", sorted(set(WORDLESS) - {"location"}))
    async def test_a_message_without_words_is_answered_whatever_it_carries(
        self, harness: Harness, oracle: Driver, kind: str
    ) -> None:
        # A picture, a video, a voice message, a file: the subscriber is asked for the
        # text, never left without an answer.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        payload = event_payload("message_text", 2)
        payload["events"][0]["message"] = {"id": "468789577898262530", **WORDLESS[kind]}
        oracle.press(MEDIA_CHOICE)
        got = await self.exchange(harness, signed(payload), oracle.last.replies)
        assert got[0].text == harness.runtime.catalogs("ja", "media.unreadable")

    async def test_a_location_is_thanked_for_not_taken_for_a_photo(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A location got 「写真や音声などは、こちらでは見たり聞いたり…」: the adapter says which
        # kind it was, and the dialog thanks for it and asks its question again.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        payload = event_payload("message_text", 2)
        payload["events"][0]["message"] = {"id": "468789577898262530", **WORDLESS["location"]}
        oracle.press(LOCATION_CHOICE)
        got = await self.exchange(harness, signed(payload), oracle.last.replies)
        assert got[0].text.startswith(harness.runtime.catalogs("ja", "location.seen"))

    async def test_a_message_sticker_is_read_as_the_words_written_on_it(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A message sticker carries the words its sender typed on it (`text`, LINE's
        # webhook reference): 「はい」 on a sticker was asked for the error as text.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        payload = event_payload("message_sticker", 2)
        payload["events"][0]["message"].update(
            stickerResourceType="MESSAGE", text="はい", keywords=["OK"]
        )
        oracle.type("はい")
        await self.exchange(harness, signed(payload), oracle.last.replies)

    async def test_switching_the_rich_menus_tab_is_not_answered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A rich menu switch action (richmenuswitch) sends a postback whose params name the
        # menu switched to: the member changed tabs and said nothing, yet was told
        # 「その選択肢は今の質問には使えません」.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        payload = event_payload("postback", 2)
        payload["events"][0]["postback"] = {
            "data": "richmenu-changed-to-b",
            "params": {"newRichMenuAliasId": "richmenu-alias-b", "status": "SUCCESS"},
        }
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_several_pictures_sent_at_once_are_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Three screenshots picked together come as three image events of one imageSet, in
        # one delivery or several: each got the same request for the text and the question.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        pictures = []
        for index in (1, 2, 3):
            payload = event_payload("message_text", 1 + index)
            payload["events"][0]["message"] = {
                "id": f"46878957789826253{index}",
                **WORDLESS["image"],
                "imageSet": {
                    "id": "E005D41A7288F41B65593ED38FF6E9834B046AB36A37921A56BC236F13A91855",
                    "index": index,
                    "total": 3,
                },
            }
            pictures.append(payload)
        first, *others = pictures
        both = {**others[0], "events": [others[0]["events"][0], others[1]["events"][0]]}
        oracle.press(MEDIA_CHOICE)
        await self.exchange(harness, signed(first), oracle.last.replies)
        assert (await harness.post(signed(both))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_message_the_subscriber_unsent_is_withdrawn_from_the_transcript(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # LINE asks that an unsent message be treated as withdrawn: its words stayed in the
        # transcript every desk reads (the agent API, the console, the summary).
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        words = "はい、自宅のパソコンで使っています"
        oracle.type(words)
        await self.exchange(harness, self.text_request(words, 2), oracle.last.replies)
        unsend = event_payload("unsend", 3)
        unsend["events"][0]["unsend"]["messageId"] = f"4687895778982{2:05d}"
        assert (await harness.post(signed(unsend))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        lines = await harness.store.transcript(record.key)
        assert all(words not in x.text for x in lines)
        said = [x.text for x in lines if x.author == "subscriber"]
        assert said == ["こんにちは", WITHDRAWN_TEXT]
        assert [x.text for x in lines if x.text.startswith(WITHDRAWN_LINE)] != []
        read = await self.agent_read(harness)
        assert words not in json.dumps(read, ensure_ascii=False)
        # Sent again (a redelivery), it changes nothing more; the bot said nothing to it.
        assert (await harness.post(signed(unsend))).status_code == 200
        await harness.settle()
        assert await harness.store.transcript(record.key) == lines
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    @pytest.mark.parametrize("unsent", ["address", "greeting"])
    async def test_an_unsent_address_is_forgotten_and_another_unsend_keeps_it(
        self, harness: Harness, oracle: Driver, unsent: str
    ) -> None:
        # The words left the transcript, but the address read from them stayed in the dialog
        # state: the agent API's conversation and a later handoff summary still showed it.
        n = await self.address_typed(harness, oracle)
        unsend = event_payload("unsend", 7)
        message = n if unsent == "address" else 1
        unsend["events"][0]["unsend"]["messageId"] = f"4687895778982{message:05d}"
        assert (await harness.post(signed(unsend))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        handoffs = harness.runtime.handoffs
        assert handoffs is not None
        summary = await handoffs.summary(record, "asked")
        read = json.dumps(await self.agent_read(harness), ensure_ascii=False)
        rows = "\n".join(summary.rows(harness.runtime.catalogs))
        if unsent == "greeting":
            assert record.dialog.address == ADDRESS
            assert summary.address == ADDRESS
            return
        assert record.dialog.address is None
        assert summary.address == ""
        assert ADDRESS not in rows
        assert ADDRESS not in read
        # The bot says nothing to an unsend (LINE gives no reply token); redelivered, it does
        # nothing more.
        assert (await harness.post(signed(unsend))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        assert await self.record(harness) == record

    @pytest.mark.parametrize("kind", ["text", "sticker", "postback"])
    async def test_an_event_stored_under_its_former_name_is_not_answered_again(
        self, harness: Harness, oracle: Driver, kind: str
    ) -> None:
        # Before 3555029 a text's turn was named by its webhook event (line:<webhookEventId>),
        # now by its message: an event stored just before an upgrade and redelivered just
        # after was a new turn, answered (and its words kept) twice.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        record = await self.record(harness)
        assert record is not None
        if kind == "postback":
            button = self.button(self.delivered(harness.fake), "yes")
            payload = json.loads(self.press_request(button, 2).body)
            inbound = Inbound(CHANNEL, USER, "", choice="yes", sender=USER)
        else:
            payload = event_payload(f"message_{kind}", 2)
            payload["events"][0]["message"].update(text="はい", stickerResourceType="MESSAGE")
            inbound = Inbound(CHANNEL, USER, "", text="はい", sender=USER)
        event = payload["events"][0]
        former = dataclasses.replace(inbound, event_id=f"{CHANNEL}:{event['webhookEventId']}")
        await harness.runtime.engine.handle(former)  # stored, not yet answered: LINE sends again
        await harness.runtime.tasks.idle()
        lines = await harness.store.transcript(record.key)
        event["deliveryContext"]["isRedelivery"] = True
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        assert await harness.store.transcript(record.key) == lines
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_redelivery_of_an_event_never_stored_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Looked up under its former name, which nothing stored: the look-up must not keep
        # the event from its turn, nor mark it handled.
        oracle.start(locale="ja")
        request = self.text_request("こんにちは", 1)
        payload = json.loads(request.body)
        payload["events"][0]["deliveryContext"]["isRedelivery"] = True
        await self.exchange(harness, signed(payload), oracle.last.replies)
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_reply_quoting_a_question_answered_since_answers_nothing_and_says_so(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # LINE's quote (quotedMessageId, the id LINE gave the bot's message) went unread:
        # 「いいえ」 quoting question 1, answered since, answered question 2.
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        oracle.press("yes")
        await self.exchange(
            harness, self.press_request(self.button(first, "yes"), 2), oracle.last.replies
        )
        record = await self.record(harness)
        assert record is not None
        (question_1, question_2) = asked_ids(harness.fake)
        quoting = event_payload("message_text", 3)
        quoting["events"][0]["message"].update(text="いいえ", quotedMessageId=question_1)
        shown = len(self.delivered(harness.fake))
        assert (await harness.post(signed(quoting))).status_code == 200
        await harness.runtime.tasks.idle()
        after = await self.record(harness)
        assert after is not None
        # The question open now is not answered.
        assert answers_alike(after.dialog, record.dialog)
        note = harness.runtime.catalogs("ja", "quote.answered_before")
        assert [d.text for d in self.delivered(harness.fake)[shown:]] == [note]
        lines = await harness.store.transcript(after.key)
        assert [x.text for x in lines if x.author == "subscriber"][-1] == "いいえ"
        # The questions' ids are the channel's bookkeeping, which agents' tools are not shown.
        asked = [x for x in lines if x.text.startswith("line asked: ")]
        assert len(asked) >= 2
        assert all(is_bookkeeping(x) for x in asked)
        # The question on screen, quoted, takes its answer; so do words quoting anything else.
        on_screen = event_payload("message_text", 4)
        on_screen["events"][0]["message"].update(text="いいえ", quotedMessageId=question_2)
        oracle.type("いいえ")
        await self.exchange(harness, signed(on_screen), oracle.last.replies)

    async def test_the_console_verify_request_gets_200(self, harness: Harness) -> None:
        response = await harness.post(signed(load_payload("line", "verify")))
        assert response.status_code == 200

    async def test_a_new_friend_is_greeted(self, harness: Harness, oracle: Driver) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, signed(event_payload("follow", 1)), oracle.last.replies)
        assert len(harness.fake.calls_to("line", "reply")) == 1

    async def test_blocking_the_account_while_the_desk_has_it_closes_the_conversation(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # LINE's `unfollow` event: the subscriber blocked the account. The desk must not wait.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        unfollow = event_payload("follow", 2)
        event = unfollow["events"][0]
        event["type"] = "unfollow"
        del event["replyToken"], event["follow"]
        calls = len(harness.fake.calls)
        assert (await harness.post(signed(unfollow))).status_code == 200
        read = await self.agent_read(harness)
        assert read["owner"] == "closed"
        assert read["transcript"][-1]["text"] == "closed: subscriber left"
        assert (await self.agent_api(harness, "messages", text="x")).status_code == 409
        await harness.settle()
        assert len(harness.fake.calls) == calls  # nothing pushed to a user who blocked us

    async def test_the_profile_language_picks_english(
        self, harness: Harness, oracle: Driver
    ) -> None:
        harness.fake.line_languages[USER] = "en"
        oracle.start(locale="en")
        await self.exchange(harness, self.text_request("hello", 1), oracle.last.replies)
        oracle.type("yes")
        await self.exchange(harness, self.text_request("yes", 2), oracle.last.replies)
        # The profile is asked once per user, not once per message.
        assert len(harness.fake.calls_to("line", "profile")) == 1

    async def test_unblocking_keeps_the_language_the_subscriber_chose(
        self, harness: Harness, oracle: Driver, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        # LINE in English, the chat switched to Japanese: blocked and unblocked (a follow
        # with isUnblocked), the conversation went on in English.
        harness.fake.line_languages[USER] = "en"
        oracle.start(locale="en")
        await self.exchange(harness, self.text_request("hello", 1), oracle.last.replies)
        oracle.type("日本語でお願いします")
        await self.exchange(
            harness, self.text_request("日本語でお願いします", 2), oracle.last.replies
        )
        unblocked = event_payload("follow", 3)
        unblocked["events"][0]["follow"] = {"isUnblocked": True}
        japanese = Driver(profile, catalogs)  # a new conversation in Japanese
        before = len(self.delivered(harness.fake))
        assert (await harness.post(signed(unblocked))).status_code == 200
        await harness.runtime.tasks.idle()
        greeting = self.delivered(harness.fake)[before]
        self.assert_rendered(greeting, japanese.start(locale="ja").replies[0])
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.locale == "ja"

    async def test_an_expired_reply_token_falls_back_to_one_push(
        self, harness: Harness, oracle: Driver
    ) -> None:
        request = self.text_request("こんにちは", 1)
        harness.fake.line_expired_tokens.add(json.loads(request.body)["events"][0]["replyToken"])
        oracle.start(locale="ja")
        await self.exchange(harness, request, oracle.last.replies)
        await harness.settle()
        assert [c.status for c in harness.fake.calls_to("line", "reply", status=None)] == [400]
        (push,) = harness.fake.calls_to("line", "push", status=None)
        assert push.params["to"] == USER
        assert push.headers["x-line-retry-key"] == line.retry_key(
            f"line:message:4687895778982{1:05d}", 0
        )

    async def test_more_than_five_messages_reply_first_then_push(
        self, harness: Harness, oracle: Driver, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(line, "MAX_MESSAGES_PER_CALL", 1)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        assert len(oracle.last.replies) == 2
        assert len(harness.fake.calls_to("line", "reply")) == 1
        (push,) = harness.fake.calls_to("line", "push")
        assert len(push.params["messages"]) == 1

    async def test_a_429_on_reply_is_waited_out_and_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        harness.fake.throttle("line", "reply", times=1, retry_after=1)
        harness.pauses.cut()  # the Retry-After asked for is asserted, not waited
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        assert [c.status for c in harness.fake.calls_to("line", "reply", status=None)] == [429, 200]
        assert harness.fake.calls_to("line", "push", status=None) == []
        assert harness.pauses.asked == [1.0]
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_a_429_whose_retry_after_is_a_date_waits_until_that_date(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # RFC 9110 allows an HTTP-date: float() refused it, and the doubling pause was taken.
        # The fake says no Date, so the wait is measured from the bot's clock.
        until = IN_WINDOW + dt.timedelta(seconds=7)
        harness.fake.throttle("line", "reply", retry_after=format_datetime(until, usegmt=True))
        harness.pauses.cut()
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        assert [c.status for c in harness.fake.calls_to("line", "reply", status=None)] == [429, 200]
        assert harness.pauses.asked == [7.0]

    async def test_a_429_on_push_is_resent_with_the_same_retry_key(
        self, harness: Harness, oracle: Driver
    ) -> None:
        request = self.text_request("こんにちは", 1)
        harness.fake.line_expired_tokens.add(json.loads(request.body)["events"][0]["replyToken"])
        harness.fake.throttle("line", "push", times=1, retry_after=1)
        harness.pauses.cut()
        oracle.start(locale="ja")
        await self.exchange(harness, request, oracle.last.replies)
        await harness.settle()
        pushes = harness.fake.calls_to("line", "push", status=None)
        assert [p.status for p in pushes] == [429, 200]
        assert harness.pauses.asked == [1.0]
        assert len({p.headers["x-line-retry-key"] for p in pushes}) == 1
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_a_push_accepted_but_unanswered_is_not_delivered_twice(
        self, harness: Harness, oracle: Driver
    ) -> None:
        request = self.text_request("こんにちは", 1)
        harness.fake.line_expired_tokens.add(json.loads(request.body)["events"][0]["replyToken"])
        harness.fake.line_pushes_lost_after_acceptance = 1
        harness.pauses.cut()
        oracle.start(locale="ja")
        await self.exchange(harness, request, oracle.last.replies)
        await harness.settle()
        # The resend carries the same retry key, so LINE answers 409 instead of sending again.
        pushes = harness.fake.calls_to("line", "push", status=None)
        assert [p.status for p in pushes] == [500, 409]
        assert harness.pauses.asked == [RETRY_WAIT]
        assert len({p.headers["x-line-retry-key"] for p in pushes}) == 1
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_events_stored_before_a_store_failure_are_answered_all_the_same(
        self, harness: Harness, oracle: Driver, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        payload = event_payload("message_text", 1)
        payload["events"][0]["message"]["text"] = "こんにちは"
        second = event_payload("message_text", 2)["events"][0]
        second["message"]["text"] = "はい"
        payload["events"].append(second)
        request = signed(payload)
        transact = harness.store.transact
        turns = 0

        async def second_turn_refused(
            key: str, event_id: str | None, update: Update[Any]
        ) -> Change[Any] | None:
            nonlocal turns
            turns += 1
            if turns == 2:
                raise StoreUnavailableError("down for the test")
            return await transact(key, event_id, update)

        monkeypatch.setattr(harness.store, "transact", second_turn_refused)
        assert (await harness.post(request)).status_code == 503
        # The first event is stored: LINE's redelivery will drop it as a repeat, so it is
        # answered now.
        oracle.start(locale="ja")
        await harness.fake.wait_for(
            lambda: len(self.delivered(harness.fake)) == len(oracle.last.replies)
        )
        oracle.type("はい")
        assert (await harness.post(request)).status_code == 200
        await harness.settle()
        got = self.delivered(harness.fake)
        assert len(got) == len(oracle.all_replies())
        for delivered, reply in zip(got, oracle.all_replies(), strict=True):
            self.assert_rendered(delivered, reply)

    async def test_a_push_goes_with_a_retry_key_and_its_buttons_answer(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        # As a login check's result arrives: replies that answer no message, so no reply token.
        question = ChoicesReply(
            "もう一度確かめますか？", (Choice("yes", "はい"), Choice("no", "いいえ"))
        )
        await harness.runtime.delivery.push("line", USER, [TextReply("確認しました。"), question])
        (push,) = harness.fake.calls_to("line", "push")
        assert push.params["to"] == USER
        assert len(push.headers["x-line-retry-key"]) == 36
        text, pushed = self.delivered(harness.fake)[-2:]
        assert text.text == "確認しました。"
        self.assert_rendered(pushed, question)
        # A tap on the pushed question is a turn; a second tap on it is dropped.
        replies_before = len(harness.fake.calls_to("line", "reply"))
        for n, choice in enumerate(("no", "yes"), start=2):
            tap = self.press_request(self.button([pushed], choice), n)
            assert (await harness.post(tap)).status_code == 200
        await harness.settle()
        assert len(harness.fake.calls_to("line", "reply")) == replies_before + 1
        lines = await harness.store.transcript(f"line:{USER}")
        assert [line.text for line in lines if line.author == "subscriber"][-1] == "[no]"

    async def test_a_push_lost_after_acceptance_is_resent_with_its_key_and_arrives_once(
        self, harness: Harness
    ) -> None:
        harness.fake.line_pushes_lost_after_acceptance = 1
        harness.pauses.cut()
        await harness.runtime.delivery.push("line", USER, [TextReply("確認しました。")])
        pushes = harness.fake.calls_to("line", "push", status=None)
        assert [p.status for p in pushes] == [500, 409]
        assert harness.pauses.asked == [RETRY_WAIT]
        assert len({p.headers["x-line-retry-key"] for p in pushes}) == 1
        assert [d.text for d in self.delivered(harness.fake)] == ["確認しました。"]

    # -- groups and rooms: the card and the check link, with the address, would be public --

    def sent(self, harness: Harness) -> list[tuple[str, list[str]]]:
        """Every reply or push tried: the token or addressee, and the texts."""
        return [
            (
                call.params.get("replyToken") or call.params["to"],
                [m.get("text", m["type"]) for m in call.params["messages"]],
            )
            for call in harness.fake.platform_calls("line")
            if call.method in ("reply", "push")
        ]

    @pytest.mark.parametrize("kind", ["group", "room"])
    async def test_talk_in_a_shared_chat_is_not_answered_and_nothing_is_kept(
        self, harness: Harness, kind: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        text = shared_chat_event("message_text", 1, kind)
        text["events"][0]["message"]["text"] = WORDS
        sticker = shared_chat_event("message_sticker", 2, kind)
        elsewhere = mention(3, kind, is_self=False)  # someone else was mentioned
        for payload in (text, sticker, elsewhere):
            assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        assert self.sent(harness) == []
        assert await harness.store.list_records() == []
        assert not [r for r in caplog.records if WORDS in r.getMessage()]

    @pytest.mark.parametrize("kind", ["group", "room"])
    async def test_a_mention_of_the_bot_gets_one_line_with_the_reply_token(
        self, harness: Harness, kind: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        payload = mention(1, kind)
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        token = payload["events"][0]["replyToken"]
        assert self.sent(harness) == [
            (token, [harness.runtime.catalogs("ja", "line.private_only")])
        ]
        assert await harness.store.list_records() == []
        assert not [r for r in caplog.records if WORDS in r.getMessage()]

    @pytest.mark.parametrize("kind", ["group", "room"])
    async def test_a_mention_of_a_kind_line_added_later_still_reaches_the_bot(
        self, harness: Harness, kind: str
    ) -> None:
        # LINE adds mentionee types and fields (it says to tolerate unknown ones); the
        # SDK's model knows only "user" and "all", and refused the whole event.
        payload = mention(1, kind)
        mentionees = payload["events"][0]["message"]["mention"]["mentionees"]
        mentionees.append({"index": 7, "length": 5, "type": "futureKind", "newField": [1]})
        mentionees[0]["futureField"] = {"x": 1}
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        token = payload["events"][0]["replyToken"]
        assert self.sent(harness) == [
            (token, [harness.runtime.catalogs("ja", "line.private_only")])
        ]

    async def test_the_line_is_in_the_language_line_gives_for_the_user(
        self, harness: Harness
    ) -> None:
        harness.fake.line_languages[USER] = "en"
        payload = mention(1)
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        (call,) = harness.fake.calls_to("line", "reply")
        assert [m["text"] for m in call.params["messages"]] == [
            harness.runtime.catalogs("en", "line.private_only")
        ]

    async def test_a_mention_by_someone_not_yet_a_friend_leaves_their_language_open(
        self, harness: Harness, oracle: Driver, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # LINE has no profile for a group member who is not a friend (404). Told to add the
        # bot, they do: their one-to-one chat must then be in their profile's language.
        from linebot.v3.messaging import (  # type: ignore[import-untyped]
            ApiException,
            AsyncMessagingApi,
        )

        friends: set[str] = set()
        get_profile = AsyncMessagingApi.get_profile

        async def profile_of_friends(api: Any, user_id: str, **kwargs: Any) -> Any:
            if user_id not in friends:
                raise ApiException(status=404, reason="Not Found")
            return await get_profile(api, user_id, **kwargs)

        monkeypatch.setattr(AsyncMessagingApi, "get_profile", profile_of_friends)
        harness.fake.line_languages[USER] = "en"
        assert (await harness.post(signed(mention(1)))).status_code == 200
        await harness.fake.wait_for(lambda: bool(harness.fake.calls_to("line", "reply")))
        (note,) = harness.fake.calls_to("line", "reply")
        assert note.params["messages"][0]["text"] == harness.runtime.catalogs(
            "ja", "line.private_only"
        )
        friends.add(USER)
        oracle.start(locale="en")
        await self.exchange(harness, signed(event_payload("follow", 2)), oracle.last.replies)

    @pytest.mark.parametrize("kind", ["group", "room"])
    async def test_joining_is_answered_once_with_the_line(
        self, harness: Harness, kind: str
    ) -> None:
        payload = join(1, kind)
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        token = payload["events"][0]["replyToken"]
        # No user in a join event, so no language to ask for: Japanese.
        assert self.sent(harness) == [
            (token, [harness.runtime.catalogs("ja", "line.private_only")])
        ]
        assert harness.fake.calls_to("line", "profile") == []
        assert await harness.store.list_records() == []

    async def test_a_redelivered_mention_is_answered_once(self, harness: Harness) -> None:
        payload = mention(1)
        assert (await harness.post(signed(payload))).status_code == 200
        payload["events"][0]["deliveryContext"]["isRedelivery"] = True
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        token = payload["events"][0]["replyToken"]
        assert self.sent(harness) == [
            (token, [harness.runtime.catalogs("ja", "line.private_only")])
        ]

    async def test_a_button_pressed_in_a_group_gets_the_line_and_no_dialog(
        self, harness: Harness
    ) -> None:
        payload = shared_chat_event("postback", 1)
        payload["events"][0]["postback"]["data"] = "yes~0123456789abcdef"
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        token = payload["events"][0]["replyToken"]
        assert self.sent(harness) == [
            (token, [harness.runtime.catalogs("ja", "line.private_only")])
        ]
        assert await harness.store.list_records() == []

    async def test_a_reply_line_may_have_taken_is_said_with_why(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # "LINE reply for line:message:… may not have arrived" named no cause: LINE's 500, a
        # timeout, a dropped connection read alike in the log.
        harness.fake.fail("line", "reply", times=5, status=500)
        harness.pauses.cut()
        with caplog.at_level(logging.WARNING, logger="adapters.line"):
            sent = await harness.post(self.text_request("こんにちは", 1))
            assert sent.status_code == 200
            await harness.settle()
        [said] = [
            r.getMessage() for r in caplog.records if "may not have arrived" in r.getMessage()
        ]
        assert said.startswith("LINE reply for line:")
        assert said.endswith(
            " may not have arrived: LINE answered 500; not pushed instead, which could say it twice"
        )

    def turn_replies_counted(self, harness: Harness, cause: str) -> float | None:
        return harness.runtime.metrics.registry.get_sample_value(
            "mailmove_undelivered_turn_replies_total", {"channel": "line", "cause": cause}
        )

    async def test_a_turns_replies_refused_for_the_monthly_limit_are_counted_as_quota(
        self, harness: Harness
    ) -> None:
        # The allowance used up refuses every push (what a reply token carries is free): an
        # ERROR line each, and no metric for an alert to see it by.
        harness.fake.line_monthly_limit_reached = True
        harness.fake.fail("line", "reply", times=1, status=400)  # the token aged: pushed
        assert (await harness.post(self.text_request("こんにちは", 1))).status_code == 200
        await harness.settle()
        refused = len(harness.fake.calls_to("line", "push", status=429))
        assert refused >= 1
        assert self.turn_replies_counted(harness, "quota") == refused
        assert self.turn_replies_counted(harness, "refused") == 0

    async def test_a_turns_reply_line_may_have_taken_is_counted_as_may_have_arrived(
        self, harness: Harness
    ) -> None:
        harness.fake.fail("line", "reply", times=5, status=500)
        harness.pauses.cut()
        assert (await harness.post(self.text_request("こんにちは", 1))).status_code == 200
        await harness.settle()
        assert self.turn_replies_counted(harness, "may_have_arrived") == 1

    async def test_an_access_token_refused_while_serving_is_said_with_the_setting(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Reissued in LINE Developers (the old one revoked) or a short-lived one expired
        # after start-up: every reply failed with "LINE push … failed: LINE answered 401",
        # the setting to replace named nowhere, a line per reply.
        harness.fake.fail("line", "reply", times=10, status=401)
        harness.fake.fail("line", "push", times=10, status=401)
        harness.pauses.cut()
        with caplog.at_level(logging.WARNING, logger="adapters.line"):
            for n in (1, 2):
                assert (await harness.post(self.text_request("こんにちは", n))).status_code == 200
            await harness.settle()
        said = [
            r.getMessage() for r in caplog.records if "LINE_CHANNEL_ACCESS_TOKEN" in r.getMessage()
        ]
        assert said == [
            "LINE refuses LINE_CHANNEL_ACCESS_TOKEN (401, 1 push(es)): no reply reaches LINE"
            " subscribers until it is replaced; issue a channel access token for this channel"
            " (LINE Developers, the Messaging API tab), set it and restart mailmove"
        ]

    async def test_a_refused_reply_token_is_not_followed_by_a_push(self, harness: Harness) -> None:
        # A push to a group costs the monthly quota and would land without being asked for.
        payload = mention(1)
        harness.fake.line_expired_tokens.add(payload["events"][0]["replyToken"])
        assert (await harness.post(signed(payload))).status_code == 200
        await harness.settle()
        assert [c.status for c in harness.fake.calls_to("line", "reply", status=None)] == [400]
        assert harness.fake.calls_to("line", "push", status=None) == []

    async def test_the_one_to_one_chat_starts_fresh_after_a_group_mention(
        self, harness: Harness, oracle: Driver
    ) -> None:
        assert (await harness.post(signed(mention(1)))).status_code == 200
        await harness.fake.wait_for(lambda: bool(harness.fake.calls_to("line", "reply")))
        oracle.start(locale="ja")
        text = event_payload("message_text", 2)
        await self.exchange(harness, signed(text), oracle.last.replies)
        (record,) = await harness.store.list_records()
        assert record.key == f"line:{USER}"


# -- reading back what the fake received ----------------------------------------------------


def asked_ids(fake: FakePlatformAPI) -> list[str]:
    """The ids LINE gave the bot's messages whose buttons answer a yes-or-no question."""
    ids: list[str] = []
    for call in fake.platform_calls("line"):
        if call.method not in ("reply", "push") or not call.accepted:
            continue
        for message, sent in zip(call.params["messages"], call.result["sentMessages"], strict=True):
            items = (message.get("quickReply") or {}).get("items", [])
            if any(i["action"]["data"].startswith("yes~") for i in items):
                ids.append(sent["id"])
    return ids


def _messages(fake: FakePlatformAPI) -> Iterator[Delivered]:
    for call in fake.platform_calls("line"):
        if call.method not in ("reply", "push") or not call.accepted:
            continue
        for message in call.params["messages"]:
            if message["type"] == "text":
                items = (message.get("quickReply") or {}).get("items", [])
                buttons = tuple(Button(i["action"]["label"], i["action"]["data"]) for i in items)
                yield Delivered(message["text"], buttons, message)
            elif message["type"] == "flex":
                contents = message["contents"]
                buttons = tuple(
                    Button(b["action"]["label"], b["action"]["data"])
                    for b in _flex_components(contents)
                    if b["type"] == "button"
                )
                yield Delivered("\n".join(_flex_texts(contents)), buttons, message)


def _flex_components(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for part in ("header", "body", "footer"):
        if isinstance(node.get(part), dict):
            yield from _flex_components(node[part])
    for child in node.get("contents", []) if isinstance(node.get("contents"), list) else []:
        yield from _flex_components(child)


def _flex_texts(node: dict[str, Any]) -> Iterator[str]:
    for component in _flex_components(node):
        if component["type"] == "text":
            yield component["text"]


def test_retry_keys_are_uuids_stable_per_event_and_batch() -> None:
    assert line.retry_key("line:a", 0) == line.retry_key("line:a", 0)
    assert line.retry_key("line:a", 0) != line.retry_key("line:a", 1)
    assert len(line.retry_key("line:a", 0)) == 36
