"""The order the suite's modules go out in: whole modules, the costliest first."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from tests.scheduling import _ROOT, SECONDS, longest_first, measured


def items(*paths: str) -> list[pytest.Item]:
    return [cast(pytest.Item, SimpleNamespace(path=_ROOT / path)) for path in paths]


def test_listed_modules_go_first_by_cost_and_each_module_stays_whole_and_in_order() -> None:
    drill, browser = "tests/drills/test_faults.py", "tests/adapters/webchat/test_screens.py"
    assert SECONDS[browser] > SECONDS[drill]
    collected = items("tests/x/test_small.py", drill, browser, drill, "tests/x/test_small.py")
    position = {id(item): n for n, item in enumerate(collected)}
    longest_first(collected)
    order = [(i.path.relative_to(_ROOT).as_posix(), position[id(i)]) for i in collected]
    assert order == [
        (browser, 2),
        (drill, 1),
        (drill, 3),
        ("tests/x/test_small.py", 0),
        ("tests/x/test_small.py", 4),
    ]


def test_unlisted_modules_count_by_their_number_of_tests_and_ties_keep_their_order() -> None:
    collected = items("tests/a/test_one.py", "tests/b/test_many.py", "tests/b/test_many.py")
    collected += items("tests/c/test_also_one.py")
    longest_first(collected)
    assert [i.path.name for i in collected] == [
        "test_many.py",
        "test_many.py",
        "test_one.py",
        "test_also_one.py",
    ]


def test_the_table_is_refreshed_from_durations_output() -> None:
    durations = "\n".join(
        [
            "9.50s call     tests/drills/test_fuzz.py::test_no_endpoint",
            "1.00s setup    tests/drills/test_fuzz.py::test_no_endpoint",
            "3.00s call     tests/dialogs/test_fast.py::test_a",
            "(7044 durations < 0.005s hidden.)",
        ]
    )
    assert measured(durations) == {"tests/drills/test_fuzz.py": 10}
