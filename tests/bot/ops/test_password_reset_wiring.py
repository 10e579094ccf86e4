"""`[password]` reaches every surface: `mailmove profile check` and the served bot.

The twins (`key.new_password`) are put in place where the catalogs are loaded for a profile
(`bot.runtime.build_runtime`, `mailmove profile check`); a profile without the table is
served the catalogs as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import httpx
import pytest

from bot.cli import main
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import client_for

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "password-reset.toml"
URL: Final = "https://member.hikari-mail.example.jp/mail/password"


def test_profile_check_prints_the_page_and_the_sentence_before_the_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["profile", "check", str(EXAMPLE)]) == 0

    out = capsys.readouterr().out
    assert f"new password first: {URL} (“Mail password” on the member page)\n" in out
    assert f"まず会員ページの「メールパスワードの設定」（{URL}）で" in out


@pytest.mark.parametrize(
    ("profile", "said"),
    [
        ("password-reset.toml", "メールのパスワードを新しく設定していただきます"),
        (None, "パスワードは変わりません"),
    ],
)
async def test_the_served_bot_answers_with_the_profiles_words(
    tmp_path: Path, profile: str | None, said: str
) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=EXAMPLE.with_name(profile) if profile else None,
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        created = (await client.post("/api/webchat/conversations", json={})).json()
        url = f"/api/webchat/conversations/{created['conversation_id']}/messages"
        answered = await client.post(url, json={"choice": "topic:password"})
        assert answered.status_code == 200
        texts = " ".join(str(reply.get("text", "")) for reply in answered.json()["replies"])
        assert said in texts
        assert isinstance(client, httpx.AsyncClient)
