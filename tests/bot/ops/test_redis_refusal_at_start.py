"""A Redis that answers but refuses the URL's login or database stops `serve` in one line.

Redis may be down when a replica starts: it serves, and answers 503 until Redis is back.
But a Redis that answers and refuses (a wrong password, a user it does not know, a database
it does not have) will refuse for ever: the replica served 503 to every request with the
reason only in warnings ("Pending desk notices not read: Redis failed: invalid
username-password pair…"), and a Kubernetes rollout of a wrong password went ahead, pods
running and never ready. Now it is one line naming MAILMOVE_STORE and status 2.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
import redis as sync_redis

from testbed.redis_server import RedisServer, running_redis
from tests.bot.ops.test_startup_summary import free_port

ROOT: Final = Path(__file__).resolve().parents[3]
_PLATFORM_VARIABLES: Final = ("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_")


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


async def serve(store_url: str) -> tuple[int | None, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PLATFORM_VARIABLES)}
    env |= {"MAILMOVE_LOG_FORMAT": "json", "MAILMOVE_STORE": store_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        "--port",
        str(free_port()),
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, raw = await asyncio.wait_for(process.communicate(), timeout=60)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return process.returncode, raw.decode()


@pytest.mark.timeout(90)
async def test_a_wrong_password_is_refused_in_one_line(redis_server: RedisServer) -> None:
    user = f"mailmove{secrets.token_hex(4)}"
    admin = sync_redis.Redis.from_url(redis_server.url)
    admin.acl_setuser(
        user, enabled=True, passwords=["+right-password"], keys=["*"], commands=["+@all"]
    )
    try:
        url = redis_server.url.replace("redis://", f"redis://{user}:wrong-password@")
        status, stderr = await serve(url)
    finally:
        admin.acl_deluser(user)
        admin.close()
    assert status == 2, stderr
    assert stderr.splitlines() == [
        "mailmove: MAILMOVE_STORE: Redis refuses it: invalid username-password pair or user"
        " is disabled."
    ]
    assert "wrong-password" not in stderr


@pytest.mark.timeout(90)
async def test_a_database_redis_does_not_have_is_refused_in_one_line(
    redis_server: RedisServer,
) -> None:
    status, stderr = await serve(redis_server.url.removesuffix("/0") + "/99")
    assert status == 2, stderr
    assert stderr.splitlines() == [
        "mailmove: MAILMOVE_STORE: Redis refuses it: DB index is out of range"
    ]


@pytest.mark.timeout(90)
async def test_a_password_missing_from_the_url_is_said_with_the_fix(
    redis_server: RedisServer,
) -> None:
    # Redis 7 answers redis-py's HELLO with "HELLO must be called with the client already
    # authenticated, otherwise the HELLO AUTH <user> <pass> option can be used…": quoted as
    # it was, the operator read about a command they never typed instead of the password.
    admin = sync_redis.Redis.from_url(redis_server.url)
    admin.config_set("requirepass", "a-password-the-url-lacks")
    try:
        status, stderr = await serve(redis_server.url)
    finally:
        admin.config_set("requirepass", "")
        admin.close()
    assert status == 2, stderr
    assert stderr.splitlines() == [
        "mailmove: MAILMOVE_STORE: Redis refuses it: it asks for a password and the URL gives"
        " none; put it in the URL as redis://:PASSWORD@host:6379/0 (percent-encode /, #, ?"
        " and %)"
    ]


@pytest.mark.timeout(90)
def test_stats_says_a_refused_login_as_serve_does(redis_server: RedisServer) -> None:
    # `mailmove stats --store` on the Redis serve uses, its password left out: it quoted
    # "Redis failed: HELLO must be called with the client already authenticated…".
    admin = sync_redis.Redis.from_url(redis_server.url)
    admin.config_set("requirepass", "a-password-the-url-lacks")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PLATFORM_VARIABLES)}
    try:
        done = subprocess.run(  # noqa: S603 - our own CLI, the test's Redis URL
            [sys.executable, "-m", "bot.cli", "stats", "--store", redis_server.url],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        admin.config_set("requirepass", "")
        admin.close()
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "mailmove: MAILMOVE_STORE: Redis refuses it: it asks for a password and the URL gives"
        " none; put it in the URL as redis://:PASSWORD@host:6379/0 (percent-encode /, #, ?"
        " and %)"
    ]


@pytest.mark.timeout(90)
async def test_a_redis_that_evicts_keys_is_a_note_of_the_start_up_summary(
    redis_server: RedisServer,
) -> None:
    # A managed Redis' default (volatile-lru) or allkeys-lru drops keys when memory is full,
    # and every key mailmove writes has a lifetime: conversations, their locks and handled
    # event ids could vanish mid-migration, where noeviction answers 503 and loses nothing.
    # The README said to run noeviction; nothing told an operator whose Redis did not.
    admin = sync_redis.Redis.from_url(redis_server.url)
    original = str(admin.config_get("maxmemory-policy")["maxmemory-policy"])
    admin.config_set("maxmemory-policy", "allkeys-lru")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PLATFORM_VARIABLES)}
    env |= {"MAILMOVE_LOG_FORMAT": "json", "MAILMOVE_STORE": redis_server.url}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        "--port",
        str(free_port()),
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        while True:
            line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
            assert line, "serve ended before its summary"
            if b'"mailmove starting"' in line:
                break
    finally:
        admin.config_set("maxmemory-policy", original)
        admin.close()
        process.terminate()
        await process.wait()
    assert json.loads(line)["notes"] == [
        "MAILMOVE_STORE: Redis evicts keys when its memory is full (maxmemory-policy"
        " allkeys-lru): conversations, their locks and handled event ids may vanish; run it"
        " with maxmemory-policy noeviction (full, it then answers 503 and loses nothing)"
    ]
