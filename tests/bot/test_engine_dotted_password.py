"""A password written with dots after the word is stored masked; the profile's host stays.

「パスワードは my.pass.99 です」 and 'password is my.secret.pw' were stored as typed: a token
of three dotted names was read as a host, even right after the word (redact5). The engine
reads with the profile's domains, so a server of its own named there is kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("パスワードは my.pass.99 です", "my.pass.99"),
        ("my password is my.secret.pw", "my.secret.pw"),
    ],
)
async def test_a_dotted_password_after_the_word_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, text: str, secret: str
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    outcome = await engine.handle(typed("e2", text))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == text.replace(
        secret, "********"
    )
    assert all(secret not in getattr(reply, "text", "") for reply in outcome.replies)
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_the_profiles_server_after_the_word_is_kept(
    engine: Engine, store: SQLiteStore
) -> None:
    text = "パスワードは vpop.117.ne.jp と同じですか"
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", text))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == text
