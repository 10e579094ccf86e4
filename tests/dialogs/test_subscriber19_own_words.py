"""Whole conversations typed in the subscriber's own words (subscriber19's round).

Read wrong before:
- 「送信はしません、受信だけです」 at the sending-server question was asked again (「受信だけ」
  kept as half a sentence, 「見るだけです」 taken for "not sure"): no mail sent is that
  question's no, sending needs no change (receiving still does);
- 'not at home' at the blocking question was kept as half a sentence (「はい。続きをどうぞ。」),
  「家ではない」 not understood: said of home's line, which the question does not ask about
  (the notice asks of the provider or company connected through besides 117net);
- "I use docomo when I'm out" at the sending-server question was not understood, and at the
  blocking question answered with the dates (its "when"), where 「外ではドコモを使っています」
  is said to be the network question's yes, kept, and the question asked again;
- at the network question 「家です」 'at home' (home named, not whether it is the only line)
  were not understood or kept as half a sentence, 「娘の家でたまに」 not understood; at the
  sending-server question 「ぶいえすなんとか」 and 「送信もしてます」 were not understood,
  'it sends fine' kept as half a sentence; 「ドコモはしてますか」 at the blocking question was
  「そのご質問にはうまくお答えできませんでした」.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import at_stage as _at

# The questions' explanations, as the profile's provider fills them.
_EXPLAINED_Q2 = {
    "ja": "どのインターネット回線につながっているかをお聞きしています",
    "en": "I am asking which internet connection you are on",
}
_EXPLAINED_Q3 = {
    "ja": "117netの送信サーバー（SMTPサーバー）を使っているかをお聞きしています",
    "en": "I am asking whether your mail program sends through 117net's outgoing (SMTP) server",
}


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "送信はしません、受信だけです"),
        ("ja", "送信はしません"),
        ("ja", "受信だけです"),
        ("ja", "受信専用です"),
        ("ja", "見るだけです"),
        ("ja", "送ることはないです"),
        ("ja", "いいえ、受信だけです"),
        ("en", "I only receive mail"),
        ("en", "receive only"),
    ],
)
def test_no_mail_sent_is_the_sending_questions_no(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "no"
    assert driver.state.fragment == ""


@pytest.mark.parametrize(
    "typed",
    [
        "受信だけできます",
        "受信だけで送信はできません",
        "受信だけじゃないです",
        "はい、受信だけです",
    ],
)
def test_receiving_only_that_works_or_denied_is_no_such_no(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「受信だけできます」 reports sending broken; 「受信だけじゃない」 says they send too.
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers.get("q3_uses_our_smtp") != "no"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "not at home"),
        ("en", "it's not blocked at home"),
        ("ja", "家ではない"),
        ("ja", "自宅ではないです"),
    ],
)
def test_a_no_of_home_at_the_blocking_question_is_explained_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q4_OP25B)
    driver.type(typed)
    said = driver.said()
    assert driver.state.stage is Stage.Q4_OP25B
    assert "q4_op25b" not in driver.state.answers
    assert driver.state.fragment == ""
    assert catalogs(locale, "explain.op25b") in said  # type: ignore[arg-type]


@pytest.mark.parametrize("stage", [Stage.Q3_USES_OUR_SMTP, Stage.Q4_OP25B])
@pytest.mark.parametrize("typed", ["I use docomo when I'm out", "I use docomo outside"])
def test_the_line_away_in_english_is_the_network_questions_yes_kept(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str
) -> None:
    driver = _at(profile, catalogs, "en", stage)
    driver.type(typed)
    said = driver.said()
    assert driver.state.stage is stage
    assert stage.value not in driver.state.answers
    assert driver.state.answers["q2_other_network"] == "yes"
    assert 'You already answered "Yes" to the earlier question' in said
    assert "21 May 2008" not in said
    assert "did not catch" not in said


def test_when_asked_plainly_is_still_the_dates(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "en", Stage.Q4_OP25B)
    driver.type("when do I have to change it?")
    assert "21 May 2008" in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "家です"),
        ("ja", "家から"),
        ("ja", "家のＷｉＦｉです"),
        ("ja", "うちのネットです"),
        ("en", "at home"),
        ("en", "home wifi"),
    ],
)
def test_home_named_alone_at_the_network_question_is_explained_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Home named, not whether it is the only line: 'at home' was kept as half a sentence,
    # 「家です」 not understood. Never the no it may mean (that lowers the change).
    driver = _at(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
    assert driver.state.fragment == ""
    assert _EXPLAINED_Q2[locale] in driver.said()


@pytest.mark.parametrize("typed", ["娘の家でたまに", "孫の家でときどき"])
def test_a_relatives_home_now_and_then_is_the_network_questions_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Not understood (「たまに娘の家で」 was read).
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"


@pytest.mark.parametrize(
    "typed", ["送信サーバーはvsなんとかです", "ぶいえすなんとか", "送信もしてます"]
)
def test_the_old_server_half_remembered_is_the_server_questions_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "メールは送れてます"), ("ja", "普通に送れてます"), ("en", "it sends fine")],
)
def test_mail_that_goes_is_no_answer_to_which_server(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.fragment == ""
    assert _EXPLAINED_Q3[locale] in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "ドコモはしてますか"), ("ja", "auはどうですか"), ("en", "does docomo block it?")],
)
def test_a_carriers_blocking_asked_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # 「そのご質問にはうまくお答えできませんでした」: the notice names no provider's blocking.
    driver = _at(profile, catalogs, locale, Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.stage is Stage.Q4_OP25B
    assert catalogs(locale, "explain.op25b") in driver.said()  # type: ignore[arg-type]


def test_a_carriers_blocking_said_is_still_the_yes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type("ドコモはしてます")
    assert driver.state.answers["q4_op25b"] == "yes"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "受信だけできます"), ("ja", "受信しかできません"), ("en", "I can only receive")],
)
def test_receiving_alone_working_is_sending_broken(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Not understood at the sending-server question: sending is what fails.
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    said = driver.said()
    assert "587" in said
    assert "q3_uses_our_smtp" not in driver.state.answers


def test_receiving_all_they_need_is_the_sending_questions_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type("受信だけできればいいです")
    assert driver.state.answers["q3_uses_our_smtp"] == "no"


def test_a_carriers_blocking_asked_in_a_longer_ending_is_explained(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type("ドコモってしてるんですか")
    assert catalogs("ja", "explain.op25b") in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "ドコモを使っています"), ("ja", "ドコモの回線を使ってます"), ("en", "I use docomo")],
)
def test_a_carriers_line_used_at_the_blocking_question_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Not understood, and 'I use docomo' kept as half a sentence: whose line, not whether it
    # blocks; explained as 「ドコモです」 is.
    driver = _at(profile, catalogs, locale, Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.fragment == ""
    assert catalogs(locale, "explain.op25b") in driver.said()  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["ドコモを使っていません", "外では使っていません"])
def test_a_use_denied_at_the_blocking_question_is_no_no(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Was the no, lowering the change asked for sending: nothing in it is of blocking.
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.answers.get("q4_op25b") != "no"
