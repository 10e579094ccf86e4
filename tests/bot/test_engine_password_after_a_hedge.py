"""「パスワードは」「たしか」「すみれです」: a hedge sent alone between the word and the password.

Subscribers on phones send where the sentence pauses. 「パスワードは」 named the next message as
the password, but that message was 「たしか」 (a hedge, no password), and it named none after
it: 「すみれです」 was stored as typed (privacy3). A hedge or a filler alone keeps what the
message before it named; anything else said ends it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("pieces", "secret"),
    [
        (("パスワードは", "たしか", "すみれです"), "すみれ"),
        (("パスワードは", "えーと", "Kq7xyz99"), "Kq7xyz99"),
        (("パスワードは", "たぶん", "えっと", "sakura2008"), "sakura2008"),
        (("my password is", "um", "Tt4sdfgh9"), "Tt4sdfgh9"),
        (("my password is", "I think", "Tt4sdfgh9"), "Tt4sdfgh9"),
    ],
)
async def test_the_password_after_a_hedge_alone_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, pieces: tuple[str, ...], secret: str
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    for number, piece in enumerate(pieces, start=1):
        await engine.handle(typed(f"e{number}", piece))
    lines = await store.transcript(KEY)
    said = [line.text for line in lines if line.author == "subscriber"]
    assert said[-1].startswith("********")
    assert said[1:-1] == list(pieces[:-1])
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_an_answer_after_the_hedge_stays(engine: Engine, store: SQLiteStore) -> None:
    # The hedge keeps the mark; an answer is still read as 「パスワードは」's next message is.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "パスワードは"))
    await engine.handle(typed("e3", "たしか"))
    await engine.handle(typed("e4", "わすれました"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "わすれました"


async def test_a_sentence_after_the_word_ends_what_it_named(
    engine: Engine, store: SQLiteStore
) -> None:
    # Something said that is no hedge: the message after it is read as any other.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "パスワードは"))
    await engine.handle(typed("e3", "メールが見られません"))
    await engine.handle(typed("e4", "sakura2008"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "sakura2008"
