"""A password of kana and digits leaves no first kana behind after 「パスワード」.

「パスワードははなこ55」 stored 「パスワードはは********」 and 「パスワード はなこ55」
「パスワード は********」: the particles before the password were read as many as there were,
the password's own 「は」 among them. 「パスワード？はなこ55」 was kept whole. Particles before
the password still stay.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED = (
    ("パスワードははなこ55", f"パスワードは{MASK}"),
    ("パスワード はなこ55", f"パスワード {MASK}"),
    ("パスワードがはる2008です", f"パスワードが{MASK}です"),
    ("パスワード？はなこ55", f"パスワード？{MASK}"),
    ("パスワード?  はなこ55", f"パスワード?  {MASK}"),
    ("パスワード は さくら2008です", f"パスワード は {MASK}です"),
    ("パスワードは、たしか、さくら2008だった", f"パスワードは、たしか、{MASK}だった"),
)


@pytest.mark.parametrize(("text", "stored"), MASKED)
def test_the_whole_password_is_masked_and_the_particles_stay(text: str, stored: str) -> None:
    assert redact(text, analyser=japanese_analyser())[0] == stored
