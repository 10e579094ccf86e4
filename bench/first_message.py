"""From navigation to the first bot message on the screen, in headless Chromium on loopback.

The real server runs in its own process (`mailmove serve` on an SQLite store, as
bench.webchat_throughput starts it). Each run opens a fresh browser profile (no cache, no
stored conversation), navigates to `/`, and waits until the greeting's first button is
visible: the page, its script and style, the words (`/api/webchat/texts/ja`) and the new
conversation have all arrived and been drawn. The time is taken by the page itself
(`performance.now()` counts from the start of navigation). The goal (issue 14): p95 < 1 s.

Run: `python -m bench.first_message [--runs 20]` (or `make bench-first-message`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Final

from playwright.sync_api import Browser, ViewportSize, sync_playwright

from bench.webchat_throughput import percentile, server

CHROMIUM: Final = Path("/usr/bin/chromium")
# As tests/browser.py: no calls home from a closed network.
LAUNCH_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE: Final[ViewportSize] = {"width": 390, "height": 844}
GOAL_P95_MS: Final = 1000.0
# The first run also warms the server's code paths and the browser's: it is not counted.
WARM_UP: Final = 1


def one_run(browser: Browser, url: str) -> float:
    """Milliseconds from navigation start to the greeting's first button being visible."""
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.locator(".turn--bot .choice").first.wait_for(state="visible", timeout=30_000)
        elapsed: float = page.evaluate("performance.now()")
        return elapsed
    finally:
        context.close()


def measure(runs: int) -> list[float]:
    with server("sqlite") as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            url = f"http://127.0.0.1:{served.port}/"
            times = [one_run(browser, url) for _ in range(runs + WARM_UP)]
        finally:
            browser.close()
    return times[WARM_UP:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium", file=sys.stderr)
        return 2
    times = measure(args.runs)
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    print(f"first bot message visible after navigation, {len(times)} runs (headless, loopback)")
    print(f"  p50 {p50:.0f} ms   p95 {p95:.0f} ms   max {max(times):.0f} ms")
    print(f"  goal: p95 < {GOAL_P95_MS:.0f} ms: {'met' if p95 < GOAL_P95_MS else 'NOT met'}")
    return 0 if p95 < GOAL_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
