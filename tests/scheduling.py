"""The order test modules run in: the longest first, so that both xdist workers end together.

`make unit` hands pytest-xdist whole modules (`--dist loadfile`), in collection order
(`--no-loadscope-reorder`). xdist's own order (most tests first) left the drills, a few long
tests each, for the end: one worker ran a minute-long drill while the other sat idle. Taking
the longest first (the LPT rule) leaves only short modules for the end.

A module's cost is what it took in a measured run (`SECONDS`, refreshed with
`python -m tests.scheduling durations.txt` from the output of `pytest --durations=0`), or
else a guess from its number of tests. A stale figure only changes the order, never a result.
The order of the tests inside a module is left as collected: its fixtures still start once.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final

import pytest

# Setup + call + teardown of every test in the module, in seconds, on the 2-core machine with
# `-n 2` (2026-11-30, the CI run of 35a7b8e; test_leaving_browser's timed-out test taken
# out). Only modules of 10 s or more: the rest count as `_PER_TEST` each test. The three marked
# "new" came after that run: measured one module at a time beside others' work (2026-11-30,
# the 75 test modules new or changed since 0779834, at 9823350), times 0.8, the listed
# modules' figures over theirs in that measurement. Telegram's is 5 s less since its album
# test stopped waiting out SQLite's busy_timeout; test_conversation_key (11) left the list
# for the same reason (3 s now).
SECONDS: Final[dict[str, float]] = {
    "tests/adapters/telegram/test_channel.py": 100,
    "tests/bot/mailcheck/test_check_page_browser.py": 82,
    "tests/adapters/webchat/test_leaving_browser.py": 45,
    "tests/adapters/line/test_channel.py": 47,
    "tests/adapters/agent_console/test_shift_browser.py": 46,
    "tests/adapters/slack/test_channel.py": 43,
    "tests/adapters/chatwoot/test_signed_channel.py": 41,
    "tests/adapters/chatwoot/test_channel.py": 40,
    "tests/adapters/webchat/test_browser.py": 36,
    "tests/adapters/webchat/test_screens.py": 33,
    "tests/drills/test_fuzz.py": 32,
    "tests/adapters/webchat/test_embed_zoomed.py": 22,  # new (webchat12, measured as above)
    "tests/adapters/webchat/test_embed.py": 19,
    "tests/testbed/test_mailservers.py": 14,
    "tests/adapters/webchat/test_settings_card_large_text.py": 13,
    "tests/adapters/test_elderly_on_phones.py": 12,  # new
    "tests/bot/mailcheck/test_check_page_back.py": 11,  # new
    "tests/adapters/agent_console/test_browser.py": 11,
    "tests/adapters/webchat/test_screen_reader.py": 11,
    "tests/drills/test_faults.py": 10,
    "tests/adapters/webchat/test_page_zoom_small_phone.py": 10,  # new
    "tests/adapters/agent_console/test_desk_browser.py": 10,
    "tests/adapters/slack/test_desk_relay.py": 10,
}
_PER_TEST: Final = 0.05  # seconds: most tests of the modules not listed take a few ms
_LISTED_FROM: Final = 10.0
_ROOT: Final = Path(__file__).resolve().parents[1]
_DURATION: Final = re.compile(r"^([0-9.]+)s (?:setup|call|teardown)\s+([^:\s]+)::")


def longest_first(items: list[pytest.Item]) -> None:
    """Reorder `items` in place: whole modules, the costliest first, each in its own order."""
    modules: dict[Path, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.path, []).append(item)

    def cost(path: Path) -> float:
        known = SECONDS.get(_relative(path))
        return known if known is not None else _PER_TEST * len(modules[path])

    # sorted() is stable: modules of equal cost keep the collection's order.
    items[:] = [item for path in sorted(modules, key=cost, reverse=True) for item in modules[path]]


def _relative(path: Path) -> str:
    try:
        return path.relative_to(_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def measured(durations: str) -> dict[str, float]:
    """Per-module seconds from `pytest --durations=0` output, the modules of 10 s or more."""
    totals: dict[str, float] = {}
    for line in durations.splitlines():
        if match := _DURATION.match(line):
            totals[match[2]] = totals.get(match[2], 0.0) + float(match[1])
    listed = sorted(totals.items(), key=lambda module_seconds: -module_seconds[1])
    return {module: round(s) for module, s in listed if s >= _LISTED_FROM}


if __name__ == "__main__":
    for module, seconds in measured(Path(sys.argv[1]).read_text(encoding="utf-8")).items():
        print(f'    "{module}": {seconds},')
