"""Whole conversations typed in the subscriber's own words (subscriber20's round).

Read wrong before:
- 「えっとーいえだけかな」 at the network question was not understood (its 「かな」 read as a
  question), 「家だけかなあ」 was its no: an answer guessed at, as 「家だけかも」 is not sure;
- 「ジーメールで送ってます」 at the sending-server question was its yes (its 送ってます) and
  'I send through gmail' was taken for the Gmail app, where 「gmailです」 is not sure: Google's
  own server (the notice's no) or the Gmail app sending through the provider's (its yes);
- 「オーピーにじゅうごびーってなに」 (OP25B spelt as heard) and 'not at home' at the
  sending-server question were kept as half a sentence.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.spoken_address import dictated_host
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind
from tests.dialogs.driver import at_stage as _at

# The sending-server question's explanation, as the profile's provider fills it.
_EXPLAINED_Q3 = {
    "ja": "117netの送信サーバー（SMTPサーバー）を使っているかをお聞きしています",
    "en": "I am asking whether your mail program sends through 117net's outgoing (SMTP) server",
}


@pytest.mark.parametrize(
    "typed",
    [
        "えっとーいえだけかな",
        "家だけかな",
        "家だけかなあ",
        "うーんいえだけかな？",
        "違うかな",
        "会社でも使うかな",
    ],
)
def test_an_answer_guessed_at_the_network_question_is_not_sure(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Not understood, or (「家だけかなあ」) the no that ends the questions.
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "unsure"


def test_the_same_answer_said_is_still_the_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("えっとーいえだけです")
    assert driver.state.answers["q2_other_network"] == "no"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "ジーメールで送ってます"),
        ("ja", "じーめーるでおくってます"),
        ("ja", "じーめーるです"),
        ("ja", "Gmailで送信してます"),
        ("ja", "gmailから送ってます"),
        ("en", "I send through gmail"),
        ("en", "I send my mail via Gmail"),
    ],
)
def test_mail_sent_with_gmail_is_not_sure_as_gmail_named_is(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Google's own server (the notice's no: nothing to change) or the Gmail app sending
    # through the provider's (its yes): not sure takes the safe way; the program is not noted.
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "unsure"
    assert driver.state.program is None


@pytest.mark.parametrize(
    ("typed", "answer"), [("Gmailのサーバーで送ってます", "no"), ("Gmailアプリで送ってます", "yes")]
)
def test_gmails_server_or_app_named_is_read_as_before(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == answer


@pytest.mark.parametrize("stage", [Stage.Q2_OTHER_NETWORK, Stage.Q3_USES_OUR_SMTP, Stage.Q4_OP25B])
@pytest.mark.parametrize(
    "typed",
    [
        "オーピーにじゅうごびーってなに",
        "ぽーとにじゅうごばんってなんですか",
        "アウトバウンドってなに",
    ],
)
def test_op25b_spelt_as_heard_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str
) -> None:
    driver = _at(profile, catalogs, "ja", stage)
    driver.type(typed)
    assert driver.state.fragment == ""
    assert driver.state.stage is stage
    assert "Outbound Port25 Blocking（OP25B）」は迷惑メール対策" in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "not at home"),
        ("en", "not from home"),
        ("ja", "家ではないです"),
        ("ja", "自宅からではないです"),
    ],
)
def test_a_no_of_home_at_the_sending_question_is_explained_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert "q3_uses_our_smtp" not in driver.state.answers
    assert driver.state.fragment == ""
    assert _EXPLAINED_Q3[locale] in driver.said()


@pytest.mark.parametrize(
    "typed",
    [
        "ぶいえす てん いちいちなな てん えぬいー てん じぇーぴー",
        "ぶいえすてんいちいちななてんえぬいーてんじぇーぴー",
        "ブイエス ドット イチイチナナ ドット エヌイー ドット ジェーピー です",
    ],
)
def test_the_old_server_read_out_is_the_server_questions_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Not understood: read as 「vs.117.ne.jp」 typed.
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


def test_another_server_read_out_is_the_server_questions_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # It was taken for the Gmail app (its 「じーめーる」) and the question asked again.
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type("えすえむてぃーぴー てん じーめーる てん こむ")
    assert driver.state.answers["q3_uses_our_smtp"] == "no"
    assert driver.state.program is None


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("ぶいえす てん いちいちなな てん えぬいー てん じぇーぴー", "vs.117.ne.jp"),
        ("えすえむてぃーぴー どっと じーめーる どっと こむ", "smtp.gmail.com"),
    ],
)
def test_a_server_read_out_where_its_name_is_asked_is_the_name_typed(
    profile: MigrationProfile, typed: str, host: str
) -> None:
    offered = ("yes", "no", "unsure")
    assert read_text(typed, Stage.ASK_SMTP_HOST, offered, profile) == read_text(
        host, Stage.ASK_SMTP_HOST, offered, profile
    )
    assert read_text(typed, Stage.ASK_SMTP_HOST, offered, profile).kind is not Kind.UNKNOWN


@pytest.mark.parametrize("typed", ["てんてん", "いち てん に", "たなか てん やまだ"])
def test_dots_among_other_words_read_out_no_server(typed: str) -> None:
    assert dictated_host(typed) is None
