"""Hashed installs (issue 15, finding 15): constraints.txt pins everything, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Final

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT: Final = Path(__file__).resolve().parents[1]
CONSTRAINTS: Final = ROOT / "constraints.txt"
# One requirement with its continuation lines: `name==1.0 ; marker \` then `--hash=...` lines.
_ENTRY: Final = re.compile(
    r"^(?P<line>[A-Za-z0-9][^\n]*?)\s*\\\n(?P<hashes>(?:[ \t]+--hash=[^\n]*\n?)+)", re.M
)


def entries() -> list[tuple[Requirement, list[str]]]:
    text = CONSTRAINTS.read_text(encoding="utf-8")
    found = []
    for match in _ENTRY.finditer(text):
        hashes = re.findall(r"--hash=(\S+)", match["hashes"])
        found.append((Requirement(match["line"]), hashes))
    return found


def requirement_lines() -> list[str]:
    text = CONSTRAINTS.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"]


def test_every_pinned_package_carries_its_hashes() -> None:
    lines = requirement_lines()
    parsed = entries()
    # Every requirement line is one of the parsed entries: none without hashes.
    assert len(parsed) == len(lines), "a requirement in constraints.txt has no --hash"
    for requirement, hashes in parsed:
        [specifier] = requirement.specifier
        assert specifier.operator == "==", requirement
        assert hashes, requirement
        assert all(h.startswith("sha256:") and len(h) == len("sha256:") + 64 for h in hashes)


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize("wanted", declared(), ids=str)
def test_every_dependency_of_pyproject_is_pinned_within_its_range(wanted: Requirement) -> None:
    pinned = {
        canonicalize_name(requirement.name): requirement
        for requirement, _ in entries()
        if requirement.marker is None or requirement.marker.evaluate()
    }
    name = canonicalize_name(wanted.name)
    assert name in pinned, f"{wanted.name} is not in constraints.txt: run `make constraints`"
    [pin] = pinned[name].specifier
    assert wanted.specifier.contains(pin.version, prereleases=True), (wanted, pin)


def test_the_installer_and_the_build_backend_are_pinned_too() -> None:
    names = {canonicalize_name(requirement.name) for requirement, _ in entries()}
    # The editable install builds with the pinned setuptools, no build isolation.
    assert {"pip", "setuptools", "uv"} <= names


def test_make_installs_with_require_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP): pyproject.toml constraints.txt", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes --no-deps" in recipe
    assert "-r constraints.txt" in recipe
    assert "--no-deps --no-build-isolation -e ." in recipe


def image_lock() -> dict[str, tuple[str, frozenset[str]]]:
    """deploy/requirements.txt (the image's runtime lock): name → (version, hashes)."""
    text = (ROOT / "deploy" / "requirements.txt").read_text(encoding="utf-8")
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for match in _ENTRY.finditer(text):
        requirement = Requirement(match["line"])
        [specifier] = requirement.specifier
        hashes = frozenset(re.findall(r"--hash=(\S+)", match["hashes"]))
        found[canonicalize_name(requirement.name)] = (specifier.version, hashes)
    return found


def test_the_images_lock_has_the_pins_and_hashes_of_constraints() -> None:
    # The Dockerfile installs deploy/requirements.txt with --require-hashes (pip 24 refuses a
    # hashed constraints file beside an unpinned `.`); it must be constraints.txt's runtime
    # part, not a second resolution that drifts.
    pinned: dict[str, tuple[str, frozenset[str]]] = {
        canonicalize_name(requirement.name): (
            next(iter(requirement.specifier)).version,
            frozenset(hashes),
        )
        for requirement, hashes in entries()
    }
    lock = image_lock()
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {canonicalize_name(Requirement(d).name) for d in runtime["dependencies"]} <= set(lock)
    for name, (version, hashes) in lock.items():
        assert name in pinned, f"{name} is in the image's lock but not in constraints.txt"
        assert pinned[name][0] == version, f"{name}: image {version}, constraints {pinned[name][0]}"
        assert hashes <= pinned[name][1], f"{name}: a hash the constraints do not know"
