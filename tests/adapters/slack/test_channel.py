"""Slack: the channel contract, plus mentions in threads, retries, locale, push, Socket Mode."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import html
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.applications import Starlette

from adapters.slack import channel as slack
from adapters.slack import post_once
from adapters.slack import render as slack_render
from adapters.slack.events import CHANNEL
from bot.ops.catalogs import Catalogs
from bot.ops.settings import MAX_BODY_BYTES, Settings
from bot.server import build_app
from bot.store.conversation_store import (
    WITHDRAWN_TEXT,
    Change,
    StoreUnavailableError,
    Update,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import (
    EDITED_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    Choice,
    ChoicesReply,
    Inbound,
    TextReply,
)
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import (
    ADDRESS,
    Button,
    Delivered,
    Harness,
    IdempotentPushContract,
    OldButtonsContract,
    SignedRequest,
    all_but,
    load_payload,
)
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import SLACK_TEAM, WAIT_SECONDS, FakePlatformAPI, running_fake

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DM = "D0SUBSCRIBER"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SlackRef:
    """Where a delivered button lives, to build the `block_actions` Slack would send."""

    channel: str
    ts: str
    thread_ts: str | None
    blocks: list[dict[str, Any]]
    action_id: str
    block_id: str = "choices-0"


def signed(body: bytes, content_type: str, *, extra: dict[str, str] | None = None) -> SignedRequest:
    """Headers exactly as Slack signs: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
        **(extra or {}),
    }
    return SignedRequest(slack.WEBHOOK_PATH, body, headers)


def event_request(payload: dict[str, Any], **headers: str) -> SignedRequest:
    return signed(json.dumps(payload).encode(), "application/json", extra=headers)


def message_event(name: str, text: str, n: int) -> dict[str, Any]:
    payload = load_payload("slack", name)
    payload["event_id"] = f"Ev{n:011d}"
    event = payload["event"]
    event["text"] = text
    event["ts"] = event["event_ts"] = f"1212345678.{n:06d}"
    event["client_msg_id"] = f"00000000-0000-4000-8000-{n:012d}"
    return payload


def _forward(text: str) -> dict[str, Any]:
    """A forwarded message, as Slack attaches it to the forwarding one (undocumented shape)."""
    return {
        "ts": "1212345000.000100",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "is_msg_unfurl": True,
        "is_share": True,
        "author_id": "U0COLLEAGUE",
        "author_name": "同僚",
        "text": text,
        "fallback": f"[June 1st, 2008 10:00 AM] 同僚: {text}",
        "footer": "Posted in #general",
        "mrkdwn_in": ["text"],
        "color": "D0D0D0",
        "id": 1,
        "from_url": "https://mailmove.slack.com/archives/C0GENERAL/p1212345000000100",
    }


def _view_submission(view_type: str | None = "modal") -> dict[str, Any]:
    payload = load_payload("slack", "view_submission")
    if view_type is None:
        del payload["view"]["type"]
    else:
        payload["view"]["type"] = view_type
    return payload


