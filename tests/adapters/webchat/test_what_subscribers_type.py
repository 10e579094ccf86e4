"""What subscribers type, over HTTP against the real app under uvicorn: the round-3 sweep.

A certificate warning at the first question (was read as "no": nothing to change), two
programs at the program question (was "Other mail program"), and another provider's name in
katakana, its profile's alias (was not understood).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving

SAKURA = Path(__file__).parents[2] / "dialogs" / "sakura_net.toml"


def conversation(client: httpx.Client) -> str:
    created = client.post("/api/webchat/conversations", json={"locale": "ja"})
    assert created.status_code == 201
    return str(created.json()["conversation_id"])


def say(client: httpx.Client, conversation_id: str, **body: str) -> str:
    answer = client.post(f"/api/webchat/conversations/{conversation_id}/messages", json=body)
    assert answer.status_code == 200
    return "\n".join(str(reply.get("text", "")) for reply in answer.json()["replies"])


def test_the_seed_over_http(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        chat = conversation(client)
        said = say(client, chat, text="このサーバーのセキュリティ証明書は信頼されていません")
        assert "設定の変更は必要ありません" not in said
        assert "vpop.117.ne.jp" in said
        assert "暗号化：なし" in said

        chat = conversation(client)
        say(client, chat, choice="yes")
        say(client, chat, choice="no")
        say(client, chat, text="taro@vp.117.ne.jp")
        said = say(client, chat, text="iPhoneとパソコンのOutlook")
        assert "1つずつ" in said
        assert "その他のメールソフトをお使い" not in said


def test_another_providers_alias_over_http(tmp_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=SAKURA)
    app = build_app(settings, clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        chat = conversation(client)
        say(client, chat, choice="yes")
        said = say(client, chat, text="さくらネットのサーバーです")
        assert "うまく読み取れませんでした" not in said
        assert "送信の設定：変更が必要です" in said
