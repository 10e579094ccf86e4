"""What the operator must change when the SQLite store's file cannot be made or written.

A volume mounted owned by root under a container running as uid 10001, a file copied in by
root from a backup, a read-only root file system: start-up said only "<path>: Permission
denied", "Operation not permitted" (the store's chmod of a file it does not own) or "attempt
to write a readonly database", and the operator had to guess which of the folder and the
file, whose, and what to run. `explain` names them and the command.
"""

from __future__ import annotations

import errno
import os
import pwd
import sqlite3
import stat
from pathlib import Path
from typing import Final

# SQLite's words for a file or folder it may not write (its own errors carry no errno).
_SQLITE_REFUSALS: Final = ("readonly database", "unable to open database file")
_DENIED: Final = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def explain(path: Path, err: OSError | sqlite3.Error) -> str | None:
    """How to make `path` usable after `err` at start-up; None if not about access or space."""
    try:
        return _explain(path, err)
    except OSError:
        # A folder above it that the user may not even look into: the reason alone.
        return None


def _explain(path: Path, err: OSError | sqlite3.Error) -> str | None:
    if "disk is full" in str(err):
        return _disk_full(path)
    if isinstance(err, OSError):
        if err.errno not in _DENIED:
            return None
    elif not any(words in str(err) for words in _SQLITE_REFUSALS):
        return None
    folder = _existing_ancestor(path.parent)
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return (
            f"the file system of {folder} is read-only: put the store on a writable volume"
            " (MAILMOVE_STORE names its file)"
        )
    uid = os.geteuid()
    who = _user(uid)
    if uid == 0:
        # Root passes every owner and mode: what refuses it is no chown's to fix.
        return _refused_anyway(who, folder, path)
    if folder != path.parent:
        return (
            f"mailmove runs as {who} and cannot make the folder {path.parent} in {folder}:"
            f" make it that user's (mkdir -p {path.parent} && chown {uid} {path.parent}), or point"
            " MAILMOVE_STORE at a folder that user owns"
        )
    # The folder must take the WAL's new files; the files must be the user's own, since the
    # store makes them 0600 and only an owner may change a mode.
    files = [f for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if f.exists()]
    refused = [folder] if not _usable(folder) else []
    refused += [f for f in files if f.stat().st_uid != uid or not _usable(f)]
    theirs = [p for p in refused if p.stat().st_uid != uid]
    fixes = [f"chown {uid} {' '.join(map(str, theirs))}"] if theirs else []
    fixes += [f"chmod u+rw{'x' if p.is_dir() else ''} {p}" for p in refused if p not in theirs]
    if refused:
        first = refused[0].stat()
        return (
            f"mailmove runs as {who}, and {refused[0]} is {_user(first.st_uid)}'s, mode"
            f" {stat.S_IMODE(first.st_mode):04o}: {'; '.join(fixes)} (mailmove then keeps"
            " the file 0600), or point MAILMOVE_STORE at a folder that user owns"
        )
    return _refused_anyway(who, folder, path)


def _refused_anyway(who: str, folder: Path, path: Path) -> str:
    # Owned and open to the user (or the user is root), yet refused: an attribute
    # (chattr +i) or a security module (SELinux, AppArmor) says no.
    return (
        f"mailmove runs as {who}, which may write {folder} by its owner and mode, yet the"
        f" system refuses: look for an immutable attribute (lsattr -d {folder}"
        f"{' ' + str(path) if path.exists() else ''}) or a security module's denial"
    )


def _disk_full(path: Path) -> str:
    """Which disk is full, how full, and what to do.

    Said alone ("database or disk is full"), the operator was not told which disk, nor that
    the file was left usable: the next start, with space, opens it as it is (e30ddd3).
    """
    folder = _existing_ancestor(path.parent)
    try:
        free = os.statvfs(folder)
    except OSError:
        return "free space on its disk, then start mailmove again"
    kib = free.f_bavail * free.f_frsize // 1024
    return (
        f"the disk holding {folder} has {kib} KiB free; free space there (or point"
        " MAILMOVE_STORE at another disk), then start mailmove again"
    )


def _existing_ancestor(folder: Path) -> Path:
    """`folder`, or the nearest folder above it that exists (the store makes the rest)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _usable(path: Path) -> bool:
    need = os.W_OK | os.X_OK if path.is_dir() else os.R_OK | os.W_OK
    return os.access(path, need, effective_ids=True)


def _user(uid: int) -> str:
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid}"
