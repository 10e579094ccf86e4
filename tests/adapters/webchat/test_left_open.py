"""A chat page left open on the phone for a day, then used again.

Each message shows its time, with the date when it was not said today. The times were
worked out once, as each message was drawn: a page left open overnight showed the
subscriber's messages of the day before as 「17:44」, the same as the one just sent.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.adapters.webchat.chat_page import PHONE, NewPage, answer
from tests.adapters.webchat.test_screen_reader import _HEARD, _heard

TIME_ONLY = re.compile(r"^\d{2}:\d{2}$")
WITH_DATE = re.compile(r"^\d{1,2}/\d{1,2} \d{2}:\d{2}$")


def test_yesterdays_messages_say_their_date_once_the_day_has_changed(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, fake_clock=True, init_script=_HEARD)
    answer(page, "はい")
    said = page.locator(".turn--user time")
    expect(said).to_have_text([TIME_ONLY])
    page.clock.fast_forward("24:00:00")
    _heard(page)
    answer(page, "はい")
    expect(said).to_have_text([WITH_DATE, TIME_ONLY])
    # The date put on an old line is not news: only the new lines are read out.
    heard = _heard(page)
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard


def test_yesterdays_times_get_their_date_when_the_page_is_shown_again(new_page: NewPage) -> None:
    """The phone locked overnight and unlocked in the morning: the page is shown again, and
    nothing new need arrive for yesterday's times to say so."""
    page = new_page(viewport=PHONE, fake_clock=True)
    answer(page, "はい")
    said = page.locator(".turn--user time")
    expect(said).to_have_text([TIME_ONLY])
    page.clock.fast_forward("24:00:00")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(said).to_have_text([WITH_DATE])
