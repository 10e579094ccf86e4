"""What one turn's logging costs: the per-turn line, through the production log set-up.

A turn writes one line (`bot.ops.logging_setup.TurnLog`) and `transitions` would narrate
three more at INFO; both go through the process's real logging set-up, to a real file
(`/dev/null` by default, so the write system calls are counted but no disk is). Reported:

- `caller_us_per_turn`: the time the event loop's thread spends per turn (what delays
  other subscribers' turns);
- `cpu_us_per_turn`: all threads' CPU per turn, the listener's formatting and writing
  included (under the GIL it still competes with the event loop, only later and in batches).

Run: `python -m bench.logging_cost [--turns 20000] [--format json|console] [--output PATH]`.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Final

from bot.engine import TurnOutcome
from bot.ops import logging_setup
from bot.ops.logging_setup import TurnLog
from bot.store.conversation_store import ConversationRecord, Owner
from dialogs.state import DialogState, Signal
from testbed.clock import IN_WINDOW

BURST: Final = 200


def outcome(number: int) -> TurnOutcome:
    """A turn as the engine reports it: a record, a signal, a few replies."""
    record = ConversationRecord(
        f"webchat:{number:032x}", "webchat", Owner.BOT, DialogState(), IN_WINDOW, IN_WINDOW
    )
    return TurnOutcome(signals=(Signal.VERDICT_REACHED,), record=record)


def measure(turns: int, log_format: str, output: Path) -> dict[str, object]:
    with output.open("a", encoding="utf-8") as stream:
        configure = getattr(logging_setup, "configure_logging", None)
        if configure is not None:
            configure(log_format, stream=stream)
        else:  # the set-up before MAILMOVE_LOG_FORMAT: JSON only, written in the caller
            logging_setup.configure_json_logging(stream=stream)
        turn_log = TurnLog()
        chatty = logging.getLogger("transitions.core")
        outcomes = [outcome(number % 500) for number in range(turns)]
        flush = getattr(logging_setup, "flush_logs", lambda: None)
        flush()
        caller = 0.0
        cpu_start = time.process_time()
        # In bursts smaller than the queue, as a server's turns come (a real turn takes a
        # millisecond or more): the listener keeps up and no line is dropped.
        for first in range(0, turns, BURST):
            wall_start = time.perf_counter()
            for item in outcomes[first : first + BURST]:
                # What `transitions` says on each turn, held back by the set-up.
                chatty.info("Executed callback 'on_enter_q2'")
                chatty.info("Exited state q1_mail_program")
                chatty.info("Entered state q2_other_network")
                turn_log.turn_finished("webchat", item, 0.0042)
            caller += time.perf_counter() - wall_start
            flush()  # every line written: the listener's work counted too
        cpu = time.process_time() - cpu_start
        dropped = getattr(logging_setup, "dropped_lines", lambda: 0)()
        stop = getattr(logging_setup, "stop_logging", lambda: None)
        stop()
    return {
        "format": log_format,
        "turns": turns,
        "caller_us_per_turn": round(caller / turns * 1e6, 2),
        "cpu_us_per_turn": round(cpu / turns * 1e6, 2),
        # Lines the queue had no room for (a listener far behind): counted, not written.
        "dropped": dropped,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=20_000)
    parser.add_argument("--format", choices=["json", "console"], default="json")
    parser.add_argument("--output", type=Path, default=Path("/dev/null"))
    args = parser.parse_args()
    print(json.dumps(measure(args.turns, args.format, args.output)))


if __name__ == "__main__":
    main()
