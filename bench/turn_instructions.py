"""Instructions per web chat turn under callgrind: an A/B the machine's load does not move.

A turn's CPU time over HTTP (`make bench`) moved by a third between runs a few minutes apart
while other work shared the machine (0.66-0.88 ms for the same code at a load average of
13-16); the instructions it executes do not move. This counts them: `bench.turn_parts`'
whole turns (the shipped app through its ASGI interface, JSON log to a file, metrics,
SQLite, 50 subscribers at a time) run in a child process under
`valgrind --tool=callgrind --instr-atstart=no`, and instrumentation is switched on
(`callgrind_control -i on`) only around the measured turns: start-up, imports and the
warm-up round are not counted. Every thread of the process is (the log listener's
formatting too); the kernel's work (WAL writes, socket sends) and uvicorn's HTTP parsing
are not. Three runs of the same code agreed within 1 % (2,485,683, 2,501,860 and 2,511,379
at 15d98bd, string hashing seeded at random); the child now hashes alike in every run, and
the conversation ids stay random.

`--source DIR` measures another checkout (`git archive <commit> | tar -x -C DIR`); it needs
`bench/turn_parts.py` (the questionnaire walked is that checkout's). A run of the default two
rounds (700 turns) takes two to three minutes.

Run: `python -m bench.turn_instructions [--rounds 2] [--source DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
USERS: Final = 50
# What valgrind says at the end of a run: "==123== Collected : 1709224629".
_COLLECTED: Final = re.compile(r"Collected\s*:\s*([0-9,]+)")
_POLL: Final = 0.1


def _switch(request: Path, state: str) -> None:
    """Ask the parent to switch instrumentation `state` (on, off) and wait until it has.

    The wait spins instead of sleeping: valgrind takes `callgrind_control`'s command only
    while the program runs. What the spin executes after the switch is a few hundred
    instructions, nothing against a turn's millions.
    """
    request.write_text(state)
    while request.exists():
        pass


async def _child(rounds: int, request: Path) -> None:
    # Imported here, from the checkout measured (PYTHONPATH), inside valgrind.
    from bench.turn_parts import UNLIMITED, subscriber
    from bot.ops.logging_setup import configure_logging, stop_logging
    from bot.ops.settings import Settings
    from bot.server import build_app

    with tempfile.TemporaryDirectory() as folder, (Path(folder) / "server.log").open("w") as log:
        configure_logging("json", stream=log)
        settings = Settings(
            store_url=f"sqlite:///{folder}/store/mailmove.sqlite3",
            webchat_conversation_limit=UNLIMITED,
            webchat_message_limit=UNLIMITED,
            webchat_read_limit=UNLIMITED,
        )
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            await asyncio.gather(*(subscriber(app, 1) for _ in range(USERS)))  # warm
            _switch(request, "on")
            await asyncio.gather(*(subscriber(app, rounds) for _ in range(USERS)))
            # The listener's thread formats and writes the last lines meanwhile.
            time.sleep(0.3)  # noqa: ASYNC251 - nothing else may run: it is counted
            _switch(request, "off")
        stop_logging()


def measure(rounds: int, source: Path) -> dict[str, float]:
    """Instructions per turn of `source`'s shipped app over `rounds` questionnaires each."""
    valgrind, control = shutil.which("valgrind"), shutil.which("callgrind_control")
    if valgrind is None or control is None:
        raise SystemExit("valgrind (with callgrind_control) is needed: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as folder:
        request = Path(folder) / "request"
        log = Path(folder) / "valgrind.log"
        command = [
            valgrind,
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={folder}/callgrind.out",
            f"--log-file={log}",
            sys.executable,
            # -P: the script's folder is not put on the path; the checkout's modules are.
            "-P",
            str(Path(__file__).resolve()),
            "--child",
            str(request),
            "--rounds",
            str(rounds),
        ]
        # The same string hashes in every run: sets and dicts iterate alike.
        env = {**os.environ, "PYTHONPATH": str(source), "PYTHONHASHSEED": "0"}
        child = subprocess.Popen(command, cwd=source, env=env)  # noqa: S603 - our own module
        while child.poll() is None:
            if request.exists():
                state = request.read_text()
                # The client's pid is valgrind's own.
                subprocess.run(  # noqa: S603 - valgrind's own tool
                    [control, "-i", state, str(child.pid)], check=True, capture_output=True
                )
                request.unlink()
            time.sleep(_POLL)
        if child.returncode:
            raise SystemExit(f"the measured process failed (exit {child.returncode}): see {log}")
        found = _COLLECTED.search(log.read_text())
        if found is None:
            raise SystemExit("valgrind reported no instruction count")
        instructions = int(found.group(1).replace(",", ""))
    turns = USERS * rounds * _questionnaire_length(source)
    return {"turns": turns, "instructions_per_turn": instructions / turns}


def _questionnaire_length(source: Path) -> int:
    # The checkout's own questionnaire (bench.webchat_throughput.SCRIPT), read in a process of
    # its own so that this one keeps its imports.
    out = subprocess.run(
        [sys.executable, "-c", "from bench.webchat_throughput import SCRIPT; print(len(SCRIPT))"],
        cwd=source,
        env={**os.environ, "PYTHONPATH": str(source)},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="questionnaires per subscriber")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        asyncio.run(_child(args.rounds, args.child))
        return
    figures = measure(args.rounds, args.source.resolve())
    print(
        f"{figures['instructions_per_turn']:,.0f} instructions per turn"
        f" ({figures['turns']:.0f} turns, {args.source})"
    )


if __name__ == "__main__":
    main()
