"""First messages that are error messages, over HTTP against the real app (subscriber14).

Gmail's "Check mail from other accounts" refusal (「サーバーは指定されたユーザー名とパスワード
での POP3 アクセスを拒否しました」) was the question whether the password changes; a complaint
ending 「どうなってるんですか？」 a question nobody could answer; Outlook's data file error the
first question's yes. After the window too, each gets its own answer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving

IN_WINDOW = dt.datetime(2008, 6, 1, 10, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2008, 6, 21, 10, 0, tzinfo=dt.UTC)


def conversation(client: httpx.Client, locale: str = "ja") -> str:
    created = client.post("/api/webchat/conversations", json={"locale": locale})
    assert created.status_code == 201
    return str(created.json()["conversation_id"])


def say(client: httpx.Client, conversation_id: str, **body: str) -> str:
    answer = client.post(f"/api/webchat/conversations/{conversation_id}/messages", json=body)
    assert answer.status_code == 200
    return "\n".join(str(reply.get("text", "")) for reply in answer.json()["replies"])


@pytest.mark.parametrize("moment", [IN_WINDOW, AFTER], ids=["in-window", "after"])
def test_error_messages_as_first_messages_over_http(tmp_path: Path, moment: dt.datetime) -> None:
    app = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock(moment)
    )
    with serving(app) as url, httpx.Client(base_url=url) as client:
        chat = conversation(client)
        said = say(
            client,
            chat,
            text="Gmailの他のアカウントのメールを確認で「サーバーは指定されたユーザー名とパスワード"
            "での POP3 アクセスを拒否しました」と出ます",
        )
        assert "ログインを受け付けていません" in said
        assert "メールアドレス全体" in said

        chat = conversation(client)
        said = say(client, chat, text="昨日からメールが全然来ないんだけど、どうなってるんですか？")
        assert "vpop.117.ne.jp" in said
        assert "うまく読み取れませんでした" not in said

        chat = conversation(client)
        said = say(client, chat, text="Outlookデータファイルにアクセスできません")
        assert "直りません" in said
        assert "担当者" in said
        assert "vpop.117.ne.jp" not in said
        assert "「はい」としてお答えを受け取りました" not in said


def test_english_error_messages_as_first_messages_over_http(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock(AFTER))
    with serving(app) as url, httpx.Client(base_url=url) as client:
        chat = conversation(client, "en")
        said = say(
            client, chat, text="Server denied POP3 access for the given username and password."
        )
        assert "does not accept the login" in said

        # A code no rule knows: its sentence asked for (not the number just typed), a person
        # offered.
        chat = conversation(client, "en")
        said = say(client, chat, text="0x800420CD")
        assert "a number like 0x800CCC0F" not in said
        assert "agent" in said
