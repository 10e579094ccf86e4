"""A guide's sentence says お使い once, with or without the subscriber's address.

Without an address the guides write it 「@vp.117.ne.jpで終わるお使いのメールアドレス」, and the
steps that open a program's account read 「お使いのメールソフトで、@vp.117.ne.jpで終わるお使いの
メールアドレスのアカウント設定…」 (the generic guide; and the new-account guides of every profile
that moves to IMAP): 「お使いの」 twice in one sentence. The program is the one the subscriber
chose, so 「メールソフトで」 alone says it. The catalogs' own sentences likewise: 「今お使いの
パスワードをそのままお使いください」, 「Webメールだけをお使いの場合は、…そのままお使いいただけます」
and 「…お使いでないため、…お使いの送信サーバー側に…」 now say ご利用 or nothing the second time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import ChoicesReply, Locale, TextReply, VerdictReply
from tests.dialogs.driver import Driver

_ROOT: Final = Path(__file__).resolve().parents[2]
PROFILES: Final = sorted(
    [*(_ROOT / "examples").glob("*.toml"), *(_ROOT / "tests" / "dialogs").glob("*.toml")]
)
# The generic guide opens with guide.other.open.1; Thunderbird's takes the new-account
# opening where the profile moves to IMAP (guide.new_account.open*).
PROGRAMS: Final = ("other", "thunderbird")
_MOST_TURNS: Final = 12


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=。)|\n", text)


def test_no_catalog_sentence_says_your_twice(catalogs: Catalogs) -> None:
    twice = {
        key: sentence
        for key in catalogs.keys("ja")
        for sentence in _sentences(catalogs.raw("ja", key))
        if sentence.count("お使い") > 1
    }
    assert twice == {}


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("path", PROFILES, ids=lambda path: path.name)
def test_no_sentence_says_your_twice_without_an_address(
    catalogs: Catalogs, path: Path, program: str
) -> None:
    driver = Driver(load_profile(path), catalogs)
    driver.start("ja")
    for _ in range(_MOST_TURNS):
        offered = (
            driver.offered()
            if any(isinstance(r, ChoicesReply) for r in driver.last.replies)
            else []
        )
        press = next((c for c in ("skip", f"program:{program}", "yes") if c in offered), None)
        if press is None:
            break
        driver.press(press)
    said = [
        r.text
        for r in driver.all_replies()
        if isinstance(r, TextReply | ChoicesReply | VerdictReply)
    ]
    assert any("手順" in text for text in said), "no guide was given"
    sentences = [s for text in said for s in _sentences(text)]
    assert [s for s in sentences if s.count("お使い") > 1] == []


@pytest.mark.parametrize("topic", ["topic:account", "topic:address"])
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_account_answer_gives_no_example_that_is_no_address(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, topic: str
) -> None:
    # Without an address {username} is words, and 「メールアドレス全体（例：@vp.117.ne.jpで終わる
    # お使いのメールアドレス）」 / "(for example your e-mail address ending in …)" gave a
    # description as the example. problem.login_failed says 「メールアドレス全体（…）」.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("menu")
    driver.press(topic)
    said = driver.said()
    words = catalogs(locale, "settings.address_placeholder", domain="vp.117.ne.jp")
    assert words in said
    assert f"例：{words}" not in said
    assert f"for example {words}" not in said
