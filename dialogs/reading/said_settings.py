"""The settings a subscriber typed back after the card, with 「これでいいですか」.

「受信サーバー vpop.117.ne.jp ポート110 ユーザー名 taro@vp.117.ne.jp 送信 vsmtp.117.ne.jp 587
これでいいですか」 asks whether what they typed in is right: its address was read as an address
given, and the whole guide sent again. What each value is comes from the word before it
(受信/POP, 送信/SMTP): a host or port after 「送信」 is the sending server's until 「受信」 comes.
"""

from __future__ import annotations

import re
from typing import Final

# The card's rows a typed value may be compared with (`dialogs.settings_card.card_items`).
POP_SERVER: Final = "pop_server"
POP_PORT: Final = "pop_port"
USERNAME: Final = "username"
SMTP_SERVER: Final = "smtp_server"
SMTP_PORT: Final = "smtp_port"

_TOKEN: Final = re.compile(
    r"(?P<address>[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
    r"|(?P<host>\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\b)"
    # A port: two to four digits standing alone (「ポート110」「587番」), not inside a host;
    # a sentence's full stop may follow ('outgoing … 25. is this right?').
    r"|(?P<port>(?<![0-9.])[0-9]{2,4}(?![0-9]|\.[0-9a-z]))"
    r"|(?P<receiving>受信|\bpop3?\b|\bimap\b|incoming)"
    r"|(?P<sending>送信|\bsmtp\b|outgoing)"
    # What follows a password's name may be the password (「パスワードは my.pass.99」): never
    # read as a value, so never said back, until a server's side is named again.
    r"|(?P<secret>パスワード|パスワ-ド|暗証|\bpass(?:word|wd)?\b)"
)


def typed_settings(normalised: str, card_hosts: tuple[str, str]) -> dict[str, str]:
    """The values typed in `normalised` (as `understanding.normalise` leaves it), by card row.

    `card_hosts`: the card's receiving and sending servers, which name their side themselves
    where no word before them does. The first value for a row is kept; a port with no side
    named before it is left out (it could be either).
    """
    found: dict[str, str] = {}
    side = ""
    for match in _TOKEN.finditer(normalised):
        kind, value = match.lastgroup, match.group()
        if kind in ("receiving", "sending", "secret"):
            side = kind or ""
            continue
        if side == "secret":
            continue
        if kind == "address":
            found.setdefault(USERNAME, value)
        elif kind == "host":
            named = {card_hosts[0]: "receiving", card_hosts[1]: "sending"}.get(value, side)
            found.setdefault(SMTP_SERVER if named == "sending" else POP_SERVER, value)
        elif kind == "port" and side:
            found.setdefault(SMTP_PORT if side == "sending" else POP_PORT, value)
    return found
