"""A withdrawal after the settings card takes the address out of every later bot line too.

The address typed (「abc12345@vp.117.ne.jp」, the password by mistake as its local part) and
then unsent on LINE (deleted on Slack, or 「さっきのはパスワードです」 after the presses that
led to the card) left the withdrawn turn's own lines, and no more: the settings card's title
and 「アカウント名」 row, the guide's steps and the Apple file's link of the later turns still
showed it, in the transcript the console, the agent API and the summaries read, and the
dialog kept it as what the card was shown for (`card_shown_for`). Now the address is said
in words, as the card says one it does not know (「@vp.117.ne.jpで終わるお使いのメール
アドレス」; the notice's 「********@vp.117.ne.jp」 read as a hidden password), wherever a
bot line holds it, in the store's own transaction (SQLite and Redis), and the lines keep
their place, their time and their structure.
"""

from __future__ import annotations

import dataclasses
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import orjson
import pytest

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
    Change,
    ConversationStore,
    Owner,
    event_tag,
    record_key,
)
from bot.store.redis_store import RedisStore
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.redaction import MASK
from dialogs.settings_card import SHORT_ADDRESS_KEYS
from dialogs.vocabulary import LOCALES, MEDIA_CHOICE, Inbound, Locale
from testbed.clock import fixed_clock
from testbed.disk import files_holding
from testbed.redis_server import RedisServer, running_redis
from tests.bot.engine_turns import KEY, Desks, pressed, typed

# The password typed by mistake where the address was asked, taken as its local part.
TOKEN = "abc12345"
ADDRESS = f"{TOKEN}@vp.117.ne.jp"


async def to_the_card(engine: Engine, store: ConversationStore) -> None:
    """The address typed (e3), then the presses that bring the card and the guide (e4-e7)."""
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", ADDRESS))
    for event, choice in (("e4", "program:thunderbird"), ("e5", "yes"), ("e6", "yes")):
        record = await store.load(KEY)
        assert record is not None
        await engine.handle(pressed(event, choice), question=record.question)
    lines = await store.transcript(KEY)
    later = [x for x in lines if x.author == "bot" and x.event not in (event_tag("e3"), None)]
    # The card (a structured reply) and the guide said the address back after its turn.
    assert any(x.reply and x.reply.get("type") == "settings" for x in later)
    assert any(TOKEN in x.text for x in later if x.event != event_tag("e3"))


def holding(lines: list[object]) -> list[object]:
    return [x for x in lines if TOKEN in repr(x)]


async def assert_masked(store: ConversationStore) -> None:
    lines = await store.transcript(KEY)
    assert not holding(list(lines))
    # The card stays, its structure whole, saying the address in words, no asterisks.
    cards = [x for x in lines if x.reply and x.reply.get("type") == "settings"]
    assert cards
    in_words = "@vp.117.ne.jpで終わるお使いのメールアドレス"
    assert f"アカウント名（ユーザー名）: {in_words}" in cards[-1].text
    assert MASK not in repr(cards)
    assert isinstance(cards[-1].reply and cards[-1].reply.get("items"), list)
    # The withdrawn turn's own lines are withdrawn as before.
    of_e3 = [x for x in lines if x.event == event_tag("e3")]
    assert [x.text for x in of_e3 if x.author == "subscriber"] == [WITHDRAWN_TEXT]
    assert {x.text for x in of_e3 if x.author == "bot"} == {WITHDRAWN_REPLY_TEXT}
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.address is None
    assert TOKEN not in repr(record.dialog)


