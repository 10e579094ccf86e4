"""Who holds a conversation for the desk, read from its lines: a message left waits too."""

from __future__ import annotations

import datetime as dt

from bot.desk.ownership import DeskRequest, Holder, desk_request, holder_of
from bot.desk.summary import MESSAGE_LEFT
from bot.engine import DESK_MESSAGE_LINE
from bot.store.conversation_store import Author, ConversationRecord, Owner, TranscriptEntry
from dialogs.state import DialogState

NOON = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
OFFER = {"type": "choices", "choices": [{"id": "desk_message"}, {"id": "resume"}]}


def record(owner: Owner = Owner.BOT) -> ConversationRecord:
    return ConversationRecord("webchat:c1", "webchat", owner, DialogState(), NOON, NOON)


def line(minute: int, author: Author, text: str, reply: object = None) -> TranscriptEntry:
    at = NOON + dt.timedelta(minutes=minute)
    return TranscriptEntry(at, author, text, reply if isinstance(reply, dict) else None)


def message(start: int, *words: str) -> list[TranscriptEntry]:
    """The offer, the press, the bot asking, the words, and the engine's mark."""
    lines = [
        line(start, "bot", "伝言を残しますか", OFFER),
        line(start, "subscriber", "[desk_message]"),
        line(start, "bot", "ご用件をお書きください"),
    ]
    lines += [line(start + 1, "subscriber", w) for w in words]
    return [
        *lines,
        line(start + 1, "system", DESK_MESSAGE_LINE),
        line(start + 1, "bot", "承りました"),
    ]


def test_a_message_left_waits_in_the_queue_for_the_desk_only() -> None:
    lines = message(0, "送信できません", "03-1234-5678 にお願いします")
    assert desk_request(record(), lines) == DeskRequest(
        MESSAGE_LEFT,
        NOON + dt.timedelta(minutes=1),
        "送信できません\n03-1234-5678 にお願いします",
        "03-1234-5678",
    )
    assert holder_of(record(), lines, left_messages=True) == (Holder.QUEUE, "")
    # The subscriber's client is told who answers them: the bot.
    assert holder_of(record(), lines) == (Holder.BOT, "")


def test_the_latest_message_is_the_one_that_waits() -> None:
    lines = [*message(0, "a@example.com"), *message(5, "090-1234-5678 まで")]
    waiting = desk_request(record(), lines)
    assert waiting is not None
    assert (waiting.message, waiting.callback) == ("090-1234-5678 まで", "090-1234-5678")


def test_without_the_offer_in_the_lines_the_callback_line_is_kept() -> None:
    lines = [line(0, "subscriber", "前置き"), line(0, "subscriber", "03-1234-5678")]
    lines.append(line(0, "system", DESK_MESSAGE_LINE))
    waiting = desk_request(record(), lines)
    assert waiting is not None
    assert waiting.message == "03-1234-5678"


def test_a_message_no_longer_waits_once_a_person_dealt_with_it() -> None:
    left = message(0, "03-1234-5678")
    for after in ("taken over by 佐藤", "handback: agent=佐藤", "closed by 佐藤", "handoff: asked"):
        lines = [*left, line(9, "system", after)]
        assert desk_request(record(), lines) is None
        assert holder_of(record(), lines, left_messages=True) == (Holder.BOT, "")
    assert desk_request(record(Owner.CLOSED), left) is None
    assert desk_request(record(), [line(0, "subscriber", "はい")]) is None


def test_a_person_s_conversation_says_its_latest_request() -> None:
    handed = [line(0, "system", "handoff: not_understood")]
    waiting = desk_request(record(Owner.AGENT), handed)
    assert waiting == DeskRequest("not_understood", NOON)
    taken = [*message(0, "03-1234-5678"), line(3, "system", "taken over by 佐藤")]
    waiting = desk_request(record(Owner.AGENT), taken)
    assert waiting is not None
    assert (waiting.reason, waiting.callback) == (MESSAGE_LEFT, "03-1234-5678")
