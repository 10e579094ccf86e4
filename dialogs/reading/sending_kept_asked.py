"""Whether a message asks if the sending settings may stay as they are.

「送信の設定は変えなくていいの？」 'Don't I need to change the sending settings?': after a
verdict of 「送信の設定：変更の必要はありません」 (another company's outgoing server) it was read as
the servers' question and answered with the new outgoing server, port 587 and SMTP
authentication: the change the verdict had just said not to make.
"""

from __future__ import annotations

import re
from typing import Final

# The sending side named: 「送信の設定」「送信サーバー」「SMTP」, 'sending', 'outgoing'.
_SENDING_JA: Final = r"(?:送信|そうしん|smtp)"
_SENDING_EN: Final = r"\b(?:sending|outgoing|smtp)\b"
# A change, or staying as it is, asked about: 「変えなくていい」「変更は必要」「そのままで大丈夫」.
_KEPT_JA: Final = re.compile(
    _SENDING_JA + r"[^。!！]{0,20}?"
    r"(?:(?:変え|かえ|変更し|へんこうし|いじら)(?:なくて|ないで|なくても)"
    r"|(?:変更|へんこう)(?:は|も|が)?\s*(?:必要|ひつよう|いら|要ら|不要|なし|しなくて)"
    r"|(?:そのまま|このまま|今のまま|いまのまま))"
    r"[^。!！]{0,20}?"
    r"(?:いい|良い|よい|大丈夫|だいじょうぶ|ok|オッケー|構わ|かまわ|ない|です|ありません)"
    r"[^。!！]{0,12}?(?:か|の|よね|ね)\s*[?？]?\s*$"
    r"|" + _SENDING_JA + r"[^。!！]{0,20}?(?:も|は)\s*(?:変更|へんこう|変え|かえ)(?:が|る)?\s*"
    r"(?:必要|ひつよう)(?:ですか|なの|ですよね|か)\s*[?？]?\s*$"
)
_KEPT_EN: Final = re.compile(
    r"^(?:so |and |but |ok,? |okay,? )?"
    r"(?:(?:do|don'?t|doesn'?t|should|shouldn'?t|must|mustn'?t) i (?:also )?(?:need|have) to "
    r"change|(?:do|don'?t) i change|(?:can|may|should) i (?:just )?(?:keep|leave)"
    r"|i (?:can |should )?(?:keep|leave)|is it (?:ok|okay|fine|alright|all right) to (?:keep|leave)"
    r"|(?:is|are) (?:my |the )?(?:sending|outgoing|smtp) )"
    r"[^?.]*" + _SENDING_EN + r"[^?.]*\?\s*$"
)
# How or what to change is the settings' question, not whether.
_HOW: Final = re.compile(r"どう|どの|どこ|何を|なにを|\b(?:how|what|where|which)\b")


def asks_whether_sending_stays(text: str) -> bool:
    """Whether `text` (normalised) asks if the sending settings may stay as they are."""
    if _HOW.search(text):
        return False
    return bool(_KEPT_JA.search(text) or _KEPT_EN.search(text))
