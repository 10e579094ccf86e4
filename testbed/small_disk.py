"""A real file system that fills up: a tmpfs of a few hundred kilobytes, mounted for one test.

A full disk is what the operator meets (the SQLite file's folder out of space), and SQLite
behaves there as nowhere else: the failed COMMIT leaves its frames' space at the end of the
WAL for the next, smaller write. `PRAGMA max_page_count` only imitates it. Mounting needs
root (as Postfix's tests do); without it the test is skipped, except under CI (`CI=true`),
where it fails instead of testing nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, kilobytes: int) -> Iterator[Path]:
    """`folder` as a tmpfs of `kilobytes` (only its owner may enter), unmounted on exit."""
    mount = shutil.which("mount") or "/bin/mount"
    if os.geteuid() != 0:
        _missing("mounting a tmpfs needs root; these tests are not")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(  # noqa: S603 - fixed argv, a folder of the test's own
        [mount, "-t", "tmpfs", "-o", f"size={kilobytes}k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode:
        _missing(f"cannot mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        # Lazily: a file the test left open (a failed test's store) must not keep it mounted.
        umount = shutil.which("umount") or "/bin/umount"
        subprocess.run([umount, "-l", str(folder)], check=True)  # noqa: S603 - as mount


def fill(folder: Path, leaving: int) -> Path:
    """A file that takes all of `folder`'s free space but `leaving` bytes; delete it to free."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    filler.write_bytes(bytes(max(stats.f_bavail * stats.f_frsize - leaving, 0)))
    return filler


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)
