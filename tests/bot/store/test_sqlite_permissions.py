"""A SQLite store its user may not write: one line that names what to change, and how.

A volume mounted owned by root under the image's uid 10001, or a backup restored by root
over the store's file, stopped `mailmove serve` with "<path>: Permission denied" (or
"Operation not permitted", the store's chmod of a file it does not own): which of the
folder and the file, whose, and what to run was left to guess. The test runs the store as
another user for real: as root (CI) it takes uid 65534 as its effective uid for the open,
which the kernel then refuses as it refuses that user.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore

NOBODY: Final = 65534


@contextmanager
def _as_another_user(tmp_path: Path) -> Iterator[int]:
    """Run the block as a user who owns nothing here (root: uid 65534); yield its uid."""
    if os.geteuid() != 0:
        # Not root: the files are this user's own, and a mode is what refuses it.
        yield os.geteuid()
        return
    # The user must reach tmp_path to be refused at the store's own folder, not above it.
    for folder in (tmp_path, *tmp_path.parents):
        if folder.stat().st_uid != 0 or folder.stat().st_mode & 0o001:
            break
        folder.chmod(folder.stat().st_mode | 0o001)
    # Its group too: with root's group the folders' group bits, not the others', would apply.
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield NOBODY
    finally:
        os.seteuid(0)
        os.setegid(0)


async def _refusal(path: Path, tmp_path: Path) -> tuple[str, int]:
    store = SQLiteStore(path)
    with _as_another_user(tmp_path) as uid, pytest.raises(StoreUnavailableError) as raised:
        await store.open()
    return str(raised.value), uid


async def test_a_folder_of_someone_else_names_the_folder_and_the_chown(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    folder.mkdir(mode=0o755)
    if os.geteuid() != 0:
        folder.chmod(0o555)

    said, uid = await _refusal(folder / "mailmove.sqlite3", tmp_path)

    assert said.startswith(f"{folder / 'mailmove.sqlite3'}: Permission denied: "), said
    assert f"mailmove runs as uid {uid}" in said, said
    if uid == NOBODY:
        assert f"{folder} is uid 0 (root)'s, mode 0755: chown {uid} {folder} " in said, said
    else:
        assert f"chmod u+rwx {folder}" in said, said
    assert "or point MAILMOVE_STORE at a folder that user owns" in said


async def test_a_file_restored_by_someone_else_names_the_file_and_the_chown(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "var"
    folder.mkdir(mode=0o700)
    path = folder / "mailmove.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, -1)
    else:
        path.chmod(0o400)

    said, uid = await _refusal(path, tmp_path)

    assert said.startswith(f"{path}: Permission denied: mailmove runs as uid {uid}"), said
    if uid == NOBODY:
        assert f"{path} is uid 0 (root)'s, mode 0600: chown {uid} {path} (" in said, said
    else:
        assert f"chmod u+rw {path}" in said, said


async def test_a_folder_that_cannot_be_made_names_where_to_make_it(tmp_path: Path) -> None:
    above = tmp_path / "srv"
    above.mkdir(mode=0o755)
    if os.geteuid() != 0:
        above.chmod(0o555)
    path = above / "var" / "mailmove.sqlite3"

    said, uid = await _refusal(path, tmp_path)

    assert said.startswith(f"{path}: Permission denied: mailmove runs as uid {uid}"), said
    assert said.endswith(
        f" and cannot make the folder {path.parent} in {above}: make it that user's"
        f" (mkdir -p {path.parent} && chown {uid} {path.parent}), or point MAILMOVE_STORE at"
        " a folder that user owns"
    ), said
