"""「さっきのはパスワードです」 after the card leaves no trace of the address in the web chat.

The address typed where it was asked was the password's local part; the subscriber pressed on
to the settings card of iPhone/iPad Mail (the card, the guide, the Apple file's link and its
file name all say it back), then said it was their password. The card's lines say the
address in words, as the card without an address does; the Apple file's name
(「abc12345-mail.mobileconfig」) kept it in the history and on disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.redaction import MASK
from testbed.clock import fixed_clock
from testbed.loopback import serving

TOKEN = "abc12345"


def test_the_history_and_the_store_hold_no_trace_of_the_address(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        created = client.post("/api/webchat/conversations", json={"locale": "ja"})
        path = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
        client.post(path, json={"choice": "settings"})
        client.post(path, json={"text": f"{TOKEN}@vp.117.ne.jp"})
        client.post(path, json={"choice": "program:ios_mail"})
        card = client.post(path, json={"choice": "yes"}).json()["replies"]
        kinds = [reply["type"] for reply in card]
        assert "settings" in kinds
        assert "file" in kinds
        assert TOKEN in json.dumps(card)
        client.post(path, json={"text": "さっきのはパスワードです"})
        messages = client.get(path).json()["messages"]
        history = json.dumps(messages, ensure_ascii=False)
        assert TOKEN not in history
        # The card and the guide stay, the address in words (no asterisks, which read as a
        # hidden password). Only the greeting has them: it quotes the notice's own notation,
        # 「********@vp.117.ne.jp」, beside the words (8089cc3).
        assert "新しい設定（@vp.117.ne.jpで終わるお使いのメールアドレス）" in history
        assert f"{MASK}@" in messages[0]["reply"]["text"]
        assert f"{MASK}@" not in json.dumps(messages[1:], ensure_ascii=False)
    for stored in tmp_path.glob("s.sqlite3*"):
        assert TOKEN.encode() not in stored.read_bytes()
