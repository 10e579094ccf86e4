"""A password spelt out a character at a time is stored masked, on disk too (attacker9).

「パスワードは　Ｑ ａ ７０１ ｚ ９ ９　です」, 'password: Q x 717 z 9 9' and 'my password is'
then 'k q 7 x y z 9 9' were kept in the transcript as typed, in the SQLite file and its WAL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("said", "secret"),
    [
        (("パスワードは　Ｑ ａ ７０１ ｚ ９ ９　です",), "Ｑ ａ ７０１ ｚ ９ ９"),
        (("password: Q x 717 z 9 9",), "Q x 717 z 9 9"),
        (("my password is", "k q 7 x y z 9 9"), "k q 7 x y z 9 9"),
    ],
)
async def test_a_spelt_out_password_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, said: tuple[str, ...], secret: str
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    replies: list[object] = []
    for n, text in enumerate(said, start=1):
        replies += (await engine.handle(typed(f"e{n}", text))).replies
    lines = await store.transcript(KEY)
    kept = [line.text for line in lines if line.author == "subscriber"][-1]
    assert kept == said[-1].replace(secret, "********")
    assert all(secret not in getattr(reply, "text", "") for reply in replies)
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()
