"""axe-core (from npm, `node_modules/`) run inside a Playwright page: WCAG 2.1 A/AA violations.

The pages under test forbid inline scripts (CSP `script-src 'self'`), so axe is not added as a
`<script>` tag: its source is evaluated through the DevTools protocol (into a world of its own
on a page, `page.evaluate` in a frame), which a page's CSP does not govern. The page itself,
its CSP and its scripts stay exactly as served.
"""

from __future__ import annotations

import json
import os
import weakref
from functools import cache
from pathlib import Path
from typing import Any, Final

import pytest
from playwright.sync_api import CDPSession, Error, Frame, Page

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


# A page's own world for axe, made once per document: (the DevTools session, its context id).
_WORLDS: weakref.WeakKeyDictionary[Page, tuple[CDPSession, int]] = weakref.WeakKeyDictionary()


def _axe_world(page: Page) -> tuple[CDPSession, int]:
    """An isolated world of the page's main frame with axe loaded: the page's document, and
    the browser's own timers, whatever clock the page has (axe resolves its run through
    setTimeout, and a page whose Playwright clock was paused never ran it)."""
    kept = _WORLDS.get(page)
    if kept is not None:
        session, context_id = kept
        try:
            found = session.send(
                "Runtime.evaluate", {"expression": "typeof axe", "contextId": context_id}
            )
            if found.get("result", {}).get("value") == "object":
                return kept
        except Error:
            pass  # the document was replaced (a navigation): its world went with it
    else:
        session = page.context.new_cdp_session(page)
    frame = session.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
    world = session.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": "axe"})
    context_id = world["executionContextId"]
    loaded = session.send(
        "Runtime.evaluate", {"expression": _axe_source(), "contextId": context_id}
    )
    if "exceptionDetails" in loaded:
        raise AssertionError(f"axe did not load: {loaded['exceptionDetails']}")
    _WORLDS[page] = (session, context_id)
    return session, context_id


def axe_violations(page: Page | Frame, *, context: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations at WCAG 2.1 A/AA on the page (or a frame's document) as it is
    now (or in `context`, a CSS selector); an empty list means none.

    On a page, axe runs in a world of its own (`_axe_world`): it works with the page's clock
    paused (`chat_page.pause_clock`), and the page's scripts never see a `window.axe`.
    """
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_21_AA)},
        "resultTypes": ["violations"],
    }
    if isinstance(page, Page):
        session, context_id = _axe_world(page)
        where = "document" if context is None else json.dumps(context)
        ran = session.send(
            "Runtime.evaluate",
            {
                "expression": f"axe.run({where}, {json.dumps(options)})"
                ".then((r) => JSON.stringify(r.violations))",
                "contextId": context_id,
                "awaitPromise": True,
                "returnByValue": True,
            },
        )
        if "exceptionDetails" in ran:
            raise AssertionError(f"axe failed: {ran['exceptionDetails']}")
        found: list[dict[str, Any]] = json.loads(ran["result"]["value"])
        return found
    if not page.evaluate("typeof window.axe === 'object'"):
        # axe's UMD wrapper sets window.axe when there is no module system.
        page.evaluate(_axe_source())
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
