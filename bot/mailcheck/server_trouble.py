"""A new mail server the login check cannot use, said as a warning once, not per check.

Each check logs its sides at INFO ("login check smtp … -> unreachable in 0 s (connection
refused)"): with the new submission server down for a day, every subscriber's check said
so among the turns, and not one WARNING told the engineer on call that the provider's
server, or the profile's `connect_host`, port or TLS mode, was wrong. An outcome that is
the server's (never the subscriber's password or mailbox) is now a warning when it starts,
then once a minute with its count (`bot.ops.repeated`), and a check that reaches the server
again says so.
"""

from __future__ import annotations

import logging
from typing import Final

from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import ServerTarget
from bot.ops.repeated import Repeated

_LOGGER: Final = logging.getLogger(__name__)

# What no subscriber mends: the server does not answer, or not as the profile says.
SERVER_SIDE: Final = frozenset(
    {
        Outcome.UNREACHABLE,
        Outcome.TIMEOUT,
        Outcome.TLS_ERROR,
        Outcome.UNTRUSTED_CERTIFICATE,
        Outcome.AUTH_NOT_OFFERED,
        Outcome.CLIENT_REFUSED,
    }
)
# What the chat says of a server it did not reach (f5539b6: not the subscriber's failure,
# and not counted toward a person); the others are told the check failed.
_TOLD: Final = {
    Outcome.UNREACHABLE: "the server could not be reached (not counted as their failure)",
    Outcome.TIMEOUT: "the server could not be reached (not counted as their failure)",
}
# The server answered as a mail server does: whatever the account's fate, it works.
_ANSWERED: Final = frozenset(
    {
        Outcome.OK,
        Outcome.AUTH_FAILED,
        Outcome.ACCOUNT_REFUSED,
        Outcome.MAILBOX_IN_USE,
    }
)


class ServerTrouble:
    """The servers' own failures across checks: one warning per server and outcome."""

    def __init__(self) -> None:
        self._failing: dict[tuple[str, Outcome], Repeated] = {}

    def note(self, server: ServerTarget, result: ProtocolResult) -> None:
        """Take one side's result of a check against `server`."""
        where = f"{server.protocol.value} {server.dial_host}:{server.port}"
        if result.outcome in SERVER_SIDE:
            repeated = self._failing.setdefault((where, result.outcome), Repeated())
            count = repeated.happened()
            if count:
                _LOGGER.warning(
                    "Login checks cannot use the %s server: %s (%s; %d check(s)):"
                    " subscribers are told %s; check that server, and the profile's"
                    " host, port, TLS mode and connect_host",
                    where,
                    result.outcome.value,
                    result.detail,
                    count,
                    _TOLD.get(result.outcome, "it failed"),
                )
        elif result.outcome in _ANSWERED:
            ended = [key for key in self._failing if key[0] == where]
            if any([self._failing.pop(key).ended() for key in ended]):
                _LOGGER.info("Login checks use the %s server again", where)
