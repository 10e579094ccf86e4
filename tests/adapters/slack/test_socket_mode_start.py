"""Slack's start (the channel and the agents' desk): a refused token is one line; a Slack that
does not answer is waited for.

The SDK asked for the connection's URL again every 10 s for ever, with a traceback each
time, inside start-up: a refused SLACK_APP_TOKEN never let the server serve ("Serving" never
came), and SIGTERM was not heard (only SIGKILL ended the process).
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
from tests.adapters.slack.test_channel import envelope, message_event
from tests.fakes.nonsense_api import ANSWERS, nonsense_api
from tests.fakes.platform_api import FakePlatformAPI, running_fake

APP_TOKEN: Final = "xapp-1-A0MAILMOVE-1111-socket"
BOT_TOKEN: Final = "xoxb-1111-2222-mailmove"


def _app(fake: FakePlatformAPI, tmp_path: Path, *, socket_mode: bool = True) -> Starlette:
    environ = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": f"{fake.url}/slack/api/",
        **(
            {"SLACK_APP_TOKEN": APP_TOKEN}
            if socket_mode
            else {"SLACK_SIGNING_SECRET": "Xk3j9Qp2Lm7Rt5VwZZ"}
        ),
    }
    return build_app(
        Settings(environ=environ),
        clock=fixed_clock(),
        store=SQLiteStore(tmp_path / "s.sqlite3"),
        exclude_channels=all_but("slack"),
    )


async def test_an_app_token_slack_refuses_stops_start_up_in_one_line(tmp_path: Path) -> None:
    async with running_fake() as fake:
        fake.slack_refused_tokens.add(APP_TOKEN)
        app = _app(fake, tmp_path)
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
        asked = fake.calls_to("slack", "apps.connections.open", status=None)
    assert str(refused.value) == (
        "SLACK_APP_TOKEN was refused by Slack (invalid_auth): give the app-level token"
        " (xapp-…) of this app, with the connections:write scope"
    )
    assert len(asked) == 1


async def test_a_slack_that_does_not_answer_at_start_is_connected_to_later(
    tmp_path: Path,
) -> None:
    async with running_fake() as fake:
        fake.fail("slack", "apps.connections.open", status=503)
        app = _app(fake, tmp_path)
        async with app.router.lifespan_context(app):  # the server serves meanwhile
            sent = envelope(
                "0d7c4ad5-3c1b-4d2e-9d9b-1f1e8ad0c2a1", message_event("message_im", "こんにちは", 1)
            )
            await fake.send_slack_envelope(sent)
            await fake.wait_for(lambda: bool(fake.slack_socket_acks))
        assert fake.slack_socket_acks[0]["envelope_id"] == sent["envelope_id"]
        statuses = [c.status for c in fake.calls_to("slack", "apps.connections.open", status=None)]
    assert statuses == [503, 200]


async def test_the_server_serves_and_stops_while_slack_does_not_answer(tmp_path: Path) -> None:
    # Before, start-up waited in the SDK's 10 s retries until Slack answered: nothing was
    # served meanwhile, and a stop (SIGTERM) was not heard.
    async with running_fake() as fake:
        fake.fail("slack", "apps.connections.open", times=2, status=503)
        app = _app(fake, tmp_path)
        async with app.router.lifespan_context(app):
            assert not fake.calls_to("slack", "apps.connections.open")  # none answered yet
        statuses = [c.status for c in fake.calls_to("slack", "apps.connections.open", status=None)]
    # The connection in the background stopped with the server, before Slack answered.
    assert statuses[0] == 503
    assert 200 not in statuses


@pytest.mark.parametrize("socket_mode", [False, True])
async def test_a_bot_token_slack_refuses_stops_start_up_in_one_line(
    tmp_path: Path, socket_mode: bool
) -> None:
    # Bolt's first event asked auth.test, logged "Failed to authorize with the given token"
    # and answered Slack 200: every subscriber's message was acknowledged and lost.
    async with running_fake() as fake:
        fake.slack_refused_tokens.add(BOT_TOKEN)
        app = _app(fake, tmp_path, socket_mode=socket_mode)
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
        asked = fake.calls_to("slack", "apps.connections.open", status=None)
    assert str(refused.value) == (
        "SLACK_BOT_TOKEN was refused by Slack (invalid_auth): give the bot token (xoxb-…) of"
        " this app, installed in the workspace"
    )
    assert asked == []


async def test_a_slack_that_does_not_answer_auth_test_at_start_is_said_and_serving_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_fake() as fake:
        fake.fail("slack", "auth.test", status=503)
        app = _app(fake, tmp_path, socket_mode=False)
        with caplog.at_level(logging.WARNING, logger="adapters.slack"):
            async with app.router.lifespan_context(app):
                pass
    said = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.slack")]
    assert len(said) == 1
    assert said[0].startswith("Could not check SLACK_BOT_TOKEN: Slack answered")


@pytest.mark.parametrize("own_app", [False, True])
async def test_the_agents_desks_token_slack_refuses_stops_start_up(
    tmp_path: Path, own_app: bool
) -> None:
    # The server started, and every handoff's notice then failed: each desk "not told",
    # each subscriber given the support contact instead of an agent.
    desk_token = "xoxb-3333-4444-desk" if own_app else BOT_TOKEN
    async with running_fake() as fake:
        fake.slack_refused_tokens.add(desk_token)
        environ = {
            "SLACK_AGENTS_CHANNEL": "C0AGENTS1",
            "SLACK_API_URL": f"{fake.url}/slack/api/",
            **(
                {
                    "SLACK_AGENTS_BOT_TOKEN": desk_token,
                    "SLACK_AGENTS_SIGNING_SECRET": "Xk3j9Qp2Lm7Rt",
                }
                if own_app
                else {"SLACK_BOT_TOKEN": desk_token, "SLACK_SIGNING_SECRET": "Xk3j9Qp2Lm7Rt"}
            ),
        }
        app = build_app(
            Settings(environ=environ),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "s.sqlite3"),
            exclude_channels=all_but("slack_desk"),
        )
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
    variable = "SLACK_AGENTS_BOT_TOKEN" if own_app else "SLACK_BOT_TOKEN"
    assert str(refused.value) == (
        f"{variable} was refused by Slack (invalid_auth): give the bot token (xoxb-…) of"
        " this app, installed in the workspace"
    )


async def test_a_slack_that_never_answers_auth_test_holds_start_up_only_the_check_s_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The SDK's own deadline (30 s, then its retries) held start-up, and a pod's probes,
    # when Slack's address went unanswered.
    monkeypatch.setattr("adapters.slack.channel.START_CHECK_SECONDS", 0.05)
    with silent_listener() as port:
        environ = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": "Xk3j9Qp2Lm7Rt5VwZZ",
            "SLACK_API_URL": f"http://127.0.0.1:{port}/slack/api/",
        }
        app = build_app(
            Settings(environ=environ),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "s.sqlite3"),
            exclude_channels=all_but("slack"),
        )
        with caplog.at_level(logging.WARNING, logger="adapters.slack"):
            async with app.router.lifespan_context(app):
                pass
    said = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.slack")]
    assert said == ["Could not check SLACK_BOT_TOKEN: Slack unreachable: TimeoutError"]


@pytest.mark.parametrize("kind", sorted(ANSWERS))
async def test_an_api_that_answers_auth_test_with_no_slack_answer_stops_start_up(
    tmp_path: Path, kind: str
) -> None:
    # A wrong SLACK_API_URL or a proxy's page: its HTML or '{}' was warned and serving went
    # on; 'ok' (not JSON) ended start-up in a traceback.
    with nonsense_api() as url:
        environ = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": "Xk3j9Qp2Lm7Rt5VwZZ",
            "SLACK_API_URL": f"{url}/{kind}/api/",
        }
        app = build_app(
            Settings(environ=environ),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "s.sqlite3"),
            exclude_channels=all_but("slack"),
        )
        with pytest.raises(ConfigError) as refused:
            async with app.router.lifespan_context(app):
                pass
    said = str(refused.value)
    assert said.startswith(f"SLACK_API_URL: {url}/{kind}/api/ answered auth.test 200 with no")
    assert "\n" not in said
    assert BOT_TOKEN not in said
