"""The `/metrics` list of docs/operations.md names exactly the metric families the app serves.

An operator writes dashboards and alerts from that list: a family missing from it goes
unwatched, and a name in it that /metrics does not serve is an alert that never fires.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from bot.ops.metrics import Metrics

OPERATIONS: Final = (Path(__file__).resolve().parents[3] / "docs" / "operations.md").read_text(
    encoding="utf-8"
)


def served_families() -> set[str]:
    exposition, _ = Metrics().exposition()
    return set(re.findall(r"^# HELP (mailmove_\w+) ", exposition.decode(), re.MULTILINE))


def documented_families() -> set[str]:
    # The "Operating it" bullet that starts with `GET /metrics`, up to the next bullet.
    [bullet] = re.findall(r"^- `GET /metrics`.*?(?=^- )", OPERATIONS, re.MULTILINE | re.DOTALL)
    return set(re.findall(r"`(mailmove_\w+)", bullet))


def test_the_operations_document_lists_every_family_served_and_no_other() -> None:
    served = served_families()
    assert {"mailmove_turns_total", "mailmove_turn_seconds"} <= served  # the scan itself works
    documented = documented_families()
    assert sorted(served - documented) == [], "served but not in docs/operations.md"
    assert sorted(documented - served) == [], "in docs/operations.md but not served"