class TestSlackChannel(OldButtonsContract, IdempotentPushContract):
    channel = "slack"
    signature_setting = "SLACK_SIGNING_SECRET"
    push_call = ("slack", "chat.postMessage")
    # The client's 429 handler waits through the runtime's pause (adapters.slack.channel).
    paused_by_runtime = frozenset({"5xx", "429"})
    conversation_key = f"{SLACK_TEAM}:{DM}"
    # A 40,000-character message, its words twice (text and rich-text blocks).
    max_body = slack.MAX_EVENT_BYTES

    def environ(self, api_url: str) -> dict[str, str]:
        return {
            "SLACK_BOT_TOKEN": "xoxb-1111-2222-mailmove",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{api_url}/slack/api/",
        }

    def text_request(self, text: str, n: int) -> SignedRequest:
        return event_request(message_event("message_im", text, n))

    def press_request(self, button: Button, n: int) -> SignedRequest:
        ref: SlackRef = button.ref
        payload = load_payload("slack", "block_actions")
        payload["container"].update(channel_id=ref.channel, message_ts=ref.ts)
        payload["channel"]["id"] = ref.channel
        payload["message"].update(ts=ref.ts, blocks=ref.blocks)
        if ref.thread_ts:
            payload["message"]["thread_ts"] = ref.thread_ts
            payload["container"]["thread_ts"] = ref.thread_ts
        payload["trigger_id"] = f"1212345679.{n}.trigger"
        payload["actions"] = [
            {
                "action_id": ref.action_id,
                "block_id": ref.block_id,
                "text": {"type": "plain_text", "text": button.label, "emoji": True},
                "value": button.data,
                "type": "button",
                "action_ts": f"1212345679.{n:06d}",
            }
        ]
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return signed(body, "application/x-www-form-urlencoded")

    def badly_signed(self, request: SignedRequest) -> SignedRequest:
        headers = {**request.headers, "x-slack-signature": "v0=" + "0" * 64}
        return SignedRequest(request.path, request.body, headers)

    def malformed_request(self) -> SignedRequest:
        return signed(b'{"type": "event_callback", "event": ', "application/json")

    def resigned(self, request: SignedRequest, body: bytes) -> SignedRequest:
        return signed(body, request.headers["content-type"])

    def recorded_request(self, name: str, payload: object) -> SignedRequest:
        if name in ("block_actions", "view_submission"):  # forms with a `payload` field
            return signed(urlencode({"payload": json.dumps(payload)}).encode(), FORM)
        return signed(json.dumps(payload).encode(), JSON)

    def odd_requests(self) -> list[SignedRequest]:
        message = load_payload("slack", "message_im")
        return [
            signed(b'{"type":"event_callback","event":"not an object","event_id":5}', JSON),
            signed(b"<event><type>event_callback</type></event>", "application/xml"),
            signed(b"[]", JSON),
            signed(json.dumps({**message, "event_id": 5}).encode(), JSON),
            signed(
                json.dumps({**message, "event": {**message["event"], "text": []}}).encode(), JSON
            ),
            signed(json.dumps({**message, "authorizations": "all"}).encode(), JSON),
            signed(json.dumps({**message, "response_urls": None}).encode(), JSON),
            signed(urlencode({"payload": "[]"}).encode(), FORM),
            signed(
                urlencode({"payload": '{"type": "block_actions", "actions": 5}'}).encode(), FORM
            ),
            signed(
                urlencode({"payload": '{"type": "block_actions", "user": "U1"}'}).encode(), FORM
            ),
            signed(b"just some words", FORM),
            # Bolt indexes these without looking (slack_bolt.request.payload_utils): a view's
            # type, and the workflow step of a step's edit or save.
            signed(
                urlencode({"payload": json.dumps(_view_submission(view_type=None))}).encode(), FORM
            ),
            signed(
                urlencode(
                    {"payload": json.dumps(_view_submission(view_type="workflow_step"))}
                ).encode(),
                FORM,
            ),
            signed(
                urlencode(
                    {"payload": json.dumps({"type": "workflow_step_edit", "callback_id": "step"})}
                ).encode(),
                FORM,
            ),
        ]

    def unknown_requests(self) -> list[SignedRequest]:
        return [
            # A modal's submission: the bot opens none, but Slack may still send one.
            signed(urlencode({"payload": json.dumps(_view_submission())}).encode(), FORM),
            event_request(load_payload("slack", "reaction_added")),
            # A button from some other app's message, with an action id that is not ours.
            signed(
                urlencode(
                    {
                        "payload": json.dumps(
                            {
                                **load_payload("slack", "block_actions"),
                                "actions": [{"action_id": "approve", "type": "button"}],
                            }
                        )
                    }
                ).encode(),
                "application/x-www-form-urlencoded",
            ),
        ]

    def delivered(self, fake: FakePlatformAPI) -> list[Delivered]:
        # What Slack posted, including a post it answered 5xx to after posting it.
        return [
            _reduce(call.params, call.result)
            for call in fake.calls_to("slack", "chat.postMessage", status=None)
            if call.accepted
        ]

    def marked_answers(self, fake: FakePlatformAPI) -> list[str]:
        return [
            str(element.get("text"))
            for update in fake.calls_to("slack", "chat.update")
            for block in update.params.get("blocks") or []
            if block.get("type") == "context"
            for element in block.get("elements") or []
            if str(element.get("text")).startswith("✓")
        ]

    # -- Slack only -------------------------------------------------------------------------

    async def test_url_verification_is_answered_with_the_challenge(self, harness: Harness) -> None:
        payload = load_payload("slack", "url_verification")
        response = await harness.post(event_request(payload))
        assert response.status_code == 200
        assert payload["challenge"] in response.text
        unsigned = SignedRequest(slack.WEBHOOK_PATH, json.dumps(payload).encode(), {})
        assert (await harness.post(unsigned)).status_code == 401

    async def test_a_reply_in_a_dm_thread_sent_to_the_dm_too_is_answered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # "Also send to direct message" under a thread reply: subtype thread_broadcast.
        oracle.start(locale="ja")
        first = message_event("message_im", "こんにちは", 1)
        await self.exchange(harness, event_request(first), oracle.last.replies)
        reply = message_event("message_im", "はい", 2)
        reply["event"].update(
            subtype="thread_broadcast",
            thread_ts=first["event"]["ts"],
            root={**first["event"], "reply_count": 1},
        )
        oracle.type("はい")
        await self.exchange(harness, event_request(reply), oracle.last.replies)

    async def test_a_me_message_is_answered_as_the_words_it_carries(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # `/me はい` comes as subtype me_message (Slack's message subtypes reference), the
        # member's own words in italics: it went unanswered, in a DM and in the bot's thread.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        me = message_event("message_im", "はい", 2)
        del me["event"]["blocks"], me["event"]["client_msg_id"]
        me["event"]["subtype"] = "me_message"
        oracle.type("はい")
        await self.exchange(harness, event_request(me), oracle.last.replies)

    async def test_a_forwarded_message_is_read_for_the_words_it_carries(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # "Forward message" puts the forwarded words in `attachments` (is_share,
        # is_msg_unfurl) and leaves `text` to the forwarder's comment, often empty: a
        # colleague's error message forwarded into the DM got no answer at all.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        error = "送信エラー 0x800CCC0F が出ました &amp; 送れません"
        forwarded = message_event("message_im", "", 2)
        forwarded["event"]["blocks"] = []
        forwarded["event"]["attachments"] = [_forward(error)]
        oracle.type("送信エラー 0x800CCC0F が出ました & 送れません")
        await self.exchange(harness, event_request(forwarded), oracle.last.replies)
        # With a comment, the comment comes first and the forwarded words after it.
        commented = message_event("message_im", "これです", 3)
        commented["event"]["attachments"] = [_forward("Outlookで受信できません")]
        oracle.type("これです\nOutlookで受信できません")
        await self.exchange(harness, event_request(commented), oracle.last.replies)
        # A forwarded screenshot without words is a picture: asked for the words.
        picture = message_event("message_im", "", 4)
        picture["event"]["blocks"] = []
        picture["event"]["attachments"] = [
            {**_forward(""), "files": [{"id": "F0SCREEN", "mimetype": "image/png"}]}
        ]
        oracle.press(MEDIA_CHOICE)
        await self.exchange(harness, event_request(picture), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_text_snippet_is_read_for_the_words_it_shows(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A long error pasted into Slack becomes a text snippet (a file_share whose file's
        # `mode` is "snippet", its first lines in `preview`): it was asked for as a picture,
        # 「画像や音声、位置情報などは読み取れません。エラーの文章を…」, though it is the text.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        error = "送信エラー 0x800CCC0F\nサーバーとの接続が予期せず中断されました。"
        pasted = message_event("message_im", "", 2)
        pasted["event"]["blocks"] = []
        pasted["event"].update(
            subtype="file_share",
            files=[
                {
                    "id": "F0SNIPPET",
                    "name": "Untitled",
                    "mimetype": "text/plain",
                    "filetype": "text",
                    "mode": "snippet",
                    "preview": error,
                    "lines": 2,
                    "lines_more": 0,
                }
            ],
        )
        oracle.type(error)
        await self.exchange(harness, event_request(pasted), oracle.last.replies)

    async def test_a_forwarded_message_alone_is_shown_not_said(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A colleague's 「いいえ」 forwarded into the DM without a comment answered
        # 「メールソフトをお使いですか？」 for the subscriber (「設定の変更は必要ありません」): it
        # is shown, read for an error alone, as on Telegram.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        asked = oracle.state.stage
        forwarded = message_event("message_im", "", 2)
        forwarded["event"]["blocks"] = []
        forwarded["event"]["attachments"] = [_forward("いいえ")]
        got = await self.exchange(
            harness, event_request(forwarded), oracle.press(FORWARDED_CHOICE).replies
        )
        assert got[0].text == harness.runtime.catalogs("ja", "forwarded.not_an_answer")
        (record,) = await harness.store.list_records()
        assert record.dialog.stage is asked

    async def test_words_in_bold_italics_or_struck_out_are_read_as_shown(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Slack sends formatted words with its markers in `text` (「*はい*」), which read as no
        # answer at all: 「*はい*」 and 「_いいえ_」 were not understood, and 「~はい~ いいえ」
        # (a yes struck out for a no) neither. The rich_text blocks say what is shown.
        def styled(n: int, *parts: tuple[str, dict[str, bool]]) -> SignedRequest:
            payload = message_event("message_im", "", n)
            marks = {"bold": "*", "italic": "_", "strike": "~"}
            payload["event"]["text"] = "".join(
                "".join(marks[k] for k in style) + words + "".join(marks[k] for k in style)
                for words, style in parts
            )
            elements = [
                {"type": "text", "text": words, **({"style": style} if style else {})}
                for words, style in parts
            ]
            payload["event"]["blocks"] = [
                {
                    "type": "rich_text",
                    "block_id": "Fm1",
                    "elements": [{"type": "rich_text_section", "elements": elements}],
                }
            ]
            return event_request(payload)

        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("はい")
        await self.exchange(harness, styled(2, ("はい", {"bold": True})), oracle.last.replies)
        oracle.type("いいえ")
        await self.exchange(harness, styled(3, ("いいえ", {"italic": True})), oracle.last.replies)
        oracle.type("戻る")
        await self.exchange(harness, self.text_request("戻る", 4), oracle.last.replies)
        oracle.type("いいえ")
        struck = styled(5, ("はい", {"strike": True}), (" いいえ", {}))
        await self.exchange(harness, struck, oracle.last.replies)
        assert oracle.state.misunderstood == 0

    async def test_a_dm_the_subscriber_edits_is_answered_by_asking_for_it_anew(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Putting a typo right by editing got no answer at all.
        oracle.start(locale="ja")
        first = message_event("message_im", "こんにちは", 1)
        await self.exchange(harness, event_request(first), oracle.last.replies)
        asked = oracle.state.stage
        changed = load_payload("slack", "message_changed")
        changed["event"]["message"]["text"] = "taro@vp.117.ne.jp"
        oracle.press(EDITED_CHOICE)
        got = await self.exchange(harness, event_request(changed), oracle.last.replies)
        assert got[0].text == harness.runtime.catalogs("ja", "edited.send_again")
        (record,) = await harness.store.list_records()
        assert record.dialog.stage is asked  # the edit answered no question

    async def test_an_edit_while_an_agent_has_it_reaches_the_agent_with_its_words(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The agent read 「[edited]」 alone: the words put right never reached them, and the
        # bot, silent while an agent has the conversation, asked for nothing either.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        changed = load_payload("slack", "message_changed")
        changed["event"]["message"]["text"] = (
            "<mailto:taro@vp.117.ne.jp|taro@vp.117.ne.jp> です &amp; "
            "<@U0MAILBOT> パスワードは Kq7xyz99"
        )
        assert (await harness.post(event_request(changed))).status_code == 200
        await harness.settle()
        read = await self.agent_read(harness)
        said = [x["text"] for x in read["transcript"] if x["author"] == "subscriber"]
        assert said[-1] == f"[{EDITED_CHOICE}] taro@vp.117.ne.jp です &  パスワードは ********"
        assert "Kq7xyz99" not in json.dumps(read, ensure_ascii=False)

    async def test_a_message_the_subscriber_deleted_is_withdrawn_from_the_transcript(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The subscriber deleted a message in the DM: its words stayed in the transcript every
        # desk reads (the agent API, the console, the summary).
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        words = "はい、自宅のパソコンで使っています"
        oracle.type(words)
        await self.exchange(harness, self.text_request(words, 2), oracle.last.replies)
        deleted = message_event("message_im", "", 3)
        deleted["event"].update(
            subtype="message_deleted",
            hidden=True,
            deleted_ts=f"1212345678.{2:06d}",
            previous_message={"type": "message", "user": "U0SUBSCRIBER", "text": words},
        )
        del deleted["event"]["user"]
        # One the bot never kept (sent before the conversation, say) notes nothing.
        unknown = json.loads(json.dumps(deleted))
        unknown["event_id"] = "Ev00000000099"
        unknown["event"]["deleted_ts"] = "1212345000.000001"
        before = await harness.store.transcript(f"slack:{self.conversation_key}")
        assert (await harness.post(event_request(unknown))).status_code == 200
        assert await harness.store.transcript(f"slack:{self.conversation_key}") == before
        assert (await harness.post(event_request(deleted))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        lines = await harness.store.transcript(record.key)
        assert all(words not in x.text for x in lines)
        said = [x.text for x in lines if x.author == "subscriber"]
        assert said == ["こんにちは", WITHDRAWN_TEXT]
        read = await self.agent_read(harness)
        assert words not in json.dumps(read, ensure_ascii=False)
        # Sent again (Slack's retry), it changes nothing more; the bot said nothing to it.
        assert (await harness.post(event_request(deleted))).status_code == 200
        await harness.runtime.tasks.idle()
        assert await harness.store.transcript(record.key) == lines
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    @pytest.mark.parametrize("deleted", ["address", "greeting"])
    async def test_a_deleted_address_is_forgotten_and_another_deletion_keeps_it(
        self, harness: Harness, oracle: Driver, deleted: str
    ) -> None:
        # The words left the transcript, but the address read from them stayed in the dialog
        # state: the agent API's conversation and a later handoff summary still showed it.
        n = await self.address_typed(harness, oracle)
        message = n if deleted == "address" else 1
        event = message_event("message_im", "", 7)
        event["event"].update(
            subtype="message_deleted",
            hidden=True,
            deleted_ts=f"1212345678.{message:06d}",
            previous_message={"type": "message", "user": "U0SUBSCRIBER", "text": ADDRESS},
        )
        del event["event"]["user"]
        assert (await harness.post(event_request(event))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        handoffs = harness.runtime.handoffs
        assert handoffs is not None
        summary = await handoffs.summary(record, "asked")
        read = json.dumps(await self.agent_read(harness), ensure_ascii=False)
        if deleted == "greeting":
            assert record.dialog.address == ADDRESS
            assert summary.address == ADDRESS
            return
        assert record.dialog.address is None
        assert summary.address == ""
        assert ADDRESS not in "\n".join(summary.rows(harness.runtime.catalogs))
        assert ADDRESS not in read
        # Sent again (Slack's retry), it does nothing more, and the bot says nothing.
        assert (await harness.post(event_request(event))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        assert await self.record(harness) == record

    async def test_a_message_edited_then_deleted_is_withdrawn_with_its_edit(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # An edit's words were kept under the edit's event: deleting the message withdrew the
        # words first sent and left the words put right, in the transcript and at the desks.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        assert (await harness.post(self.text_request("電話は 03-1111-2222 です", 2))).is_success
        ts = f"1212345678.{2:06d}"
        changed = load_payload("slack", "message_changed")
        changed["event_id"] = "Ev00000000003"
        edited = {"user": "U0SUBSCRIBER", "ts": "1212345690.000000"}
        changed["event"]["message"].update(text="電話は 03-1111-3333 です", ts=ts, edited=edited)
        changed["event"]["previous_message"].update(text="電話は 03-1111-2222 です", ts=ts)
        assert (await harness.post(event_request(changed))).status_code == 200
        deleted = message_event("message_im", "", 4)
        deleted["event"].update(
            subtype="message_deleted",
            hidden=True,
            deleted_ts=ts,
            previous_message={
                "type": "message",
                "user": "U0SUBSCRIBER",
                "text": "電話は 03-1111-3333 です",
                "ts": ts,
                "edited": edited,
            },
        )
        del deleted["event"]["user"]
        assert (await harness.post(event_request(deleted))).status_code == 200
        await harness.runtime.tasks.idle()
        read = json.dumps(await self.agent_read(harness), ensure_ascii=False)
        assert "03-1111-2222" not in read
        assert "03-1111-3333" not in read

    async def test_a_message_edited_twice_then_deleted_is_withdrawn_with_each_edit(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The deletion's previous_message names only the latest edit: the words of an edit
        # before it stayed in the transcript and at the desks.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        assert (await harness.post(self.text_request("電話は 03-1111-2222 です", 2))).is_success
        ts = f"1212345678.{2:06d}"
        edits = [("03-1111-2222", None), ("03-1111-3333", "1212345690.000000")]
        edits.append(("03-1111-4444", "1212345699.000000"))
        for n in (1, 2):
            (before, before_ts), (after, after_ts) = edits[n - 1], edits[n]
            changed = load_payload("slack", "message_changed")
            changed["event_id"] = f"Ev0000000000{n + 2}"
            edited = {"user": "U0SUBSCRIBER", "ts": after_ts}
            changed["event"]["message"].update(text=f"電話は {after} です", ts=ts, edited=edited)
            changed["event"]["previous_message"].update(text=f"電話は {before} です", ts=ts)
            if before_ts is not None:
                changed["event"]["previous_message"]["edited"] = {
                    "user": "U0SUBSCRIBER",
                    "ts": before_ts,
                }
            assert (await harness.post(event_request(changed))).status_code == 200
        deleted = message_event("message_im", "", 5)
        deleted["event"].update(
            subtype="message_deleted",
            hidden=True,
            deleted_ts=ts,
            previous_message={
                "type": "message",
                "user": "U0SUBSCRIBER",
                "text": "電話は 03-1111-4444 です",
                "ts": ts,
                "edited": {"user": "U0SUBSCRIBER", "ts": "1212345699.000000"},
            },
        )
        del deleted["event"]["user"]
        assert (await harness.post(event_request(deleted))).status_code == 200
        await harness.runtime.tasks.idle()
        read = json.dumps(await self.agent_read(harness), ensure_ascii=False)
        for words, _ in edits:
            assert words not in read

    async def test_what_is_no_subscriber_message_gets_no_answer(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Slack sends these to message.im too; answering them would talk to itself or twice.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        own = message_event("message_im", "こんにちは。117netの…", 2)
        own["event"].update(user="U0MAILBOT", bot_id="B0MAILBOT", app_id="A0MAILMOVE")
        other_bot = message_event("message_im", "通知です", 3)
        other_bot["event"].update(subtype="bot_message", bot_id="B0OTHERBOT", username="notify")
        del other_bot["event"]["user"]
        deleted = message_event("message_im", "", 4)
        deleted["event"].update(
            subtype="message_deleted",
            hidden=True,
            deleted_ts="1212345678.000001",
            previous_message={"type": "message", "user": "U0SUBSCRIBER", "text": "x"},
        )
        joined = message_event("message_channel", "<@U0SUBSCRIBER> has joined the channel", 5)
        joined["event"].update(subtype="channel_join")
        # Slack unfurling a link in the subscriber's message changes no word of it.
        changed = load_payload("slack", "message_changed")
        del changed["event"]["message"]["edited"]
        changed["event"]["message"]["text"] = changed["event"]["previous_message"]["text"]
        # The bot updating its own message (its buttons taken off).
        updated = load_payload("slack", "message_changed")
        updated["event"]["message"].update(bot_id="B0MAILBOT", user="U0MAILBOT")
        # A mention in the DM comes as message.im too, which is answered: not twice.
        in_dm = load_payload("slack", "app_mention")
        in_dm["event"]["channel"] = DM
        calls = len(harness.fake.calls_to("slack", "chat.postMessage", status=None))
        for payload in (own, other_bot, deleted, joined, changed, updated, in_dm):
            assert (await harness.post(event_request(payload))).status_code == 200
        await harness.settle()
        assert len(harness.fake.calls_to("slack", "chat.postMessage", status=None)) == calls

    async def test_what_slack_formats_is_read_as_the_subscriber_typed_it(
        self, harness: Harness
    ) -> None:
        # Slack sends an address as a mailto link, a host name as a link, "@channel" as a
        # special mention, and escapes &, < and >: the bot and the agent read the words.
        sent = (
            "<mailto:taro@vp.117.ne.jp|taro@vp.117.ne.jp> から &lt;送信できません&gt; &amp; "
            "<http://vs.117.ne.jp|vs.117.ne.jp> <https://example.jp/a?b=1&amp;c=2> "
            "<!channel> <#C0HELPDESK|helpdesk> <@U0MAILBOT>"
        )
        typed = (
            "taro@vp.117.ne.jp から <送信できません> & vs.117.ne.jp "
            "https://example.jp/a?b=1&c=2 @channel #helpdesk"
        )
        assert (await harness.post(self.text_request(sent, 1))).status_code == 200
        await harness.runtime.tasks.idle()
        read = await self.agent_read(harness)
        said = [x["text"] for x in read["transcript"] if x["author"] == "subscriber"]
        assert said == [typed]

    async def test_an_ssl_check_is_answered_200(self, harness: Harness) -> None:
        # Slack checks the certificate of a request URL with a form of its own; nothing else.
        body = urlencode({"ssl_check": "1", "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl"}).encode()
        response = await harness.post(signed(body, FORM))
        assert response.status_code == 200
        await harness.settle()
        assert await harness.store.list_records() == []

    async def test_a_stale_timestamp_is_refused(self, harness: Harness) -> None:
        request = self.text_request("こんにちは", 1)
        old = str(int(time.time()) - 600)
        base = f"v0:{old}:".encode() + request.body
        headers = {
            **request.headers,
            "x-slack-request-timestamp": old,
            "x-slack-signature": "v0="
            + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest(),
        }
        response = await harness.post(SignedRequest(request.path, request.body, headers))
        assert response.status_code == 401
        await harness.settle()
        assert await harness.store.list_records() == []

    async def test_in_a_channel_it_answers_mentions_only_in_a_thread(
        self, harness: Harness, oracle: Driver
    ) -> None:
        unmentioned = event_request(message_event("message_channel", "メールの設定", 1))
        assert (await harness.post(unmentioned)).status_code == 200
        mention = load_payload("slack", "app_mention")
        oracle.start(locale="ja")
        got = await self.exchange(harness, event_request(mention), oracle.last.replies)
        thread = mention["event"]["ts"]
        posts = harness.fake.calls_to("slack", "chat.postMessage")
        assert {(p.params["channel"], p.params.get("thread_ts")) for p in posts} == {
            ("C0HELPDESK", thread)
        }
        # A button pressed in the thread continues the same conversation, in the thread.
        oracle.press("yes")
        await self.exchange(
            harness, self.press_request(self.button(got, "yes"), 2), oracle.last.replies
        )
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        records = await harness.store.list_records()
        assert [r.key for r in records] == [f"slack:{SLACK_TEAM}:C0HELPDESK:{thread}"]

    async def test_a_mention_deleted_after_its_answer_is_withdrawn_through_its_tombstone(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The mention that opened the thread has the bot's replies under it: deleted, it
        # becomes a tombstone (message_changed, not message_deleted), and its words stayed
        # in the transcript every desk reads.
        words = "自宅の電話は 03-1234-5678 です"
        mention = load_payload("slack", "app_mention")
        mention["event"]["text"] = f"<@U0MAILBOT> {words}"
        del mention["event"]["blocks"]
        assert (await harness.post(event_request(mention))).status_code == 200
        await harness.runtime.tasks.idle()
        ts = mention["event"]["ts"]
        key = f"slack:{SLACK_TEAM}:C0HELPDESK:{ts}"
        assert any(words in x.text for x in await harness.store.transcript(key))
        posts = len(harness.fake.calls_to("slack", "chat.postMessage"))
        tombstone = load_payload("slack", "message_changed")
        tombstone["event_id"] = "Ev00000000077"
        tombstone["event"].update(channel="C0HELPDESK", channel_type="channel")
        tombstone["event"]["previous_message"] = {
            "type": "message",
            "user": "U0SUBSCRIBER",
            "text": mention["event"]["text"],
            "ts": ts,
            "thread_ts": ts,
            "reply_count": 2,
        }
        tombstone["event"]["message"] = {
            "type": "message",
            "subtype": "tombstone",
            "text": "This message was deleted.",
            "user": "USLACKBOT",
            "hidden": True,
            "ts": ts,
            "thread_ts": ts,
            "reply_count": 2,
        }
        assert (await harness.post(event_request(tombstone))).status_code == 200
        await harness.runtime.tasks.idle()
        lines = await harness.store.transcript(key)
        assert all("03-1234-5678" not in x.text for x in lines)
        assert [x.text for x in lines if x.author == "subscriber"] == [WITHDRAWN_TEXT]
        # Nothing is said to it in the thread.
        assert len(harness.fake.calls_to("slack", "chat.postMessage")) == posts

    async def test_in_a_slack_connect_channel_its_buttons_and_replies_go_on_in_the_thread(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A channel shared with another organisation, which set it up: the envelope's team_id
        # is theirs (the channel's host), while the bot is installed in ours, as
        # `authorizations` and a click's `team` say. The press and the typed reply were read
        # as another conversation, which the press started over.
        def shared(payload: dict[str, Any]) -> dict[str, Any]:
            payload.update(team_id="T0HOSTORG", context_team_id="T0HOSTORG")
            payload["is_ext_shared_channel"] = True
            return payload

        mention = shared(load_payload("slack", "app_mention"))
        thread = mention["event"]["ts"]
        oracle.start(locale="ja")
        got = await self.exchange(harness, event_request(mention), oracle.last.replies)
        oracle.press("yes")
        await self.exchange(
            harness, self.press_request(self.button(got, "yes"), 2), oracle.last.replies
        )
        reply = shared(message_event("message_channel", "いいえ", 3))
        reply["event"]["thread_ts"] = thread
        oracle.type("いいえ")
        await self.exchange(harness, event_request(reply), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        records = await harness.store.list_records()
        assert [r.key for r in records] == [f"slack:{SLACK_TEAM}:C0HELPDESK:{thread}"]

    async def test_a_mention_without_words_is_greeted_and_later_shows_the_menu(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # 「@mailmove」 alone is how many start: it had no words left once the mention was
        # taken out, and got no answer at all.
        mention = load_payload("slack", "app_mention")
        mention["event"]["text"] = "<@U0MAILBOT>"
        mention["event"]["blocks"] = []
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(mention), oracle.last.replies)
        again = copy.deepcopy(mention)
        again["event_id"] = "Ev0MAILMOVE99"
        again["event"].update(ts="1212345700.000900", thread_ts=mention["event"]["ts"])
        oracle.press("menu")
        await self.exchange(harness, event_request(again), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_first_visit_to_the_dm_is_greeted_and_later_visits_say_nothing(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Opening the bot's Messages tab for the first time showed an empty DM: nothing was
        # said until the member typed, where Telegram's /start and LINE's follow greet
        # (channels2). Slack sends app_home_opened on every visit: only the first greets.
        opened = load_payload("slack", "app_home_opened")
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(opened), oracle.last.replies)
        again = copy.deepcopy(opened)
        again["event_id"] = "Ev0MAILMOVE0I"
        home = copy.deepcopy(opened)
        home["event_id"] = "Ev0MAILMOVE0J"
        home["event"]["tab"] = "home"
        for payload in (again, home):
            assert (await harness.post(event_request(payload))).status_code == 200
        await harness.runtime.tasks.idle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        # The conversation goes on from the greeting's question.
        oracle.type("はい")
        await self.exchange(harness, self.text_request("はい", 1), oracle.last.replies)

    async def test_in_the_thread_it_answers_without_being_mentioned_again(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # With message.channels on, a reply typed in the bot's thread (the address it asked
        # for, say) is answered there; a thread it holds no conversation in is not its own.
        mention = load_payload("slack", "app_mention")
        thread = mention["event"]["ts"]
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(mention), oracle.last.replies)
        reply = message_event("message_channel", "はい", 2)
        reply["event"]["thread_ts"] = thread
        oracle.type("はい")
        await self.exchange(harness, event_request(reply), oracle.last.replies)
        posts = harness.fake.calls_to("slack", "chat.postMessage")
        assert {(p.params["channel"], p.params.get("thread_ts")) for p in posts} == {
            ("C0HELPDESK", thread)
        }
        answered = len(self.delivered(harness.fake))
        elsewhere = message_event("message_channel", "はい", 3)
        elsewhere["event"]["thread_ts"] = "1212345000.000100"
        # A reply that mentions the bot comes twice (message and app_mention): answered once.
        again = message_event("message_channel", "<@U0MAILBOT> いいえ", 4)
        again["event"]["thread_ts"] = thread
        as_mention = copy.deepcopy(again)
        as_mention["event_id"] = "Ev00000000005"
        as_mention["event"]["type"] = "app_mention"
        del as_mention["event"]["channel_type"]
        oracle.type("いいえ")
        for payload in (elsewhere, again, as_mention):
            assert (await harness.post(event_request(payload))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == answered + len(oracle.last.replies)
        records = await harness.store.list_records()
        assert [r.key for r in records] == [f"slack:{SLACK_TEAM}:C0HELPDESK:{thread}"]

    async def test_an_answer_edited_in_the_bots_channel_thread_is_asked_for_anew(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # As in a DM: the subscriber putting a typo right by editing got no answer at all.
        # Another member's edit there, or an edit in a thread the bot holds nothing in, is
        # no one's answer.
        mention = load_payload("slack", "app_mention")
        thread = mention["event"]["ts"]
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(mention), oracle.last.replies)

        def edit(user: str, in_thread: str, n: int) -> dict[str, Any]:
            changed = load_payload("slack", "message_changed")
            changed["event_id"] = f"Ev{n:011d}"
            changed["event"].update(channel="C0HELPDESK", channel_type="channel")
            for message in (changed["event"]["message"], changed["event"]["previous_message"]):
                message.update(user=user, thread_ts=in_thread, ts=f"1212345701.{n:06d}")
            changed["event"]["message"]["text"] = "taro@vp.117.ne.jp"
            return changed

        oracle.press(EDITED_CHOICE)
        got = await self.exchange(
            harness, event_request(edit("U0SUBSCRIBER", thread, 2)), oracle.last.replies
        )
        assert got[0].text == harness.runtime.catalogs("ja", "edited.send_again")
        assert {d.raw.get("thread_ts") for d in got} == {thread}
        for payload in (edit("U0COLLEAGUE", thread, 3), edit("U0SUBSCRIBER", "1212340000.1", 4)):
            assert (await harness.post(event_request(payload))).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        assert harness.fake.calls_to("slack", "chat.postEphemeral") == []

    async def test_another_member_in_the_thread_is_not_read_as_the_subscriber(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The thread is one subscriber's conversation: a colleague chatting in it is not
        # answered, and one who mentions the bot (or presses its buttons) is told, only to
        # them, to start a conversation of their own; the subscriber's goes on untouched.
        mention = load_payload("slack", "app_mention")
        thread = mention["event"]["ts"]
        oracle.start(locale="ja")
        got = await self.exchange(harness, event_request(mention), oracle.last.replies)
        answered = len(self.delivered(harness.fake))
        chatting = message_event("message_channel", "いいえ", 2)
        chatting["event"].update(thread_ts=thread, user="U0COLLEAGUE")
        asking = message_event("message_channel", "<@U0MAILBOT> いいえ", 3)
        asking["event"].update(thread_ts=thread, user="U0COLLEAGUE", type="app_mention")
        del asking["event"]["channel_type"]
        pressing = self.press_request(self.button(got, "no"), 4)
        press = json.loads(dict(parse_qsl(pressing.body.decode()))["payload"])
        press["user"]["id"] = "U0COLLEAGUE"
        pressing = signed(urlencode({"payload": json.dumps(press)}).encode(), FORM)
        # A second member pressing the same button is told too; a redelivery tells no one.
        press["user"]["id"] = "U0NEIGHBOUR"
        also = signed(urlencode({"payload": json.dumps(press)}).encode(), FORM)
        for request in (event_request(chatting), event_request(asking), pressing, also, also):
            assert (await harness.post(request)).status_code == 200
        # The subscriber's own answer, unmentioned, goes on in the thread; nothing else did.
        reply = message_event("message_channel", "はい", 5)
        reply["event"]["thread_ts"] = thread
        oracle.type("はい")
        await self.exchange(harness, event_request(reply), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == answered + len(oracle.last.replies)
        notes = harness.fake.calls_to("slack", "chat.postEphemeral")
        note = harness.runtime.catalogs("ja", "slack.not_your_thread")
        # Posted from background tasks, in whichever order their lookups finish.
        assert sorted(
            (n.params["user"], n.params["thread_ts"], n.params["text"]) for n in notes
        ) == [
            ("U0COLLEAGUE", thread, note),
            ("U0COLLEAGUE", thread, note),
            ("U0NEIGHBOUR", thread, note),
        ]
        transcript = await harness.store.transcript(f"slack:{SLACK_TEAM}:C0HELPDESK:{thread}")
        assert [e.text for e in transcript if e.author == "subscriber"] == [
            "こんにちは",
            "はい",
        ]

    async def test_a_message_slack_sends_past_64_kib_is_answered(self, harness: Harness) -> None:
        # Slack sends a message's words twice, as text and as rich-text blocks, in UTF-8: a
        # DM of 11,000 Japanese characters weighed more than the app's 64 KiB and got 413 at
        # each of Slack's retries, the subscriber never answered. Slack's longest message,
        # 40,000 characters, is read like any long message.
        text = "メールが送信できません。" * (40_000 // 12)
        payload = message_event("message_im", text, 1)
        payload["event"]["blocks"] = [
            {
                "type": "rich_text",
                "block_id": "b1",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                ],
            }
        ]
        request = signed(json.dumps(payload, ensure_ascii=False).encode(), JSON)
        assert MAX_BODY_BYTES < len(request.body) < slack.MAX_EVENT_BYTES
        response = await harness.post(request)
        assert response.status_code == 200, response.text
        await harness.settle()
        assert self.delivered(harness.fake), "the subscriber got no answer"
        [record] = await harness.store.list_records()
        said = [
            line
            for line in await harness.store.transcript(record.key)
            if line.author == "subscriber"
        ]
        assert [line.text[:12] for line in said] == [text[:12]]
        assert len(said[0].text) < len(text)  # kept as any long message is, cut

    async def test_a_retry_with_the_retry_header_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        payload = message_event("message_im", "こんにちは", 1)
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(payload), oracle.last.replies)
        retry = event_request(
            payload, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
        )
        assert (await harness.post(retry)).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_a_retry_of_a_message_stored_under_its_former_name_is_not_answered_again(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Before 47d0784 a message's turn was named by its event (slack:<event_id>), now by
        # its channel and ts: a message stored just before an upgrade and sent again by
        # Slack just after was a new turn, answered (and its words kept) twice.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        payload = message_event("message_im", "はい", 2)
        former = Inbound(
            CHANNEL, self.conversation_key, f"{CHANNEL}:{payload['event_id']}", text="はい"
        )
        await harness.runtime.engine.handle(former)  # stored, unanswered: Slack sends it again
        key = f"{CHANNEL}:{self.conversation_key}"
        lines = await harness.store.transcript(key)
        retry = event_request(
            payload, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
        )
        assert (await harness.post(retry)).status_code == 200
        await harness.settle()
        assert await harness.store.transcript(key) == lines
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_retry_of_a_message_never_stored_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Looked up under its former name, which nothing stored: the look-up must not keep
        # the event from its turn, nor mark it handled.
        payload = message_event("message_im", "こんにちは", 1)
        retry = event_request(
            payload, **{"x-slack-retry-num": "2", "x-slack-retry-reason": "http_error"}
        )
        oracle.start(locale="ja")
        await self.exchange(harness, retry, oracle.last.replies)
        assert (await harness.post(retry)).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_429_is_waited_out_and_every_reply_arrives_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        harness.fake.throttle("slack", "chat.postMessage", times=1, retry_after=1)
        harness.pauses.cut()
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        attempts = harness.fake.calls_to("slack", "chat.postMessage", status=None)
        assert [c.status for c in attempts] == [429] + [200] * len(oracle.last.replies)
        # Retry-After: 1, and the SDK's jitter of less than a second.
        assert [int(s) for s in harness.pauses.asked] == [1]
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_the_user_locale_picks_the_language(
        self, harness: Harness, oracle: Driver
    ) -> None:
        harness.fake.slack_locales["U0SUBSCRIBER"] = "en-US"
        oracle.start(locale="en")
        await self.exchange(harness, self.text_request("hello", 1), oracle.last.replies)
        lookups = harness.fake.calls_to("slack", "users.info")
        assert len(lookups) == 1
        assert lookups[0].params["include_locale"] in ("1", "true", "True")

    async def test_a_pressed_question_loses_its_buttons(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.press("yes")
        pressed = self.button(got, "yes")
        await self.exchange(harness, self.press_request(pressed, 2), oracle.last.replies)
        updates = harness.fake.calls_to("slack", "chat.update")
        assert len(updates) == 1
        blocks = updates[0].params["blocks"]
        assert updates[0].params["ts"] == pressed.ref.ts
        assert all(b["type"] != "actions" for b in blocks)
        assert "✓ はい" in json.dumps(blocks, ensure_ascii=False)
        # A second press on the same question is dropped, not taken as the next answer.
        assert (
            await harness.post(self.press_request(self.button(got, "no"), 3))
        ).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_verdict_and_settings_travel_as_message_metadata(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        for n, answer in enumerate(
            ["はい", "いいえ", "x@vp.117.ne.jp", "Thunderbird", "いいえ"], start=2
        ):
            oracle.type(answer)
            await self.exchange(harness, self.text_request(answer, n), oracle.last.replies)
        posts = harness.fake.calls_to("slack", "chat.postMessage")
        # Every post carries its own id for a read-back after a 5xx (adapters.slack.post_once).
        marks = [p.params["metadata"]["event_payload"].pop(post_once.ID_FIELD) for p in posts]
        assert len(set(marks)) == len(posts)
        events = (slack_render.VERDICT_EVENT, slack_render.SETTINGS_EVENT)
        metadata = [
            p.params["metadata"] for p in posts if p.params["metadata"]["event_type"] in events
        ]
        assert metadata[0] == {
            "event_type": slack_render.VERDICT_EVENT,
            "event_payload": {"receiving": "required", "sending": "recommended"},
        }
        settings = metadata[1]["event_payload"]
        assert settings["pop_server"] == "vpop.117.ne.jp"
        assert settings["smtp_port"] == "587"
        assert settings["username"] == "x@vp.117.ne.jp"

    async def test_a_push_reaches_the_dm_and_its_buttons_answer(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        before = len(self.delivered(harness.fake))
        # As a login check's result arrives: replies that answer no message of the subscriber's.
        question = ChoicesReply(
            "もう一度確かめますか？", (Choice("yes", "はい"), Choice("no", "いいえ"))
        )
        await harness.runtime.delivery.push("slack", self.conversation_key, [question])
        (pushed,) = self.delivered(harness.fake)[before:]
        self.assert_rendered(pushed, question)
        (post,) = harness.fake.calls_to("slack", "chat.postMessage")[before:]
        assert (post.params["channel"], post.params.get("thread_ts")) == (DM, None)

    async def test_a_push_to_a_channel_conversation_goes_to_its_thread(
        self, harness: Harness, oracle: Driver
    ) -> None:
        mention = load_payload("slack", "app_mention")
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(mention), oracle.last.replies)
        thread = mention["event"]["ts"]
        (record,) = await harness.store.list_records()
        before = len(harness.fake.calls_to("slack", "chat.postMessage"))
        await harness.runtime.delivery.push(
            "slack", record.conversation_id, [TextReply("確認できました。")]
        )
        (post,) = harness.fake.calls_to("slack", "chat.postMessage")[before:]
        assert (post.params["channel"], post.params["thread_ts"]) == ("C0HELPDESK", thread)
        assert post.params["text"] == "確認できました。"

    async def test_a_throttled_push_is_waited_out_and_arrives_once(self, harness: Harness) -> None:
        harness.fake.throttle("slack", "chat.postMessage", times=1, retry_after=1)
        harness.pauses.cut()
        await harness.runtime.delivery.push("slack", self.conversation_key, [TextReply("結果")])
        attempts = harness.fake.calls_to("slack", "chat.postMessage", status=None)
        assert [c.status for c in attempts] == [429, 200]
        assert [int(s) for s in harness.pauses.asked] == [1]

    async def test_a_reply_in_a_dm_thread_is_answered_in_that_thread(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A subscriber who answers in the thread under the bot's question was answered at
        # the DM's top level, away from where they wrote; the DM stays one conversation.
        oracle.start(locale="ja")
        first = message_event("message_im", "こんにちは", 1)
        await self.exchange(harness, event_request(first), oracle.last.replies)
        thread = first["event"]["ts"]
        reply = message_event("message_im", "はい", 2)
        reply["event"]["thread_ts"] = thread
        oracle.type("はい")
        got = await self.exchange(harness, event_request(reply), oracle.last.replies)
        assert {d.raw.get("thread_ts") for d in got} == {thread}
        # The question's buttons there answer there too.
        oracle.press("no")
        pressed = await self.exchange(
            harness, self.press_request(self.button(got, "no"), 3), oracle.last.replies
        )
        assert {d.raw.get("thread_ts") for d in pressed} == {thread}
        # Written at the top level again, it is answered at the top level.
        top = message_event("message_im", "メニュー", 4)
        oracle.type("メニュー")
        again = await self.exchange(harness, event_request(top), oracle.last.replies)
        assert {d.raw.get("thread_ts") for d in again} == {None}
        records = await harness.store.list_records()
        assert [r.key for r in records] == [f"slack:{SLACK_TEAM}:{DM}"]

    async def test_a_push_follows_the_subscriber_into_the_dm_thread_and_back(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # What answers no message of theirs (an agent's words, the hand-back's greeting, the
        # question after a close, a check's result) went to the DM's top level while the
        # subscriber was talking in one of its threads, where the answers went.
        oracle.start(locale="ja")
        first = message_event("message_im", "こんにちは", 1)
        await self.exchange(harness, event_request(first), oracle.last.replies)
        thread = first["event"]["ts"]
        reply = message_event("message_im", "はい", 2)
        reply["event"]["thread_ts"] = thread
        oracle.type("はい")
        await self.exchange(harness, event_request(reply), oracle.last.replies)

        async def pushed_to(words: str) -> str | None:
            before = len(harness.fake.calls_to("slack", "chat.postMessage"))
            await harness.runtime.delivery.push("slack", self.conversation_key, [TextReply(words)])
            (post,) = harness.fake.calls_to("slack", "chat.postMessage")[before:]
            return post.params.get("thread_ts")

        assert await pushed_to("担当者の佐藤です。") == thread
        # Written at the top level again: what follows goes there too.
        top = message_event("message_im", "メニュー", 3)
        oracle.type("メニュー")
        await self.exchange(harness, event_request(top), oracle.last.replies)
        assert await pushed_to("確認できました。") is None

    async def test_the_bot_mentioned_alone_in_a_dm_is_greeted_and_later_shows_the_menu(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # 「@mailmove」 alone in a DM had no words left once the mention was taken out, and,
        # not being an app_mention, got no answer at all (in a channel it is answered).
        called = message_event("message_im", "<@U0MAILBOT>", 1)
        called["event"]["blocks"] = []
        oracle.start(locale="ja")
        await self.exchange(harness, event_request(called), oracle.last.replies)
        again = message_event("message_im", "", 2)
        again["event"]["blocks"] = [
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "user", "user_id": "U0MAILBOT"}],
                    }
                ],
            }
        ]
        oracle.press("menu")
        await self.exchange(harness, event_request(again), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_slash_command_is_acknowledged_without_a_word(self, harness: Harness) -> None:
        # The bot offers no command, but one set up to this URL by mistake got 400, which
        # Slack shows the member as an error of the app.
        body = urlencode(
            {
                "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
                "team_id": SLACK_TEAM,
                "team_domain": "mailmove",
                "channel_id": DM,
                "channel_name": "directmessage",
                "user_id": "U0SUBSCRIBER",
                "user_name": "taro",
                "command": "/mailmove",
                "text": "help",
                "api_app_id": "A0MAILMOVE",
                "response_url": "https://hooks.slack.com/commands/T0MAILMOVE/1/abc",
                "trigger_id": "1212345679.1.trigger",
            }
        ).encode()
        assert (await harness.post(signed(body, FORM))).status_code == 200
        await harness.settle()
        assert await harness.store.list_records() == []
        assert self.delivered(harness.fake) == []

    async def test_only_the_bots_own_mention_is_taken_out_of_the_words(
        self, harness: Harness
    ) -> None:
        # 「<@U…> さんのメールが届かない」 lost the person it was about: every mention was
        # removed, not only the bot's. Others read as their display name, or as @someone
        # when Slack does not say it; a mention that names itself keeps its name.
        harness.fake.slack_names["U0COLLEAGUE"] = "佐藤"
        harness.fake.slack_strangers.add("W0STRANGER")
        sent = (
            "<@U0MAILBOT> <@U0COLLEAGUE> さんのメールが届かない。"
            "<@W0STRANGER> と <@U0OLDNAME|hanako> も <#C0HELPDESK|helpdesk> で"
        )
        typed = "@佐藤 さんのメールが届かない。@someone と @hanako も #helpdesk で"
        assert (await harness.post(self.text_request(sent, 1))).status_code == 200
        await harness.runtime.tasks.idle()
        read = await self.agent_read(harness)
        said = [x["text"] for x in read["transcript"] if x["author"] == "subscriber"]
        assert said == [typed]

    async def test_a_member_slack_is_slow_to_describe_leaves_the_others_named(
        self, harness: Harness
    ) -> None:
        # The names were asked for together under one time limit: one users.info that
        # hung made every mentioned member @someone, those Slack had already described too.
        harness.fake.slack_names["U0COLLEAGUE"] = "佐藤"
        harness.fake.slack_slow_users.add("U0SLOW")
        sent = "<@U0MAILBOT> <@U0COLLEAGUE> さんと <@U0SLOW> さんのメールが届かない"
        assert (await harness.post(self.text_request(sent, 1))).status_code == 200
        await harness.runtime.tasks.idle()
        read = await self.agent_read(harness)
        said = [x["text"] for x in read["transcript"] if x["author"] == "subscriber"]
        assert said == ["@佐藤 さんと @someone さんのメールが届かない"]

    async def test_names_are_asked_for_only_for_a_turns_words(self, harness: Harness) -> None:
        # Members' talk the bot does not answer (a channel it is in, a thread it holds
        # nothing in) costs no users.info, however many people it mentions.
        chatter = message_event("message_channel", "<@U0COLLEAGUE> 見た？ <@U0OTHER>", 1)
        threaded = message_event("message_channel", "<@U0COLLEAGUE> どう？", 2)
        threaded["event"]["thread_ts"] = "1212340000.000100"
        for payload in (chatter, threaded):
            assert (await harness.post(event_request(payload))).status_code == 200
        await harness.settle()
        assert harness.fake.calls_to("slack", "users.info") == []

    async def test_a_message_of_blocks_only_keeps_other_peoples_mentions(
        self, harness: Harness
    ) -> None:
        harness.fake.slack_names["U0COLLEAGUE"] = "佐藤"
        payload = message_event("message_im", "", 1)
        payload["event"]["blocks"] = [
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "user", "user_id": "U0MAILBOT"},
                            {"type": "text", "text": " "},
                            {"type": "user", "user_id": "U0COLLEAGUE"},
                            {"type": "text", "text": " さんのメールが届かない"},
                        ],
                    }
                ],
            }
        ]
        assert (await harness.post(event_request(payload))).status_code == 200
        await harness.runtime.tasks.idle()
        read = await self.agent_read(harness)
        said = [x["text"] for x in read["transcript"] if x["author"] == "subscriber"]
        assert said == ["@佐藤 さんのメールが届かない"]

    async def test_payloads_it_does_not_use_are_acknowledged_without_a_word_or_a_log(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Bolt logged "Unhandled request" (with a suggestion of code to write) at WARNING for
        # each modal submission, shortcut or menu lookup it had no listener for.
        def form(payload: dict[str, Any]) -> SignedRequest:
            return signed(urlencode({"payload": json.dumps(payload)}).encode(), FORM)

        user = {"id": "U0SUBSCRIBER", "username": "taro", "team_id": SLACK_TEAM}
        team = {"id": SLACK_TEAM, "domain": "mailmove"}
        base = {"user": user, "team": team, "api_app_id": "A0MAILMOVE", "token": "t"}
        view = {"id": "V0MODAL", "type": "modal", "callback_id": "feedback", "team_id": SLACK_TEAM}
        requests = [
            form(_view_submission()),
            form({**base, "type": "view_closed", "view": view, "is_cleared": False}),
            form({**base, "type": "shortcut", "callback_id": "ask", "trigger_id": "1.2.t"}),
            form(
                {
                    **base,
                    "type": "message_action",
                    "callback_id": "forward",
                    "trigger_id": "1.2.t",
                    "channel": {"id": DM, "name": "directmessage"},
                    "message": {"type": "message", "ts": "1212345678.000100", "text": "x"},
                }
            ),
            form(
                {
                    **base,
                    "type": "block_suggestion",
                    "action_id": "city",
                    "block_id": "b1",
                    "value": "東",
                    "container": {"type": "view", "view_id": "V0MODAL"},
                    "view": view,
                }
            ),
            event_request(
                {
                    "token": "t",
                    "type": "app_rate_limited",
                    "team_id": SLACK_TEAM,
                    "minute_rate_limited": 1518467820,
                    "api_app_id": "A0MAILMOVE",
                }
            ),
            event_request(load_payload("slack", "reaction_added")),
        ]
        with caplog.at_level(logging.WARNING):
            for request in requests:
                response = await harness.post(request)
                assert response.status_code == 200, request.body
            await harness.settle()
        assert [r.getMessage() for r in caplog.records] == []
        assert await harness.store.list_records() == []
        assert self.delivered(harness.fake) == []

    async def test_an_org_wide_install_keeps_one_conversation_across_events_and_clicks(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Enterprise Grid, installed for the whole organisation (the shapes Slack's docs and
        # Bolt's org-app tests show): an event's authorizations name the organisation and no
        # team, and a click's `team` may be null while its user's team_id is the
        # organisation's (E…). The click was read as another conversation and started over.
        grid = "E0GRID"

        def org_event(payload: dict[str, Any]) -> dict[str, Any]:
            payload.update(enterprise_id=grid, context_enterprise_id=grid)
            payload["authorizations"] = [
                {
                    "enterprise_id": grid,
                    "team_id": None,
                    "user_id": "U0MAILBOT",
                    "is_bot": True,
                    "is_enterprise_install": True,
                }
            ]
            return payload

        first = org_event(message_event("message_im", "こんにちは", 1))
        oracle.start(locale="ja")
        got = await self.exchange(harness, event_request(first), oracle.last.replies)
        pressing = self.press_request(self.button(got, "yes"), 2)
        press = json.loads(dict(parse_qsl(pressing.body.decode()))["payload"])
        press.update(
            team=None, enterprise={"id": grid, "name": "117net"}, is_enterprise_install=True
        )
        press["user"]["team_id"] = grid
        oracle.press("yes")
        form = urlencode({"payload": json.dumps(press)}).encode()
        await self.exchange(harness, signed(form, FORM), oracle.last.replies)
        typed = org_event(message_event("message_im", "いいえ", 3))
        oracle.type("いいえ")
        await self.exchange(harness, event_request(typed), oracle.last.replies)
        # The signature is checked as for any other installation.
        forged = SignedRequest(
            slack.WEBHOOK_PATH,
            form,
            {**signed(form, FORM).headers, "x-slack-signature": "v0=" + "0" * 64},
        )
        assert (await harness.post(forged)).status_code == 401
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())
        records = await harness.store.list_records()
        assert [r.key for r in records] == [f"slack:{grid}:{DM}"]


class RefusingStore(SQLiteStore):
    """A SQLite store that refuses every turn while `down`, and says when it refused one."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.down = False
        self.refused = asyncio.Event()

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        if self.down:
            self.refused.set()
            raise StoreUnavailableError("down for the test")
        return await super().transact(key, event_id, update)


def envelope(envelope_id: str, payload: dict[str, Any], *, attempt: int = 0) -> dict[str, Any]:
    """An Events API event as Slack sends it over Socket Mode."""
    return {
        "envelope_id": envelope_id,
        "payload": payload,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": attempt,
        "retry_reason": "timeout" if attempt else "",
    }


class TestSlackSocketMode:
    def _app(self, fake: FakePlatformAPI, store: SQLiteStore) -> Starlette:
        environ = {
            "SLACK_BOT_TOKEN": "xoxb-1111-2222-mailmove",
            "SLACK_APP_TOKEN": "xapp-1-A0MAILMOVE-1111-socket",
            "SLACK_API_URL": f"{fake.url}/slack/api/",
        }
        return build_app(
            Settings(environ=environ),
            clock=fixed_clock(),
            store=store,
            exclude_channels=all_but("slack"),
        )

    async def test_events_over_socket_mode_are_acknowledged_and_answered(
        self, tmp_path: Path, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        async with running_fake() as fake:
            app = self._app(fake, SQLiteStore(tmp_path / "s.sqlite3"))
            assert not any(getattr(r, "path", "") == slack.WEBHOOK_PATH for r in app.routes)
            oracle = Driver(profile, catalogs)
            oracle.start(locale="ja")
            async with app.router.lifespan_context(app):
                sent = envelope(
                    "57d6a792-4d35-4d0b-b6aa-3361493e1caf",
                    message_event("message_im", "こんにちは", 1),
                )
                await fake.send_slack_envelope(sent)
                expected = len(oracle.last.replies)
                await fake.wait_for(
                    lambda: (
                        len(fake.calls_to("slack", "chat.postMessage")) == expected
                        and bool(fake.slack_socket_acks)
                    )
                )
                assert fake.slack_socket_acks[0]["envelope_id"] == sent["envelope_id"]
                app_token_calls = fake.calls_to("slack", "apps.connections.open")
                assert app_token_calls[0].headers["authorization"].endswith("-socket")

    async def test_an_event_the_store_cannot_record_is_not_acknowledged(
        self, tmp_path: Path, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        store = RefusingStore(tmp_path / "s.sqlite3")
        payload = message_event("message_im", "こんにちは", 1)
        oracle = Driver(profile, catalogs)
        oracle.start(locale="ja")
        expected = len(oracle.last.replies)
        async with running_fake() as fake:
            app = self._app(fake, store)
            async with app.router.lifespan_context(app):
                store.down = True
                await fake.send_slack_envelope(envelope("first", payload))
                async with asyncio.timeout(WAIT_SECONDS):
                    await store.refused.wait()
                store.down = False
                # Slack sends an unacknowledged event again, in a new envelope.
                await fake.send_slack_envelope(envelope("again", payload, attempt=1))
                await fake.wait_for(
                    lambda: (
                        len(fake.calls_to("slack", "chat.postMessage")) == expected
                        and bool(fake.slack_socket_acks)
                    )
                )
            assert [a["envelope_id"] for a in fake.slack_socket_acks] == ["again"]
            assert len(fake.calls_to("slack", "chat.postMessage")) == expected


def _reduce(params: dict[str, Any], result: dict[str, Any]) -> Delivered:
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    texts: list[str] = []
    buttons: list[Button] = []
    for block in blocks:
        if block["type"] in ("section", "header") and "text" in block:
            texts.append(html.unescape(block["text"]["text"]))
        if block["type"] == "rich_text":
            # A piece holding a web address: its words as written, the address as a link.
            texts += [
                "".join(e.get("text") or e.get("url", "") for e in section["elements"])
                for section in block["elements"]
            ]
        for field in block.get("fields", []):
            texts.append(html.unescape(field["text"]))
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            ref = SlackRef(
                channel=str(params["channel"]),
                ts=str(result["ts"]),
                thread_ts=params.get("thread_ts"),
                blocks=copy.deepcopy(blocks),
                action_id=element["action_id"],
                block_id=block["block_id"],
            )
            buttons.append(Button(element["text"]["text"], element["value"], ref))
    return Delivered("\n".join(texts), tuple(buttons), params)


async def test_a_token_in_the_environment_gives_no_warning_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Deployments keep the token in the environment, where Bolt reads it too: it warned at
    # every start that the token would be unused beside the app's own client.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1111-2222-mailmove")
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-mailmove",
        "SLACK_SIGNING_SECRET": "slack-signing-secret",
    }
    with caplog.at_level(logging.WARNING):
        build_app(
            Settings(environ=environ),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "s.sqlite3"),
            exclude_channels=all_but("slack"),
        )
    assert [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")] == []
