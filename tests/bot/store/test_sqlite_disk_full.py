"""A full disk under a SQLite store: `/readyz` says the replica cannot write, until it can.

On a full disk reads still work, so `/readyz` (a `SELECT 1`) said 200 while every message
got 503: Kubernetes kept sending subscribers to a replica that could keep none of their
turns, and nothing an orchestrator watches said so. Now a write that fails (other than on
another process's lock) makes the store's ping try a write of its own until one works:
`/readyz` is 503 naming the file and the cause while the disk is full, 200 once space is
freed, and the messages are taken again. Found on a 1 MB tmpfs; `testbed.small_disk`
mounts one for the test (a failed COMMIT leaves room in the WAL for a smaller write, so the
probe writes more than a turn: a 4 kB one said "ready" on the full disk). Where mounting is
refused (a container without CAP_SYS_ADMIN, even as root) the disk is a file-size limit
instead, and SQLite says "disk I/O error" (EFBIG) where a tmpfs says "database or disk is
full" (ENOSPC): the product treats both alike. The second case forces that fallback, so it
is tested where mounting works too.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from testbed.small_disk import FORCE_VARIABLE, fill, small_disk

CONVERSATIONS = "/api/webchat/conversations"


@pytest.mark.parametrize("forced", ["", "fsize"], ids=["tmpfs_if_it_mounts", "file_size_limit"])
async def test_readyz_fails_while_the_disk_is_full_and_recovers_when_space_returns(
    forced: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(FORCE_VARIABLE, forced)
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = disk / "m.sqlite3"
        app = build_app(Settings(store_url=f"sqlite:///{path}"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            created = await client.post(CONVERSATIONS, json={})
            messages = f"{CONVERSATIONS}/{created.json()['conversation_id']}/messages"
            filler = fill(disk, leaving=96 * 1024)
            statuses = []
            with caplog.at_level(logging.INFO, logger="bot.web"):
                for n in range(100):
                    sent = await client.post(messages, json={"text": f"{n} " + "x" * 1900})
                    statuses.append(sent.status_code)
                    if sent.status_code != 200:
                        break
                not_ready = await client.get("/readyz")
                said_full = [r.getMessage() for r in caplog.records if r.name == "bot.web.health"]
                caplog.clear()
                filler.free()
                ready = await client.get("/readyz")
                again = await client.post(messages, json={"text": "もう一度"})
                said_after = [r.getMessage() for r in caplog.records if r.name == "bot.web.health"]

    assert statuses[0] == 200, statuses
    assert statuses[-1] == 503, statuses
    assert (not_ready.status_code, not_ready.json()) == (503, {"status": "store unavailable"})
    assert len(said_full) == 1, said_full
    assert said_full[0].startswith("Not ready: the store is unavailable (1 probe(s)): ")
    assert f"writing to {path} still fails: {disk.full_error}" in said_full[0]
    assert (ready.status_code, again.status_code) == (200, 200)
    assert said_after == [
        "Ready again: the store answers (1 request(s) were answered 503 while it did not)"
    ]


class _FullDisk:
    """A connection whose disk fills as the schema is written, as SQLite reports it."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self._real = real

    def executescript(self, _script: str) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


async def test_a_full_disk_at_start_up_names_the_disk_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's ENOSPC, as a tmpfs gives it (`small_disk`'s file-size limit, where no tmpfs
    # can be mounted, is "disk I/O error" instead). Measured on a 300 KiB tmpfs filled to
    # 8 KiB: start-up said "database or disk is full" and nothing else; with space freed,
    # the next start served the file as it was.
    path = tmp_path / "var" / "store.sqlite3"
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        "bot.store.sqlite_store.sqlite3.connect",
        lambda *args, **kwargs: _FullDisk(real_connect(*args, **kwargs)),
    )
    with pytest.raises(StoreUnavailableError) as refused:
        await SQLiteStore(path).open()
    said = str(refused.value)
    assert said.startswith(
        f"{path}: database or disk is full: the disk holding {path.parent} has "
    ), said
    assert said.endswith(
        " KiB free; free space there (or point MAILMOVE_STORE at another disk), then start"
        " mailmove again"
    ), said
