"""CHATWOOT_API_TOKEN must be the agent bot's: a user's token is refused at start-up.

With a user's access token, the bot's own messages are sent as that user's, and Chatwoot
reads them as an agent's: every question the bot asked would take the conversation from
the bot (and open it), and a handoff would be that agent's. Chatwoot's API tells the two
apart: `GET /api/v1/profile` answers a user's token with the user, and an agent bot's with
401 "Access to this endpoint is not authorized for bots" (chatwoot/chatwoot,
app/controllers/concerns/access_token_auth_helper.rb, validate_bot_access_token!).
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from adapters.chatwoot.channel import ChatwootChannel, create_channel
from bot.ops.settings import ConfigError, Settings
from bot.runtime import build_runtime
from tests.fakes.chatwoot_api import (
    ACCOUNT,
    API_TOKEN,
    DESK_IDENTIFIER,
    USER_TOKEN,
    running_chatwoot,
)
from tests.fakes.nonsense_api import ANSWERS, nonsense_api


def channel_for(
    tmp_path: Path, url: str, token: str, desk: dict[str, str] | None = None
) -> ChatwootChannel:
    environ = {
        "CHATWOOT_URL": url,
        "CHATWOOT_API_TOKEN": token,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": "cw-hook-Xk3_9fQ-2LmPz8Rt",
    } | (desk or {})
    settings = Settings(environ=environ, store_url=f"sqlite:///{tmp_path}/s.sqlite3")
    channel = create_channel(build_runtime(settings))
    assert channel is not None
    return channel


async def test_a_users_token_is_refused_at_start_up_in_one_line(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, USER_TOKEN)
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    said = str(refused.value)
    assert "\n" not in said
    assert "CHATWOOT_API_TOKEN" in said
    assert "agent bot" in said
    assert USER_TOKEN not in said


async def test_the_agent_bots_token_starts(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN)
        await channel.start()
        await channel.stop()
        asked = fake.calls_to("chatwoot", "profile", status=None)
        assert [call.status for call in asked] == [401]


async def test_a_token_chatwoot_does_not_know_is_refused_at_start_up_in_one_line(
    tmp_path: Path,
) -> None:
    # It started with "Could not check that CHATWOOT_API_TOKEN is the agent bot's: Chatwoot
    # answered 401 to /api/v1/profile", and every reply, handoff and mirror then got 401.
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, "not-a-token-chatwoot-knows")
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    assert str(refused.value) == (
        "CHATWOOT_API_TOKEN was refused by Chatwoot (401, Invalid Access Token): set the agent"
        " bot's token (Settings → Bots → the bot → Access Token)"
    )


async def test_a_chatwoot_not_reachable_at_start_up_is_only_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    channel = channel_for(tmp_path, f"http://127.0.0.1:{port}", API_TOKEN)
    with caplog.at_level(logging.WARNING):
        await channel.start()  # Chatwoot restarting must not keep the bot down
    await channel.stop()
    assert any("CHATWOOT_API_TOKEN" in r.getMessage() for r in caplog.records)


def desk(user_token: str = "", identifier: str = DESK_IDENTIFIER) -> dict[str, str]:
    return {
        "CHATWOOT_DESK_INBOX_ID": "9",
        "CHATWOOT_DESK_INBOX_IDENTIFIER": identifier,
    } | ({"CHATWOOT_DESK_USER_TOKEN": user_token} if user_token else {})


async def test_an_agent_bots_token_as_the_desk_user_token_is_refused(tmp_path: Path) -> None:
    # It could delete nothing: messages#destroy is outside BOT_ACCESSIBLE_ENDPOINTS, and the
    # withdrawals it was set for would stay in Chatwoot without a word.
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk(API_TOKEN))
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    said = str(refused.value)
    assert "\n" not in said
    assert said.startswith("CHATWOOT_DESK_USER_TOKEN is an agent bot's access token")
    assert API_TOKEN not in said


async def test_a_desk_user_token_chatwoot_does_not_know_is_refused(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk("not-a-token-chatwoot-knows"))
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    assert str(refused.value).startswith(
        "CHATWOOT_DESK_USER_TOKEN was refused by Chatwoot (401, Invalid Access Token)"
    )


async def test_a_users_token_as_the_desk_user_token_starts(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk(USER_TOKEN))
        await channel.start()
        await channel.stop()
        asked = fake.calls_to("chatwoot", "profile", status=None)
        assert [call.status for call in asked] == [401, 200]


async def test_a_desk_inbox_identifier_chatwoot_does_not_know_is_refused(tmp_path: Path) -> None:
    # Every handoff of another channel would fail to open its mirror (a 404 per contact).
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk(identifier="nOtThEiNbOx42"))
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    said = str(refused.value)
    assert "\n" not in said
    assert said.startswith("CHATWOOT_DESK_INBOX_IDENTIFIER: Chatwoot knows no API inbox")


async def test_a_desk_inbox_that_enforces_identity_validation_is_refused(tmp_path: Path) -> None:
    # Its public API creates no contact without an HMAC of an identifier the bot does not send.
    async with running_chatwoot() as fake:
        fake.identity_validation = True
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk())
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    assert "identity validation" in str(refused.value)


async def test_a_known_desk_inbox_starts(tmp_path: Path) -> None:
    async with running_chatwoot() as fake:
        channel = channel_for(tmp_path, fake.url, API_TOKEN, desk())
        await channel.start()
        await channel.stop()
        asked = fake.calls_to("chatwoot", "public_inbox", status=None)
        assert [call.status for call in asked] == [200]


@pytest.mark.parametrize("kind", sorted(ANSWERS))
async def test_a_url_that_answers_with_no_chatwoot_profile_is_refused_naming_it(
    tmp_path: Path, kind: str
) -> None:
    # A wrong CHATWOOT_URL or a proxy's page answered 200: warned as if Chatwoot could not
    # say, and serving went on with every reply and handoff failing after.
    with nonsense_api() as url:
        channel = channel_for(tmp_path, f"{url}/{kind}", API_TOKEN)
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        await channel.stop()
    said = str(refused.value)
    assert said.startswith(f"CHATWOOT_URL: {url}/{kind}/api/v1/profile answered 200 (")
    assert "\n" not in said
    assert API_TOKEN not in said
