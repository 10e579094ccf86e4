"""A 👍 sticker is read as 👍 typed, on Telegram (its emoji) and LINE (its keywords).

It was answered as a picture: 「画像や音声…は読み取れません。エラーの文章を…」. At a yes/no
question 👍 typed is a yes said back (so it can be undone); elsewhere it is acknowledged.
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.line import events as line
from adapters.telegram import events as telegram
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import STICKER_CHOICE, ChoicesReply, TextReply
from tests.adapters.line.test_events import event
from tests.adapters.telegram.test_events import BOT_ID, update
from tests.dialogs.driver import Driver


def _sticker(emoji: str) -> dict[str, Any]:
    return {
        "file_id": "CAACAgIAAxkBAAEBQk1lX2Xk3vWbH5Pq",
        "file_unique_id": "AgADWQADzYYJAg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }


@pytest.mark.parametrize(
    ("emoji", "read"), [("👍", "👍"), ("👍🏽", "👍"), ("👌", "👌"), ("👎", "👎")]
)
def test_a_telegram_sticker_of_a_sign_is_the_sign_typed(emoji: str, read: str) -> None:
    turn = telegram.turn_from_update(update("sticker", sticker=_sticker(emoji)), BOT_ID)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (None, read)


def test_another_telegram_sticker_is_a_sticker_not_a_picture() -> None:
    # A 😺 or 🙏 sticker is a greeting or thanks, never a screenshot of an error.
    turn = telegram.turn_from_update(update("sticker", sticker=_sticker("😺")), BOT_ID)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (STICKER_CHOICE, None)


def _line_sticker(keywords: list[str]) -> Any:
    message = {
        "type": "sticker",
        "id": "1501597916",
        "quoteToken": "q3Plxr4AgKd",
        "stickerId": "52002738",
        "packageId": "11537",
        "stickerResourceType": "STATIC",
        "keywords": keywords,
    }
    return event("message_sticker", message=message)


@pytest.mark.parametrize(
    ("keywords", "read"),
    [
        (["Brown", "Thumbs up", "Nice"], "👍"),
        (["cony", "OK"], "👍"),
        (["sally", "thumbs down"], "👎"),
    ],
)
def test_a_line_sticker_whose_keywords_say_a_sign_is_the_sign_typed(
    keywords: list[str], read: str
) -> None:
    turn = line.turn_from_event(_line_sticker(keywords))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (None, read)


@pytest.mark.parametrize(
    "keywords", [["cony", "sally", "Staring", "hi", "whatsup"], [], ["OK", "NG"]]
)
def test_another_line_sticker_is_a_sticker_not_a_picture(keywords: list[str]) -> None:
    turn = line.turn_from_event(_line_sticker(keywords))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (STICKER_CHOICE, None)


def _said(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def test_a_thumbs_up_sticker_answers_a_question_and_is_acknowledged_elsewhere(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    turn = telegram.turn_from_update(update("sticker"), BOT_ID)
    assert turn is not None
    assert turn.inbound.text is not None
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(turn.inbound.text)
    assert driver.state.answers.get("q1_mail_program") == "yes"
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(turn.inbound.text)
    said = _said(driver)
    assert "読み取れ" not in said
    assert "続けましょう" in said
