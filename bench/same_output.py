"""What the shipped app says, stores and logs over 8 profiles, for a speed change's A/B.

A change made only for speed must leave every reply, stored row and log line as it was. This
walks the web chat through the shipped app's ASGI interface (JSON log to a file, SQLite) for 8
example profiles, on a day before and a day inside each window, four conversations each in ja
and en (buttons pressed by position, typed answers, an address, password words, a hedge, a
problem, commands), and writes one JSON file of it all: each request and its answer, every
table of the store, every log line. Ids (conversations, check links) come from a seeded
generator and the clock is fixed, so two runs of the same code write the same bytes; left out
are only what the wall clock decides (the log lines' `timestamp` and `ms`, the start-up line's
seconds, the events table's `at`, a stored dialog's `profile_since`, whether a table no row
was written to was made yet).

Run it in each checkout and compare the files (`cmp`):
`PYTHONPATH=DIR python -m bench.same_output OUT.json` from DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import secrets
import sqlite3
import tempfile
import uuid
from pathlib import Path
from typing import Any, Final

from starlette.types import ASGIApp

from bench.turn_parts import UNLIMITED, call
from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from bot.server import build_app

PROFILES: Final = (
    "117net.toml",
    "tls-migration.toml",
    "imap-move.toml",
    "domain-change.toml",
    "op25b-sending-only.toml",
    "pop-to-imap.toml",
    "password-reset.toml",
    "webmail-for-some-programs.toml",
)
TYPED: Final = {
    "ja": (
        "はい", "{address}", "パスワードは", "えーと", "abc12345", "メールが送れません",
        "メニュー", "担当者", "いいえ", "0x800CCC0F", "さっきのはパスワードです",
    ),
    "en": (
        "yes", "{address}", "my password is", "um", "abc12345", "I cannot send mail", "menu",
        "a person please", "no", "0x800CCC0F", "that was my password",
    ),
}  # fmt: skip
# A button by its position in the last question (an int), or the n-th typed text ("t<n>").
PLAN: Final[tuple[int | str, ...]] = (
    0, "t0", 0, 1, "t1", 0, "t2", "t3", "t4", 0, "t5", 1, 0, "t9", 0, "t6", 2, "t10", 0, "t7",
    1, "t8", 0,
)  # fmt: skip
# Fixed ids for a comparison, not secrets.
_SEEDED: Final = random.Random(9)


def _seed_ids() -> None:
    """Conversation ids and check links from `_SEEDED`: the same in every run."""
    uuid.uuid4 = lambda: uuid.UUID(int=_SEEDED.getrandbits(128), version=4)
    secrets.token_urlsafe = lambda nbytes=None: format(_SEEDED.getrandbits(128), "032x")


def _answer(body: bytes) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(body)
    answer.pop("at", None)  # the fixed clock's, but said in the server's own words
    return answer


async def _walk(app: ASGIApp, locale: str, number: int, domain: str) -> list[object]:
    status, body = await call(app, "POST", "/api/webchat/conversations", {"locale": locale})
    last = _answer(body)
    steps: list[object] = [[status, last]]
    path = f"/api/webchat/conversations/{last['conversation_id']}/messages"
    for count, step in enumerate(PLAN):
        questions = [r for r in last.get("replies", []) if r.get("type") == "choices"]
        message = {"event_id": f"e{number}x{count}"}
        if isinstance(step, int) and questions:
            buttons = questions[-1]["choices"]
            message["choice"] = buttons[step % len(buttons)]["id"]
            if "question" in last:
                message["question"] = last["question"]
        else:
            typed = TYPED[locale][int(step[1:]) if isinstance(step, str) else 0]
            message["text"] = typed.format(address=f"taro{number}@{domain}")
        status, body = await call(app, "POST", path, message)
        answer = _answer(body)
        steps.append([message, status, answer])
        if status == 200:
            last = answer
    return steps


def _log_lines(log: Path) -> list[object]:
    lines: list[object] = []
    for line in log.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        record.pop("timestamp", None)
        record.pop("ms", None)
        if str(record.get("event", "")).startswith("Serving: the start took"):
            record["event"] = "Serving: the start took …"
        lines.append(record)
    return lines


def _tables(store: Path) -> dict[str, list[list[object]]]:
    tables: dict[str, list[list[object]]] = {}
    db = sqlite3.connect(store)
    try:
        names = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (name,) in names.fetchall():
            cursor = db.execute(f"SELECT * FROM {name}")  # noqa: S608 - the file's own tables
            columns = [column[0] for column in cursor.description]
            rows = [
                [value for column, value in zip(columns, row, strict=True) if column != "at"]
                if name == "events"  # `at`: the wall clock's second
                else [_without_profile_since(value) for value in row]
                for row in cursor.fetchall()
            ]
            if rows:
                # An empty table is left out as an absent one: the desk notices' table is made
                # by the sweep's first call in a thread of its own, which the walk may end
                # before (one run of two of the same tree had it, the other not).
                tables[name] = sorted(rows, key=repr)
    finally:
        db.close()
    return tables


# A stored dialog's `profile_since`: when the process took up its profile, by the wall clock
# (milliseconds), not the fixed one; two runs of one tree wrote it apart (speed11).
_PROFILE_SINCE: Final = re.compile(r'"profile_since":[0-9]+')


def _without_profile_since(value: object) -> object:
    if isinstance(value, str):
        return _PROFILE_SINCE.sub('"profile_since":…', value)
    return value


async def _profile(name: str, folder: Path, day: dt.date) -> dict[str, object]:
    path = Path("examples") / name
    profile = load_profile(path)
    moment = dt.datetime.combine(day, dt.time(10, 0), dt.UTC)
    store = folder / f"{name}-{day}.sqlite3"
    log = folder / f"{name}-{day}.log"
    with log.open("w") as stream:
        configure_logging("json", stream=stream)
        settings = Settings(
            store_url=f"sqlite:///{store}",
            profile_path=path,
            webchat_conversation_limit=UNLIMITED,
            webchat_message_limit=UNLIMITED,
            webchat_read_limit=UNLIMITED,
        )
        app = build_app(settings, clock=lambda: moment)
        walks = []
        async with app.router.lifespan_context(app):
            for number, locale in enumerate(("ja", "en", "ja", "en")):
                walks.append(await _walk(app, locale, number, profile.affected_domains[0]))
        stop_logging()
    return {"walks": walks, "log": _log_lines(log), "tables": _tables(store)}


async def run() -> dict[str, object]:
    """Every profile's output, by profile and day."""
    _seed_ids()
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in PROFILES:
            start = load_profile(Path("examples") / name).schedule.window_start
            for day in (start - dt.timedelta(days=3), start + dt.timedelta(days=2)):
                result[f"{name} {day}"] = await _profile(name, Path(folder), day)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the JSON file to write")
    args = parser.parse_args()
    result = asyncio.run(run())
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    requests = len(result) * 4 * (len(PLAN) + 1)
    print(f"{requests} requests, {args.out.stat().st_size:,} bytes in {args.out}")


if __name__ == "__main__":
    main()
