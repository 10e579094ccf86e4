"""Several domains moving to a new one each: a subscriber who skips the address says which.

With a `[provider] new_domain` table (minato-net → kaigan-hikari, minato-biz →
biz.kaigan-hikari) and no address typed, the card, its title, the lines before it and the
guide named only the first domain's pair: a subscriber of the second read another new
domain and would have set a wrong address and account name. The address question goes on
without an address by one button per affected domain, and everything after follows it.
"""

from __future__ import annotations

from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import Locale, SettingsReply, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_domain_change import IN_WINDOW, MOVED, TWO_WAYS

NET: Final = "minato-net.example.jp"
BIZ: Final = "minato-biz.example.jp"
SKIP_TYPED: Final[dict[Locale, str]] = {"ja": "入力せずに進みます", "en": "skip"}
LOCALES: Final[tuple[Locale, ...]] = ("ja", "en")


def asked_for_the_address(
    catalogs: Catalogs, locale: Locale, profile: MigrationProfile = TWO_WAYS
) -> Driver:
    driver = Driver(profile, catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.press("yes")
    assert driver.state.stage is Stage.ASK_ADDRESS
    return driver


def to_the_card(driver: Driver) -> str:
    """The program (Thunderbird) and the old outgoing server: the card and guide, said."""
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return "\n".join(reply_as_plain_text(reply) for reply in driver.last.replies)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_second_domain_chosen_is_named_on_the_card_and_in_the_guide(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = asked_for_the_address(catalogs, locale)
    assert driver.offered() == [f"skip:{NET}", f"skip:{BIZ}"]
    assert f"@{BIZ}" in driver.said()

    driver.press(f"skip:{BIZ}")
    said = to_the_card(driver)

    card = next(r for r in driver.last.replies if isinstance(r, SettingsReply))
    assert f"@{BIZ}" in card.title
    assert "@biz.kaigan-hikari.example.jp" in card.title
    rows = {item.key: item.value for item in card.items}
    assert "@biz.kaigan-hikari.example.jp" in rows["address"]
    assert f"@{BIZ}" in rows["address"]
    # The first domain's pair nowhere: not in the lines before the card, the card or the guide.
    assert f"@{NET}" not in said
    assert "@kaigan-hikari.example.jp" not in said
    assert said.count("@biz.kaigan-hikari.example.jp") >= 4


@pytest.mark.parametrize("locale", LOCALES)
def test_skip_typed_asks_which_domain_before_going_on(catalogs: Catalogs, locale: Locale) -> None:
    driver = asked_for_the_address(catalogs, locale)
    driver.type(SKIP_TYPED[locale])

    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.offered() == [f"skip:{NET}", f"skip:{BIZ}"]
    driver.press(f"skip:{NET}")
    said = to_the_card(driver)
    assert "@kaigan-hikari.example.jp" in said
    assert "biz.kaigan-hikari" not in said


def test_the_domain_chosen_is_kept_between_turns_and_forgotten_at_a_restart(
    catalogs: Catalogs,
) -> None:
    driver = asked_for_the_address(catalogs, "ja")
    driver.press(f"skip:{BIZ}")
    stored = DialogState.from_json(driver.state.to_json())
    assert stored.address_domain == BIZ
    driver.type("最初から")
    assert driver.state.address_domain == ""


@pytest.mark.parametrize("locale", LOCALES)
def test_one_pair_or_an_address_typed_reads_as_before(catalogs: Catalogs, locale: Locale) -> None:
    one = asked_for_the_address(catalogs, locale, MOVED)
    assert one.offered() == ["skip"]
    one.press("skip")
    assert one.state.stage is Stage.ASK_PROGRAM

    typed = asked_for_the_address(catalogs, locale)
    typed.type(f"hanako@{BIZ}")
    said = to_the_card(typed)
    assert "hanako@biz.kaigan-hikari.example.jp" in said
    assert typed.state.address_domain == ""


@pytest.mark.parametrize(
    ("locale", "asked", "pairs"),
    [
        (
            "ja",
            "メールアドレスは変わりますか",
            "@minato-net.example.jpまたは@minato-biz.example.jpで終わるアドレスから"
            "それぞれ@kaigan-hikari.example.jp、@biz.kaigan-hikari.example.jpで終わるアドレスに",
        ),
        (
            "en",
            "Will my email address change?",
            "from the address ending in @minato-net.example.jp or @minato-biz.example.jp to the"
            " address ending in @kaigan-hikari.example.jp or @biz.kaigan-hikari.example.jp"
            " respectively",
        ),
    ],
)
def test_asked_before_the_domain_is_known_every_pair_is_named(
    catalogs: Catalogs, locale: Locale, asked: str, pairs: str
) -> None:
    # 「メールアドレスは変わりますか」 at the first question: the first pair alone told a
    # subscriber of the second domain another new address.
    driver = Driver(TWO_WAYS, catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.type(asked)
    assert pairs in driver.said()


def test_each_domain_button_is_a_button_every_channel_takes(catalogs: Catalogs) -> None:
    # 「@minato-biz.example.jp」's id holds dots and hyphens: the web chat API answered the
    # press 422 (its choice pattern), and Telegram, LINE and Slack kept it as a forged
    # button ("[?]"), so none of them could go on by these buttons.
    # (The web chat's model takes the same pattern: tests/adapters/webchat/test_api_models.py.)
    from dialogs.vocabulary import is_choice_id

    driver = asked_for_the_address(catalogs, "ja")
    for choice in driver.offered():
        assert is_choice_id(choice), choice
    assert not is_choice_id("skip:minato biz.example.jp")
    assert not is_choice_id("skip:" + "a" * 254)
