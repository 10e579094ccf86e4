"""axe-core (from npm, `node_modules/`) run inside a Playwright page: WCAG 2.1 A/AA violations.

The pages under test forbid inline scripts (CSP `script-src 'self'`), so axe is not added as a
`<script>` tag: its source is evaluated through the DevTools protocol (`page.evaluate`), which
a page's CSP does not govern. The page itself, its CSP and its scripts stay exactly as served.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Final

import pytest
from playwright.sync_api import Frame, Page

AXE: Final = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA: Final = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@cache
def _axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `npm ci` in the repository (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page | Frame, *, context: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations at WCAG 2.1 A/AA on the page (or a frame's document) as it is
    now (or in `context`, a CSS selector); an empty list means none."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # axe's UMD wrapper sets window.axe when there is no module system.
        page.evaluate(_axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_21_AA)},
        "resultTypes": ["violations"],
    }
    violations: list[dict[str, Any]] = page.evaluate(
        "([context, options]) => axe.run(context ?? document, options).then(r => r.violations)",
        [context, options],
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node, for an assertion message a person can act on."""
    lines = []
    for violation in violations:
        for node in violation.get("nodes", []):
            lines.append(
                f"{violation['id']} ({violation.get('impact')}): {node.get('target')} — "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)