async def test_an_unsend_after_the_card_masks_the_address_in_later_lines(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    await to_the_card(engine, store)
    assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    await assert_masked(store)
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


async def test_the_password_words_after_the_presses_mask_the_card_too(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # Presses hold no words: the address message is still the one the words withdraw.
    await to_the_card(engine, store)
    outcome = await engine.handle(typed("e7", "さっきのはパスワードです"))
    assert outcome.withdrew == event_tag("e3")
    await assert_masked(store)
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


async def test_another_message_withdrawn_masks_nothing(engine: Engine, store: SQLiteStore) -> None:
    await to_the_card(engine, store)
    before = [x for x in await store.transcript(KEY) if x.event != event_tag("e1")]
    assert await engine.withdraw("test", "c1", "unsend-1", "e1")
    after = await store.transcript(KEY)
    # The lines of the other turns stay as they were; the withdrawal's note comes after them.
    assert [x for x in after[: before[-1].seq] if x.event != event_tag("e1")] == before
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.address == ADDRESS


async def test_the_words_to_a_person_take_the_address_they_gave(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # Typed under the address question while an agent held the chat, then taken back: the
    # address left the dialog as an unsend's does.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    record = await store.load(KEY)
    assert record is not None
    held = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(KEY, None, lambda _: Change(held, [], None))
    await engine.handle(typed("e3", ADDRESS))
    assert (await store.load(KEY)).dialog.address == ADDRESS  # type: ignore[union-attr]
    outcome = await engine.handle(typed("e4", "さっきのはパスワードです"))
    assert outcome.withdrew == event_tag("e3")
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.address is None
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


def _drop_last_words(path: Path) -> None:
    """The stored dialog as a version before `last_words` wrote it."""
    with sqlite3.connect(path) as db:
        (raw,) = db.execute("SELECT dialog FROM conversations WHERE key = ?", (KEY,)).fetchone()
        gone = ("last_words", "last_pressed", "taken_back_last")
        dialog = {k: v for k, v in orjson.loads(raw).items() if k not in gone}
        db.execute("UPDATE conversations SET dialog = ? WHERE key = ?", (orjson.dumps(dialog), KEY))


async def test_an_old_record_whose_latest_line_is_a_photo_withdraws_the_words_before(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # Stored before `last_words` was kept, the latest line is read from the transcript: a
    # photo's mark has no words of theirs, the message typed before it is the one meant.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", TOKEN))
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e4", choice=MEDIA_CHOICE)
    )
    await store.close()
    _drop_last_words(tmp_path / "store.sqlite3")
    await store.open()
    outcome = await engine.handle(typed("e5", "さっきのはパスワードです"))
    assert outcome.withdrew == event_tag("e3")
    subscriber = [x.text for x in await store.transcript(KEY) if x.author == "subscriber"]
    assert subscriber[2] == WITHDRAWN_TEXT
    assert subscriber[3] == f"[{MEDIA_CHOICE}]"
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
async def redis_store(redis_server: RedisServer) -> AsyncIterator[RedisStore]:
    store = RedisStore.from_url(f"{redis_server.url}?prefix=w{secrets.token_hex(4)}:")
    await store.open()
    yield store
    await store.close()


@pytest.mark.parametrize("how", ["unsend", "words"])
async def test_on_redis_the_later_lines_are_masked_in_the_commit(
    redis_store: RedisStore, profile: MigrationProfile, catalogs: Catalogs, how: str
) -> None:
    engine = Engine(redis_store, profile, catalogs, fixed_clock())
    engine.handoff = Desks()
    await to_the_card(engine, redis_store)
    before = await redis_store.transcript(KEY)
    if how == "unsend":
        assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    else:
        assert (await engine.handle(typed("e7", "さっきのはパスワードです"))).withdrew
    await assert_masked(redis_store)
    after = await redis_store.transcript(KEY)
    # Every other line reads back as it was, the masked ones with only the address changed.
    for old, new in zip(before, after, strict=False):
        if old.event == event_tag("e3"):
            continue
        in_words = "@vp.117.ne.jpで終わるお使いのメールアドレス".encode()
        # 「メールアドレス全体の」 goes with it: the words say メールアドレス already.
        masked = orjson.loads(
            orjson.dumps([old.text, old.reply])
            .replace(f"メールアドレス全体の{ADDRESS}".encode(), in_words)
            .replace(ADDRESS.encode(), in_words)
            .replace(b"abc12345%40", b"*" * 8 + b"%40")
            .replace(b"abc12345-mail", b"mail")
        )
        assert [new.text, new.reply] == masked
    # Nothing of the address left in the stored bytes of the record or the transcript.
    client = redis_store.client
    stored = [raw async for raw in _all_values(client)]
    assert not [raw for raw in stored if TOKEN.encode() in raw]


async def _all_values(client: object) -> AsyncIterator[bytes]:
    async for name in client.scan_iter():  # type: ignore[attr-defined]
        kind = await client.type(name)  # type: ignore[attr-defined]
        if kind == b"string":
            yield await client.get(name)  # type: ignore[attr-defined]
        elif kind == b"list":
            for raw in await client.lrange(name, 0, -1):  # type: ignore[attr-defined]
                yield raw


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_who_the_platform_says_they_are_is_no_line_said_back(
    store: SQLiteStore,
    redis_server: RedisServer,
    profile: MigrationProfile,
    catalogs: Catalogs,
    kind: str,
) -> None:
    # The platform's name for the sender (an e-mail address, as a Chatwoot contact's may be)
    # came from no message of theirs: its system line stays, the bot's lines are masked.
    chosen: ConversationStore = store
    if kind == "redis":
        chosen = RedisStore.from_url(f"{redis_server.url}?prefix=w{secrets.token_hex(4)}:")
        await chosen.open()
    try:
        engine = Engine(chosen, profile, catalogs, fixed_clock())
        first = Inbound(
            channel="test", conversation_key="c1", event_id="e0", text="こんにちは", sender=ADDRESS
        )
        await engine.handle(first)
        await to_the_card(engine, chosen)
        assert await engine.withdraw("test", "c1", "unsend-1", "e3")
        lines = await chosen.transcript(KEY)
        assert [x.text for x in lines if TOKEN in x.text] == [f"sender: {ADDRESS}"]
        assert not [x for x in lines if x.author == "bot" and TOKEN in repr(x)]
    finally:
        if kind == "redis":
            await chosen.close()


EXAMPLE = Path(__file__).parents[2] / "examples" / "domain-change.toml"
SKIP = {"ja": "入力せずに進む", "en": "Continue without it"}


async def later_lines(
    engine: Engine, store: ConversationStore, chat: str, locale: Locale, address: str
) -> list[str]:
    """The bot's lines after the address turn (e3), withdrawn: the card and Thunderbird's guide."""

    def inbound(event: str, text: str | None = None, choice: str | None = None) -> Inbound:
        return Inbound("test", chat, f"{chat}-{event}", text=text, choice=choice, locale=locale)

    await engine.handle(inbound("e1", text="こんにちは" if locale == "ja" else "Hello"))
    await engine.handle(inbound("e2", choice="settings"))
    await engine.handle(inbound("e3", text=address))
    for event, choice in (("e4", "program:thunderbird"), ("e5", "yes"), ("e6", "yes")):
        record = await store.load(record_key("test", chat))
        assert record is not None
        await engine.handle(inbound(event, choice=choice), question=record.question)
    await engine.withdraw("test", chat, f"{chat}-unsend", f"{chat}-e3")
    later = {event_tag(f"{chat}-{event}") for event in ("e4", "e5", "e6")}
    lines = await store.transcript(record_key("test", chat))
    return [x.text + repr(x.reply) for x in lines if x.author == "bot" and x.event in later]


@pytest.mark.parametrize(("kind", "locale"), [("sqlite", "ja"), ("sqlite", "en"), ("redis", "ja")])
async def test_on_a_new_domain_the_later_lines_read_as_without_an_address(
    store: SQLiteStore, redis_server: RedisServer, catalogs: Catalogs, kind: str, locale: Locale
) -> None:
    # After an unsend the lines that said the address back said it in words wherever it
    # stood: a domain change's read 「メールアドレスが@minato-net…で終わるお使いのメール
    # アドレスから@kaigan-hikari…で終わるお使いのメールアドレスに変わります」 (メールアドレス
    # three times; the card's title and address row, the guide's address step and
    # 「メールアドレス全体の@…」 likewise). Each later line now says what a conversation that
    # skipped the address says (the note that none was asked apart).
    chosen: ConversationStore = store
    if kind == "redis":
        chosen = RedisStore.from_url(f"{redis_server.url}?prefix=w{secrets.token_hex(4)}:")
        await chosen.open()
    try:
        profile = load_profile(EXAMPLE)
        engine = Engine(
            chosen, profile, catalogs.with_variants(profile.text_variants), fixed_clock()
        )
        withdrawn = await later_lines(
            engine, chosen, "c1", locale, f"{TOKEN}@minato-net.example.jp"
        )
        skipped = await later_lines(engine, chosen, "c2", locale, SKIP[locale])
        words = catalogs(locale, "settings.address_placeholder", domain="minato-net.example.jp")
        note = catalogs(locale, "settings.placeholder_note", address=words)
        skipped = [x.replace(f"\n\n{note}", "").replace(f"\\n\\n{note}", "") for x in skipped]
        assert TOKEN not in repr(withdrawn)
        assert withdrawn == skipped
        # What the old lines said, for the record.
        assert "で終わるお使いのメールアドレスから" not in repr(withdrawn)
    finally:
        if chosen is not store:
            await chosen.close()


def test_every_text_of_the_short_address_is_said_again(catalogs: Catalogs) -> None:
    # A text added to domain_change.po and left out of the list would be masked with the
    # long words again. A profile's variant (`key.variant`) speaks as its key.
    quoting = {
        key
        for locale in LOCALES
        for key in catalogs.keys(locale)
        if "address_short}" in catalogs.raw(locale, key)
    }
    assert quoting
    listed = set(SHORT_ADDRESS_KEYS)
    assert {
        key for key in quoting if key not in listed and key.rpartition(".")[0] not in listed
    } == set()
