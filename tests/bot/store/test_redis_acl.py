"""A command Redis' ACL refuses is said in one line naming it and the ACL, at start and later.

Under a managed Redis whose ACL refused EVALSHA (or GET inside a turn's script), `serve`
started, `/readyz` said ready and every message got 503, logged as "The user executing the
script can't run this command or subcommand script: <sha>, on @user_script:9."; `mailmove
stats` without DBSIZE said "the conversation store is unavailable: Redis failed: this user
has no permissions to run the 'dbsize' command". Real redis-server, users made with ACL
SETUSER.
"""

from __future__ import annotations

import ast
import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
import redis as sync_redis

from bot.cli import _store_opens
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store import redis_acl
from bot.store.conversation_store import Change, ConversationRecord, Owner, StoreUnavailableError
from bot.store.redis_store import RedisStore
from dialogs.state import DialogState
from testbed.clock import fixed_clock
from testbed.redis_server import RedisServer, running_redis

STORE: Final = Path(__file__).resolve().parents[3] / "bot" / "store"
T0: Final = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


def user_url(server: RedisServer, *rules: str) -> str:
    """The URL of a new user of `server` allowed everything but as `rules` say."""
    name = f"mm{secrets.token_hex(4)}"
    admin = sync_redis.Redis.from_url(server.url)
    try:
        rule = ("ACL", "SETUSER", name, "on", ">pw", "~*", "&*", "+@all", *rules)
        admin.execute_command(*rule)  # type: ignore[no-untyped-call]
    finally:
        admin.close()
    return server.url.replace("redis://", f"redis://{name}:pw@")


def first_turn(_: ConversationRecord | None) -> Change[None]:
    return Change(ConversationRecord("test:c1", "test", Owner.BOT, DialogState(), T0, T0), (), None)


def test_serve_refuses_a_user_the_acl_denies_commands_in_one_line(
    redis_server: RedisServer,
) -> None:
    # EVALSHA is sent by every turn; GET only inside the turn's scripts.
    url = user_url(redis_server, "-evalsha", "-get")
    name = url.split("//")[1].split(":")[0]
    with pytest.raises(ValueError, match=r"^MAILMOVE_STORE: Redis refuses it: ") as refused:
        _store_opens(url)
    assert str(refused.value) == (
        f"MAILMOVE_STORE: Redis refuses it: Redis' ACL does not let user {name!r} run"
        f" EVALSHA, GET: give it with ACL SETUSER {name} +evalsha +get (or +@all: mailmove"
        " runs each of them)"
    )
    assert "pw" not in str(refused.value)


def test_keys_outside_the_users_pattern_are_refused_at_start(redis_server: RedisServer) -> None:
    url = user_url(redis_server, "resetkeys", "~elsewhere:*")
    with pytest.raises(ValueError, match=r"does not let user '[^']+' use mailmove's keys"):
        _store_opens(url)


def test_a_user_without_the_dangerous_commands_serves(redis_server: RedisServer) -> None:
    # A managed Redis' usual '-@dangerous' takes INFO only: the memory gauge and the
    # eviction check do without it.
    assert _store_opens(user_url(redis_server, "-@dangerous")) == ()


async def test_stats_asks_only_for_what_it_reads(redis_server: RedisServer) -> None:
    reader = RedisStore.from_url(user_url(redis_server, "-evalsha", "-set", "-zadd"))
    no_dbsize = RedisStore.from_url(user_url(redis_server, "-dbsize"))
    try:
        assert await reader.refusal(stats=True) is None
        refusal = await no_dbsize.refusal(stats=True)
        assert refusal is not None
        assert " run DBSIZE: give it with ACL SETUSER mm" in refusal
    finally:
        await reader.close()
        await no_dbsize.close()


async def test_a_command_refused_later_is_named_even_inside_a_script(
    redis_server: RedisServer,
) -> None:
    # The ACL changed under a running replica: ZADD runs only inside the turn's commit
    # script, and Redis named the script's SHA-1 and line, not the command.
    store = RedisStore.from_url(user_url(redis_server, "-zadd", "-dbsize"))
    await store.open()
    try:
        with pytest.raises(StoreUnavailableError) as failed:
            await store.transact("test:c1", "e1", first_turn)
        assert str(failed.value) == (
            "Redis failed: Redis' ACL does not let the URL's user run ZADD: give it with"
            " ACL SETUSER <user> +zadd (or +@all: mailmove runs each of them)"
        )
        with pytest.raises(StoreUnavailableError, match=r" run DBSIZE: give it with ACL SETUSER"):
            await store.audit_counts(dt.datetime(1900, 1, 1, tzinfo=dt.UTC), T0)
    finally:
        await store.close()


