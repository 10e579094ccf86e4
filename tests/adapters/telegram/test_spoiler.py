"""Words a Telegram subscriber hides under a spoiler are masked as a password (attacker11).

「これです ||Zk2mWq9p||」: the password hidden from view, with no password word beside it, was
stored as typed (the SQLite file and its WAL) and shown to agents; Telegram sends the words
in the text and marks them with a `spoiler` entity (offsets in UTF-16 code units). What a
subscriber hides in a support chat is a secret: the adapter hands the hidden words over
(`Inbound.hidden`), and the dialog masks them wherever they stand and warns, as for a
password typed (`tests/bot/test_engine_hidden_words.py`). A message with no spoiler is read
as before.
"""

from __future__ import annotations

from telegram import Update

from adapters.telegram import events as telegram
from dialogs.redaction import MASK, redact
from tests.adapters.channel_contract import load_payload

BOT_ID = "7000000001"


def _update(text: str, entities: list[dict[str, object]]) -> Update:
    data = load_payload("telegram", "message_private")
    data["message"].update(text=text, entities=entities)
    return Update.de_json(data, None)


def test_the_words_under_a_spoiler_are_handed_over_hidden() -> None:
    # 「🔑」 before it is two UTF-16 code units: the offsets count them so.
    turn = telegram.turn_from_update(
        _update("🔑これです Zk2mWq9p", [{"type": "spoiler", "offset": 7, "length": 8}]), BOT_ID
    )
    assert turn is not None
    assert turn.inbound.text == "🔑これです Zk2mWq9p"
    assert turn.inbound.hidden == ("Zk2mWq9p",)
    plain = telegram.turn_from_update(_update("これです", []), BOT_ID)
    assert plain is not None
    assert plain.inbound.hidden == ()


def test_hidden_words_are_masked_wherever_they_stand() -> None:
    assert redact("これです Zk2mWq9p", hidden=("Zk2mWq9p",)) == (f"これです {MASK}", True)
    assert redact("これです Zk2mWq9p") == ("これです Zk2mWq9p", False)
    # Beside a password the patterns mask, one mask for both.
    assert redact("パスワードは Zk2mWq9p です", hidden=("Zk2mWq9p",)) == (
        f"パスワードは {MASK} です",
        True,
    )
