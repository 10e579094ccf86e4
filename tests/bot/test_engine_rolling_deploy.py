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
from typing import Final

import pytest

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Inbound, Receiving, reply_as_plain_text
from testbed.clock import fixed_clock

PROFILES = Path(__file__).parents[1] / "dialogs"
# 2 June 2027 in Japan: the second phase's window (tests/dialogs/mozu_receiving_second.toml).
MOMENT = dt.datetime(2027, 6, 2, 3, 0, tzinfo=dt.UTC)


def _replica(
    store: SQLiteStore, catalogs: Catalogs, profile: MigrationProfile, since: int
) -> Engine:
    """A replica serving `profile`, taken up at `since` (its process's start)."""
    variants = catalogs.with_variants(profile.text_variants)
    return Engine(store, profile, variants, fixed_clock(MOMENT), profile_since=since)


class _Conversation:
    """One conversation on a web-chat-like channel, its turns sent to either replica."""

    def __init__(self, store: SQLiteStore, key: str) -> None:
        self._store, self._key = store, key
        self._events = iter(range(100))

    async def turn(self, engine: Engine, text: str | None = None, choice: str | None = None) -> str:
        record = await self._store.load(record_key("test", self._key))
        inbound = Inbound("test", self._key, f"e{next(self._events)}", text=text, choice=choice)
        outcome = await engine.handle(inbound, question=record.question if record else None)
        return "\n".join(reply_as_plain_text(reply) for reply in outcome.replies)


async def test_replicas_of_two_profiles_say_the_change_once(
    store: SQLiteStore, catalogs: Catalogs
) -> None:
    first = load_profile(PROFILES / "mozu_sending_first.toml")
    second = load_profile(PROFILES / "mozu_receiving_second.toml")
    old = _replica(store, catalogs, first, 1_000)
    new = _replica(store, catalogs, second, 2_000)
    moved = catalogs("ja", "resume.verdict_moved")
    turn = _Conversation(store, "c1").turn

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


SEED: Final = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"
_Q3: Final = "[questionnaire.questions.q3_uses_our_smtp]"


