"""A pass phrase or a password in another script, through the engine (attacker12).

Typed into `mailmove serve`'s web chat, 「パスワードは correct horse battery staple です」 and
'password Пароль123' were kept as typed in the SQLite file and its WAL, and the subscriber was
not told not to type passwords here; 「パスワードは」 then 'correct horse battery staple' too.
The store's files are scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed

# An English message is answered in English.
_WARNED = ("パスワードはこのチャットには書き込まないでください", "Please do not type your password")


@pytest.mark.parametrize(
    ("pieces", "secret"),
    [
        (("パスワードは correct horse battery staple です",), "horse battery staple"),
        (("my password is correct horse battery staple",), "horse battery staple"),
        (("password Пароль123",), "Пароль123"),
        (("パスワードは пароль です",), "пароль"),
        (("パスワードは", "correct horse battery staple"), "horse battery staple"),
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
    assert any(warning in said for warning in _WARNED), said
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()
