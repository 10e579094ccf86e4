"""A third failed login check in a row is not said to be the second.

Past CHECK_FAILURE_LIMIT (2) failures, every further one repeats check.failed_repeatedly:
the English said "That did not work twice in a row." at the third and the fourth as well.
"""

from __future__ import annotations

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.state import CHECK_FAILURE_LIMIT
from dialogs.vocabulary import SystemEvent, TextReply
from tests.dialogs.test_no_person_offered_in_vain import delivered

FAILED = SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "auth_failed")))


def test_the_third_failure_in_english_does_not_say_twice(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, desk=False)
    driver.type("English")
    said = []
    for _ in range(CHECK_FAILURE_LIMIT + 2):
        driver._run(event=FAILED)
        said.append("\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply)))

    for words in said[CHECK_FAILURE_LIMIT - 1 :]:
        assert catalogs.raw("en", "check.failed_repeatedly") in words
        assert "twice" not in words
