"""Whole conversations of older subscribers on LINE and Telegram, through the SDKs (subscriber12).

A photo of the screen, a voice message, a sticker, 「？」, 「わからない」 to everything, a
grandchild writing for a grandparent, a return the next day, a call asked for: each played
from the first message to the end (settings given, a person reached) against the fake
platform APIs, the way a phone shows it: words and buttons as delivered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from bot.store.conversation_store import Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import Locale
from testbed.clock import IN_WINDOW
from tests.adapters.channel_contract import (
    AGENT_TOKEN,
    Button,
    ChannelContract,
    Delivered,
    SignedRequest,
    all_but,
)

# The modules, not their classes: a contract class named here would be collected again.
from tests.adapters.line import test_channel as line_tests
from tests.adapters.telegram import test_channel as telegram_tests
from tests.fakes.platform_api import running_fake

_TELEGRAM_WORDLESS: dict[str, dict[str, Any]] = {
    "image": {
        "photo": [{"file_id": "AgACAgUAAxk", "file_unique_id": "AQAD", "width": 90, "height": 60}]
    },
    "audio": {"voice": {"file_id": "AwACAgUAAxk", "file_unique_id": "AgAD", "duration": 4}},
}


class Phone:
    """One subscriber's phone on one platform: what they send, and what their screen shows."""

    def __init__(
        self, contract: ChannelContract, client: httpx.AsyncClient, runtime: Runtime, fake: Any
    ) -> None:
        self.contract = contract
        self.client = client
        self.runtime = runtime
        self.fake = fake
        self.n = 0
        self.seen = 0
        self.now = IN_WINDOW

    def clock(self) -> dt.datetime:
        return self.now

    async def _send(self, request: SignedRequest) -> list[Delivered]:
        response = await self.client.post(
            request.path, content=request.body, headers=request.headers
        )
        assert response.status_code == 200, response.text
        await self.runtime.tasks.idle()
        shown = self.contract.delivered(self.fake)
        new, self.seen = shown[self.seen :], len(shown)
        assert new, "the bot said nothing"
        return new

    async def type(self, text: str) -> list[Delivered]:
        self.n += 1
        return await self._send(self.contract.text_request(text, self.n))

    async def send(self, kind: str) -> list[Delivered]:
        """A message without words: `image` (a photo of the screen) or `audio` (a voice message)."""
        self.n += 1
        if isinstance(self.contract, line_tests.TestLineChannel):
            payload = line_tests.event_payload("message_text", self.n)
            message = {"id": f"4687895778{self.n:08d}", **line_tests.WORDLESS[kind]}
            payload["events"][0]["message"] = message
            return await self._send(line_tests.signed(payload))
        update = telegram_tests.text_update("", self.n)
        del update["message"]["text"]
        update["message"].update(_TELEGRAM_WORDLESS[kind])
        return await self._send(telegram_tests.webhook_request(update))

    async def press(self, label: str) -> list[Delivered]:
        """The button showing `label` on the latest message that has buttons."""
        shown = self.contract.delivered(self.fake)
        offered = next(d.buttons for d in reversed(shown) if d.buttons)
        button: Button = next(b for b in offered if b.label == label)
        self.n += 1
        return await self._send(self.contract.press_request(button, self.n))


_CONTRACTS: dict[str, ChannelContract] = {
    "line": line_tests.TestLineChannel(),
    "telegram": telegram_tests.TestTelegramChannel(),
}


@pytest.fixture(params=sorted(_CONTRACTS))
async def phone(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Phone]:
    contract = _CONTRACTS[request.param]
    async with running_fake() as fake:
        holder: list[Phone] = []
        app = build_app(
            Settings(environ=contract.environ(fake.url), agent_tokens=(AGENT_TOKEN,)),
            clock=lambda: holder[0].now if holder else IN_WINDOW,
            store=SQLiteStore(tmp_path / "conversations.sqlite3"),
            exclude_channels=all_but(contract.channel),
        )
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            holder.append(Phone(contract, client, app.state.runtime, fake))
            yield holder[0]


def _words(shown: list[Delivered]) -> str:
    return "\n".join(d.text for d in shown)


def _labels(shown: list[Delivered]) -> list[str]:
    return [b.label for d in shown for b in d.buttons]


def _say(phone: Phone, key: str, locale: Locale = "ja") -> str:
    return phone.runtime.catalogs(locale, key)


async def test_a_photo_of_the_error_leads_to_a_person_who_is_told_of_it(phone: Phone) -> None:
    # 「エラーが出ます」, asked for the text, a photo of the screen: it was 「エラーの文章を
    # そのまま文字で入力してください」 again for each photo, a dead end for whoever cannot type it.
    await phone.type("エラーが出ます")
    shown = await phone.send("image")
    assert _say(phone, "media.unreadable") in _words(shown)
    assert _labels(shown) == ["言葉で説明する", "担当者と話す", "このまま進む"]
    shown = await phone.press("担当者と話す")
    assert "担当者におつなぎします" in _words(shown)
    key = record_key(phone.contract.channel, phone.contract.conversation_key)
    record = await phone.runtime.engine.store.load(key)
    assert record is not None
    assert record.owner is Owner.AGENT
    # The agent is told that a picture came, and that the bot could not see it.
    listed = await phone.client.get(
        "/api/agent/conversations", headers={"authorization": f"Bearer {AGENT_TOKEN}"}
    )
    (item,) = listed.json()["conversations"]
    assert "[media]" in item["said"]