def _without_q3(folder: Path) -> Path:
    """The seed's profile with Q3 taken out: Q2's yes and unsure go to Q4."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index(_Q3)
    text = text[:start] + text[text.index("[questionnaire.questions.q4_op25b]") :]
    start = text.index("[questionnaire.leaves.sending_not_needed]")
    text = text[:start] + text[text.index("[questionnaire.leaves", start + 1) :]
    text = text.replace('yes = "q3_uses_our_smtp"', 'yes = "q4_op25b"')
    text = text.replace('unsure = "q3_uses_our_smtp"', 'unsure = "q4_op25b"')
    path = folder / "without_q3.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("typed", "choice"), [("いいえ", None), (None, "no"), ("はい", None)])
async def test_an_answer_to_a_question_the_new_profile_took_out_answers_nothing_else(
    store: SQLiteStore,
    catalogs: Catalogs,
    tmp_path: Path,
    typed: str | None,
    choice: str | None,
) -> None:
    # Q3 on screen from a replica of the old profile; the next message reaches one of the new.
    # 「いいえ」 was read at the new profile's first question (the stage it did not have
    # started over there): "no mail program", 「設定の変更は必要ありません」 to a subscriber
    # who must change the receiving settings.
    seed = load_profile(SEED)
    changed = load_profile(_without_q3(tmp_path))
    old = _replica(store, catalogs, seed, 1_000)
    new = _replica(store, catalogs, changed, 2_000)
    turn = _Conversation(store, "c2").turn

    await turn(old, "こんにちは")
    await turn(old, choice="yes")
    assert "のメールサーバーを設定して、メールを送信していますか？" in await turn(old, choice="yes")

    said = await turn(new, typed, choice)

    assert catalogs("ja", "resume.question_gone") in said
    assert catalogs("ja", "q4.question") in said, said
    record = await store.load(record_key("test", "c2"))
    assert record is not None
    assert record.dialog.answers == {"q1_mail_program": "yes", "q2_other_network": "yes"}
    assert record.dialog.receiving is None
    # The question asked now is answered as any.
    await turn(new, choice="yes")
    record = await store.load(record_key("test", "c2"))
    assert record is not None
    assert record.dialog.receiving is Receiving.REQUIRED


async def test_the_last_question_taken_out_gives_the_verdict_its_answers_reach(
    store: SQLiteStore, catalogs: Catalogs, tmp_path: Path
) -> None:
    # Q4 on screen; the new profile sends Q3's yes straight to "sending required".
    text = SEED.read_text(encoding="utf-8")
    start = text.index("[questionnaire.questions.q4_op25b]")
    text = text[:start] + text[text.index("[questionnaire.leaves", start) :]
    for leaf in ("pop_before_smtp_recommended", "sending_required_unsure"):
        start = text.index(f"[questionnaire.leaves.{leaf}]")
        end = text.find("\n[", start)
        text = text[:start] + (text[end + 1 :] if end >= 0 else "")
    text = text.replace(
        'answers = { yes = "q4_op25b", no = "sending_not_needed", unsure = "q4_op25b" }',
        'answers = { yes = "sending_required", no = "sending_not_needed",'
        ' unsure = "sending_required" }',
    )
    (tmp_path / "without_q4.toml").write_text(text, encoding="utf-8")
    seed, changed = load_profile(SEED), load_profile(tmp_path / "without_q4.toml")
    old = Engine(store, seed, catalogs.with_variants(seed.text_variants), fixed_clock(MOMENT))
    new = Engine(
        store, changed, catalogs.with_variants(changed.text_variants), fixed_clock(MOMENT),
        profile_since=2_000,
    )  # fmt: skip
    for n, choice in enumerate((None, "yes", "yes", "yes")):
        text_in = "こんにちは" if choice is None else None
        record = await store.load(record_key("test", "c3"))
        await old.handle(
            Inbound("test", "c3", f"e{n}", text=text_in, choice=choice),
            question=record.question if record else None,
        )
    record = await store.load(record_key("test", "c3"))
    assert record is not None
    assert record.dialog.stage.value == "q4_op25b"

    outcome = await new.handle(Inbound("test", "c3", "e9", text="いいえ"), question=record.question)

    said = "\n".join(reply_as_plain_text(reply) for reply in outcome.replies)
    assert catalogs("ja", "resume.question_gone") in said
    record = await store.load(record_key("test", "c3"))
    assert record is not None
    assert record.dialog.answers == {
        "q1_mail_program": "yes",
        "q2_other_network": "yes",
        "q3_uses_our_smtp": "yes",
    }
    assert record.dialog.receiving is Receiving.REQUIRED
    assert record.dialog.sending is not None
    assert record.dialog.sending.value == "required"


async def test_a_new_server_corrected_in_the_profile_sends_the_card_again(
    store: SQLiteStore, catalogs: Catalogs, tmp_path: Path
) -> None:
    # The card from a replica of the old profile named vpop.117.ne.jp; the new profile
    # corrects the receiving server. The same verdict, so nothing was said, and the
    # subscriber kept a card naming a server the provider no longer gives.
    text = SEED.read_text(encoding="utf-8")
    assert text.count('new_host = "vpop.117.ne.jp"') == 1
    path = tmp_path / "corrected.toml"
    path.write_text(text.replace('new_host = "vpop.117.ne.jp"', 'new_host = "pop.117.ne.jp"'))
    seed, corrected = load_profile(SEED), load_profile(path)
    old = _replica(store, catalogs, seed, 1_000)
    new = _replica(store, catalogs, corrected, 2_000)
    turn = _Conversation(store, "c4").turn

    await turn(old, "こんにちは")
    for choice in ("yes", "no"):
        await turn(old, choice=choice)
    await turn(old, "taro@vp.117.ne.jp")
    assert "vpop.117.ne.jp" in await turn(old, choice="program:thunderbird") + await turn(
        old, choice="yes"
    )

    said = await turn(new, "ありがとうございます")

    assert catalogs("ja", "resume.verdict_moved") in said, said
    assert "pop.117.ne.jp" in said.replace("vpop.117.ne.jp", "")
    assert "vpop.117.ne.jp" not in said
    # Told once: the next message is answered as any.
    assert catalogs("ja", "resume.verdict_moved") not in await turn(new, "ありがとうございます")
