"""How the agents' desk names a Slack member in the lines, and how every desk shows her.

A member is named 「山田花子 (Slack U0AGENT1)」 where a namesake, or her own next display
name, must be told from her (her 「対応する」's take, the `acting` of her replies): her
display name as Slack showed it then and her member id, which alone stays hers. Every desk
shows her by her name alone: registered with bot.desk.ownership as this module loads (the
desk's channel imports it, and the server loads every channel's module at start-up).
"""

from __future__ import annotations

import re
from typing import Final

from bot.desk.ownership import register_desk_names

DESK: Final = "slack_desk"
# A U… member id, or an Enterprise Grid's W… one.
_SLACK_MEMBER: Final = re.compile(r"(?P<name>.+) \(Slack (?P<user>[A-Z0-9]+)\)")


def slack_member(name: str, user_id: str) -> str:
    """A Slack member as the desks name her to one another: 「山田花子 (Slack U0AGENT1)」."""
    return f"{name} (Slack {user_id})"


def slack_member_id(who: str) -> str | None:
    """The member id in a Slack member's name (`slack_member`); None for any other agent."""
    found = _SLACK_MEMBER.fullmatch(who)
    return found["user"] if found is not None else None


def shown_member(who: str) -> str | None:
    """A Slack member's name without her member id; None when `who` names no Slack member."""
    found = _SLACK_MEMBER.fullmatch(who)
    return found["name"] if found is not None else None


register_desk_names(DESK, shown_member)
