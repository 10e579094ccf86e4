"""Problems as subscribers bring them, over HTTP against the real app under uvicorn.

The problem sweep's worst misreadings through the web chat API: a dialect's "mail stopped
coming" (not understood), the iPhone's password error quoting the server (masked as a typed
password, the error never answered), and an Outlook code typed with a letter O (not
understood). Each gets its fix, and the questionnaire goes on where it was.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving


def conversation(client: httpx.Client) -> str:
    created = client.post("/api/webchat/conversations", json={"locale": "ja"})
    assert created.status_code == 201
    return str(created.json()["conversation_id"])


def say(client: httpx.Client, conversation_id: str, **body: str) -> str:
    answer = client.post(f"/api/webchat/conversations/{conversation_id}/messages", json=body)
    assert answer.status_code == 200
    return "\n".join(str(reply.get("text", "")) for reply in answer.json()["replies"])


def test_problems_in_their_words_over_http(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        chat = conversation(client)
        said = say(client, chat, text="メールが全然来んくなったんやけど")
        assert "うまく読み取れませんでした" not in said
        assert "vpop.117.ne.jp" in said
        # The first question is answered by the report; the next one is asked.
        assert "117net以外のプロバイダ" in said

        chat = conversation(client)
        said = say(
            client,
            chat,
            text='パスワードが正しくありません\n"vpop.117.ne.jp"のユーザ名またはパスワードが正しくありません。',
        )
        assert "書き込まないで" not in said
        assert "メールアドレス全体" in said

        chat = conversation(client)
        say(client, chat, choice="yes")
        said = say(client, chat, text="0x800CCCOE って出てます")
        assert "うまく読み取れませんでした" not in said
        assert "587" in said
        assert "vsmtp.117.ne.jp" in said
