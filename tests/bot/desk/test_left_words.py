"""The words of a message left for the desk, as the summary reads them from the transcript."""

from __future__ import annotations

import datetime as dt

from adapters.slack.channel import dm_place_line
from bot.desk.summary import latest_left_message
from bot.engine import DESK_MESSAGE_LINE
from bot.store.conversation_store import TranscriptEntry
from dialogs.desk_message import LEAVE_MESSAGE

AT = dt.datetime(2008, 6, 1, 10, 0, tzinfo=dt.UTC)


def line(author: str, text: str, reply: dict[str, object] | None = None) -> TranscriptEntry:
    return TranscriptEntry(AT, author, text, reply)  # type: ignore[arg-type]


OFFER = line(
    "bot", "伝言を残しますか？", {"choices": [{"id": LEAVE_MESSAGE, "label": "伝言を残す"}]}
)


def test_a_message_left_in_parts_across_the_slack_dms_places_is_whole() -> None:
    # The Slack channel notes where in the DM the subscriber writes when it changes
    # (`slack dm: thread <ts>` / `slack dm: top`): the summary's scan stopped at that system
    # line, and the desk read only the last part of the message.
    transcript = [
        OFFER,
        line("subscriber", "伝言を残す"),
        line("bot", "ご用件をどうぞ。"),
        line("subscriber", "新しいサーバーで受信できません"),
        line("system", dm_place_line("1212345678.000100")),
        line("subscriber", "Outlook 2007 を使っています"),
        line("system", dm_place_line(None)),
        line("subscriber", "折り返しは 090-1234-5678 へお願いします"),
        line("system", DESK_MESSAGE_LINE),
    ]
    words, callback = latest_left_message(transcript)
    assert words.split("\n") == [
        "新しいサーバーで受信できません",
        "Outlook 2007 を使っています",
        "折り返しは 090-1234-5678 へお願いします",
    ]
    assert callback == "090-1234-5678"


def test_the_message_still_begins_after_an_earlier_message_left() -> None:
    # Other system lines still end the scan: the words of an earlier message are not these.
    transcript = [
        line("subscriber", "前の伝言です"),
        line("system", DESK_MESSAGE_LINE),
        line("subscriber", "090-1234-5678 にお願いします"),
        line("system", DESK_MESSAGE_LINE),
    ]
    assert latest_left_message(transcript)[0] == "090-1234-5678 にお願いします"


def test_a_request_with_its_number_after_a_declined_offer_is_the_message_alone() -> None:
    # 「送れません。折り返し電話ください 090-…」 is taken as the message at once, with no offer
    # before it. An offer declined earlier is no start of it: the desk read every line
    # since that offer as the message.
    transcript = [
        OFFER,
        line("subscriber", "[resume]"),
        line("bot", "メールソフトをお使いですか？"),
        line("subscriber", "[yes]"),
        line("subscriber", "Outlookです"),
        line("subscriber", "メールが送れません。折り返し電話ください 090-1234-5678"),
        line("system", DESK_MESSAGE_LINE),
    ]
    words, callback = latest_left_message(transcript)
    assert words == "メールが送れません。折り返し電話ください 090-1234-5678"
    assert callback == "090-1234-5678"
