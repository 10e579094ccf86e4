"""A channel access token LINE refuses stops start-up in one line naming the variable.

It started the server, and each reply then failed ("LINE push … failed: LINE answered 401")
with LINE_CHANNEL_ACCESS_TOKEN named nowhere.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

import pytest
from starlette.applications import Starlette

from bot.ops.settings import ConfigError, Settings
from bot.server import build_app
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from testbed.mailservers import silent_listener
from tests.adapters.channel_contract import all_but
from tests.fakes.nonsense_api import ANSWERS, nonsense_api
from tests.fakes.platform_api import running_fake

TOKEN: Final = "mailmove-line-access-token"


def _app(api_url: str, tmp_path: Path) -> Starlette:
    environ = {
        "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_URL": api_url,
    }
    return build_app(
        Settings(environ=environ),
        clock=fixed_clock(),
        store=SQLiteStore(tmp_path / "s.sqlite3"),
        exclude_channels=all_but("line"),
    )


async def test_a_refused_access_token_stops_start_up(tmp_path: Path) -> None:
    async with running_fake() as fake:
        fake.line_refused_access_tokens.add(TOKEN)
        app = _app(f"{fake.url}/line", tmp_path)
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
    assert str(refused.value) == (
        "LINE_CHANNEL_ACCESS_TOKEN was refused by LINE (401): issue a channel access token"
        " for this channel (LINE Developers, the Messaging API tab)"
    )


async def test_a_token_line_takes_is_checked_once(tmp_path: Path) -> None:
    async with running_fake() as fake:
        app = _app(f"{fake.url}/line", tmp_path)
        async with app.router.lifespan_context(app):
            (asked,) = [c for c in fake.calls if c.platform == "line" and c.method == "info"]
        assert asked.headers["authorization"] == f"Bearer {TOKEN}"


async def test_a_line_that_does_not_answer_at_start_is_said_and_serving_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    app = _app("http://127.0.0.1:9/line", tmp_path)
    with caplog.at_level(logging.WARNING, logger="adapters.line"):
        async with app.router.lifespan_context(app):
            pass
    said = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.line")]
    assert said == [
        "Could not check LINE_CHANNEL_ACCESS_TOKEN: LINE unreachable: ClientConnectorError"
    ]


async def test_a_line_that_never_answers_holds_start_up_only_the_check_s_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under LINE's SDK, aiohttp's own deadline is 5 minutes: start-up, and a pod's probes,
    # waited that long when LINE's address went unanswered.
    monkeypatch.setattr("adapters.line.channel.START_CHECK_SECONDS", 0.05)
    with silent_listener() as port:
        app = _app(f"http://127.0.0.1:{port}/line", tmp_path)
        with caplog.at_level(logging.WARNING, logger="adapters.line"):
            async with app.router.lifespan_context(app):
                pass
    said = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.line")]
    assert said == ["Could not check LINE_CHANNEL_ACCESS_TOKEN: LINE unreachable: TimeoutError"]


@pytest.mark.parametrize("kind", sorted(ANSWERS))
async def test_an_api_that_answers_no_bot_info_stops_start_up_naming_the_url(
    tmp_path: Path, kind: str
) -> None:
    # A wrong LINE_API_URL, or a proxy's page: start-up ended in the SDK's traceback.
    with nonsense_api() as url:
        app = _app(f"{url}/{kind}", tmp_path)
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
    said = str(refused.value)
    assert said.startswith(f"LINE_API_URL: {url}/{kind} answered GET /v2/bot/info with no bot")
    assert "\n" not in said
    assert TOKEN not in said
