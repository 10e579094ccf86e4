"""Two profiles served side by side while the new one rolls out: the change is said once.

During a rolling deploy replicas of the old profile and of the new answer the same store,
and a conversation's turns go to either. Each switch said 「前回のご案内のあと、移行のご案内の
内容が変わりました」 again and moved the verdict back and forth. The engine gives the dialog
when its process took up its profile (`StepContext.profile_since`); a conversation follows
the later one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import Inbound, Receiving, reply_as_plain_text
from testbed.clock import fixed_clock

PROFILES = Path(__file__).parents[1] / "dialogs"
# 2 June 2027 in Japan: the second phase's window (tests/dialogs/mozu_receiving_second.toml).
MOMENT = dt.datetime(2027, 6, 2, 3, 0, tzinfo=dt.UTC)


async def test_replicas_of_two_profiles_say_the_change_once(
    store: SQLiteStore, catalogs: Catalogs
) -> None:
    first = load_profile(PROFILES / "mozu_sending_first.toml")
    second = load_profile(PROFILES / "mozu_receiving_second.toml")
    old = Engine(
        store, first, catalogs.with_variants(first.text_variants), fixed_clock(MOMENT),
        profile_since=1_000,
    )  # fmt: skip
    new = Engine(
        store, second, catalogs.with_variants(second.text_variants), fixed_clock(MOMENT),
        profile_since=2_000,
    )  # fmt: skip
    moved = catalogs("ja", "resume.verdict_moved")
    events = iter(range(100))

    async def turn(engine: Engine, text: str | None = None, choice: str | None = None) -> str:
        record = await store.load(record_key("test", "c1"))
        inbound = Inbound("test", "c1", f"e{next(events)}", text=text, choice=choice)
        outcome = await engine.handle(inbound, question=record.question if record else None)
        return "\n".join(reply_as_plain_text(reply) for reply in outcome.replies)

    await turn(old, "こんにちは")
    await turn(old, choice="yes")
    await turn(old, choice="yes")
    await turn(old, "taro@mozu.example.ne.jp")
    await turn(old, choice="program:thunderbird")
    heard = [moved in await turn(engine, "ありがとうございます") for engine in (new, old, new, old)]
    assert heard == [True, False, False, False]
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    assert record.dialog.receiving is Receiving.REQUIRED
