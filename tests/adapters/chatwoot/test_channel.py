"""Chatwoot: the channel contract, plus the pending/open cycle both ways and the desk.

Requests are shaped like Chatwoot's agent-bot and account webhooks (recorded shapes under
tests/payloads/chatwoot/); the replies go to a fake Chatwoot API on loopback, through the
adapter's real HTTP client.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Final

import pytest

from adapters.chatwoot import api as chatwoot_api_module
from adapters.chatwoot.channel import MAX_WEBHOOK_BYTES
from bot.channels.choice_codes import question_of
from bot.desk.agent_silence import AgentSilence
from bot.desk.handoff import DeskUnavailableError, OwnerChange
from bot.desk.summary import HandoffSummary
from bot.ops.catalogs import Catalogs
from bot.ops.settings import MAX_BODY_BYTES, Settings
from bot.store.conversation_store import ConversationRecord, Owner, StoreUnavailableError
from dialogs import feedback
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from testbed.clock import IN_WINDOW
from tests.adapters.channel_contract import (
    AGENT_TOKEN,
    GREETING,
    Button,
    ChannelContract,
    Delivered,
    Harness,
    SignedRequest,
    answers_alike,
    load_payload,
    rejections,
)
from tests.dialogs.driver import Driver
from tests.fakes.chatwoot_api import (
    ACCOUNT,
    API_TOKEN,
    DESK_IDENTIFIER,
    USER_TOKEN,
    FakeChatwoot,
    running_chatwoot,
)
from tests.fakes.chatwoot_api import PLATFORM as CHATWOOT
from tests.fakes.platform_api import Call, FakePlatformAPI

WEBHOOK_TOKEN: Final = "cw-webhook-0123456789abcdef"
CONVERSATION: Final = "1234"
KEY: Final = f"chatwoot:{CONVERSATION}"
TYPED_SECRET: Final = "Secr3tPw!x"
# Long after the owner last changed: a status in such a message is news, not a race.
LATER: Final = IN_WINDOW + dt.timedelta(minutes=5)
AGENT_NAME: Final = "佐藤 花子"


def webhook(payload: dict[str, Any], token: str = WEBHOOK_TOKEN) -> SignedRequest:
    """A request as Chatwoot sends it: JSON, unsigned, to the URL holding the token."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return SignedRequest(f"/webhooks/chatwoot/{token}", body, {"content-type": "application/json"})


def message(
    text: str,
    n: int,
    *,
    status: str = "pending",
    name: str = "message_created",
    created: dt.datetime | None = None,
    assignee: str | None = None,
) -> dict[str, Any]:
    payload = load_payload("chatwoot", name)
    payload["id"] = 6000 + n
    payload["content"] = text
    payload["conversation"]["status"] = status
    if created is not None:
        # As Message#webhook_data serialises it: ISO 8601, milliseconds, UTC.
        payload["created_at"] = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if assignee is not None:
        payload["conversation"]["meta"]["assignee"] = {"id": 3, "name": assignee, "type": "user"}
    return payload


def status_event(name: str, status: str, moment: float) -> dict[str, Any]:
    payload = load_payload("chatwoot", name)
    payload["status"] = status
    payload["updated_at"] = moment
    if "changed_attributes" in payload and name == "conversation_status_changed":
        payload["changed_attributes"] = [
            {"status": {"previous_value": "open", "current_value": status}}
        ]
    return payload


def assignment(agent: str | None, moment: float, *, status: str = "pending") -> dict[str, Any]:
    """Chatwoot's `conversation_updated` for the conversation (un)assigned, its status kept.

    An assignment leaves a `pending` conversation pending (Conversations::AssignmentService
    opens it only for an AI assignee); `changed_attributes` as BaseListener words them.
    """
    payload = load_payload("chatwoot", "conversation_updated")
    payload["status"] = status
    payload["updated_at"] = moment
    before, now = (None, 3) if agent else (3, None)
    payload["changed_attributes"] = [
        {"assignee_id": {"previous_value": before, "current_value": now}}
    ]
    payload["meta"]["assignee"] = {"id": 3, "name": agent, "type": "user"} if agent else None
    return payload


def cw(harness: Harness) -> FakeChatwoot:
    assert isinstance(harness.fake, FakeChatwoot)
    return harness.fake


def since_start(fake: FakePlatformAPI) -> list[Call]:
    """The calls made to the fake after start-up's check of the token (`GET /api/v1/profile`)."""
    return [call for call in fake.calls if call.method != "profile"]


