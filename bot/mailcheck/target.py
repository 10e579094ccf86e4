"""Where a live login check connects, how it may log in, and how long each step may take.

Always the profile's new servers, never a host a subscriber typed. A server may be reached
under another name than the one subscribers type (`connect_host`: an internal name or an
address), but TLS always verifies the name subscribers type (SNI and the certificate's
host name), against the profile's own CA when it names one.
"""

from __future__ import annotations

import ssl
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

from bot.mailcheck.failures import StopCheckError
from bot.mailcheck.outcomes import Outcome
from dialogs.profile import (
    CheckAccess,
    IncomingServer,
    LoginMethod,
    LoginName,
    MigrationProfile,
    OutgoingServer,
    Port,
    Protocol,
    Security,
    moved_address,
)

DEFAULT_TIMEOUT: Final = 15.0
# Every network step has `timeout`; a whole protocol (connect, greeting, TLS, login, count,
# quit) gets this many steps' worth, so a server that answers just in time at every step,
# or dribbles a line byte by byte, still cannot hold a check for long.
STEP_BUDGET: Final = 4
# A target built by hand (tests, benchmarks) takes whatever safe method the server
# announces; one built from a profile takes only what the profile says the servers offer.
EVERY_METHOD: Final = (LoginMethod.PASSWORD, LoginMethod.CRAM_MD5, LoginMethod.APOP)
_CHALLENGE: Final = frozenset({LoginMethod.CRAM_MD5, LoginMethod.APOP})


@dataclass(frozen=True, slots=True)
class Access:
    """How the check reaches one server beyond its host, port and TLS mode."""

    login_methods: tuple[LoginMethod, ...] = EVERY_METHOD  # offered, in order of preference
    login_name: LoginName = LoginName.ADDRESS
    connect_host: str | None = None  # where to connect; TLS still verifies the server's name
    # Trusts the profile's CA (built once, at start-up); None: the caller's context.
    tls_context: ssl.SSLContext | None = field(default=None, compare=False)
    # Where the address domain changes (old, new pairs): the servers know the new address,
    # whichever one the subscriber typed.
    new_domains: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ServerTarget:
    """One server the check logs in to, and every fact about how."""

    protocol: Protocol
    host: str  # the name subscribers type: what TLS verifies
    port: int
    security: Security
    access: Access = Access()

    @property
    def dial_host(self) -> str:
        """Where the connection goes: the check's own host if the profile names one."""
        return self.access.connect_host or self.host

    @property
    def encrypted(self) -> bool:
        """Whether everything after the greeting (or all of it) travels inside TLS."""
        return self.security is not Security.NONE

    def login_name(self, address: str) -> str:
        """The account name this server expects for `address`."""
        return self.access.login_name.of(moved_address(address, self.access.new_domains))

    def tls(self, fallback: ssl.SSLContext) -> ssl.SSLContext:
        """The profile's context for this server, else the caller's."""
        return self.access.tls_context or fallback

    def usable_methods(
        self, announced: Collection[LoginMethod], *, allow_plaintext_login: bool
    ) -> tuple[LoginMethod, ...]:
        """The methods the check may use here, best first; StopCheckError if there are none.

        A method must be offered (the profile), announced (the server, now) and safe: the
        password as typed travels only inside TLS unless the operator allowed otherwise;
        challenge-response never reveals it. Where the offered methods are all unsafe here,
        an announced challenge-response method stands in for them.

        A server that announces none of the profile's methods refuses every mail program set
        up as the card says (Thunderbird: "the server does not support the selected
        authentication method"): AUTH_NOT_OFFERED, as for a server without AUTH, though the
        check sent nothing. Told "nothing found wrong", the subscriber met that error next.
        """
        common = [m for m in self.access.login_methods if m in announced]
        if not common:
            offered = ", ".join(m.value for m in self.access.login_methods)
            heard = ", ".join(m.value for m in EVERY_METHOD if m in announced) or "none"
            raise StopCheckError(
                Outcome.AUTH_NOT_OFFERED,
                f"no login method in common (profile: {offered}; server: {heard})",
            )
        if self.encrypted:
            return tuple(common)
        # Without TLS, challenge-response first whatever the profile prefers: it proves
        # the same password without putting it on the wire.
        safe: tuple[LoginMethod, ...] = tuple(m for m in common if m is not LoginMethod.PASSWORD)
        if allow_plaintext_login:
            return safe + tuple(m for m in common if m is LoginMethod.PASSWORD)
        if not safe:
            # The servers offer mail programs the password as typed (the seed's profile, as
            # the notice implies) and this port has no TLS: a challenge-response method the
            # server also announces proves the same account and password without putting
            # it on the wire, so the check stands in with it rather than verify nothing.
            safe = tuple(m for m in EVERY_METHOD if m in announced and m in _CHALLENGE)
        if not safe:
            raise StopCheckError(
                Outcome.NOT_VERIFIED,
                "no TLS and no challenge-response: the password is not sent in clear text",
            )
        return safe

    def describe(self) -> str:
        """For logs: protocol, name and port (and where it was reached, if elsewhere)."""
        via = f" via {self.access.connect_host}" if self.access.connect_host else ""
        return f"{self.protocol.value} {self.host}:{self.port}{via}"


