"""An album's caption asking for a person is held to the sender's handoff limit too.

One Telegram sender past MAILMOVE_SENDER_HANDOFF_LIMIT is told where to call when they type
「担当者と話したい」. Last session's note said the same words as the caption of an album of
screenshots skipped the limit; on this code they do not (the caption's item is stored through
the same turn as typed words, counted and limited), in either order of its items, and a
handoff asked in a caption counts towards the limit. Kept as guards.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.store.conversation_store import Owner
from tests.adapters.channel_contract import Harness, SignedRequest
from tests.adapters.telegram import test_channel
from tests.adapters.telegram.test_channel import album_item
from tests.fakes.platform_api import running_fake

ASK = "担当者と話したい"
SUITE = test_channel.TestTelegramChannel()


async def _ask(harness: Harness, requests: Sequence[SignedRequest]) -> None:
    """Post `requests` and wait until the bot has answered them."""
    before = len(SUITE.delivered(harness.fake))

    def answered() -> bool:
        return len(SUITE.delivered(harness.fake)) > before

    for request in requests:
        assert (await harness.post(request)).status_code == 200
    await harness.fake.wait_for(answered)
    await harness.runtime.tasks.idle()


async def _handed_off_and_back(harness: Harness, requests: Sequence[SignedRequest]) -> None:
    await _ask(harness, requests)
    record = await SUITE.record(harness)
    assert record is not None
    assert record.owner is Owner.AGENT
    back = await SUITE.agent_api(harness, "handback", agent="佐藤")
    assert back.status_code == 200, back.text
    await harness.runtime.tasks.idle()


@pytest.mark.parametrize("order", ["wc", "cw"])
async def test_an_albums_caption_past_the_limit_is_told_and_no_desk_hears(
    tmp_path: Path, order: str
) -> None:
    async with running_fake() as fake:
        settings = SUITE.settings(fake.url).model_copy(update={"sender_handoff_limit": 2})
        async with SUITE.running(fake, tmp_path, settings) as harness:
            for n in range(2):
                await _handed_off_and_back(harness, [SUITE.text_request(ASK, n + 1)])
            before = len(SUITE.delivered(harness.fake))
            album = [
                album_item(10 + n, ASK if kind == "c" else None) for n, kind in enumerate(order)
            ]
            await _ask(harness, album)
            said = "\n".join(d.text for d in SUITE.delivered(harness.fake)[before:])
            contact = harness.runtime.engine.profile.support.contact_ja
            assert harness.runtime.catalogs("ja", "handoff.held_sender", contact=contact) in said
            record = await SUITE.record(harness)
            assert record is not None
            assert record.owner is Owner.BOT


async def test_handoffs_asked_in_album_captions_count_towards_the_limit(tmp_path: Path) -> None:
    async with running_fake() as fake:
        settings = SUITE.settings(fake.url).model_copy(update={"sender_handoff_limit": 2})
        async with SUITE.running(fake, tmp_path, settings) as harness:
            for n in range(2):
                await _handed_off_and_back(
                    harness, [album_item(10 * n + 10), album_item(10 * n + 11, ASK)]
                )
            await _ask(harness, [SUITE.text_request(ASK, 99)])
            record = await SUITE.record(harness)
            assert record is not None
            assert record.owner is Owner.BOT
