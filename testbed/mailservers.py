"""Real mail servers on loopback for the credential-check tests and benchmark.

Each helper is a context manager that starts a server on 127.0.0.1 on a free port and stops
it on exit: an aiosmtpd submission server in four flavours, Debian's Dovecot as a POP3 and
IMAP server (and SASL back end for Postfix, `testbed/postfix.py`), a listener that never
answers and a port that refuses. Readiness is polled by
connecting until the server answers, never by sleeping.
"""

from __future__ import annotations

import asyncio
import enum
import grp
import hmac
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from testbed.loopback import free_ports, listens_on

HOST: Final = "127.0.0.1"
DOMAIN: Final = "vp.117.ne.jp"
# Long enough to be unmistakable when a test scans logs for it; no ':' because Dovecot's
# passwd-file separates fields with it.
PASSWORD: Final = "Tsukimi-7rq!Hanabi#2008"
_READY_TIMEOUT: Final = 10.0
_START_ATTEMPTS: Final = 3


@dataclass(frozen=True, slots=True)
class Account:
    """A mailbox both test servers know."""

    address: str
    password: str


CHECK_ACCOUNT: Final = Account(f"taro@{DOMAIN}", PASSWORD)
# The round trip gets its own mailbox so the message count of CHECK_ACCOUNT stays fixed.
ROUND_TRIP_ACCOUNT: Final = Account(f"hanako@{DOMAIN}", "Sakura-4kz!Yukimi#2008")
ACCOUNTS: Final = (CHECK_ACCOUNT, ROUND_TRIP_ACCOUNT)
SEEDED_MESSAGES: Final = 2  # already in CHECK_ACCOUNT's mailbox when Dovecot starts


# Names the test certificate holds beside localhost and 127.0.0.1: the shipped profile's
# new servers, so a check can connect to 127.0.0.1 while verifying the name subscribers type.
SERVER_NAMES: Final = ("vpop.117.ne.jp", "vsmtp.117.ne.jp")


class Certificates:
    """A throwaway CA and a server certificate for localhost, 127.0.0.1 and SERVER_NAMES."""

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self._server = self.ca.issue_cert("localhost", HOST, *SERVER_NAMES)
        self.ca_path = directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_path))
        self.cert_path = directory / "server-cert.pem"
        self.key_path = directory / "server-key.pem"
        self._server.private_key_pem.write_to_path(str(self.key_path))
        for index, pem in enumerate(self._server.cert_chain_pems):
            pem.write_to_path(str(self.cert_path), append=index > 0)
        # Dovecot's login processes run as another user and read the files as root first,
        # so ordinary permissions are enough; the key is still kept private.
        self.key_path.chmod(0o600)

    def server_context(self) -> ssl.SSLContext:
        """A server-side context presenting the certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._server.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts the throwaway CA (and nothing else)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


# --- SMTP (aiosmtpd) ----------------------------------------------------------------------


class SmtpMode(enum.Enum):
    """The submission-server flavours the tests need."""

    STARTTLS_REQUIRED = "starttls"  # STARTTLS + AUTH required, PLAIN/LOGIN only after TLS
    CRAM_MD5 = "cram-md5"  # no TLS at all; CRAM-MD5 offered beside PLAIN/LOGIN
    NO_STARTTLS = "no-starttls"  # no TLS at all; PLAIN/LOGIN only
    IMPLICIT_TLS = "tls"  # TLS from the first byte (port 465 style)


@dataclass(slots=True)
class SmtpServer:
    """A running submission server and what it observed."""

    mode: SmtpMode
    host: str = HOST
    port: int = 0
    auth_mechanisms_seen: list[str] = field(default_factory=list)
    connections: int = 0
    delivered: list[tuple[str, bytes]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record_auth(self, mechanism: str) -> None:
        with self._lock:
            self.auth_mechanisms_seen.append(mechanism)

    def record_connection(self) -> None:
        with self._lock:
            self.connections += 1


class _Handler:
    """Checks logins against known accounts, speaks CRAM-MD5 and delivers messages."""

    def __init__(
        self,
        server: SmtpServer,
        accounts: Sequence[Account],
        deliver: Callable[[str, bytes], None] | None,
    ) -> None:
        self._server = server
        self._passwords = {a.address.encode(): a.password.encode() for a in accounts}
        self._deliver = deliver

    def authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, _mech: str, data: object
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and hmac.compare_digest(
            self._passwords.get(data.login, b"\0"), data.password
        ):
            return AuthResult(success=True)
        # handled=False makes aiosmtpd send 535; the default (True) sends nothing at all
        # and the client waits for its timeout (MAIL.md).
        return AuthResult(success=False, handled=False)

    async def auth_CRAM__MD5(self, server: SMTP, _args: list[str]) -> AuthResult:  # noqa: N802
        # aiosmtpd turns "auth_CRAM__MD5" into the mechanism name "CRAM-MD5".
        challenge = f"<{secrets.token_hex(8)}.{time.time_ns()}@{DOMAIN}>".encode()
        reply = await server.challenge_auth(challenge)
        if not isinstance(reply, bytes):
            return AuthResult(success=False, handled=True)  # client aborted; 501 already sent
        login, _, digest = reply.partition(b" ")
        secret = self._passwords.get(login)
        expected = hmac.new(secret or b"", challenge, "md5").hexdigest().encode()
        ok = secret is not None and hmac.compare_digest(expected, digest)
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(  # noqa: N802
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        for recipient in envelope.rcpt_tos:
            self._server.delivered.append((recipient, content))
            if self._deliver is not None:
                self._deliver(recipient, content)
        return "250 2.0.0 Message accepted"


class _RecordingSMTP(SMTP):
    """aiosmtpd's SMTP, noting every connection and every AUTH mechanism a client asks for."""

    def __init__(self, handler: _Handler, server: SmtpServer, **kwargs: object) -> None:
        super().__init__(handler, **kwargs)  # type: ignore[arg-type]
        self._observed = server

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self.transport is None:  # not the STARTTLS re-entry on the same connection
            self._observed.record_connection()
        super().connection_made(transport)

    async def smtp_AUTH(self, arg: str) -> None:  # noqa: N802
        self._observed.record_auth(arg.split(maxsplit=1)[0].upper() if arg else "")
        await super().smtp_AUTH(arg)


