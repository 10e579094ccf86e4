"""What one long web chat message costs the event loop: CPU per 2,000-character message.

One client may send 300 messages a minute; if each is a 2,000-character text that is slow
to read, every other subscriber's turns wait behind them (attacker10 measured a neighbour's
p95 going from 50 to 551 ms). This sends each class of input below, cut to 2,000
characters, as the first words of a new web chat conversation through the shipped app's
ASGI interface (no sockets: `bench.turn_parts.call`) and reports the CPU time
(`time.process_time`, every thread: reading, redaction, the store's write, the log line)
per message: the median and the slowest of `--repeat` conversations. `--profile NAME`
prints cProfile's top functions for one class instead.

Then the longest message each platform delivers (Telegram 4,096 characters, LINE 5,000,
Slack 40,000, Chatwoot 150,000), each class above and more built for the password search
repeated to that length, as the second message of a conversation through `Engine.handle`
(the adapters' own parsing apart): the slowest class's CPU per platform. The engine reads
5,000 of it and keeps 4,000 (`bot.engine.KEPT_LENGTH`): before, Chatwoot's took 670 ms.

Run: `python -m bench.long_messages [--repeat 5] [--profile "one kana"]`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Final

from starlette.types import ASGIApp

from bench.turn_parts import MESSAGES, UNLIMITED, call
from bench.understanding import PASTED_ERROR, PATHOLOGICAL, STORY, to_length
from bench.webchat_throughput import SCRIPT
from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock

LENGTH: Final = 2000
# The classes of `bench.understanding`, and more built to find a slow pass: long runs,
# scripts alternating at every character, many separators, emoji and combining marks, a
# password near the end of a long story.
INPUTS: Final[dict[str, str]] = {
    "short answer": "はい",
    "pasted error": to_length(PASTED_ERROR, LENGTH),
    "story": to_length(STORY, LENGTH),
    **{name: to_length(text, LENGTH) for name, text in PATHOLOGICAL.items()},
    "one kanji": "送" * LENGTH,
    "katakana": "メ" * LENGTH,
    "alternating scripts": to_length("aあ1ア送", LENGTH),
    "alternating latin/kana": to_length("aあ", LENGTH),
    "many spaces": " " * (LENGTH - 1) + "a",
    "ideographic spaces": "　" * (LENGTH - 1) + "あ",
    "many @": "@" * LENGTH,
    "at and dots": to_length("a@b.", LENGTH),
    "password word ja": to_length("パスワード", LENGTH),
    "password is ja": to_length("パスワードは", LENGTH),
    "password is en": to_length("password is ", LENGTH),
    "pw colon": to_length("pw:", LENGTH),
    "emoji": "😀" * LENGTH,
    "emoji with joiners": to_length("👨‍👩‍👧", LENGTH),
    "combining marks": to_length("a\u0301\u0302\u0303", LENGTH),
    "dakuten": to_length("か\u3099", LENGTH),
    "digits and letters": to_length("a1", LENGTH),
    "newlines": to_length("あ\n", LENGTH),
    "quotes": to_length("「", LENGTH),
    "half-width kana": to_length("ｱｲｳｴｵ", LENGTH),
    "full-width latin": to_length("ａｂｃ１２３", LENGTH),
    "urls": to_length("http://a.b/ ", LENGTH),
    "hex": to_length("0x", LENGTH),
    "story then password": to_length(STORY, LENGTH - 30) + "パスワードはKq7xyz99です。",
}
# The longest message each platform delivers (web chat's own: `LENGTH`).
PLATFORM_LIMITS: Final = {"telegram": 4096, "line": 5000, "slack": 40_000, "chatwoot": 150_000}
# Built for the password search, whose cost is linear in what it reads: the slowest repeated.
PASSWORD_RUNS: Final = {
    "pass-word": "pass-word: Zz9 ",
    "key emoji": "🔑 Kq7xyz99 ",
    "POP trace": "PASS Kq7xyz99\r\n",
    "hedged": "password is maybe Kq7xyz99 or ",
    "account pairs": "taro@vp.117.ne.jp taro / Kq7xyz99 ",
    "pw colon": "パスワード：abc ",
}


async def cost(app: ASGIApp, text: str, after: int) -> float:
    """CPU milliseconds of `text` sent in a new conversation after `after` script steps."""
    status, body = await call(app, "POST", "/api/webchat/conversations", {})
    if status != 201:
        raise RuntimeError(f"create answered {status}")
    path = MESSAGES.format(json.loads(body)["conversation_id"])
    for message in SCRIPT[:after]:
        await call(app, "POST", path, message)
    started = time.process_time()
    status, _ = await call(app, "POST", path, {"text": text})
    spent = (time.process_time() - started) * 1000
    if status != 200:
        raise RuntimeError(f"message answered {status}")
    return spent


async def measure(repeat: int, profile: str | None, after: int) -> dict[str, list[float]]:
    """Each input's CPU milliseconds, `repeat` times (or cProfile's report for one)."""
    figures: dict[str, list[float]] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        (Path(folder) / "server.log").open("w") as log,
    ):
        configure_logging("json", stream=log)
        settings = Settings(
            store_url=f"sqlite:///{folder}/store/mailmove.sqlite3",
            webchat_conversation_limit=UNLIMITED,
            webchat_message_limit=UNLIMITED,
            webchat_read_limit=UNLIMITED,
        )
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            for text in INPUTS.values():  # warm: the analyser's caches, the patterns
                await cost(app, text, after)
            if profile is not None:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(repeat):
                    await cost(app, INPUTS[profile], after)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            else:
                for name, text in INPUTS.items():
                    figures[name] = [await cost(app, text, after) for _ in range(repeat)]
        stop_logging()
    return figures


async def platforms() -> dict[str, tuple[str, float]]:
    """Per platform, the slowest class at its longest message and its CPU milliseconds."""
    runs = {**INPUTS, **PASSWORD_RUNS}
    slowest: dict[str, tuple[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "platforms.sqlite3")
        await store.open()
        try:
            engine = Engine(store, load_profile(), Catalogs.load(), fixed_clock())
            turns = 0
            for platform, limit in {"warm": LENGTH, **PLATFORM_LIMITS}.items():
                for name, text in runs.items():
                    turns += 1  # a conversation and event ids of its own: no duplicate
                    key = f"c{turns}"
                    await engine.handle(Inbound("bench", key, f"{key}a", text="こんにちは"))
                    started = time.process_time()
                    words = to_length(text, limit)
                    await engine.handle(Inbound("bench", key, f"{key}b", text=words))
                    spent = (time.process_time() - started) * 1000
                    if platform != "warm" and spent > slowest.get(platform, ("", -1.0))[1]:
                        slowest[platform] = (name, spent)
        finally:
            await store.close()
    return slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="messages per input")
    parser.add_argument("--profile", choices=sorted(INPUTS), help="profile one input")
    parser.add_argument(
        "--after", type=int, default=0, help="script messages sent first (4: the address question)"
    )
    args = parser.parse_args()
    figures = asyncio.run(measure(args.repeat, args.profile, args.after))
    if not figures:
        return
    print(f"{'input (2,000 chars)':<26}{'median ms':>10}{'max ms':>8}")
    for name, spent in sorted(figures.items(), key=lambda item: -statistics.median(item[1])):
        print(f"{name:<26}{statistics.median(spent):>10.1f}{max(spent):>8.1f}")
    print(f"\n{'longest message':<26}{'chars':>8}{'ms':>7}  slowest class")
    for platform, (name, cpu) in asyncio.run(platforms()).items():
        print(f"{platform:<26}{PLATFORM_LIMITS[platform]:>8,}{cpu:>7.1f}  {name}")


if __name__ == "__main__":
    main()
