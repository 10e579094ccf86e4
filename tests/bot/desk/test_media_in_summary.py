"""The handoff summary says a photo or voice message was sent (subscriber12).

A photo of the screen was left out of the subscriber's latest words (a `[…]` line, as a
pressed button is): the agent read 「エラーが出ます」 alone and never learnt a picture came.
"""

from __future__ import annotations

import pytest

from bot.desk.summary import HandoffSummary, latest_words
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import TranscriptEntry
from dialogs.vocabulary import Locale
from testbed.clock import IN_WINDOW


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_photo_sent_is_in_the_latest_words_in_the_desks_words(
    catalogs: Catalogs, locale: Locale
) -> None:
    lines = [
        TranscriptEntry(IN_WINDOW, "subscriber", "エラーが出ます"),
        TranscriptEntry(IN_WINDOW, "subscriber", "[media]"),
        TranscriptEntry(IN_WINDOW, "subscriber", "[human]"),
    ]
    said = latest_words(lines)
    assert said == ("エラーが出ます", "[media]")
    summary = HandoffSummary(
        key="line:U1",
        channel="line",
        conversation_id="U1",
        sender="",
        locale="ja",
        reason="",
        address="",
        program="",
        answers={},
        receiving="",
        sending="",
        stage="",
        last_check="",
        transcript_url="",
        said=said,
    )
    text = summary.as_text(catalogs, locale)
    assert catalogs(locale, "summary.media_sent") in text
    assert "[media]" not in text