class TestChatwootChannel(ChannelContract):
    channel = "chatwoot"
    signature_setting = "CHATWOOT_WEBHOOK_TOKEN"
    push_call = ("chatwoot", "messages")
    # Rails answers 500 after storing a message as often as before: read back first (its
    # `source_id`), resent only when Chatwoot does not have it (adapters.chatwoot.api).
    resent_after = frozenset({500, 502, 503})
    conversation_key = CONVERSATION
    # Chatwoot redelivers an agent bot's event after 429 or 500 only; a 503 opens the
    # conversation to agents instead.
    store_down_status = 429
    # Outside the web widget a select is answered by sending its title as a message.
    presses_are_presses = False
    # Its client waits through the runtime's pause (adapters.chatwoot.api's RETRY_WAIT, a
    # 429's Retry-After, POST_WAIT before a message that may be stored is read back).
    paused_by_runtime = frozenset({"5xx", "429"})
    sender_handoffs_limited = False
    # An agent's reply of up to 150,000 characters, its words three times (channel.py).
    max_body = MAX_WEBHOOK_BYTES

    def environ(self, api_url: str) -> dict[str, str]:
        return {
            "CHATWOOT_URL": api_url,
            "CHATWOOT_API_TOKEN": API_TOKEN,
            "CHATWOOT_ACCOUNT_ID": ACCOUNT,
            "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        }

    @pytest.fixture
    async def fake(self) -> AsyncIterator[FakePlatformAPI]:
        async with running_chatwoot() as fake:
            yield fake

    def text_request(self, text: str, n: int) -> SignedRequest:
        return webhook(message(text, n))

    def press_request(self, button: Button, n: int) -> SignedRequest:
        # Outside the web widget a select is answered by sending its title as a message.
        return webhook(message(button.label, n))

    def badly_signed(self, request: SignedRequest) -> SignedRequest:
        return SignedRequest("/webhooks/chatwoot/" + "x" * 26, request.body, request.headers)

    def recorded_payloads(self) -> list[str]:
        # A thousand shapes each: the two kinds the bot acts on stand for the rest.
        return ["message_created", "conversation_status_changed"]

    def odd_requests(self) -> list[SignedRequest]:
        sent = message("こんにちは", 1)
        return [
            webhook({**sent, "content": 5}),
            webhook({**sent, "conversation": "1234"}),
            webhook({**sent, "conversation": {**sent["conversation"], "id": [1234]}}),
            webhook({**sent, "private": "no"}),
            webhook({key: value for key, value in sent.items() if key != "event"}),
            webhook({"event": "conversation_updated", "id": 1234, "changed_attributes": "all"}),
        ]

    def malformed_request(self) -> SignedRequest:
        return SignedRequest(
            f"/webhooks/chatwoot/{WEBHOOK_TOKEN}",
            b'{"event": "message_created", "content": ',
            {"content-type": "application/json"},
        )

    def unknown_requests(self) -> list[SignedRequest]:
        other_account = message("こんにちは", 90)
        other_account["account"]["id"] = 8
        incoming_private = message("メモ", 91)
        incoming_private["private"] = True
        return [
            webhook(load_payload("chatwoot", "message_created_outgoing")),
            webhook(load_payload("chatwoot", "message_created_private")),
            webhook(load_payload("chatwoot", "message_created_template")),
            webhook(incoming_private),
            webhook(message("こんにちは", 92, status="open")),
            webhook(message("こんにちは", 93, status="resolved")),
            webhook(other_account),
            webhook(load_payload("chatwoot", "webwidget_triggered")),
            webhook({"event": "contact_created", "id": 42, "name": "山田 太郎"}),
            # Status events of a conversation the bot never saw.
            webhook(load_payload("chatwoot", "conversation_status_changed")),
            webhook(load_payload("chatwoot", "conversation_opened")),
            webhook(load_payload("chatwoot", "conversation_resolved")),
        ]

    def delivered(self, fake: FakePlatformAPI) -> list[Delivered]:
        assert isinstance(fake, FakeChatwoot)
        return [_reduce(body) for body in fake.messages()]

    def choice_of(self, button: Button) -> str:
        return question_of(button.data)[0]

    # -- the contract, where Chatwoot differs --------------------------------------------------

    async def test_a_bad_signature_is_refused_and_leaves_nothing(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Chatwoot signs nothing: the token in the URL is the check, and a wrong one gets the
        # very answer an unknown path gets, so a guess learns nothing.
        before = rejections(self.channel)
        with caplog.at_level("WARNING", logger="bot.channels"):
            response = await harness.post(self.badly_signed(self.text_request("こんにちは", 1)))
        [said] = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert f"{self.signature_setting} is not the platform's" in said
        unknown = await harness.client.post("/webhooks/nowhere", content=b"{}")
        assert (response.status_code, response.text) == (404, "Not Found")
        assert (unknown.status_code, unknown.text) == (404, "Not Found")
        await harness.settle()
        assert self.counter_delta(before) == {"token": 1}
        assert await harness.store.list_records() == []
        assert since_start(harness.fake) == []
        exposition = (await harness.client.get("/metrics")).text
        assert (
            'mailmove_rejected_requests_total{channel="chatwoot",reason="token"} 1.0' in exposition
        )

    async def test_a_large_body_at_another_token_keeps_the_apps_limit(
        self, harness: Harness
    ) -> None:
        # Only the configured token's path takes an agent's long reply: a guess at another
        # path is refused by its size before anything reads it.
        large = self.text_request("あ" * (MAX_BODY_BYTES // 3 + 10), 1)
        assert len(large.body) > MAX_BODY_BYTES
        guessed = SignedRequest("/webhooks/chatwoot/" + "x" * 26, large.body, large.headers)
        assert (await harness.post(guessed)).status_code == 413

    # -- Chatwoot only --------------------------------------------------------------------

    async def test_a_select_answered_in_the_web_widget_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        selected = load_payload("chatwoot", "message_updated_input_select")
        oracle.press("yes")
        await self.exchange(harness, webhook(selected), oracle.last.replies)
        # Chatwoot updates the message again (read receipts): the same answer, not a new one.
        again = await harness.post(webhook(selected))
        assert again.status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_an_old_select_answered_in_the_web_widget_changes_nothing_and_says_so(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The widget keeps a select that was answered by typing open; chosen later, it would
        # answer the question asked now.
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        oracle.type("はい")
        await self.exchange(harness, self.text_request("はい", 2), oracle.last.replies)
        record = await self.record(harness)
        old = load_payload("chatwoot", "message_updated_input_select")
        items = first[-1].raw["content_attributes"]["items"]
        no = next(item for item in items if question_of(item["value"])[0] == "no")
        old["id"] = 90001
        old["content_attributes"] = {"items": items, "submitted_values": [no]}
        shown = len(self.delivered(harness.fake))
        assert (await harness.post(webhook(old))).status_code == 200
        await harness.runtime.tasks.idle()
        after = await self.record(harness)
        assert record is not None
        assert after is not None
        assert answers_alike(after.dialog, record.dialog)
        note = harness.runtime.catalogs("ja", "button.answered_before")
        assert [d.text for d in self.delivered(harness.fake)[shown:]] == [note]
        # The select of the question open now still answers it.
        current = load_payload("chatwoot", "message_updated_input_select")
        items = self.delivered(harness.fake)[shown - 1].raw["content_attributes"]["items"]
        yes = next(item for item in items if question_of(item["value"])[0] == "yes")
        current["id"] = 90002
        current["content_attributes"] = {"items": items, "submitted_values": [yes]}
        oracle.press("yes")
        await self.exchange(harness, webhook(current), oracle.last.replies)

    @pytest.mark.parametrize("inbox", ["web widget", "telegram"])
    async def test_a_select_of_a_conversation_no_longer_kept_says_so_and_starts_again(
        self,
        harness: Harness,
        oracle: Driver,
        profile: MigrationProfile,
        catalogs: Catalogs,
        inbox: str,
    ) -> None:
        # Pressed after the retention removed its conversation, a select was greeted as if
        # nothing had been pressed, as on the other channels before a9c3f36. The web widget
        # sends the item chosen (message_updated, submitted_values); Chatwoot's Telegram inbox
        # sends the inline button's callback_data, the item's value, as the message's content
        # (Telegram::ParamHelpers#telegram_params_message_content), which was read as words.
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        items = first[-1].raw["content_attributes"]["items"]
        no = next(item for item in items if question_of(item["value"])[0] == "no")
        assert await harness.store.expire(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 1
        shown = len(self.delivered(harness.fake))
        if inbox == "web widget":
            pressed = load_payload("chatwoot", "message_updated_input_select")
            pressed["content_attributes"] = {"items": items, "submitted_values": [no]}
        else:
            pressed = message(no["value"], 2)
        assert (await harness.post(webhook(pressed))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.stage is Stage.Q1_MAIL_PROGRAM
        assert record.dialog.answers == {}
        got = self.delivered(harness.fake)[shown:]
        assert got[0].text == catalogs.raw("ja", "earlier_ended.restarted")
        greeted = Driver(profile, catalogs)
        greeted.start(locale="ja")
        for delivered, reply in zip(got[1:], greeted.last.replies, strict=True):
            self.assert_rendered(delivered, reply)

    async def test_a_select_pressed_in_chatwoots_telegram_inbox_answers_its_question(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The inbox sends the item's value back as the message's words: 「no~<tag>」 was
        # 「うまく読み取れませんでした」 to every press there.
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        items = first[-1].raw["content_attributes"]["items"]
        yes = next(item for item in items if question_of(item["value"])[0] == "yes")
        oracle.press("yes")
        await self.exchange(harness, webhook(message(yes["value"], 2)), oracle.last.replies)

    async def test_a_select_title_the_dialog_cannot_read_is_mapped_to_its_choice(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # 「入力せずに進む」 typed as words means nothing to the dialog; as the select's
        # title it is the "skip" choice.
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        for n, choice in enumerate(("yes", "yes", "yes", "yes", "skip"), start=2):
            oracle.press(choice)
            request = self.press_request(self.button(got, choice), n)
            got = await self.exchange(harness, request, oracle.last.replies)
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.stage.value == "ask_program"

    async def test_the_same_message_delivered_twice_at_once_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        request = self.text_request("こんにちは", 1)
        first, second = await asyncio.gather(harness.post(request), harness.post(request))
        assert (first.status_code, second.status_code) == (200, 200)
        await harness.settle()
        got = self.delivered(harness.fake)
        assert len(got) == len(oracle.last.replies)
        for delivered, reply in zip(got, oracle.last.replies, strict=True):
            self.assert_rendered(delivered, reply)

    async def test_echoes_notes_and_open_conversations_leave_no_trace(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        lines = len(await harness.store.transcript(KEY))
        for request in self.unknown_requests()[:6]:
            assert (await harness.post(request)).status_code == 200
        await harness.settle()
        assert len(await harness.store.transcript(KEY)) == lines
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_handoff_opens_with_a_private_summary_and_pending_hands_back(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        fake = cw(harness)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type(f"パスワードは {TYPED_SECRET} です")
        await self.exchange(
            harness, self.text_request(f"パスワードは {TYPED_SECRET} です", 2), oracle.last.replies
        )
        oracle.type("人と話したい")
        await self.exchange(harness, self.text_request("人と話したい", 3), oracle.last.replies)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        notes = fake.messages(private=True)
        assert len(notes) == 1
        note = notes[0]["content"]
        assert "【引き継ぎ】" in note
        assert "山田 太郎（Chatwoot）" in note
        assert f"/agent/#{KEY}" in note
        assert TYPED_SECRET not in note
        assert TYPED_SECRET not in json.dumps(fake.messages(private=None), ensure_ascii=False)
        assert await self.owner(harness) is Owner.AGENT

        # Open: Chatwoot sends the subscriber's words; the bot keeps them and says nothing.
        assert (await harness.post(webhook(message("まだですか", 4, status="open")))).status_code
        # Written before the status flipped: kept for the agent, but not answered.
        await harness.post(webhook(message("よろしく", 5)))
        await self.turns_done()
        assert (await harness.store.transcript(KEY))[-1].text == "よろしく"

        sent = len(self.delivered(harness.fake))
        await harness.post(webhook(status_event("conversation_status_changed", "pending", 2.5)))
        await fake.wait_for(lambda: len(self.delivered(harness.fake)) > sent)
        assert self.delivered(harness.fake)[sent].text == GREETING
        assert await self.owner(harness) is Owner.BOT
        transcript = [line.text for line in await harness.store.transcript(KEY)]
        assert transcript.count("まだですか") == 1
        assert any("handback" in line and "佐藤 花子" in line for line in transcript)

        # The bot answers again, and resolving the conversation closes it.
        before = len(self.delivered(harness.fake))
        await harness.post(webhook(message("はい", 6)))
        await fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        await harness.post(webhook(status_event("conversation_resolved", "resolved", 3.5)))
        await harness.settle()
        assert await self.owner(harness) is Owner.CLOSED

    async def test_while_open_the_contacts_words_are_kept_masked_in_order_with_the_agents(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Agents have it open in Chatwoot: the console's transcript and the audit trail must
        # hold both sides, in order, with a password typed by mistake masked, and the bot
        # must answer none of it (nor record a redelivery twice).
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        sent = len(self.delivered(harness.fake))
        typed = f"パスワードは {TYPED_SECRET} です"
        reply = message("**確認**いたします", 3, name="message_created_outgoing", status="open")
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        for request in (
            webhook(message("送信できません", 2, status="open")),
            webhook(reply),
            webhook(reply),  # Chatwoot has been seen sending a message twice
            webhook(message(typed, 4, status="open")),
            webhook(message(typed, 4, status="open")),
        ):
            assert (await harness.post(request)).status_code == 200
        await self.turns_done()
        await harness.settle()
        read = await self.agent_read(harness)
        said = [(x["author"], x["text"]) for x in read["transcript"]][-4:]
        assert said[:2] == [("subscriber", "送信できません"), ("agent", "確認いたします")]
        assert said[2][0] == "subscriber"
        assert said[2][1].startswith("パスワードは ")
        # The password's notice (desk.password_masked), once for the message sent twice.
        told = harness.runtime.catalogs("ja", "desk.password_masked")
        assert said[3] == ("bot", told)
        assert TYPED_SECRET not in json.dumps(read, ensure_ascii=False)
        assert read["holder"] == "agent"
        # Nothing else answered: Chatwoot already shows every one of these.
        assert [d.text for d in self.delivered(harness.fake)[sent:]] == [told]
        assert fake.toggles() == []

    async def test_an_agent_who_opened_it_in_chatwoot_has_it_for_the_other_desks(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Opened in Chatwoot by 佐藤 花子: the console and the agent API must not show it as
        # waiting for a person, nor let a second agent take it over from her.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        read = await self.agent_read(harness)
        assert (read["holder"], read["agent"]) == ("agent", "佐藤 花子 (Chatwoot)")
        taken = await self.agent_api(harness, "take", agent="鈴木")
        assert taken.status_code == 409
        assert "佐藤 花子 (Chatwoot)" in taken.json()["error"]

    async def test_an_agents_reply_with_a_password_is_kept_masked(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Chatwoot delivered it itself; the transcript kept the password as written, while
        # the agent API refuses one and a subscriber's is masked.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        words = f"仮パスワードは {TYPED_SECRET} です"
        reply = message(words, 3, name="message_created_outgoing", status="open")
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        assert (await harness.post(webhook(reply))).status_code == 200
        await self.turns_done()
        read = await self.agent_read(harness)
        (line,) = [x for x in read["transcript"] if x["author"] == "agent"]
        assert line["text"].startswith("仮パスワードは ")
        assert TYPED_SECRET not in json.dumps(read, ensure_ascii=False)
        # It stays in Chatwoot for every agent to read, and she was not told (desk7): with no
        # user's token to delete it, a private note asks her to.
        await harness.settle()
        (note,) = cw(harness).messages(private=True)
        assert note["content"].startswith("この返信にはパスワードが書かれています。")
        assert "返信のメニューから「削除」を選んで、削除してください。" in note["content"]

    async def test_an_agents_reply_with_a_password_is_deleted_with_a_users_token(
        self, fake: FakePlatformAPI, tmp_path: Path, oracle: Driver
    ) -> None:
        # CHATWOOT_DESK_USER_TOKEN (read beside a desk inbox) deletes it, once: the contact's
        # widget shows it deleted.
        environ = self.environ(fake.url) | {
            "CHATWOOT_DESK_INBOX_ID": "9",
            "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
            "CHATWOOT_DESK_USER_TOKEN": USER_TOKEN,
        }
        settings = Settings(environ=environ, agent_tokens=(AGENT_TOKEN,))
        async with self.running(fake, tmp_path, settings) as harness:
            oracle.start(locale="ja")
            await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
            await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
            await self.turns_done()
            words = f"仮パスワードは {TYPED_SECRET} です"
            reply = message(words, 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
            cw(harness).written(reply)
            for _ in range(2):  # Chatwoot has been seen sending a message twice
                assert (await harness.post(webhook(reply))).status_code == 200
            await self.turns_done()
            await harness.settle()
            (deleted,) = cw(harness).calls_to("chatwoot", "delete")
            assert deleted.accepted
            assert deleted.params["message"] == str(reply["id"])
            assert TYPED_SECRET not in json.dumps(cw(harness).by_agents)
            (note,) = cw(harness).messages(private=True)
            assert note["content"].startswith("この返信にはパスワードが書かれていたため、")

    async def test_an_agents_reply_with_a_kana_password_is_kept_masked(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A password of kana alone is told from a sentence about one by the analyser, which
        # the turn passes and the Chatwoot reply's line did not: 「さくらもち」 was kept (privacy3).
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        reply = message(
            "パスワードはさくらもちです", 3, name="message_created_outgoing", status="open"
        )
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        assert (await harness.post(webhook(reply))).status_code == 200
        await self.turns_done()
        read = await self.agent_read(harness)
        (line,) = [x for x in read["transcript"] if x["author"] == "agent"]
        assert line["text"] == "パスワードは********です"
        assert "さくらもち" not in json.dumps(read, ensure_ascii=False)

    async def test_an_agents_reply_about_passwords_is_kept_as_written(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Her advice, sent as written by Chatwoot, was kept by a subscriber's rules: 「パスワード
        # は ******** では使えません」 for the console and the other desks (desk5).
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        words = "パスワードは mail.google.com では使えません。大文字と小文字は区別されます"
        reply = message(words, 3, name="message_created_outgoing", status="open")
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        assert (await harness.post(webhook(reply))).status_code == 200
        await self.turns_done()
        read = await self.agent_read(harness)
        (line,) = [x for x in read["transcript"] if x["author"] == "agent"]
        assert line["text"] == words
        await harness.settle()
        assert cw(harness).messages(private=True) == []

    async def test_a_chatwoot_agents_first_reply_to_a_handoff_takes_it_for_the_other_desks(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        # Handed off (Chatwoot has it open), 佐藤 花子 answers in Chatwoot: the console must
        # not go on offering it as waiting, nor let a second agent take it from her.
        fake = cw(harness)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("人と話したい")
        await self.exchange(harness, self.text_request("人と話したい", 2), oracle.last.replies)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        assert (await self.agent_read(harness))["holder"] == "queue"
        reply = message("確認いたします", 3, name="message_created_outgoing", status="open")
        reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
        for _ in range(2):  # Chatwoot has been seen sending a message twice
            assert (await harness.post(webhook(reply))).status_code == 200
        await self.turns_done()
        read = await self.agent_read(harness)
        assert (read["holder"], read["agent"]) == ("agent", "佐藤 花子 (Chatwoot)")
        taken = [x["text"] for x in read["transcript"] if x["text"].startswith("taken over")]
        assert taken == ["taken over by 佐藤 花子 (Chatwoot)"]
        refused = await self.agent_api(harness, "take", agent="鈴木")
        assert refused.status_code == 409
        assert "佐藤 花子 (Chatwoot)" in refused.json()["error"]
        # Chatwoot already shows her reply: the bot sends nothing, and toggles nothing more.
        await harness.settle()
        assert fake.toggles() == [(CONVERSATION, "open")]

    async def test_an_agents_reply_while_the_bot_has_it_takes_it_and_opens_it(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Pending (the bot answers), nothing left for the desk: 佐藤 花子 writes to the
        # contact in Chatwoot anyway. Chatwoot itself opens a bot's pending conversation
        # on a person's public reply (Captain: mark_pending_conversation_as_open_for_
        # human_response); an outside agent bot must do it. Before, her words were
        # neither kept nor a take-over, and the bot answered the contact's next message
        # too: the contact heard the agent and the bot at once.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        sent = len(self.delivered(fake))
        reply = message("担当の佐藤です。お手伝いします", 2, name="message_created_outgoing")
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        reply["created_at"] = LATER.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for _ in range(2):  # Chatwoot has been seen sending a message twice
            assert (await harness.post(webhook(reply))).status_code == 200
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        assert await self.owner(harness) is Owner.AGENT
        lines = [(x.author, x.text) for x in await harness.store.transcript(KEY)][-2:]
        assert lines == [
            ("system", f"taken over by {AGENT_NAME} (Chatwoot)"),
            ("agent", "担当の佐藤です。お手伝いします"),
        ]
        # The contact answers before Chatwoot shows it open: the agent's, not the bot's.
        assert (await harness.post(webhook(message("はい", 3)))).status_code == 200
        await self.turns_done()
        await harness.settle()
        assert await self.owner(harness) is Owner.AGENT
        assert len(self.delivered(fake)) == sent
        assert fake.toggles() == [(CONVERSATION, "open")]

    async def test_an_assignment_while_the_bot_answers_takes_it_and_an_unassignment_gives_it_back(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # 佐藤 花子 assigns herself a conversation the bot answers (still `pending` in
        # Chatwoot). Before, mailmove followed only the status: the bot went on answering
        # the contact while she read the conversation up and wrote, and the console and
        # Slack showed it as the bot's.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        sent = len(self.delivered(fake))
        for _ in range(2):  # delivered again: taken and told once
            assert (await harness.post(webhook(assignment(AGENT_NAME, 1.5)))).status_code == 200
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        await harness.runtime.tasks.idle()
        assert await self.owner(harness) is Owner.AGENT
        read = await self.agent_read(harness)
        assert (read["holder"], read["agent"]) == ("agent", f"{AGENT_NAME} (Chatwoot)")
        # Told once, by the name Chatwoot shows her by (not the desks' 「(Chatwoot)」).
        told = harness.runtime.catalogs("ja", "desk.taken_from_bot", agent=AGENT_NAME)
        assert [d.text for d in self.delivered(fake)[sent:]] == [told]
        # The contact writes before Chatwoot shows it open: the agent's, not the bot's.
        assert (await harness.post(webhook(message("メールが送れません", 3)))).status_code == 200
        await self.turns_done()
        await harness.runtime.tasks.idle()
        assert await self.owner(harness) is Owner.AGENT
        assert [d.text for d in self.delivered(fake)[sent:]] == [told]
        # Unassigned (Chatwoot shows it open, nobody's): the bot has it back and greets once.
        for _ in range(2):
            unassigned = assignment(None, 2.5, status="open")
            assert (await harness.post(webhook(unassigned))).status_code == 200
        await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
        await harness.settle()
        assert await self.owner(harness) is Owner.BOT
        texts = [d.text for d in self.delivered(fake)]
        assert texts.count(GREETING) == 1
        assert fake.toggles() == [(CONVERSATION, "open"), (CONVERSATION, "pending")]

    async def test_an_assignment_hands_nothing_over_in_the_queue_or_from_another_desk(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Taken in the console (佐藤): Chatwoot's assignee is Chatwoot's business, and
        # unassigning there does not give the console agent's conversation to the bot.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        sent = len(self.delivered(fake))
        for request in (assignment(AGENT_NAME, 1.5, status="open"), assignment(None, 2.5)):
            assert (await harness.post(webhook(request))).status_code == 200
        await harness.settle()
        read = await self.agent_read(harness)
        assert (read["holder"], read["agent"]) == ("agent", "佐藤")
        assert len(self.delivered(fake)) == sent
        assert fake.toggles() == [(CONVERSATION, "open")]

    async def test_the_late_reply_notices_title_typed_while_open_gives_it_back(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Outside the widget the notice's select is answered by its title, in a conversation
        # Chatwoot shows open (an agent has it): that is the button, not words for the agent.
        # A title of the questionnaire's typed then stays words (the agent may have asked).
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        runtime = harness.runtime
        assert runtime.handoffs is not None
        later = runtime.engine.now() + dt.timedelta(minutes=61)
        silence = AgentSilence(
            runtime.engine,
            runtime.handoffs,
            runtime.delivery,
            after=dt.timedelta(minutes=60),
            now=lambda: later,
        )
        assert (await harness.post(webhook(message("いいえ", 2, status="open")))).status_code == 200
        await runtime.tasks.idle()
        assert await self.owner(harness) is Owner.AGENT
        assert await silence.sweep() == 1
        await runtime.tasks.idle()
        typed = webhook(message("自動案内に戻る", 3, status="open"))
        assert (await harness.post(typed)).status_code == 200
        await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
        await runtime.tasks.idle()
        assert await self.owner(harness) is Owner.BOT
        left = runtime.catalogs("ja", "handback.left_waiting")
        assert [d.text for d in self.delivered(fake)].count(left) == 1

    async def test_an_agents_reply_written_before_a_hand_back_does_not_take_it_again(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Chatwoot's jobs can deliver an agent's last words after the status change that
        # followed them (pending: handed back). They must not take it from the bot again.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        pending = status_event("conversation_status_changed", "pending", 2.5)
        assert (await harness.post(webhook(pending))).status_code == 200
        await harness.runtime.tasks.idle()
        assert await self.owner(harness) is Owner.BOT
        reply = message("ボットに戻します", 4, name="message_created_outgoing")
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        reply["created_at"] = (IN_WINDOW - dt.timedelta(seconds=1)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        assert (await harness.post(webhook(reply))).status_code == 200
        await harness.settle()
        assert await self.owner(harness) is Owner.BOT
        assert fake.toggles() == []

    async def test_an_agent_opening_it_takes_it_and_one_status_change_greets_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        lines = await harness.store.transcript(KEY)
        assert lines[-1].text == "taken over by 佐藤 花子 (Chatwoot)"
        assert await self.owner(harness) is Owner.AGENT
        # A label added while agents have it changes no owner.
        await harness.post(webhook(status_event("conversation_updated", "open", 1.7)))
        pending = status_event("conversation_status_changed", "pending", 2.5)
        updated = status_event("conversation_updated", "pending", 2.5)
        updated["changed_attributes"] = pending["changed_attributes"]
        for request in (pending, updated, pending):
            assert (await harness.post(webhook(request))).status_code == 200
        await harness.settle()
        texts = [d.text for d in self.delivered(harness.fake)]
        assert texts.count(GREETING) == 1
        assert await self.owner(harness) is Owner.BOT
        # The fake saw no toggle: the status changes came from Chatwoot, not from the bot.
        assert cw(harness).toggles() == []

    async def test_a_handback_from_the_agent_api_makes_it_pending_in_chatwoot(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        fake = cw(harness)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("人と話したい")
        await self.exchange(harness, self.text_request("人と話したい", 2), oracle.last.replies)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        response = await harness.client.post(
            f"/api/agent/conversations/{KEY}/handback",
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
            json={"agent": "佐藤", "address": "taro@vp.117.ne.jp", "program": "thunderbird"},
        )
        assert response.status_code == 200, response.text
        await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
        # The hand-back's greeting goes out in the background (Delivery.push_soon).
        await fake.wait_for(lambda: GREETING in [d.text for d in self.delivered(fake)])

    async def test_a_message_written_as_an_agent_handed_it_back_is_answered_by_the_bot(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        # Handed back from the console; the contact wrote while Chatwoot still showed it
        # open. Within the settling time that is no news: the owner as stored (the bot)
        # answers it. It was neither stored nor answered: the words vanished.
        fake = cw(harness)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("人と話したい")
        await self.exchange(harness, self.text_request("人と話したい", 2), oracle.last.replies)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        response = await harness.client.post(
            f"/api/agent/conversations/{KEY}/handback",
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
            json={"agent": "佐藤"},
        )
        assert response.status_code == 200, response.text
        await fake.wait_for(lambda: GREETING in [d.text for d in self.delivered(fake)])
        sent = len(self.delivered(fake))
        soon = IN_WINDOW + dt.timedelta(seconds=2)
        written = message("メールが送れません", 3, status="open", created=soon)
        assert (await harness.post(webhook(written))).status_code == 200
        await fake.wait_for(lambda: len(self.delivered(fake)) > sent)
        await harness.settle()
        assert await self.owner(harness) is Owner.BOT
        said = [x for x in await harness.store.transcript(KEY) if x.author == "subscriber"]
        assert said[-1].text == "メールが送れません"

    async def test_a_take_over_elsewhere_opens_it_in_chatwoot_and_a_hand_back_sets_pending(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The console, the agent API and Slack's 「対応する」 take over alike (change_owner):
        # Chatwoot's agents must see it open, and the bot must be answered again once back.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        opened = [(CONVERSATION, "open")]
        await fake.wait_for(lambda: fake.toggles() == opened)
        # Chatwoot tells of the change it was asked for: nothing more is changed or sent.
        sent = len(self.delivered(fake))
        await harness.post(webhook(status_event("conversation_status_changed", "open", 1.5)))
        await harness.settle()
        assert fake.toggles() == opened
        assert len(self.delivered(fake)) == sent
        assert await self.owner(harness) is Owner.AGENT

    async def test_a_status_chatwoot_failed_to_take_is_set_again_and_not_undone(
        self,
        harness: Harness,
        oracle: Driver,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # Setting a status is idempotent: a 500 is tried again. Past every try, Chatwoot
        # still says pending while an agent has it; the contact's next message must not
        # hand it back to the bot (it is our failed change, not a lost event): the status
        # is set again, and the words wait for the agent.
        monkeypatch.setattr(chatwoot_api_module, "RETRY_WAIT", 0.01)
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        tries = chatwoot_api_module.RATE_LIMIT_RETRIES + 1
        fake.fail(CHATWOOT, "toggle_status", times=tries, status=500)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        await self.owner_followed()
        assert len(fake.calls_to(CHATWOOT, "toggle_status", status=500)) == tries
        assert "Chatwoot status not set" in caplog.text  # the operator is told
        await self.turns_done()
        assert fake.toggles() == []
        sent = len(self.delivered(fake))
        later = webhook(message("まだですか", 2, created=LATER))
        assert (await harness.post(later)).status_code == 200
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        await self.turns_done()
        assert await self.owner(harness) is Owner.AGENT
        assert len(self.delivered(fake)) == sent
        transcript = [(line.author, line.text) for line in await harness.store.transcript(KEY)]
        assert ("subscriber", "まだですか") in transcript

    async def test_a_status_answered_500_once_is_set_on_the_next_try(
        self, harness: Harness, oracle: Driver, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(chatwoot_api_module, "RETRY_WAIT", 0.01)
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        fake.fail(CHATWOOT, "toggle_status", status=500)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])

    async def test_a_close_elsewhere_resolves_it_and_the_answer_reaches_the_bot(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        assert (await self.agent_api(harness, "close")).status_code == 200
        resolved = [(CONVERSATION, "open"), (CONVERSATION, "resolved")]
        await fake.wait_for(lambda: fake.toggles() == resolved)
        # Chatwoot reopens a resolved conversation of a bot's inbox as pending when the
        # contact writes: the bot takes the answer.
        await harness.post(webhook(message(catalogs.raw("ja", "feedback.solved"), 2)))
        thanks = catalogs.raw("ja", "feedback.thanks_solved")
        await fake.wait_for(lambda: any(d.text == thanks for d in self.delivered(fake)))
        await harness.settle()
        assert fake.toggles() == resolved

    async def test_a_resolve_in_chatwoot_asks_the_contact_whether_it_was_solved(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        # Resolved by its agent in Chatwoot, a conversation of Chatwoot's own inbox was closed
        # in silence, where the console's 「終了」, Slack's 「終了する」 and the mirror's
        # resolve tell the subscriber it ended and ask 「解決しましたか？」.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        reply = message("パスワードは変わりません", 2, name="message_created_outgoing")
        reply["conversation"]["status"] = "open"
        reply["sender"] = {"id": 3, "name": AGENT_NAME, "type": "user"}
        assert (await harness.post(webhook(reply))).status_code == 200
        await self.turns_done()
        sent = len(self.delivered(fake))
        resolved = webhook(status_event("conversation_status_changed", "resolved", 3.5))
        for _ in range(2):  # an account webhook Chatwoot delivered twice asks once
            assert (await harness.post(resolved)).status_code == 200
        await fake.wait_for(lambda: len(self.delivered(fake)) > sent)
        await harness.runtime.tasks.idle()
        asked = self.delivered(fake)[sent:]
        assert [d.text for d in asked] == [
            f"{catalogs.raw('ja', 'feedback.closed')}\n\n{catalogs.raw('ja', 'feedback.question')}"
        ]
        assert [b.label for b in asked[0].buttons] == ["解決した", "解決しない"]
        assert await self.owner(harness) is Owner.CLOSED
        # Chatwoot resolved it itself: nothing toggled back.
        assert fake.toggles() == []
        # The widget answers the select by updating the message; the conversation stays
        # resolved in Chatwoot, and the answer still counts.
        pressed = load_payload("chatwoot", "message_updated_input_select")
        items = asked[0].raw["content_attributes"]["items"]
        solved = next(item for item in items if question_of(item["value"])[0] == feedback.SOLVED)
        pressed["id"] = 90003
        pressed["content_attributes"] = {"items": items, "submitted_values": [solved]}
        pressed["conversation"]["status"] = "resolved"
        answered = await harness.post(webhook(pressed))
        assert answered.status_code == 200, answered.text
        thanks = catalogs.raw("ja", "feedback.thanks_solved")
        await fake.wait_for(lambda: any(d.text == thanks for d in self.delivered(fake)))
        # The bot answered in it: pending, the status it answers in, as a typed answer is.
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "pending")])
        assert await self.owner(harness) is Owner.BOT

    async def test_not_solved_after_a_resolve_in_chatwoot_opens_it_for_the_desk(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        # 「解決しない」 pressed under the question a resolve asked hands it to the desk, which
        # opens it; the bot's `pending` must not land after that `open`.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        sent = len(self.delivered(fake))
        resolved = webhook(status_event("conversation_status_changed", "resolved", 3.5))
        assert (await harness.post(resolved)).status_code == 200
        await fake.wait_for(lambda: len(self.delivered(fake)) > sent)
        await harness.runtime.tasks.idle()
        (asked,) = self.delivered(fake)[sent:]
        assert asked.text.startswith(catalogs.raw("ja", "feedback.closed_unanswered"))
        pressed = load_payload("chatwoot", "message_updated_input_select")
        items = asked.raw["content_attributes"]["items"]
        unsolved = next(
            item for item in items if question_of(item["value"])[0] == feedback.UNSOLVED
        )
        pressed["id"] = 90004
        pressed["content_attributes"] = {"items": items, "submitted_values": [unsolved]}
        pressed["conversation"]["status"] = "resolved"
        assert (await harness.post(webhook(pressed))).status_code == 200
        await fake.wait_for(lambda: (CONVERSATION, "open") in fake.toggles())
        await harness.runtime.tasks.idle()
        assert fake.toggles() == [(CONVERSATION, "open")]
        assert await self.owner(harness) is Owner.AGENT

    async def test_a_hand_back_elsewhere_sets_it_pending_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        assert await self.owner(harness) is Owner.AGENT
        # Another agent has it (whoever opened it in Chatwoot): taken over first, explicitly.
        refused = await self.agent_api(harness, "handback", agent="佐藤")
        assert refused.status_code == 409, refused.text
        opener = refused.json()["agent"]
        took = await self.agent_api(harness, "take", agent="佐藤", take_over_from=opener)
        assert took.status_code == 200, took.text
        back = await self.agent_api(harness, "handback", agent="佐藤")
        assert back.status_code == 200, back.text
        await fake.wait_for(lambda: (CONVERSATION, "pending") in fake.toggles())
        await harness.settle()
        # Opened in Chatwoot: not toggled again (the take-over elsewhere says `open` once, as
        # every take-over does); handed back elsewhere: pending, once.
        assert fake.toggles() == [(CONVERSATION, "open"), (CONVERSATION, "pending")]

    async def test_a_refused_handoff_gives_the_conversation_back(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        fake = cw(harness)
        fake.throttle("chatwoot", "toggle_status", times=10, retry_after=0)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("人と話したい")
        await harness.post(self.text_request("人と話したい", 2))
        sorry = catalogs.raw("ja", "handoff.failed").split("{", 1)[0]
        await fake.wait_for(lambda: any(sorry in d.text for d in self.delivered(fake)))
        await harness.settle()
        assert await self.owner(harness) is Owner.BOT
        assert fake.toggles() == []

    async def test_a_rate_limited_reply_is_sent_again_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        cw(harness).throttle("chatwoot", "messages", times=1, retry_after=0)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)
        assert len(cw(harness).calls_to("chatwoot", "messages", status=429)) == 1

    async def test_a_rate_limited_reply_waits_until_the_date_chatwoot_names(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Retry-After may be an HTTP-date (RFC 9110): read as digits only, it was 1 s. The
        # answer's own Date is Chatwoot's clock, far from the bot's (IN_WINDOW): 3 s it is.
        said_at = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        cw(harness).throttle(
            "chatwoot",
            "messages",
            retry_after=format_datetime(said_at + dt.timedelta(seconds=3), usegmt=True),
            date=format_datetime(said_at, usegmt=True),
        )
        harness.pauses.cut()
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)
        assert harness.pauses.asked == [3.0]

    async def test_the_desk_takes_only_chatwoot_conversations(self, harness: Harness) -> None:
        assert harness.runtime.handoffs is not None
        desks = [d for d in harness.runtime.handoffs.desks if d.name == "chatwoot"]
        assert len(desks) == 1
        summary = HandoffSummary(
            key="webchat:abc",
            channel="webchat",
            conversation_id="abc",
            sender="",
            locale="ja",
            reason="asked",
            address="taro@vp.117.ne.jp",
            program="",
            answers={},
            receiving="",
            sending="",
            stage="q1_mail_program",
            last_check="",
            transcript_url="http://mailmove.test/agent/#webchat:abc",
        )
        with pytest.raises(DeskUnavailableError, match="only Chatwoot"):
            await desks[0].hand_off(summary)
        assert since_start(harness.fake) == []

    # -- a lost status event (Chatwoot never redelivers an account webhook) ---------------

    async def test_a_lost_hand_back_is_repaired_by_the_next_message_and_answered(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        fake = cw(harness)
        changes = self.owner_changes(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        assert await self.owner(harness) is Owner.AGENT
        # An agent set it to pending; that event never arrived. The contact writes.
        sent = len(self.delivered(fake))
        asked = webhook(message("パスワードは変わりますか", 2, created=LATER, assignee=AGENT_NAME))
        assert (await harness.post(asked)).status_code == 200
        await fake.wait_for(lambda: len(self.delivered(fake)) > sent + 1)
        await self.turns_done()
        assert await self.owner(harness) is Owner.BOT
        got = [d.text for d in self.delivered(fake)[sent:]]
        assert got[0] == GREETING
        answer = catalogs.raw("ja", "topic.password.answer").split("{", 1)[0]
        assert any(answer in text for text in got[1:]), got
        transcript = [(line.author, line.text) for line in await harness.store.transcript(KEY)]
        assert ("subscriber", "パスワードは変わりますか") in transcript
        assert any(a == "system" and "handback" in t and AGENT_NAME in t for a, t in transcript)
        # The desks heard of it as of any hand-back; Chatwoot is pending already.
        assert [(c.before, c.after) for c in changes if c.after is Owner.BOT] == [
            (Owner.AGENT, Owner.BOT)
        ]
        assert fake.toggles() == []
        # Chatwoot delivers the same message again (agent bot and account webhook): once.
        delivered = len(self.delivered(fake))
        assert (await harness.post(asked)).status_code == 200
        await harness.settle()
        assert len(self.delivered(fake)) == delivered

    async def test_a_hand_back_the_store_refused_is_made_when_the_message_comes_again(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The words were stored, the hand-back was not: 429, and Chatwoot's retry finishes it.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await harness.post(webhook(status_event("conversation_opened", "open", 1.5)))
        await self.turns_done()
        stored = harness.store.transact
        refused: list[str] = []

        async def refusing(key: str, event_id: str | None, update: Any) -> Any:
            if event_id is not None and event_id.endswith(":status:pending") and not refused:
                refused.append(event_id)
                raise StoreUnavailableError("down for the test")
            return await stored(key, event_id, update)

        monkeypatch.setattr(harness.store, "transact", refusing)
        sent = len(self.delivered(fake))
        asked = webhook(message("パスワードは変わりますか", 2, created=LATER, assignee=AGENT_NAME))
        first = await harness.post(asked)
        assert first.status_code == 429, first.text
        assert refused
        await self.turns_done()
        assert await self.owner(harness) is Owner.AGENT
        assert len(self.delivered(fake)) == sent
        assert (await harness.post(asked)).status_code == 200
        await fake.wait_for(lambda: len(self.delivered(fake)) > sent + 1)
        await harness.settle()
        assert await self.owner(harness) is Owner.BOT
        got = [d.text for d in self.delivered(fake)[sent:]]
        answer = catalogs.raw("ja", "topic.password.answer").split("{", 1)[0]
        assert got.count(GREETING) == 1
        assert sum(answer in text for text in got) == 1, got

    async def test_a_message_written_as_the_handoff_landed_stays_with_the_agent(
        self, harness: Harness, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        # Chatwoot still said pending because the bot's own "open" had not landed yet: no
        # news of a hand-back, so the agent keeps the conversation.
        fake = cw(harness)
        oracle = Driver(profile, catalogs, desk=True)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        oracle.type("人と話したい")
        await self.exchange(harness, self.text_request("人と話したい", 2), oracle.last.replies)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        sent = len(self.delivered(fake))
        soon = IN_WINDOW + dt.timedelta(seconds=2)
        assert (await harness.post(webhook(message("よろしく", 3, created=soon)))).status_code
        await harness.settle()
        assert await self.owner(harness) is Owner.AGENT
        assert len(self.delivered(fake)) == sent
        assert (await harness.store.transcript(KEY))[-1].text == "よろしく"

    async def test_a_lost_open_is_repaired_by_the_next_message_and_not_answered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        sent = len(self.delivered(fake))
        opened = message("はい", 2, status="open", created=LATER, assignee=AGENT_NAME)
        assert (await harness.post(webhook(opened))).status_code == 200
        await harness.settle()
        assert await self.owner(harness) is Owner.AGENT
        assert len(self.delivered(fake)) == sent
        lines = await harness.store.transcript(KEY)
        # The take-over the lost event meant, then the words, kept for the agent.
        assert [x.text for x in lines[-2:]] == [f"taken over by {AGENT_NAME} (Chatwoot)", "はい"]
        # Chatwoot has it open already: not toggled again.
        assert fake.toggles() == []

    async def test_a_lost_resolve_is_repaired_by_the_next_message(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Chatwoot reopens a resolved conversation before it builds the payload (pending with
        # an agent bot, so the bot answers); a payload that still says resolved was built
        # after an agent closed it again.
        fake = cw(harness)
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        sent = len(self.delivered(fake))
        closed = message("はい", 2, status="resolved", created=LATER)
        assert (await harness.post(webhook(closed))).status_code == 200
        await harness.settle()
        assert await self.owner(harness) is Owner.CLOSED
        # Closed as a resolve is: the question asked once, the words not answered.
        question = harness.runtime.catalogs("ja", "feedback.question")
        assert [d.text.endswith(question) for d in self.delivered(fake)[sent:]] == [True]
        assert fake.toggles() == []

    async def test_every_redelivery_while_the_store_is_down_gets_a_status_chatwoot_retries(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Chatwoot tries an agent bot's event three times, 3 s apart, and only after 429 or
        # 500; any other answer opens the conversation to agents with an error note.
        request = self.text_request("こんにちは", 1)
        await harness.store.close()
        for _ in range(3):
            refused = await harness.post(request)
            assert refused.status_code == 429, refused.text
            assert refused.headers["retry-after"]
        await harness.store.open()
        oracle.start(locale="ja")
        await self.exchange(harness, request, oracle.last.replies)
        assert (await harness.post(request)).status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_a_draining_replica_answers_429_so_chatwoot_sends_it_again(
        self, harness: Harness
    ) -> None:
        harness.app.state.draining.begin()
        refused = await harness.post(self.text_request("こんにちは", 1))
        assert refused.status_code == 429, refused.text
        assert refused.headers["retry-after"]
        assert await harness.store.list_records() == []

    async def test_while_shutting_down_events_get_503_to_be_resent(self, harness: Harness) -> None:
        # The contract's test, where Chatwoot differs: 429, the status it redelivers after.
        await harness.settle()  # what the server does first at shutdown
        response = await harness.post(self.text_request("こんにちは", 1))
        assert response.status_code == 429
        assert response.headers["retry-after"]
        assert await harness.store.list_records() == []
        assert self.delivered(harness.fake) == []

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def owner_changes(harness: Harness) -> list[OwnerChange]:
        """Every owner change from now on, as the desks hear of them."""
        heard: list[OwnerChange] = []

        async def hear(change: OwnerChange) -> None:
            heard.append(change)

        assert harness.runtime.handoffs is not None
        harness.runtime.handoffs.watch_owner(hear)
        return heard

    async def owner(self, harness: Harness) -> Owner | None:
        record: ConversationRecord | None = await self.record(harness)
        return record.owner if record else None

    @staticmethod
    async def owner_followed() -> None:
        """Wait for the desks that follow owner changes (in the background) to be done."""
        running = [t for t in asyncio.all_tasks() if t.get_name().startswith("owner ")]
        await asyncio.gather(*running)

    @staticmethod
    async def turns_done() -> None:
        """Wait for the turns the webhook has started (named by their event ids) to end.

        Unlike `settle`, the server keeps taking events afterwards.
        """
        running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
        await asyncio.gather(*running)


def _reduce(body: dict[str, Any]) -> Delivered:
    items = (body.get("content_attributes") or {}).get("items") or []
    buttons = tuple(Button(item["title"], item["value"]) for item in items)
    return Delivered(text=body["content"], buttons=buttons, raw=body)
