"""A password sent on its own after the message that named it, through the engine (privacy4).

'my password is' then 'purple monkey' (words of letters alone), 「パスワードは」 then
「孫の名前のはなこです」 (the password after what it is), 'password: see below' then
'Kq7xyz99' (announced so) were stored as typed. The SQLite files are scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine, _named
from bot.store.sqlite_store import SQLiteStore
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import EMOJI_CHOICE, MEDIA_CHOICE, Inbound
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("pieces", "secrets"),
    [
        (("my password is", "purple monkey"), ("purple monkey", "monkey")),
        (("password:", "it's hunter two"), ("hunter two",)),
        (("パスワードは", "孫の名前のはなこです"), ("はなこ",)),
        (("password: see below", "Kq7xyz99"), ("Kq7xyz99",)),
    ],
)
async def test_the_password_sent_after_the_word_is_stored_masked(
    engine: Engine,
    store: SQLiteStore,
    tmp_path: Path,
    pieces: tuple[str, ...],
    secrets: tuple[str, ...],
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    for number, piece in enumerate(pieces, start=1):
        await engine.handle(typed(f"e{number}", piece))
    lines = await store.transcript(KEY)
    said = [line.text for line in lines if line.author == "subscriber"]
    assert "********" in said[-1]
    assert said[1:-1] == list(pieces[:-1])
    await store.close()
    for secret in secrets:
        assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_a_platforms_emoji_between_the_word_and_the_password_keeps_the_mark(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # 「パスワードは」, a LINE emoji (「(sweat)」, EMOJI_CHOICE), then 'dragon': the emoji's
    # name read as words took the mark away, and the password was stored as typed (channels2).
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "パスワードは"))
    await engine.handle(
        Inbound(
            channel="test",
            conversation_key="c1",
            event_id="e3",
            choice=EMOJI_CHOICE,
            text="(sweat)",
        )
    )
    await engine.handle(typed("e4", "dragon"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    await store.close()
    assert not files_holding(tmp_path, b"dragon")
    await store.open()


async def test_an_answer_in_words_after_the_word_stays(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "my password is"))
    await engine.handle(typed("e3", "not working"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "not working"


async def test_a_word_of_letters_after_the_word_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # 'my password is', then 'dragon' (subscriber18: kept as typed, one word alone being as
    # often an answer). The subscriber announced it, so the next message is the password.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "my password is"))
    await engine.handle(typed("e3", "dragon"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    await store.close()
    assert not files_holding(tmp_path, b"dragon")
    await store.open()


def test_only_the_subscribers_own_words_announce_the_password() -> None:
    # The check's link marks the next message (a password typed instead of the page), but
    # does not announce it: 'success' or 'fixed' after the link is what the check did.
    state = DialogState(stage=Stage.Q1_MAIL_PROGRAM)
    linked = _named(state, typed("e1", "ok"), check_link=True)
    assert linked.password_named
    assert not linked.password_announced
    told = _named(state, typed("e2", "my password is"))
    assert told.password_named
    assert told.password_announced
    photo = Inbound(channel="test", conversation_key="c1", event_id="e3", choice=MEDIA_CHOICE)
    assert _named(told, photo).password_announced
    assert not _named(told, typed("e4", "dragon")).password_announced


@pytest.mark.parametrize(
    ("word", "command"),
    [
        ("パスワード", "担当者"),
        ("パスワードは", "オペレーター"),
        ("my password", "窓口"),
        ("パスワード", "メニュー"),
    ],
)
async def test_a_command_after_the_word_is_that_command(
    engine: Engine, store: SQLiteStore, word: str, command: str
) -> None:
    # 「パスワード」 alone is a topic the bot answers (「パスワードは変わりません。…」); a
    # subscriber then asking for a person had 「担当者」 masked as the password, was told not
    # to type passwords here, and was handed to no one.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", word))
    outcome = await engine.handle(typed("e3", command))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == command
    said = " ".join(getattr(reply, "text", "") for reply in outcome.replies)
    assert "パスワードはこのチャットには書き込まないでください" not in said, said
