"""words9: 「パスワードもここに入れるのですか」 while the login check asks its address.

It was answered 「パスワードは変わりません。今のパスワードをそのままお使いください。…」 (the
migration's password answer), at the moment a subscriber wonders whether to type the password
into the chat. Now told not to type it here and that the check's page will ask for it
(check.password_where, ja + en); the address is asked again.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "パスワードもここに入れるのですか"),
        ("ja", "パスワードはどうすればいいですか"),
        ("en", "Do I type my password here too?"),
    ],
)
def test_the_password_asked_at_the_checks_address_is_told_where_it_goes(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird", "check"):
        driver.press(press)
    assert driver.state.stage is Stage.CHECK_ADDRESS
    driver.type(typed)
    said = driver.said()
    assert catalogs.raw(locale, "check.password_where") in said  # type: ignore[arg-type]
    assert catalogs.raw(locale, "topic.password.answer") not in said  # type: ignore[arg-type]
    assert driver.state.stage is Stage.CHECK_ADDRESS


def test_whether_the_password_changes_is_still_the_migrations_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird", "check"):
        driver.press(press)
    driver.type("パスワードは変わりますか？")
    assert "パスワードは変わりません" in driver.said()
    assert catalogs.raw("ja", "check.password_where") not in driver.said()
