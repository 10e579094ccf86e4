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
# `-n 2`: the whole suite's `--durations=0` log of 53711ea (2026-12-02, 15,019 tests, 580 s
# of pytest on the quiet machine), modules of 5 s or more; the rest count as `_PER_TEST`
# each test.
SECONDS: Final[dict[str, float]] = {
    "tests/bot/mailcheck/test_check_page_browser.py": 72,
    "tests/adapters/webchat/test_screens.py": 47,
    "tests/adapters/webchat/test_browser.py": 45,
    "tests/adapters/agent_console/test_shift_browser.py": 45,
    "tests/adapters/webchat/test_embed.py": 31,
    "tests/drills/test_fuzz.py": 27,
    "tests/drills/test_faults.py": 25,
    "tests/adapters/webchat/test_more_below.py": 25,
    "tests/bot/mailcheck/test_check_page_large_text.py": 23,
    "tests/adapters/webchat/test_elderly_phone.py": 21,
    "tests/adapters/telegram/test_channel.py": 19,
    "tests/adapters/line/test_channel.py": 18,
    "tests/adapters/webchat/test_leaving_browser.py": 17,
    "tests/adapters/agent_console/test_desk_browser.py": 16,
    "tests/adapters/webchat/test_embed_zoomed.py": 16,
    "tests/bot/ops/test_redis_refusal_at_start.py": 16,
    "tests/adapters/agent_console/test_browser.py": 15,
    "tests/adapters/chatwoot/test_signed_channel.py": 14,
    "tests/adapters/webchat/test_connection.py": 14,
    "tests/bot/ops/test_serve_stops_cleanly.py": 14,
    "tests/adapters/webchat/test_page_zoom_small_phone.py": 13,
    "tests/adapters/webchat/test_settings_card_large_text.py": 13,
    "tests/adapters/console/test_channel.py": 12,
    "tests/adapters/slack/test_channel.py": 11,
    "tests/adapters/webchat/test_screen_reader.py": 11,
    "tests/adapters/chatwoot/test_channel.py": 11,
    "tests/adapters/webchat/test_large_text.py": 11,
    "tests/bot/mailcheck/test_check_page_back.py": 11,
    "tests/adapters/agent_console/test_two_agents_browser.py": 11,
    "tests/adapters/webchat/test_tapped_to_type.py": 10,
    "tests/adapters/webchat/test_host_names_read_aloud.py": 10,
    "tests/drills/test_replicas.py": 10,
    "tests/adapters/webchat/test_placeholder_fits.py": 10,
    "tests/adapters/console/test_interrupt.py": 9,
    "tests/adapters/webchat/test_phone.py": 8,
    "tests/adapters/webchat/test_keyboard_open.py": 8,
    "tests/adapters/webchat/test_coming_back_to_the_page.py": 7,
    "tests/adapters/webchat/test_print.py": 7,
    "tests/adapters/webchat/test_embed_keyboard.py": 7,
    "tests/bot/ops/test_keep_alive_setting.py": 7,
    "tests/dialogs/reading/test_corpus.py": 7,
    "tests/bot/mailcheck/test_check_page_address.py": 7,
    "tests/dialogs/reading/test_long_messages.py": 7,
    "tests/adapters/webchat/test_pressing_ahead.py": 7,
    "tests/bot/mailcheck/test_credential_check.py": 7,
    "tests/adapters/webchat/test_typing_ahead.py": 7,
    "tests/adapters/webchat/test_long_address_lines.py": 7,
    "tests/adapters/agent_console/test_transfer_browser.py": 7,
    "tests/adapters/webchat/test_keyboard_on_the_smallest_phones.py": 7,
    "tests/adapters/webchat/test_agent_links.py": 7,
    "tests/adapters/agent_console/test_undelivered_browser.py": 6,
    "tests/adapters/webchat/test_drafts.py": 6,
    "tests/adapters/webchat/test_slow_answer.py": 6,
    "tests/adapters/webchat/test_double_tap.py": 6,
    "tests/bot/ops/test_store_problems_at_start.py": 6,
    "tests/bot/mailcheck/test_check_page_second_phone.py": 6,
    "tests/dialogs/test_flowchart_examples.py": 6,
    "tests/adapters/webchat/test_sideways_largest_text.py": 6,
    "tests/adapters/webchat/test_copying_by_hand.py": 5,
    "tests/bot/store/test_sqlite_locked.py": 5,
    "tests/adapters/webchat/test_back_online_mid_request.py": 5,
    "tests/adapters/slack/test_desk_relay.py": 5,
}
_PER_TEST: Final = 0.05  # seconds: most tests of the modules not listed take a few ms
_LISTED_FROM: Final = 5.0
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
    """Per-module seconds from `pytest --durations=0` output, the modules of 5 s or more."""
    totals: dict[str, float] = {}
    for line in durations.splitlines():
        if match := _DURATION.match(line):
            totals[match[2]] = totals.get(match[2], 0.0) + float(match[1])
    listed = sorted(totals.items(), key=lambda module_seconds: -module_seconds[1])
    return {module: round(s) for module, s in listed if s >= _LISTED_FROM}


if __name__ == "__main__":
    for module, seconds in measured(Path(sys.argv[1]).read_text(encoding="utf-8")).items():
        print(f'    "{module}": {seconds},')
