"""Every guide, card and menu, rendered for Slack, Telegram and LINE, within their limits.

The limits are the fake platform API's (`tests.fakes.platform_limits`, from each platform's
documentation): a reply the platform would refuse fails here, for every mail program, in
both languages, without a server.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from adapters.line.render import render_turn
from adapters.rendering import batched
from adapters.slack.render import render as slack_render
from adapters.telegram.render import render as telegram_render
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, Reply
from tests.dialogs.driver import Driver
from tests.fakes.platform_limits import line_refusal, slack_refusal, telegram_message_refusal

QUESTION = "0123456789abcdef"  # a turn's question tag, as the buttons of a reply carry it
PROGRAM_QUESTION = ("yes", "yes", "yes", "yes")


def conversations(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> Iterator[tuple[str, list[Reply]]]:
    """Each mail program's path to its guide, then the menu and the other programs."""
    probe = Driver(profile, catalogs)
    probe.start(locale=locale)
    for answer in PROGRAM_QUESTION:
        probe.press(answer)
    probe.type("taro@vp.117.ne.jp")
    programs = [c for c in probe.offered() if c.startswith("program:")]
    assert len(programs) >= 7
    for program in programs:
        driver = Driver(profile, catalogs)
        driver.start(locale=locale)
        for answer in PROGRAM_QUESTION:
            driver.press(answer)
        driver.type("taro@vp.117.ne.jp")
        driver.press(program)
        driver.press("yes")
        for extra in ("other_program", "menu"):
            if extra in driver.offered():
                driver.press(extra)
        yield program, driver.all_replies()


def _telegram_params(replies: Sequence[Reply]) -> Iterator[dict[str, Any]]:
    for reply in replies:
        for message in telegram_render(reply, question=QUESTION):
            keyboard = [
                [{"text": t, "callback_data": d} for t, d in row] for row in message.keyboard
            ]
            yield {
                "text": message.text,
                "parse_mode": "HTML" if message.html else None,
                "reply_markup": {"inline_keyboard": keyboard},
            }


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_every_guide_is_within_every_platforms_limits(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    for program, replies in conversations(profile, catalogs, locale):
        for reply in replies:
            for message in slack_render(reply, question=QUESTION):
                assert slack_refusal("chat.postMessage", message) == [], (program, reply)
        for params in _telegram_params(replies):
            assert telegram_message_refusal(params) is None, (program, params["text"][:80])
        for batch in batched(render_turn(replies, tag=QUESTION), 5):
            assert line_refusal({"messages": list(batch)}) == [], (program, batch)
