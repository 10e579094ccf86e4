"""How an agent acting in Chatwoot is named in the lines, and how every desk shows her.

She is named 「佐藤 花子 (Chatwoot)」 (「Chatwoot」 when Chatwoot sent no name): her bare
name is also a console agent's, and who has the conversation is told by this one. Every desk
shows her by her name alone: registered with bot.desk.ownership as this module loads (the
channel imports it, and the server loads every channel's module at start-up).
"""

from __future__ import annotations

from typing import Final

from bot.desk.ownership import register_desk_names

DESK: Final = "chatwoot"
_MARK: Final = " (Chatwoot)"
# An agent whose Chatwoot sent no name.
CHATWOOT: Final = "Chatwoot"


def chatwoot_agent(name: str) -> str:
    """An agent acting in Chatwoot as the desks name her to one another: 「佐藤 花子 (Chatwoot)」.

    Her bare name is also a console agent's: who has the conversation is told by this one.
    """
    return f"{name}{_MARK}" if name else CHATWOOT


def in_chatwoot(who: str) -> bool:
    """Whether `who` is named as one acting in Chatwoot (`chatwoot_agent`)."""
    return who == CHATWOOT or who.endswith(_MARK)


def shown_agent(who: str) -> str | None:
    """Her name without 「(Chatwoot)」; None when `who` names nobody acting in Chatwoot.

    One without a name is shown as 「Chatwoot」.
    """
    if who == CHATWOOT:
        return who
    return who.removesuffix(_MARK) if who.endswith(_MARK) else None


register_desk_names(DESK, shown_agent)