async def test_a_voice_message_then_the_trouble_in_own_words_gets_its_answer(
    phone: Phone,
) -> None:
    await phone.type("こんにちは")
    shown = await phone.send("audio")
    assert "言葉で説明する" in _labels(shown)
    shown = await phone.press("言葉で説明する")
    assert _say(phone, "media.describe") in _words(shown)
    shown = await phone.type("メールが送れない")
    assert "587" in _words(shown)


async def test_a_photo_as_the_first_message_then_the_questions_to_the_settings(
    phone: Phone,
) -> None:
    shown = await phone.send("image")
    assert _words(shown).startswith("こんにちは。")
    assert _labels(shown) == ["言葉で説明する", "担当者と話す", "このまま進む"]
    await phone.press("このまま進む")
    await phone.press("はい")
    await phone.press("いいえ")
    await phone.type("hanako@vp.117.ne.jp")
    await phone.press("iPhone/iPadのメール")
    shown = await phone.press("はい")  # 「今お使いの送信サーバー名は「vs.117.ne.jp」ですか？」
    assert "vsmtp.117.ne.jp" in _words(shown)
    assert "hanako@vp.117.ne.jp" in _words(shown)


async def test_a_grandchild_answers_unsure_to_everything_and_gets_the_settings(
    phone: Phone,
) -> None:
    shown = await phone.type("祖母のメールの設定です")
    assert _say(phone, "smalltalk.on_behalf") in _words(shown)
    for _ in range(4):
        shown = await phone.type("わからない")
    shown = await phone.type("わからない")  # the address: skipped
    shown = await phone.type("わからない")  # the program: the generic steps
    shown = await phone.type("わからない")  # the current outgoing server
    assert "vpop.117.ne.jp" in _words(shown)
    assert "587" in _words(shown)


async def test_back_the_next_day_the_conversation_goes_on(phone: Phone) -> None:
    await phone.type("こんにちは")
    await phone.press("はい")
    await phone.press("いいえ")
    phone.now += dt.timedelta(hours=20)
    shown = await phone.type("きのうの続きです")
    assert _say(phone, "smalltalk.resume") in _words(shown)
    shown = await phone.type("taro@vp.117.ne.jp")
    assert "iPhone/iPadのメール" in _labels(shown)


async def test_a_call_asked_for_reaches_a_person_and_the_phone_contact(phone: Phone) -> None:
    await phone.type("こんにちは")
    await phone.press("はい")
    shown = await phone.type("電話で聞きたい")
    assert "担当者におつなぎします" in _words(shown)
    contact = phone.runtime.engine.profile.support.contact_ja
    assert phone.runtime.catalogs("ja", "handoff.phone", contact=contact) in _words(shown)


async def test_words_about_the_photo_keep_the_ways_on(phone: Phone) -> None:
    await phone.type("こんにちは")
    await phone.send("image")
    shown = await phone.type("画面の写真です")
    assert _say(phone, "media.unreadable_again") in _words(shown)
    assert _labels(shown) == ["言葉で説明する", "担当者と話す", "このまま進む"]
    await phone.press("このまま進む")
    shown = await phone.press("はい")
    assert "117net以外のプロバイダ" in _words(shown)


async def test_a_sentence_sent_in_pieces_is_answered_whole(phone: Phone) -> None:
    # 「メールが」 as the first message, then 「見れない」, then 「きのうから」: the pieces were
    # each 「うまく読み取れませんでした」, the third a handoff offered for one sentence.
    shown = await phone.type("メールが")
    assert _words(shown).startswith("こんにちは。")
    shown = await phone.type("見れない")
    assert "vpop.117.ne.jp" in _words(shown)
    shown = await phone.type("きのうから")
    assert _words(shown) == _say(phone, "pieces.go_on")
    shown = await phone.type("メールの")
    assert _words(shown) == _say(phone, "pieces.go_on")
    shown = await phone.type("設定が")
    assert _words(shown) == _say(phone, "pieces.go_on")
    shown = await phone.type("わからなくて")
    assert _say(phone, "not_understood") not in _words(shown)


async def test_the_question_on_screen_stays_open_under_a_piece(phone: Phone) -> None:
    # 「はい。続きをどうぞ。」 carries the open question's buttons (LINE shows quick replies
    # under the latest message only): a press of one answers the question, as before the piece.
    await phone.type("こんにちは")
    shown = await phone.type("メールが")
    assert _words(shown) == _say(phone, "pieces.go_on")
    shown = await phone.press("はい")
    assert "ほかの回線" in _words(shown) or "LAN" in _words(shown)
