"""「さっきのはパスワードです」 in the web chat, over HTTP against the real app.

A token a local part may be (「Kq7xyz99」) typed where the address was asked was said back
as 「kq7xyz99@vp.117.ne.jp」 and kept. Told it was the password, the bot now withdraws that
message and its answer from the record. Read again (a reload), the page's history holds
no trace of it, and the two withdrawn lines say so in the chat's language, not in the
store's English marks.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import WITHDRAWN_REPLY_TEXT, WITHDRAWN_TEXT
from dialogs.vocabulary import Locale
from testbed.clock import fixed_clock
from testbed.loopback import serving


@pytest.mark.parametrize(
    ("locale", "taken_back"),
    [("ja", "さっきのはパスワードです"), ("en", "sorry, that was my password")],
)
def test_the_history_read_again_shows_no_trace_and_says_so_in_its_language(
    tmp_path: Path, catalogs: Catalogs, locale: Locale, taken_back: str
) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        created = client.post("/api/webchat/conversations", json={"locale": locale})
        path = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
        client.post(path, json={"choice": "settings"})
        client.post(path, json={"text": "Kq7xyz99"})
        answer = client.post(path, json={"text": taken_back}).json()
        texts = [reply.get("text", "") for reply in answer["replies"]]
        assert catalogs(locale, "password_taken_back.withdrawn") in texts
        history = client.get(path).json()["messages"]
        assert "kq7xyz99" not in str(history).lower()
        shown = [line.get("text") for line in history]
        assert catalogs(locale, "password_taken_back.line") in shown
        assert catalogs(locale, "password_taken_back.reply_line") in shown
        assert WITHDRAWN_TEXT not in shown
        assert WITHDRAWN_REPLY_TEXT not in shown
    for stored in tmp_path.glob("s.sqlite3*"):
        assert b"Kq7xyz99" not in stored.read_bytes()
        assert b"kq7xyz99" not in stored.read_bytes()
