"""A password typed where the address was asked for, over HTTP against the real app.

「Zq9xK2pw77」 alone at 「メールアドレスを入力してください」 was kept in the transcript (the
SQLite file and its WAL) and said back as the address 「zq9xk2pw77@vp.117.ne.jp」. A token no
mail account is named like is a password there: masked before it is stored, and warned
about; a local part (「Taro1975」, as a phone capitalises it) is still read as one.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving


def at_the_address_question(client: httpx.Client) -> str:
    created = client.post("/api/webchat/conversations", json={"locale": "ja"})
    conversation = str(created.json()["conversation_id"])
    answer = client.post(
        f"/api/webchat/conversations/{conversation}/messages", json={"choice": "settings"}
    )
    assert answer.status_code == 200
    assert "メールアドレスを入力" in str(answer.json()["replies"])
    return conversation


@pytest.mark.parametrize("typed", ["Zq9xK2pw77", "sakura#2008"])
def test_a_lone_password_at_the_address_question_is_masked_and_stored_nowhere(
    tmp_path: Path, catalogs: Catalogs, typed: str
) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        conversation = at_the_address_question(client)
        path = f"/api/webchat/conversations/{conversation}/messages"
        answer = client.post(path, json={"text": typed}).json()
        assert typed.lower() not in str(answer).lower()
        assert answer["said"] == "********"
        texts = [reply.get("text", "") for reply in answer["replies"]]
        assert catalogs("ja", "secret.warning") in texts
        history = client.get(path).json()["messages"]
        assert "********" in [line["text"] for line in history if line["author"] == "subscriber"]
        assert typed.lower() not in str(history).lower()
    for stored in tmp_path.glob("s.sqlite3*"):
        assert typed.encode() not in stored.read_bytes()


def test_a_local_part_at_the_address_question_is_still_read_as_one(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with serving(app) as url, httpx.Client(base_url=url) as client:
        conversation = at_the_address_question(client)
        path = f"/api/webchat/conversations/{conversation}/messages"
        answer = client.post(path, json={"text": "Taro1975"}).json()
        assert "said" not in answer
        assert "taro1975@vp.117.ne.jp" in str(answer["replies"])
