"""Subscribers whose mail stopped on the days around the switch, in whole conversations.

The fifth subscriber sweep (241 fresh messages; the lines are in `utterances.tsv`): what
each reading does to the conversation. A Thunderbird text with 「リセット」 in it restarted
the chat; a guess at the sending server, or "I'm at home" at the blocking question, gave the
verdict that keeps the old sending settings; a pasted password prompt was answered with
"your password does not change".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.redaction import redact
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.driver import Driver

EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize(
    "typed",
    ["サーバー vp.117.ne.jp との接続がリセットされました。", "ルーターをリセットしたけど送れない"],
)
def test_a_reset_in_a_problem_report_does_not_restart_the_chat(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type(typed)
    # The problem is answered and the questions carry on from where they were.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "最初から" not in driver.said()
    assert str(profile.outgoing.ports[0].number) in driver.said()


@pytest.mark.parametrize("typed", ["no, I'm at home", "いや、家です"])
def test_at_home_at_the_blocking_question_is_not_the_no_that_keeps_the_old_sending(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for _ in range(3):
        driver.press("yes")
    driver.type(typed)
    assert driver.verdict().sending is Sending.REQUIRED


@pytest.mark.parametrize("typed", ["smtp.gmail.comだったかも", "smtp.gmail.comかな？"])
def test_a_guessed_sending_server_does_not_leave_sending_untouched(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.press("yes")
    driver.type(typed)
    # Not sure is read as "yes" (the branch asking for more change): the blocking question.
    assert driver.state.stage is Stage.Q4_OP25B


@pytest.mark.parametrize(
    "typed",
    [
        "vpop.117.ne.jp サーバのユーザ taro のパスワードを入力してください",
        "“taro@vp.117.ne.jp”のパスワードを入力",
        'サーバ"vsmtp.117.ne.jp"がパスワードを拒否しました',
    ],
)
def test_a_pasted_password_prompt_gets_the_login_answer_not_the_password_faq(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(typed)
    said = driver.said()
    # The login answer: the account becomes the whole address.
    assert "メールアドレス全体" in said
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


AUTH_METHOD_TEXTS = [
    # Thunderbird's own words (ja and en) when its authentication method is not the server's.
    "送信 (SMTP) サーバー vsmtp.117.ne.jp が暗号化されたパスワードをサポートしていないようです。",
    "送信 (SMTP) サーバー vsmtp.117.ne.jp が平文のパスワードを許可していません。",
    "サーバーが選択された認証方式をサポートしていません。",
    "The Outgoing server (SMTP) vsmtp.117.ne.jp does not seem to support encrypted passwords.",
    "The server does not support the selected authentication method.",
]


@pytest.mark.parametrize("typed", AUTH_METHOD_TEXTS)
def test_an_authentication_method_refused_gets_the_profiles_method(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Read as a question about encryption, it was told the SSL settings, which were not
    # what Thunderbird named: the authentication method.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(typed)
    said = driver.said()
    assert "認証方式" in said
    assert "通常のパスワード認証" in said
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_the_authentication_method_answer_in_english(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(AUTH_METHOD_TEXTS[3])
    assert "Normal password" in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "アカウントをアドレス全部にしたけどまだパスワード聞かれる"),
        ("ja", "ユーザー名をメールアドレス全体にしたのにログインできません"),
        ("en", "I put the full email address as the user name but it still says login failed"),
    ],
)
def test_the_whole_address_said_in_words_is_not_told_to_type_it_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    # Only an address typed out counted as tried: said in words, the answer told them to do
    # what they had just done.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    said = driver.said()
    assert ("それで合っています" if locale == "ja" else "that is right") in said
    assert "@より前だけでなく" not in said
    assert "not only the part before" not in said


def test_the_whole_address_said_in_words_is_no_proof_where_the_domain_changes(
    catalogs: Catalogs,
) -> None:
    # Which whole address, the old or the new one, the words do not say.
    moving = load_profile(EXAMPLES / "domain-change.toml")
    driver = Driver(moving, catalogs)
    driver.start()
    driver.type("アカウントをアドレス全部にしたけどまだパスワード聞かれる")
    assert "それで合っています" not in driver.said()


def test_the_iphones_english_password_prompt_is_no_password(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The account's name in quotes after "password for account" was masked as the password,
    # and the subscriber told not to type passwords into the chat.
    typed = 'Enter the password for account "117net"'
    assert redact(typed) == (typed, False)
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(typed)
    assert "not only the part before" in driver.said()


@pytest.mark.parametrize(
    "typed",
    [
        "the password for account taro is Kq7xyz99",
        'password for account "117net" is Kq7xyz99',
        "The password for taro is Yy8-asdf",
    ],
)
def test_a_password_after_the_account_named_is_still_masked(typed: str) -> None:
    masked, found = redact(typed)
    assert found
    assert "Kq7xyz99" not in masked
    assert "Yy8-asdf" not in masked


@pytest.mark.parametrize(
    "typed",
    ["会社からは送れないのでしてると思います", "会社だと送れないから、たぶんブロックされてる"],
)
def test_a_yes_in_the_clause_after_a_problem_is_kept(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「送れないので、してると思います」 answered the blocking question in the clause after the
    # symptom: the symptom was answered and the question asked again.
    driver = Driver(profile, catalogs)
    driver.start()
    for _ in range(3):
        driver.press("yes")
    driver.type(typed)
    assert driver.verdict().sending is Sending.REQUIRED


def test_a_no_in_the_clause_after_a_problem_is_not_taken(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Only a yes or a "not sure" is taken from beside a symptom in the same sentence: a no
    # there lowers the change needed on a reading of half a sentence.
    driver = Driver(profile, catalogs)
    driver.start()
    for _ in range(3):
        driver.press("yes")
    driver.type("送れないので困ってますが、ブロックはされてないです")
    assert driver.state.stage is Stage.Q4_OP25B