@dataclass(frozen=True, slots=True)
class CheckTarget:
    """Where the check connects: always the profile's new servers, never a user's host.

    The first seven fields say where each server listens for the check (the port
    `check_port` chose; the `pop_*` ones name the receiving server, POP3 or IMAP, as they
    did before IMAP); the rest say how to reach each server and log in.
    """

    smtp_host: str
    smtp_port: int
    smtp_security: Security
    pop_host: str
    pop_port: int
    pop_security: Security
    allow_plaintext_login: bool
    incoming_protocol: Protocol = Protocol.POP3
    smtp_access: Access = Access()
    incoming_access: Access = Access()
    # Whether the check logs in to the receiving server at all: not where a migration
    # changes only sending (the receiving settings are not the migration's to test).
    check_incoming: bool = True
    # Whether it logs in to the outgoing server: not where a migration changes only
    # receiving. The sending settings stay as they are, so a refused SMTP login is not the
    # migration's doing, and its words ("set port 587, SMTP authentication on") would have
    # the subscriber change settings that need no change; the round trip still sends
    # through it, and so proves the new receiving server gets mail.
    check_outgoing: bool = True

    @property
    def smtp(self) -> ServerTarget:
        """The submission server."""
        return ServerTarget(
            Protocol.SMTP, self.smtp_host, self.smtp_port, self.smtp_security, self.smtp_access
        )

    @property
    def incoming(self) -> ServerTarget:
        """The receiving server (POP3 or IMAP)."""
        return ServerTarget(
            self.incoming_protocol,
            self.pop_host,
            self.pop_port,
            self.pop_security,
            self.incoming_access,
        )

    @classmethod
    def from_profile(cls, profile: MigrationProfile) -> CheckTarget:
        """The new servers of a migration profile, each on the port the check can use.

        `check.ca_file` must already be absolute (`bot.ops.profile_loader` makes it so);
        its SSL context is built here, once.
        """
        plaintext = profile.allow_plaintext_login
        smtp_port = check_port(profile.outgoing, allow_plaintext_login=plaintext)
        pop_port = check_port(profile.incoming, allow_plaintext_login=plaintext)
        return cls(
            smtp_host=profile.outgoing.new_host,
            smtp_port=smtp_port.number,
            smtp_security=smtp_port.security,
            pop_host=profile.incoming.new_host,
            pop_port=pop_port.number,
            pop_security=pop_port.security,
            allow_plaintext_login=plaintext,
            incoming_protocol=profile.incoming.protocol,
            smtp_access=access_of(profile.outgoing, profile.new_domains),
            incoming_access=access_of(profile.incoming, profile.new_domains),
            check_incoming=not profile.incoming.unchanged,
            check_outgoing=not profile.outgoing.unchanged,
        )


def check_port(server: IncomingServer | OutgoingServer, *, allow_plaintext_login: bool) -> Port:
    """The port the check logs in on: the recommended one, unless only another is safe.

    On a port without TLS the password may travel only by challenge-response (or with the
    operator's leave); when the recommended port offers neither but another port has TLS,
    the check proves the same account and password there instead of giving up.
    """
    challenge = any(m is not LoginMethod.PASSWORD for m in server.login_methods)
    for port in server.ports:
        if port.security is not Security.NONE or challenge or allow_plaintext_login:
            return port
    return server.ports[0]


def access_of(
    server: IncomingServer | OutgoingServer, new_domains: tuple[tuple[str, str], ...] = ()
) -> Access:
    """How the check reaches `server`: its methods, login name, connect host and CA.

    `new_domains` is the profile's: where addresses move to a new domain, the check logs
    in with the new address even when the old one was typed.
    """
    check: CheckAccess = server.check
    return Access(
        login_methods=server.login_methods,
        login_name=server.login_name,
        connect_host=check.connect_host,
        tls_context=trusting(check.ca_file) if check.ca_file else None,
        new_domains=new_domains,
    )


def trusting(ca_file: str) -> ssl.SSLContext:
    """A verifying client context that trusts the bundle at `ca_file` (and nothing else)."""
    # Only the profile's CA: an operator who names one means "this is who signs our
    # servers", and a public CA vouching for an internal name would be a surprise.
    return ssl.create_default_context(cafile=ca_file)
