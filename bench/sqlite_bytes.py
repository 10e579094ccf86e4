"""Bytes per stored conversation in the SQLite store, and how large its WAL grows.

`--conversations` whole questionnaires (the web chat's script of bench.webchat_throughput)
go through the real app in process; the database file is measured once the store has
closed (its last checkpoint folded and truncated the WAL), and the WAL's largest size is
sampled after every conversation.

Run: `python -m bench.sqlite_bytes [--conversations 2000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

import httpx

from bench.webchat_throughput import SCRIPT
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock


def size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


async def measure(folder: Path, conversations: int) -> dict[str, float]:
    path = folder / "store.sqlite3"
    settings = Settings(
        store_url=f"sqlite:///{path}",
        webchat_conversation_limit=10**9,
        webchat_message_limit=10**9,
        webchat_read_limit=10**9,
    )
    app = build_app(settings, clock=fixed_clock())
    largest_wal = 0
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client,
    ):
        for _ in range(conversations):
            created = await client.post("/api/webchat/conversations", json={})
            url = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            for body in SCRIPT:
                await client.post(url, json=body)
            largest_wal = max(largest_wal, size(Path(f"{path}-wal")))
    database = size(path)
    return {
        "conversations": conversations,
        "database_bytes": database,
        "bytes_per_conversation": round(database / conversations),
        "largest_wal_bytes": largest_wal,
        "wal_after_close_bytes": size(Path(f"{path}-wal")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(asyncio.run(measure(Path(folder), args.conversations)), indent=2))


if __name__ == "__main__":
    main()
