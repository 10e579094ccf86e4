"""「前のアドレスはいつまで使えますか」 on a profile whose old address stays the sender a while.

Imagined notice of another provider (profile3), on `examples/domain-change.toml`:

    2027年2月1日(月)から3月31日(水)までに、メールソフトの設定を新しいサーバーと新しいアドレス
    （@kaigan-hikari.example.jp）に変更してください。旧アドレスあてのメールは2027年9月30日(木)
    まで転送されます。差出人を旧アドレスのままで送信できるのは2027年4月30日(金)までです。

The dates question answered when mail to the old address stops arriving and said nothing of
sending from it, which `[schedule] old_sender_until` says, and which 「いつまで使えますか」
asks too; only the lines before the card said it. Now the dates name it: until its day, after
it (that it could), and on a profile without it, nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile, parse_profile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver
from tests.dialogs.test_domain_change import IN_WINDOW, MOVED, with_changes

SENDER_UNTIL: Final = dt.date(2027, 4, 30)


def sender_lags() -> MigrationProfile:
    return parse_profile(with_changes(schedule={"old_sender_until": SENDER_UNTIL}), "moved.toml")


def dates_asked(
    catalogs: Catalogs, profile: MigrationProfile, locale: Locale, today: dt.date
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    if locale == "ja":
        driver.type("前のアドレスはいつまで使えますか")
    else:
        driver.press("topic:schedule")
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "today", "expected"),
    [
        # The address not typed yet: the old and new are named by their domains.
        (
            "ja",
            IN_WINDOW,
            "メールソフトの「メールアドレス」の欄（相手に表示される差出人のアドレス）は、"
            "2027年4月30日(金)までは今の@minato-net.example.jpで終わるアドレスのままでも送信できます。",
        ),
        (
            "en",
            IN_WINDOW,
            "in your mail program's e-mail address field (the sender's address people see)"
            " until Friday 30 April 2027.",
        ),
        (
            "ja",
            dt.date(2027, 5, 10),
            "差出人のアドレスを@minato-net.example.jpで終わるアドレスのままで送信できたのは、"
            "2027年4月30日(金)までです。",
        ),
    ],
)
def test_the_dates_say_until_when_the_old_address_may_stay_the_sender(
    catalogs: Catalogs, locale: Locale, today: dt.date, expected: str
) -> None:
    said = dates_asked(catalogs, sender_lags(), locale, today)

    assert expected in said, said
    # Said among the dates, after the forwarding's day; not with the card's 「ただし」.
    assert said.index(expected) > said.index("2027"), said
    assert "ただし、メールソフトの" not in said, said


def test_without_old_sender_until_the_dates_say_nothing_of_the_sender(
    catalogs: Catalogs,
) -> None:
    said = dates_asked(catalogs, MOVED, "ja", IN_WINDOW)

    assert "2027年9月30日(木)までは、" in said, said
    assert "差出人" not in said, said


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [
        ("ja", "古いアドレスから送信できますか", "2027年4月30日(金)までは今の"),
        ("ja", "差出人は前のアドレスのままでいいですか", "2027年4月30日(金)までは今の"),
        ("ja", "前のアドレスのままで送れますか？", "2027年4月30日(金)までは今の"),
        ("en", "Can I still send from my old address?", "Until Friday 30 April 2027, though"),
        ("en", "can I keep my old address as the sender?", "Until Friday 30 April 2027, though"),
    ],
)
def test_sending_from_the_old_address_asked_is_answered_with_its_day(
    catalogs: Catalogs, locale: Locale, typed: str, expected: str
) -> None:
    # 「申し訳ありません、そのご質問にはうまくお答えできませんでした」 before: the address answer
    # now says the address changes, until when the old one may stay the sender, and the rest.
    driver = Driver(sender_lags(), catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.type(typed)

    said = driver.said()
    assert expected in said, said
    assert {"ja": "メールアドレスが", "en": "your e-mail address changes from"}[locale] in said, (
        said
    )
