"""After a failed login check, the password or account said right leads to what is left.

「パスワードは合ってるはずです」 was told 「パスワードは変わりません」 (the password's question),
and 「アカウント名をメールアドレス全部にしました」 to make the account the whole address: what
they had just done. Each now hears what is left to check: the other field, the check again,
a person.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SystemEvent
from tests.dialogs.driver import Driver
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
