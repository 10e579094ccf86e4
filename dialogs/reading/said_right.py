"""Whether a message says the password or the account is already right, or already done.

After a failed login check, 「パスワードは合ってるはずです」 was read as the password's question
and told 「パスワードは変わりません」, and 「アカウント名をメールアドレス全部にしました」 as the
account's and told to make it the whole address: what they had just said they did. A
statement of what is done leads to what is left to check instead (`dialogs.turn`).
"""

from __future__ import annotations

import re
from typing import Final

_RIGHT_JA: Final = re.compile(
    # 「合ってるはずです」「間違いないです」「正しいです」「ちゃんと入れてます」.
    r"(?:合って|あって|正し|ただし|間違いな|まちがいな|間違って(?:い)?な|まちがって(?:い)?な"
    r"|ちゃんと|確かに|たしかに)"
    # 「…にしました」「…にしてあります」「…に変えました」「…で入れています」: done.
    r"|(?:に|で|と)\s*(?:しました|した|してます|しています|してあります|してある"
    r"|変えました|変えた|かえました|変更しました|変更した|入れました|入れてます|入れています"
    r"|入力しました|入力してます|入力しています|なってます|なっています|なっております)"
    # 「今までと同じのを入れました」: typed in as told.
    r"|を\s*(?:入れ|いれ|入力し)(?:ました|てます|ています|てあります)"
)
_RIGHT_EN: Final = re.compile(
    r"\b(?:should be|must be|is|it'?s|was) (?:right|correct|fine|ok)\b"
    r"|\bi(?:'m| am) sure\b"
    r"|\bi(?: have|'ve)? (?:already )?(?:set|changed|typed|entered|put|used|made)\b"
)
# A question is asked, not told: 「アカウント名はメールアドレス全部にしましたか」 is not said done.
_ASKED: Final = re.compile(r"(?:ですか|ますか|でしょうか|か\s*[?？]|[?？])\s*$")


# The whole address named in words: 「アカウント名はメールアドレス全部ですか」.
_WHOLE_ADDRESS: Final = re.compile(
    r"アドレス(?:の)?(?:全部|全体|ぜんぶ|ぜんたい|丸ごと|まるごと)"
    r"|\b(?:whole|full|entire|complete) (?:e-?mail )?address"
)


def says_it_is_right(normalised: str) -> bool:
    """Whether `normalised` (as `understanding.normalise` leaves it) says it is right or done."""
    if _ASKED.search(normalised):
        return False
    return bool(_RIGHT_JA.search(normalised) or _RIGHT_EN.search(normalised))


def asks_if_right(normalised: str) -> bool:
    """Whether `normalised` asks whether something is so (「ユーザー名はtaro@…ですか」)."""
    return bool(_ASKED.search(normalised))


# The account's field named just before the address asked about.
_ACCOUNT_WORD: Final = (
    r"(?:ユーザー?名|ユーザー?id|アカウント名?|ログイン(?:名|id)|user ?name|account(?: name)?)"
    r"\s*(?:は|って|が|を|:|：|\bis\b)?\s*[「『\"']?\s*"
)
# What may follow the address in a question about it alone: 「でいいんですか？」「で合ってますか」.
_QUESTION_TAIL: Final = 16


def asks_about_the_account(normalised: str, address: str) -> bool:
    """Whether `normalised` asks if `address` is the account, and nothing more.

    「ユーザー名はtaro@…ですか」 'Is the user name taro@…?'; not the whole settings typed out
    with a 「これでいいですか」 after them, which asks about all of them.
    """
    if not asks_if_right(normalised):
        return False
    found = re.search(_ACCOUNT_WORD + re.escape(address), normalised)
    return found is not None and len(normalised) - found.end() <= _QUESTION_TAIL


def names_the_whole_address(normalised: str) -> bool:
    """Whether `normalised` names the whole address in words, not typed out."""
    return bool(_WHOLE_ADDRESS.search(normalised))
