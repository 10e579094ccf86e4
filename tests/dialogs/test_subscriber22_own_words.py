"""Whole conversations typed in the subscriber's own words (subscriber22's round).

Read wrong before:
- after the new settings, the program's authentication box said to be left off
  (「送信サーバー認証にちぇっくいれてないです」) got the answer to a server's 530, which opens
  with 「送信サーバーが認証を求めています（530など）」, an error they may not have seen;
- 「かいしゃのらんです」「会社のLANです」 at the blocking question (the workplace's network named,
  not whether it blocks) were not understood;
- 「会社のプロバイダーのサーバーです」 at the sending-server question was not understood;
- 「してないとおもう」 at the blocking question was read only with the analyser.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import EXPLAIN_QUESTION, read_text
from dialogs.understanding import Kind
from tests.dialogs.driver import Driver
from tests.dialogs.driver import at_stage as _at

# The answer to a server's 530, and the box's own.
_THE_530 = {"ja": "送信サーバーが認証を求めています", "en": "The outgoing server asks for"}
_THE_BOX = {
    "ja": "送信するときの認証（SMTP認証）がオフのままでは、メールを送信できません。",
    "en": "Mail cannot be sent while authentication for sending (SMTP authentication) is off.",
}
# The blocking question explained: whose blocking it asks about.
_EXPLAINED = {
    "ja": "迷惑メール対策のひとつで",
    "en": "I am asking whether the provider or company whose line",
}


def _delivered(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "送信サーバー認証にちぇっくいれてないです"),
        ("ja", "SMTP認証はオフのままです"),
        ("en", "I did not tick smtp authentication"),
    ],
)
def test_the_box_left_off_after_the_settings_is_answered_without_the_530(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # It opened with 「送信サーバーが認証を求めています（530など）」 and ended with 「設定を
    # 変えたあとも同じ表示が続く場合は」: an error they had not said they saw.
    driver = _delivered(profile, catalogs, locale)
    driver.type(typed)
    said = driver.said()
    assert _THE_BOX[locale] in said
    assert _THE_530[locale] not in said
    assert "vsmtp.117.ne.jp" in said
    assert "taro@vp.117.ne.jp" in said  # the account, and in Thunderbird's own field


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_530_after_the_settings_keeps_its_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: str
) -> None:
    driver = _delivered(profile, catalogs, locale)
    driver.type("530 Authentication required")
    assert _THE_530[locale] in driver.said()
    assert _THE_BOX[locale] not in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "かいしゃのらんです"),
        ("ja", "会社のLANです"),
        ("ja", "しょくばのねっとだとおもう"),
        ("en", "the office network"),
    ],
)
def test_the_workplaces_network_named_at_the_blocking_question_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Not understood: it names the network, not whether it blocks. Explained, then asked again.
    driver = _at(profile, catalogs, locale, Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.stage is Stage.Q4_OP25B
    assert "q4_op25b" not in driver.state.answers
    assert _EXPLAINED[locale] in driver.said()


def test_the_workplace_named_elsewhere_keeps_its_reading(profile: MigrationProfile) -> None:
    # At the network question it is the yes, as before.
    offered = ("yes", "no", "unsure")
    reading = read_text("会社のLANです", Stage.Q2_OTHER_NETWORK, offered, profile)
    assert reading.kind is Kind.YES
    reading = read_text("会社のLANです", Stage.Q4_OP25B, offered, profile)
    assert (reading.kind, reading.value) == (Kind.CHOICE, EXPLAIN_QUESTION)


@pytest.mark.parametrize(
    "typed",
    ["会社のプロバイダーのサーバーです", "かいしゃのぷろばいだーのです", "my company's isp"],
)
def test_the_workplaces_provider_is_not_sure(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Not understood. The workplace's provider may be the provider itself (as a phone
    # company may): not sure, which asks for the change that is safe; never the no.
    locale = "en" if typed.isascii() else "ja"
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "unsure"


@pytest.mark.parametrize("typed", ["してないとおもう", "していないと思う", "してないと思います"])
def test_not_done_i_think_is_the_blocking_questions_no_with_patterns_alone(
    profile: MigrationProfile, typed: str
) -> None:
    # Read only by the analyser (the tests and the bench read with patterns alone too).
    offered = ("yes", "no", "unsure")
    assert read_text(typed, Stage.Q4_OP25B, offered, profile).kind is Kind.NO


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        # The yes of its 「契約してる」: the workplace's provider may be the provider itself.
        ("会社が契約してるプロバイダーのサーバーです", "unsure"),
        # Not understood.
        ("別のプロバイダーのサーバーです", "no"),
        # The no (its 「サーバーではありません」), where another provider's is what is denied.
        ("別のプロバイダーのサーバーではありません", "yes"),
        ("別のプロバイダーのサーバーは使ってないです", "yes"),
    ],
)
def test_another_providers_server_said_or_denied(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == answer
