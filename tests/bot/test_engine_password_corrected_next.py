"""A password put right in the message after the one that spoke of it (attacker11).

「パスワードはabc」, then 「じゃなくてabd123です」: the correction came alone, and its words
(「じゃなくて」) were read only after a mask in the same message, so 'abd123' was stored as
typed (the SQLite file and its WAL). The message before, with a password word in it, now
marks the next: a correction alone there is the password. Without that message before,
「じゃなくて117netです」 is an answer put right and stays.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from dialogs.redaction import MASK, password_spoken, redact
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("first", "second", "secret"),
    [
        ("パスワードはabc", "じゃなくてabd123です", "abd123"),
        ("パスワードはabc", "ではなくて「tulipbb」です", "tulipbb"),
        ("パスワードはsakuraです", "いや、sakura2009でした", "sakura2009"),
        ("my password is abc", "no wait, hanako78", "hanako78"),
        ("密码是abc", "じゃなくてabd123です", "abd123"),
    ],
)
async def test_the_password_put_right_next_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, first: str, second: str, secret: str
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    await engine.handle(typed("e1", first))
    await engine.handle(typed("e2", second))
    lines = await store.transcript(KEY)
    assert MASK in [line.text for line in lines if line.author == "subscriber"][-1]
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("gmailです", "じゃなくて117netです"),
        ("パスワードはabc", "いや、Thunderbirdです"),
        ("パスワードはabc", "じゃなくて受信です"),
        ("my password is abc", "no thanks"),
    ],
)
async def test_an_answer_put_right_stays(
    engine: Engine, store: SQLiteStore, first: str, second: str
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    await engine.handle(typed("e1", first))
    await engine.handle(typed("e2", second))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == second


def test_a_password_word_marks_the_message_and_a_correction_alone_needs_it() -> None:
    assert password_spoken("パスワードはabc")
    assert password_spoken("비밀번호는 abc")
    assert not password_spoken("Outlookです")
    assert not password_spoken("")
    assert redact("じゃなくてabd123です") == ("じゃなくてabd123です", False)
    assert redact("じゃなくてabd123です", corrected_next=True) == (f"じゃなくて{MASK}です", True)
