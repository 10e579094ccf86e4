"""A password after another language's password word, through the engine (attacker11).

「密码是sakura2008」「비밀번호는 Kq7xyz99 입니다」 'Mein Passwort ist hanako77' were stored as
typed, in the SQLite file and its WAL, and the subscriber was not told not to type passwords
here; 「비밀번호는」 then 「tulip4242」 too. The store's files are scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed

_WARNED = "パスワードはこのチャットには書き込まないでください"


@pytest.mark.parametrize(
    ("pieces", "secret"),
    [
        (("密码是sakura2008",), "sakura2008"),
        (("비밀번호는 Kq7xyz99 입니다",), "Kq7xyz99"),
        (("Mein Passwort ist hanako77",), "hanako77"),
        (("mi contraseña es tulip4242",), "tulip4242"),
        (("mon mot de passe est rose9911",), "rose9911"),
        (("비밀번호는", "tulip4242"), "tulip4242"),
        (("密码：", "sakura2008"), "sakura2008"),
    ],
)
async def test_the_password_is_stored_masked_and_the_subscriber_warned(
    engine: Engine,
    store: SQLiteStore,
    tmp_path: Path,
    pieces: tuple[str, ...],
    secret: str,
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    said = ""
    for number, piece in enumerate(pieces, start=1):
        outcome = await engine.handle(typed(f"e{number}", piece))
        said = " ".join(getattr(reply, "text", "") for reply in outcome.replies)
    lines = await store.transcript(KEY)
    assert "********" in [line.text for line in lines if line.author == "subscriber"][-1]
    assert _WARNED in said, said
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()
