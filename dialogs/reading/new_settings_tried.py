"""Whether a problem is told as coming after a change to the new settings.

「新しいサーバーに変えたら受信できなくなりました」「vpopに変えたら送れない」 before the window:
the subscriber changed early, and the failure came with the change. Read as any failure
before the window, it was told 「今回の移行とは別の原因が考えられます」 and to change nothing
yet, which denies the cause they had just named.
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.profile import MigrationProfile

# The change made: 「変えたら」「変更してから」「切り替えたら」「にしたら」, 'changed to'.
_CHANGED: Final = (
    r"\s*(?:に|へ)\s*(?:変え|かえ|変更し|へんこうし|切り?替え|きりかえ|書き換え|書きかえ|し)"
    r"(?:たら|てから|た(?:ところ|けど|が|のに|ら)|ました(?:が|けど)?)"
)
_NEW_SETTINGS_JA: Final = re.compile(
    r"(?:新しい|あたらしい)\s*(?:サーバー?|設定|せってい|ほう|方)" + _CHANGED
)
_NEW_SETTINGS_EN: Final = re.compile(
    r"\b(?:changed|changing|switched|switching|moved|updated|set) (?:it |them |my settings |"
    r"the settings |everything |over )?to the new (?:server|settings|one)"
    r"|\bafter (?:changing|switching|updating) (?:to )?the (?:new )?(?:server|settings)"
)


def tried_the_new_settings(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` (normalised) tells of a change to the new settings before its problem.

    The profile's new host names count where they differ from today's (「vpopに変えたら」,
    'changed it to vpop.117.ne.jp'); a name that stays is no change.
    """
    if _NEW_SETTINGS_JA.search(text) or _NEW_SETTINGS_EN.search(text):
        return True
    incoming, outgoing = profile.incoming, profile.outgoing
    moved = [
        *([incoming.new_host] if incoming.new_host != incoming.old_host else []),
        *([outgoing.new_host] if outgoing.new_host not in outgoing.old_hosts else []),
    ]
    for host in moved:
        # The whole name, or its first label as people shorten it (「vpopに」).
        name = rf"(?:{re.escape(host)}|{re.escape(host.split('.', 1)[0])})(?![a-z0-9.-])"
        if re.search(name + _CHANGED, text) or re.search(
            rf"\b(?:changed|switched|set|moved) (?:it |them |the server )?to {name}", text
        ):
            return True
    return False
