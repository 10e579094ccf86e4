"""After a failed login check, the password or account said right leads to what is left.

「パスワードは合ってるはずです」 was told 「パスワードは変わりません」 (the password's question),
and 「アカウント名をメールアドレス全部にしました」 to make the account the whole address: what
they had just done. Each now hears what is left to check: the other field, the check again,
a person.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic, answer_keys, timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SettingsReply, SystemEvent
from tests.dialogs.driver import IN_WINDOW_DAY, Driver
from tests.dialogs.test_no_person_offered_in_vain import delivered

FAILED = SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "auth_failed")))
PASSWORD = "check.said_right.password"
ACCOUNT = "check.said_right.account"
LOCAL_PART = "check.said_right.account.local_part"


def failed_once(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = delivered(profile, catalogs, desk=True)
    if locale == "en":
        driver.type("English")
    driver._run(event=FAILED)
    return driver


@pytest.mark.parametrize(
    ("locale", "text", "key"),
    [
        ("ja", "パスワードは合ってるはずです", PASSWORD),
        ("ja", "パスワードは間違いないです", PASSWORD),
        ("ja", "パスワードは今までと同じのを入れました", PASSWORD),
        ("en", "The password should be right", PASSWORD),
        ("ja", "アカウント名をメールアドレス全部にしました", ACCOUNT),
        ("en", "I set the account name to my whole email address", ACCOUNT),
        # The whole address typed: read as an address, it got the program's guide again.
        ("ja", "ユーザー名はtaro@vp.117.ne.jpにしました", ACCOUNT),
        ("ja", "アカウントをtaro@vp.117.ne.jpにしました", ACCOUNT),
        ("en", "I set the user name to taro@vp.117.ne.jp", ACCOUNT),
        # Only the part before the @: it was told that is right.
        ("ja", "ユーザー名はtaroにしました", LOCAL_PART),
        ("en", "I set the user name to taro", LOCAL_PART),
    ],
)
def test_what_is_said_right_after_a_failed_check_leads_to_what_is_left(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, key: str
) -> None:
    driver = failed_once(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    assert catalogs(locale, key) in said
    assert catalogs(locale, "check.offer") in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert "check" in driver.offered()


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        # Asked, not told: the question's own answer.
        ("ja", "アカウント名はメールアドレス全部ですか"),
        ("ja", "パスワードは何ですか"),
    ],
)
def test_a_question_after_a_failed_check_is_still_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = failed_once(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    assert catalogs(locale, PASSWORD) not in said
    assert catalogs(locale, ACCOUNT) not in said


def test_without_a_failed_check_the_password_is_answered_as_before(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, desk=True)
    driver.type("パスワードは合ってるはずです")
    assert catalogs("ja", PASSWORD) not in driver.said()


ASKED = "check.asked_right.account"
ASKED_LOCAL_PART = "check.asked_right.account.local_part"


@pytest.mark.parametrize(
    ("locale", "text", "key"),
    [
        # Asked whether the whole address is the account: read as the address typed, it got
        # the program's whole guide again. Yes (the notice: the whole address), and what is left.
        ("ja", "ユーザー名はtaro@vp.117.ne.jpですか", ASKED),
        ("ja", "ユーザー名はtaro@vp.117.ne.jpでいいんですか？", ASKED),
        ("ja", "アカウント名はメールアドレス全部ですか", ASKED),
        ("en", "Is the user name taro@vp.117.ne.jp?", ASKED),
        ("en", "Is my user name my whole email address?", ASKED),
        # The part before the @ asked about: no, the whole address.
        ("ja", "ユーザー名はtaroですか", ASKED_LOCAL_PART),
        ("en", "Is the user name taro?", ASKED_LOCAL_PART),
    ],
)
def test_whether_the_account_is_right_asked_after_a_failed_check_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, key: str
) -> None:
    driver = failed_once(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    assert catalogs(locale, key) in said
    # Not the guide again, nor the telling's answer: 「…にしていただいたのですね」.
    assert catalogs(locale, ACCOUNT) not in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert "check" in driver.offered()


def test_whether_the_account_is_right_asked_without_a_check_is_the_accounts_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # After the card and a refused login told in words (no check made), the address asked
    # about was read as one given: the card and the whole program guide came again.
    driver = delivered(profile, catalogs, desk=True)
    driver.type("Couldn't finish. Check your username and password.")
    driver.type("ユーザー名はtaro@vp.117.ne.jpですか")
    when = timing(profile, IN_WINDOW_DAY)
    said = driver.said()
    for key in answer_keys(Topic.ACCOUNT, when):
        assert catalogs.raw("ja", key)[:12] in said
    assert not any(isinstance(reply, SettingsReply) for reply in driver.last.replies)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
