"""Looking for secrets on disk: a password must never reach a database or its log."""

from __future__ import annotations

from pathlib import Path


def files_holding(folder: Path, secret: bytes) -> list[Path]:
    """Every file under `folder` (a database, its WAL) whose bytes contain `secret`."""
    return [f for f in folder.rglob("*") if f.is_file() and secret in f.read_bytes()]
