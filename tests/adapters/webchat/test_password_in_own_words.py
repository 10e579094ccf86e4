"""Passwords typed in a subscriber's own words, over HTTP against the real app (subscriber18).

Each was stored as typed: a word of letters alone after 'my password is' ('dragon',
'sunshine'), 'purple monkey 77' and 'tama the cat' after it, a correction sent as its own
message ('sorry I meant hanako78'), letters before the word ('hanako is my password'),
「娘の名前の、ゆきです」 (ゆき read as a verb), 「桜です」 after 「パスワードは」, a name introduced
(「「ゆうと」と申します」), and 「taro / sakura2009」 before the address is known. The previous
message announced the password, so the next is it, whatever it is.

One app serves every case (a conversation each): the SQLite file and its WAL, the JSON log,
the history and the reply must hold no piece of the password.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import structlog

from bot.ops.logging_setup import configure_json_logging
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving


@dataclass(frozen=True, slots=True)
class Chat:
    client: httpx.Client
    store: Path
    log: io.StringIO


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chat]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    log = io.StringIO()
    configure_json_logging(level=logging.DEBUG, stream=log)
    store = tmp_path_factory.mktemp("own_words")
    app = build_app(Settings(store_url=f"sqlite:///{store}/s.sqlite3"), clock=fixed_clock())
    try:
        with serving(app) as url, httpx.Client(base_url=url) as client:
            yield Chat(client, store, log)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        structlog.reset_defaults()


CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("en", ("my password is", "dragon"), ("dragon",)),
    ("en", ("my password is", "sunshine"), ("sunshine",)),
    ("en", ("my password is", "purple monkey 77"), ("purple", "monkey 77")),
    ("en", ("my password is", "tama the cat"), ("tama",)),
    ("en", ("my password is hanako77", "sorry I meant hanako78"), ("hanako77", "hanako78")),
    ("en", ("hanako is my password",), ("hanako",)),
    ("ja", ("パスワードは娘の名前の、ゆきです",), ("ゆき",)),
    ("ja", ("パスワードは", "娘の名前の、ゆきです"), ("ゆき",)),
    ("ja", ("パスワードは", "桜です"), ("桜",)),
    ("ja", ("パスワードは", "息子の名前で「ゆうと」と申します"), ("ゆうと",)),
    ("ja", ("taro / sakura2009",), ("sakura2009",)),
)


@pytest.mark.parametrize(("locale", "typed", "pieces"), CASES)
def test_the_password_is_in_no_file_log_history_or_reply(
    chat: Chat, locale: str, typed: tuple[str, ...], pieces: tuple[str, ...]
) -> None:
    created = chat.client.post("/api/webchat/conversations", json={"locale": locale})
    path = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
    answers = [chat.client.post(path, json={"text": text}).json() for text in typed]
    assert "********" in answers[-1]["said"]
    history = chat.client.get(path).json()
    seen = [str(answers).lower(), str(history).lower(), chat.log.getvalue().lower()]
    files = [stored.read_bytes().lower() for stored in chat.store.glob("s.sqlite3*")]
    assert '"event"' in chat.log.getvalue()
    assert any(b"********" in data for data in files)
    for piece in pieces:
        assert all(piece.lower() not in text for text in seen)
        assert all(piece.lower().encode() not in data for data in files)
