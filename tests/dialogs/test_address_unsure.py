"""A token at the address question that may be a password as well as a local part.

「Kq7xyz99」 (only its first letter a capital, as a phone types a local part) was read as the
part before the @, said back as 「kq7xyz99@vp.117.ne.jp」 and kept until the subscriber said it
was the password. It is now masked, not said back, and the whole address asked for, in
either language; the whole address typed next is read as ever, so no address is refused.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.redaction import MASK
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", ["Kq7xyz99", "x7kp2mqa", "k2yamada"])
def test_it_is_asked_for_whole_and_the_whole_address_is_taken(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    asked = driver.type(typed)
    assert asked.said is not None
    assert asked.said[1] == MASK
    words = driver.said()
    assert typed.lower() not in words.lower()
    assert catalogs(locale, "address.unsure", domain="vp.117.ne.jp") in words
    assert catalogs(locale, "secret.warning") not in words
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    driver.type(f"{typed}@vp.117.ne.jp")
    assert driver.state.address == f"{typed.lower()}@vp.117.ne.jp"
