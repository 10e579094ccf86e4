"""A real disk that fills up under a test: a small tmpfs, else a file-size limit (no mount).

A full disk is what the operator meets (the SQLite file's folder out of space), and SQLite
behaves there as nowhere else: the failed COMMIT leaves its frames' space at the end of the
WAL for the next, smaller write. `PRAGMA max_page_count` only imitates it.

Mounting a tmpfs needs root with CAP_SYS_ADMIN, which a container may lack even as root (CI
on a fresh machine: `mount` refused). There the test must neither skip nor fail, so the
disk becomes this process's own RLIMIT_FSIZE (no privilege needed): `fill` lowers the soft
limit to the largest file's size plus what it leaves, and the kernel refuses to grow any
file past it, as a full disk refuses; `Filler.free` raises it again. SIGXFSZ is ignored
meanwhile, so a write past the limit fails with EFBIG instead of killing the process.
SQLite reports that as SQLITE_IOERR_WRITE ("disk I/O error"), not SQLITE_FULL ("database
or disk is full", ENOSPC): `Disk.full_error` says which the test should expect.

`TESTBED_SMALL_DISK=fsize` forces the file-size limit where mounting works, so the fallback
is tested on every machine (a testbed knob, not a setting of mailmove's).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FORCE_VARIABLE = "TESTBED_SMALL_DISK"
# What SQLite's message is once the disk is full, on each kind of disk.
ENOSPC_ERROR = "database or disk is full"
EFBIG_ERROR = "disk I/O error"


@dataclass(frozen=True, slots=True)
class Disk:
    """A folder that fills up, and how: "tmpfs" (a mounted tmpfs) or "fsize" (RLIMIT_FSIZE)."""

    path: Path
    kind: str

    @property
    def full_error(self) -> str:
        """SQLite's message for a write that found no room on this disk."""
        return ENOSPC_ERROR if self.kind == "tmpfs" else EFBIG_ERROR

    def __truediv__(self, name: str) -> Path:
        return self.path / name


@dataclass(frozen=True, slots=True)
class Filler:
    """What took the disk's space; `free` gives it back."""

    disk: Disk
    file: Path | None

    def free(self) -> None:
        if self.file is not None:
            self.file.unlink()
        else:
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))


@contextmanager
def small_disk(folder: Path, kilobytes: int) -> Iterator[Disk]:
    """`folder` as a disk of about `kilobytes` that `fill` can fill; put back as it was on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    refused = _mount(folder, kilobytes)
    if refused is None:
        try:
            yield Disk(folder, "tmpfs")
        finally:
            # Lazily: a file the test left open (a failed test's store) must not keep it mounted.
            umount = shutil.which("umount") or "/bin/umount"
            subprocess.run([umount, "-l", str(folder)], check=True)  # noqa: S603 - fixed argv
        return
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        yield Disk(folder, "fsize")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, handler)


def fill(disk: Disk, leaving: int) -> Filler:
    """Take all of `disk`'s free space but about `leaving` bytes; `Filler.free` gives it back."""
    if disk.kind == "tmpfs":
        stats = os.statvfs(disk.path)
        filler = disk.path / "filler"
        filler.write_bytes(bytes(max(stats.f_bavail * stats.f_frsize - leaving, 0)))
        return Filler(disk, filler)
    # The limit is per file, not per folder: the file that grows (SQLite's WAL) may grow by
    # `leaving`, as it could on a tmpfs with that much left.
    largest = max((f.stat().st_size for f in disk.path.rglob("*") if f.is_file()), default=0)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + leaving, hard))
    return Filler(disk, None)


def _mount(folder: Path, kilobytes: int) -> str | None:
    """Mount a tmpfs of `kilobytes` (only its owner may enter) on `folder`; why not, if not."""
    if os.environ.get(FORCE_VARIABLE, "") == "fsize":
        return f"{FORCE_VARIABLE}=fsize"
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    mount = shutil.which("mount") or "/bin/mount"
    mounted = subprocess.run(  # noqa: S603 - fixed argv, a folder of the test's own
        [mount, "-t", "tmpfs", "-o", f"size={kilobytes}k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return mounted.stderr.strip() or "mount failed" if mounted.returncode else None
