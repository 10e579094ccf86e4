"""An agent's sentence that says what state a password is in is sent, not refused.

e5a3411 and ae3570d read an '-ed' or '-ing' word after 'Your password is' as English only
from a list of what is done to a password, so that 'blessed' or 'sparkling' is refused as the
password it may be. Ordinary states an agent writes were left off that list and refused as
passwords: 'Your password is renewed.', 'Your password is mistyped.', 'Your password is
unaffected.' (35 of 84 such sentences probed; none was refused before e5a3411).
"""

from __future__ import annotations

from typing import Final

import pytest

from dialogs.redaction import gives_a_password

STATES: Final = (
    "outdated", "limited", "refused", "cached", "synced", "synchronized", "mismatched",
    "misspelled", "mistyped", "truncated", "corrupted", "exposed", "guessed", "detected",
    "unrecognized", "unrelated", "unaffected", "reused", "recycled", "revoked", "reactivated",
    "renewed", "refreshed", "regenerated", "reissued", "replaced", "retained", "preserved",
    "autofilled", "prefilled", "handled", "managed", "stolen", "forgotten",
)  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_a_password_said_to_be_in_a_state_is_sent(state: str) -> None:
    assert not gives_a_password(f"Your password is {state}.")
    assert not gives_a_password(f"Your new password is {state}.")


@pytest.mark.parametrize(
    "text",
    [
        "Your temporary password is blessed.",
        "Your new password is sparkling.",
        "New password: darling",
    ],
)
def test_a_word_that_is_no_state_is_still_refused(text: str) -> None:
    assert gives_a_password(text)