class _Controller(Controller):
    def __init__(self, handler: _Handler, server: SmtpServer, **kwargs: object) -> None:
        super().__init__(handler, hostname=HOST, port=0, **kwargs)  # type: ignore[arg-type]
        self._observed = server

    def factory(self) -> SMTP:
        return _RecordingSMTP(self.handler, self._observed, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # Port 0 lets the kernel pick a free port with no race; learn it before aiosmtpd's
        # own readiness probe connects to self.port.
        if not isinstance(self.server, asyncio.Server):
            raise RuntimeError("aiosmtpd did not bind")
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@contextmanager
def running_smtp_server(
    mode: SmtpMode,
    certificates: Certificates,
    *,
    accounts: Sequence[Account] = ACCOUNTS,
    deliver: Callable[[str, bytes], None] | None = None,
) -> Iterator[SmtpServer]:
    """Run an aiosmtpd submission server that requires AUTH, in the given flavour."""
    server = SmtpServer(mode)
    handler = _Handler(server, accounts, deliver)
    options: dict[str, object] = {
        "server_hostname": "mail.test",  # skip aiosmtpd's getfqdn(), slow without DNS
        "authenticator": handler.authenticate,
        "auth_exclude_mechanism": [] if mode is SmtpMode.CRAM_MD5 else ["CRAM-MD5"],
    }
    if mode is SmtpMode.STARTTLS_REQUIRED:
        options |= {
            "tls_context": certificates.server_context(),
            "require_starttls": True,
            "auth_required": True,
            "auth_require_tls": True,
        }
    else:
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls, and warns on every
        # connection when AUTH is required without it. These servers are only logged in
        # to, never sent unauthenticated mail, so they do not insist on AUTH for MAIL.
        options |= {"auth_required": False, "auth_require_tls": False}
        if mode is SmtpMode.IMPLICIT_TLS:
            options |= {"ssl_context": certificates.server_context()}
    controller = _Controller(handler, server, **options)
    controller.start()  # returns once aiosmtpd has answered its own probe connection
    server.port = controller.port
    server.connections = 0  # forget that probe
    try:
        yield server
    finally:
        controller.stop()


# --- POP3 (Dovecot) -----------------------------------------------------------------------


class DovecotMissingError(RuntimeError):
    """Dovecot is not installed here (the Makefile installs dovecot-core, -pop3d, -imapd)."""


def dovecot_binary(*, imap: bool = False) -> str:
    """The dovecot executable (with IMAP if asked), or DovecotMissingError."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if found is None or not Path("/usr/lib/dovecot/pop3-login").exists():
        raise DovecotMissingError("dovecot with POP3 is not installed (dovecot-pop3d)")
    if imap and not Path("/usr/lib/dovecot/imap-login").exists():
        raise DovecotMissingError("dovecot with IMAP is not installed (dovecot-imapd)")
    return found


class DovecotLog:
    """Dovecot's log lines, read from its stderr as they come, so tests can wait on them."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            with self._changed:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._changed.notify_all()

    def lines(self) -> list[str]:
        """Every line so far."""
        with self._changed:
            return list(self._lines)

    def mark(self) -> int:
        """A position to wait from: lines after it are news."""
        with self._changed:
            return len(self._lines)

    def wait_for(self, wanted: Callable[[str], bool], *, after: int, timeout: float = 30.0) -> str:
        """The first line after `after` that is wanted, waiting for Dovecot to write it.

        The deadline is long because it costs nothing when the line comes: a line passes
        through Dovecot's log process, and once in eight full runs on a loaded 2-core
        machine it came later than the 5 s this used to allow.
        """

        def found() -> str | None:
            return next((line for line in self._lines[after:] if wanted(line)), None)

        with self._changed:
            line = self._changed.wait_for(found, timeout)
            since = self._lines[after:]
        if line is None:
            raise TimeoutError(f"no such dovecot log line within {timeout} s; came: {since!r}")
        return line

    def close(self) -> None:
        self._reader.join(timeout=10)


def is_pop3_login_end(line: str) -> bool:
    """The line pop3-login writes once per connection: a login, or a disconnect before one."""
    return "pop3-login: Info: Login:" in line or "pop3-login: Info: Disconnected" in line


def is_imap_login_end(line: str) -> bool:
    """The line imap-login writes once per connection: a login, or a disconnect before one."""
    return "imap-login: Info: Login:" in line or "imap-login: Info: Disconnected" in line


@dataclass(frozen=True, slots=True)
class DovecotPorts:
    """Where one Dovecot listens; the TLS ports and IMAP only when asked for."""

    pop3: int
    pop3s: int | None = None
    imap: int | None = None
    imaps: int | None = None


@dataclass(frozen=True, slots=True)
class DovecotServer:
    """A running Dovecot POP3 (and IMAP) server."""

    root: Path
    pop3_port: int
    pop3s_port: int | None
    log: DovecotLog
    host: str = HOST
    imap_port: int | None = None
    imaps_port: int | None = None
    # Postfix's smtpd asks Dovecot to check SASL logins here (smtpd_sasl_type = dovecot).
    auth_socket: Path | None = None

    def deliver(self, address: str, message: bytes) -> None:
        """Drop a message into the mailbox the way an MTA does (tmp/, then rename to new/)."""
        _deliver_to_maildir(self.root / "mail" / address, message)


def _mail_owner() -> tuple[str, str]:
    # As root, Dovecot's processes run as nobody; an ordinary user can only run them as
    # itself, which Dovecot allows when every *_user setting names that user.
    if os.geteuid() == 0:
        return "nobody", "nogroup"
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def _deliver_to_maildir(maildir: Path, message: bytes) -> None:
    user, group = _mail_owner()
    name = f"{time.time_ns()}.{secrets.token_hex(4)}.mailmove-test"
    staged = maildir / "tmp" / name
    staged.write_bytes(message.replace(b"\r\n", b"\n"))  # maildir files use bare LF
    shutil.chown(staged, user, group)
    staged.rename(maildir / "new" / name)


def _listener(name: str, port: int | None, *, tls: bool = False) -> str:
    if port is None:
        return ""
    return f"  inet_listener {name} {{\n    port = {port}\n    ssl = {'yes' if tls else 'no'}\n  }}"


def _dovecot_conf(
    root: Path, ports: DovecotPorts, tls: Certificates | None, mechanisms: str
) -> str:
    user, group = _mail_owner()
    if tls is None:
        ssl_lines = "ssl = no"
    else:
        ssl_lines = f"ssl = yes\nssl_cert = <{tls.cert_path}\nssl_key = <{tls.key_path}"
    pop3, pop3s = ports.pop3, ports.pop3s
    protocols = "pop3" if ports.imap is None else "pop3 imap"
    imap_service = ""
    if ports.imap is not None:
        imap_service = f"""\
service imap-login {{
  chroot =
{_listener("imap", ports.imap)}
{_listener("imaps", ports.imaps, tls=True)}
}}
"""
    return f"""\
protocols = {protocols}
listen = {HOST}
base_dir = {root}/run
state_dir = {root}/state
# To our pipe, read line by line: tests wait on lines instead of sleeping.
log_path = /dev/stderr
instance_name = mailmove-test-{pop3}
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
auth_verbose = yes
# Without APOP, pop3-login puts no timestamp in its greeting.
auth_mechanisms = {mechanisms}
{ssl_lines}
mail_location = maildir:{root}/mail/%u
# Failed logins are answered at once: no failure delay, no anvil penalty.
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = {root}/users
  override_fields = nodelay=yes
}}
# A wrong password or unknown user falls through to here; the auth process holds back
# every failure without "nodelay" for 0.5 s, so this passdb denies with nodelay.
passdb {{
  driver = static
  args = nopassword=y
  deny = yes
  override_fields = nodelay=yes
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
# No chroot: only root may chroot, and a test server gains nothing from it.
service pop3-login {{
  chroot =
{_listener("pop3", pop3)}
{_listener("pop3s", pop3s, tls=True)}
}}
{imap_service}\
# For Postfix's smtpd (another user): SASL logins checked against the same accounts.
service auth {{
  unix_listener {root}/run/auth-sasl {{
    mode = 0666
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _prepare_root(root: Path, accounts: Sequence[Account], seed: Mapping[str, int]) -> None:
    user, group = _mail_owner()
    # Dovecot's auth and mail processes run as `user` and must reach users and mail/.
    root.chmod(0o755)
    (root / "run").mkdir()
    (root / "state").mkdir()
    # {PLAIN} keeps the password recoverable, which APOP needs.
    (root / "users").write_text(
        "".join(f"{a.address}:{{PLAIN}}{a.password}::::::\n" for a in accounts), encoding="utf-8"
    )
    (root / "users").chmod(0o600)
    shutil.chown(root / "users", user, group)
    mail = root / "mail"
    for account in accounts:
        maildir = mail / account.address
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True)
    for path in [mail, *mail.rglob("*")]:
        shutil.chown(path, user, group)
    for address, count in seed.items():
        for number in range(count):
            seeded = f"From: support@{DOMAIN}\nTo: {address}\nSubject: seed {number}\n\nhi\n"
            _deliver_to_maildir(mail / address, seeded.encode())


def _wait_for_greeting(process: subprocess.Popen[bytes], port: int, log: DovecotLog) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        # This Dovecot's greeting, not another's: the port was picked free before it started,
        # and the other test worker's Dovecot may have taken it meanwhile. Its "+OK" was
        # taken for this one's, which had exited, and the test ran against its accounts.
        with suppress(OSError), socket.create_connection((HOST, port), timeout=1.0) as conn:
            if conn.recv(64).startswith(b"+OK") and listens_on(process.pid, port):
                return
        # Waiting on the process doubles as the pause between probes and notices at once
        # when Dovecot has exited (a bad config, a port taken).
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.02)
            tail = "\n".join(log.lines()[-20:])
            raise RuntimeError(f"dovecot exited with {process.returncode}:\n{tail}")
    raise TimeoutError(f"dovecot did not answer on port {port} within {_READY_TIMEOUT} s")


@contextmanager
def running_dovecot(
    *,
    certificates: Certificates | None,
    accounts: Sequence[Account] = ACCOUNTS,
    seed: Mapping[str, int] | None = None,
    imap: bool = False,
    mechanisms: str | None = None,
) -> Iterator[DovecotServer]:
    """Run Dovecot's POP3 server (and IMAP if asked) in a fresh directory, removed after.

    With certificates it offers STLS/STARTTLS, POP3S (and IMAPS) ports and, unless
    `mechanisms` says otherwise, APOP (its greeting carries a timestamp); without them it
    speaks plain POP3 (and IMAP) with the password as typed only. `mechanisms` is
    Dovecot's auth_mechanisms: what IMAP and Postfix's SASL announce ("plain login",
    "plain login cram-md5"...).
    """
    binary = dovecot_binary(imap=imap)
    if mechanisms is None:
        mechanisms = "plain apop" if certificates is not None else "plain"
    # Not under pytest's tmp_path: that sits in 0700 directories which Dovecot's
    # unprivileged processes could not traverse.
    root = Path(tempfile.mkdtemp(prefix="mailmove-dovecot-"))
    try:
        _prepare_root(
            root, accounts, {CHECK_ACCOUNT.address: SEEDED_MESSAGES} if seed is None else seed
        )
        process, log, ports = _start_dovecot(binary, root, certificates, mechanisms, imap=imap)
        try:
            yield DovecotServer(
                root,
                ports.pop3,
                ports.pop3s,
                log,
                imap_port=ports.imap,
                imaps_port=ports.imaps,
                auth_socket=root / "run" / "auth-sasl",
            )
        finally:
            _stop_dovecot(process, log)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start_dovecot(
    binary: str, root: Path, certificates: Certificates | None, mechanisms: str, *, imap: bool
) -> tuple[subprocess.Popen[bytes], DovecotLog, DovecotPorts]:
    tls = certificates is not None
    for attempt in range(_START_ATTEMPTS):
        # A free port can be taken by someone else before Dovecot binds it: then try others.
        pop3_port, pop3s_port, imap_port, imaps_port = free_ports(4, HOST)
        ports = DovecotPorts(
            pop3=pop3_port,
            pop3s=pop3s_port if tls else None,
            imap=imap_port if imap else None,
            imaps=imaps_port if imap and tls else None,
        )
        pop3 = ports.pop3
        conf = root / "dovecot.conf"
        conf.write_text(_dovecot_conf(root, ports, certificates, mechanisms), encoding="utf-8")
        process = subprocess.Popen(  # noqa: S603 - fixed argv, our own config
            [binary, "-F", "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if process.stderr is None:
            raise RuntimeError("no stderr pipe")
        log = DovecotLog(process.stderr)
        try:
            _wait_for_greeting(process, pop3, log)
        except BaseException as failed:
            _stop_dovecot(process, log)
            if "Address already in use" in str(failed) and attempt + 1 < _START_ATTEMPTS:
                continue
            raise
        return process, log, ports
    raise AssertionError("unreachable")  # the loop returns or raises


def _stop_dovecot(process: subprocess.Popen[bytes], log: DovecotLog) -> None:
    # SIGTERM to the master and to its children at once. Told by the master alone, Dovecot's
    # log process waited about a second for its writers after the others had gone (1.0-1.3 s
    # a stop, a dozen in the suite); told itself, it writes its last lines and exits at once.
    children = _children(process.pid)
    process.terminate()
    for child in children:
        with suppress(ProcessLookupError):
            os.kill(child, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    if process.stderr is not None:
        process.stderr.close()


def _children(pid: int) -> list[int]:
    """The processes `pid` started that still run (Linux's /proc; none if it cannot say)."""
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


# --- Listeners that misbehave -------------------------------------------------------------


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port whose kernel completes the TCP handshake but where nobody ever speaks."""
    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(16)  # never accept(): connections sit in the backlog, silent
        yield int(listener.getsockname()[1])


@contextmanager
def closed_port() -> Iterator[int]:
    """A port that refuses connections (bound, so nothing else takes it, but not listening)."""
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        yield int(holder.getsockname()[1])


@dataclass(slots=True)
class Dribbler:
    """A listener that sends one byte at a time, forever, to whoever connects."""

    port: int = 0
    hung_up: threading.Event = field(default_factory=threading.Event)


@contextmanager
def dribbling_listener(interval: float = 0.05) -> Iterator[Dribbler]:
    """Defeats per-read socket timeouts: every read gets a byte in time, no line ever ends.

    `hung_up` is set once a client closes its end (a send fails).
    """
    stop = threading.Event()
    dribbler = Dribbler()

    def serve(listener: socket.socket) -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue  # look at `stop` again
            except OSError:
                return  # listener closed
            with conn:
                try:
                    while not stop.wait(interval):  # the wait is the pacing, not a sync
                        conn.sendall(b"+")
                except OSError:
                    dribbler.hung_up.set()

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(4)
        listener.settimeout(0.2)
        dribbler.port = int(listener.getsockname()[1])
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        try:
            yield dribbler
        finally:
            stop.set()
            thread.join(timeout=5)
