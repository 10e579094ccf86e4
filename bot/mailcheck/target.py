"""Where a live login check connects, and how long each step may take.

Always the profile's new servers, never a host a subscriber typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dialogs.profile import MigrationProfile, Security

DEFAULT_TIMEOUT: Final = 15.0
# Every network step has `timeout`; a whole protocol (connect, greeting, TLS, login, count,
# quit) gets this many steps' worth, so a server that answers just in time at every step,
# or dribbles a line byte by byte, still cannot hold a check for long.
STEP_BUDGET: Final = 4


@dataclass(frozen=True, slots=True)
class CheckTarget:
    """Where the check connects: always the profile's new servers, never a user's host."""

    smtp_host: str
    smtp_port: int
    smtp_security: Security
    pop_host: str
    pop_port: int
    pop_security: Security
    allow_plaintext_login: bool

    @classmethod
    def from_profile(cls, profile: MigrationProfile) -> CheckTarget:
        """The new submission and POP servers of a migration profile."""
        return cls(
            smtp_host=profile.outgoing.new_host,
            smtp_port=profile.outgoing.port,
            smtp_security=profile.outgoing.security,
            pop_host=profile.incoming.new_host,
            pop_port=profile.incoming.port,
            pop_security=profile.incoming.security,
            allow_plaintext_login=profile.allow_plaintext_login,
        )