async def test_a_command_refused_after_start_makes_the_replica_not_ready_until_let_through(
    redis_server: RedisServer,
) -> None:
    # Redis answers PING all the while: /readyz said ready while every message got 503.
    url = user_url(redis_server)
    name = url.split("//")[1].split(":")[0]
    admin = sync_redis.Redis.from_url(redis_server.url)
    store = RedisStore.from_url(url)
    await store.open()
    try:
        await store.ping()
        admin.execute_command("ACL", "SETUSER", name, "-evalsha")  # type: ignore[no-untyped-call]
        with pytest.raises(StoreUnavailableError):
            await store.transact("test:c1", "e1", first_turn)
        with pytest.raises(StoreUnavailableError, match=r" run EVALSHA: give it with ACL SETUSER"):
            await store.ping()
        admin.execute_command("ACL", "SETUSER", name, "+evalsha")  # type: ignore[no-untyped-call]
        await store.ping()
        assert await store.transact("test:c1", "e1", first_turn) is not None
    finally:
        await store.close()
        admin.close()


def _python_sources() -> dict[str, str]:
    return {
        path.name: path.read_text() for path in STORE.glob("*.py") if path != STORE / "redis_acl.py"
    }


def test_the_probe_tries_every_command_the_store_sends() -> None:
    # A command added to a script or a call without its probe would pass the start-up
    # check and fail every turn.
    probed = {name for name, _ in redis_acl._probes(["k"] * 5)}
    in_script = set(re.findall(r"try\('([A-Z]+)'", redis_acl._PROBE_SCRIPT))
    scripts: set[str] = set()
    calls: set[str] = set()
    methods = {"scan_iter": "SCAN", "script_load": "SCRIPT", "eval": "EVAL"}
    for text in _python_sources().values():
        scripts.update(name.upper() for name in re.findall(r"redis\.p?call\('(\w+)'", text))
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute | ast.Name)
                and (
                    getattr(node.func.value, "attr", None) in ("client", "_client", "_redis")
                    or getattr(node.func.value, "id", None) == "pipe"
                )
            ):
                method = node.func.attr
                if method not in ("pipeline", "register_script", "execute", "aclose"):
                    calls.add(methods.get(method, method.upper()))
    assert scripts, "no Lua found: the test reads the wrong sources"
    assert scripts <= in_script, scripts - in_script
    assert calls <= probed, calls - probed
    # A transaction (pipeline(transaction=True)) sends MULTI and EXEC.
    assert {"MULTI", "EXEC"} <= probed


async def test_a_user_without_info_is_told_once_that_the_memory_gauge_stays_empty(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # INFO is optional ('-@dangerous'), and an ACL does not change by itself: "Store memory
    # not read (1 scrape(s)): … +info" was a warning at every scrape more than a minute
    # after the last (each a new episode), for as long as the replica ran.
    app = build_app(Settings(store_url=user_url(redis_server, "-@dangerous")), clock=fixed_clock())
    now = [1000.0]
    # The only clock here: `Repeated` reads time.monotonic, not the app's clock.
    monkeypatch.setattr("bot.ops.repeated.time.monotonic", lambda: now[0])
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as client,
    ):
        with caplog.at_level(logging.INFO, logger="bot.web"):
            for _ in range(3):
                assert (await client.get("/metrics")).status_code == 200
                now[0] += 61  # Prometheus' scrape interval of a minute and more
    said = [r.getMessage() for r in caplog.records if "Store memory not read" in r.getMessage()]
    assert said == [
        "Store memory not read: Redis failed: Redis' ACL does not let the URL's user run INFO:"
        " give it with ACL SETUSER <user> +info (or +@all: mailmove runs each of them); until"
        " then mailmove_store_memory_bytes stays empty and MailmoveRedisMemoryHigh cannot fire"
        " (said once)"
    ]
