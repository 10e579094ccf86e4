"""A password sent after the message that named it, with words around it, through the engine.

Review: 「パスワードは」 then 「はなこ77なんですが」, 「パスワードが」 then 「はなこ77なのですが、
ログインできません」, 「パスワードを」 then 「はなこ77にしました」, 「パスワードは」 then 「たしか、
はなこ77です」, and 'my password is' then 'hanako77 but it fails' were stored as typed. The
SQLite files are scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import typed


@pytest.mark.parametrize(
    ("pieces", "secret"),
    [
        (("パスワードは", "はなこ77なんですが"), "はなこ77"),
        (("パスワードが", "はなこ77なのですが、ログインできません"), "はなこ77"),
        (("パスワードを", "はなこ77にしました"), "はなこ77"),
        (("パスワードは", "たしか、はなこ77です"), "はなこ77"),
        (("my password is", "hanako77 but it fails"), "hanako77"),
        (("パスワードの欄に", "はなこ77と入れました"), "はなこ77"),
        (("パスワードは孫の名前で", "はなこです"), "はなこ"),
    ],
)
async def test_the_password_sent_after_the_word_is_in_no_file(
    engine: Engine, store: SQLiteStore, tmp_path: Path, pieces: tuple[str, ...], secret: str
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    for number, piece in enumerate(pieces, start=1):
        await engine.handle(typed(f"e{number}", piece))
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()
