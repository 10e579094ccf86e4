"""An address pasted with a zero-width mark in it is checked, as the chat reads it.

Pages that break long addresses put a zero-width space (U+200B) in them, a copied line can
start with a byte-order mark (U+FEFF), and a word joiner or soft hyphen rides along. The chat
reads through them (`dialogs.understanding`); the check page asked again: 「移行する
メールアドレスだけです…@の後ろまで正しく入力してください」 for a domain that looked right, or
「@より前に…（漢字やかななど）」 for a name without any, and the subscriber could see nothing
to correct. A direction control (U+202E) still is no address: it is asked again.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.mailcheck.check_page import read_address
from bot.ops.profile_loader import load_profile
from tests.bot.mailcheck.check_flow import ADDRESS, PASSWORD, chat_to_check_link

SEED = Path(__file__).resolve().parents[3] / "examples" / "117net.toml"
LOCAL, _, DOMAIN = ADDRESS.partition("@")


@pytest.mark.parametrize(
    "pasted",
    [
        f"{LOCAL}@\u200b{DOMAIN}",  # a page's break before the domain
        f"{ADDRESS}\u200b",
        f"\ufeff{ADDRESS}",
        f"{LOCAL}\u2060@{DOMAIN}",
        f"{LOCAL[:2]}\u00ad{LOCAL[2:]}@{DOMAIN}",
        f"\u200b{ADDRESS.upper()}\u200c",
    ],
    ids=["zwsp-in-domain", "zwsp-after", "bom", "word-joiner", "soft-hyphen", "around"],
)
def test_zero_width_marks_are_read_through(pasted: str) -> None:
    assert read_address(pasted, load_profile(SEED)) == (ADDRESS, "")


def test_a_direction_control_is_still_asked_again() -> None:
    assert read_address(f"ta\u202ero@{DOMAIN}", load_profile(SEED))[1] == "address_characters"


async def test_the_pasted_address_logs_in(client: httpx.AsyncClient) -> None:
    _, path = await chat_to_check_link(client)

    done = await client.post(
        path, data={"address": f"{LOCAL}@\u200b{DOMAIN}\u200b", "password": PASSWORD}
    )

    assert done.status_code == 200
    assert "ログインを確認できました" in done.text
    assert "\u200b" not in done.text
