"""Debian's Postfix as a submission server on loopback, checking logins through Dovecot.

What an ISP really runs: smtpd on a STARTTLS submission port (AUTH only after STARTTLS,
like 587), on an implicit-TLS port (like 465) and, for the check's refusals, on a port
that announces AUTH without TLS; SASL goes to a running Dovecot's auth socket
(`smtpd_sasl_type = dovecot`), so the same accounts and mechanisms as its POP3 and IMAP.

Postfix's master must start as root (it binds, then drops to the `postfix` user). It runs
from its own configuration directory under a temp dir (`postfix -c DIR start`), with its
queue and data directories there too, listening on 127.0.0.1 only; master.cf holds only
the three smtpd services and the internal services smtpd calls. No mail is delivered:
nothing is a local or relay destination, and the check never sends through it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from testbed.loopback import free_ports, listens_on
from testbed.mailservers import HOST, Certificates, DovecotServer

_READY_TIMEOUT: Final = 15.0
_STOP_TIMEOUT: Final = 10.0
_START_ATTEMPTS: Final = 3
# Postfix reads main.cf only once it has not changed for a second or two ("pausing to let
# file %s cool down", libpostfix-util's file loader, probing every 0.3 s): a config written
# just before `postfix start` held every start 1.5-2 s (strace). Dated back, it is read at once.
_WRITTEN_BEFORE: Final = 60.0
_POSTFIX_USER: Final = "postfix"


class PostfixMissingError(RuntimeError):
    """Postfix cannot run here: not installed (Debian's `postfix`), or not root."""


@dataclass(frozen=True, slots=True)
class PostfixServer:
    """A running Postfix: its ports and its log file."""

    root: Path
    submission_port: int  # STARTTLS, AUTH only after it (587 style)
    smtps_port: int  # implicit TLS (465 style)
    plain_port: int  # no TLS at all; AUTH announced in clear text
    # Refuses every client at connection: 554 in place of the 220 greeting (RFC 5321 3.1),
    # as a provider's access rule or block list against a network does.
    refusing_port: int = 0
    host: str = HOST

    @property
    def log_path(self) -> Path:
        """Postfix's own log (maillog_file): one line per connection, login, failure."""
        return self.root / "maillog"

    def log(self) -> str:
        """Everything Postfix has logged so far."""
        with suppress(FileNotFoundError):
            return self.log_path.read_text("utf-8", "replace")
        return ""


def postfix_binary() -> str:
    """The postfix command, or PostfixMissingError saying why it cannot run here."""
    found = shutil.which("postfix") or shutil.which("postfix", path="/usr/sbin:/sbin")
    if found is None:
        raise PostfixMissingError("postfix is not installed (Debian's postfix package)")
    if os.geteuid() != 0:
        raise PostfixMissingError("postfix's master must start as root; these tests are not")
    return found


def _main_cf(root: Path, certificates: Certificates, dovecot: DovecotServer) -> str:
    return f"""\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = {_POSTFIX_USER}
myhostname = mail.test
inet_interfaces = {HOST}
inet_protocols = ipv4
# Nothing is delivered here: no local domain, no aliases, no lookups of local users.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:no local delivery
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_peername_lookup = no
maillog_file_prefixes = {root}
maillog_file = {root}/maillog
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {dovecot.auth_socket}
smtpd_tls_cert_file = {certificates.cert_path}
smtpd_tls_key_file = {certificates.key_path}
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
# A failed login is answered at once (the default error sleep is 1 s per error).
smtpd_error_sleep_time = 0
"""


def _master_cf(submission: int, smtps: int, plain: int, refusing: int) -> str:
    # No chroot (the "n" in the fifth column): the paths above are outside any jail.
    return f"""\
{HOST}:{submission} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
{HOST}:{smtps} inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
{HOST}:{plain} inet n - n - - smtpd
  -o syslog_name=postfix/plain
  -o smtpd_tls_security_level=none
  -o smtpd_tls_auth_only=no
{HOST}:{refusing} inet n - n - - smtpd
  -o syslog_name=postfix/refusing
  -o smtpd_delay_reject=no
  -o smtpd_client_restrictions=reject
postlog unix-dgram n - n - 1 postlogd
anvil unix - - n - 1 anvil
tlsmgr unix - - n 1000? 1 tlsmgr
proxymap unix - - n - - proxymap
"""


# The queue's directories as `postfix check` makes them (owner, group, mode). Made here,
# with a quick-start mark, because that check takes about 3 s; `start` then skips it.
_QUEUE_DIRECTORIES: Final = (
    *(
        (name, "postfix", "root", 0o700)
        for name in (
            "active",
            "bounce",
            "corrupt",
            "defer",
            "deferred",
            "flush",
            "hold",
            "incoming",
            "private",
            "saved",
            "trace",
        )
    ),
    ("maildrop", "postfix", "postdrop", 0o730),
    ("public", "postfix", "postdrop", 0o710),
    ("pid", "root", "root", 0o755),
)


def _make_queue(queue: Path) -> None:
    for name, owner, group, mode in _QUEUE_DIRECTORIES:
        directory = queue / name
        directory.mkdir(mode=mode)
        directory.chmod(mode)  # mkdir's mode is cut by the umask
        shutil.chown(directory, owner, group)
    (queue / "quick-start").touch()


def _wait_for_greeting(server: PostfixServer) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        with suppress(OSError), socket.create_connection((HOST, server.plain_port), 1.0) as conn:
            conn.settimeout(1.0)
            # This Postfix's greeting, and its port alone: the other test worker's may have
            # taken the port picked free for this one, and its "220" was taken for this one's;
            # and as Postfix listens with SO_REUSEPORT, both then listened there, each getting
            # some of the other's connections, with no "Address already in use" to say so.
            master = _master_pid(server.root)
            if conn.recv(64).startswith(b"220") and master is not None:
                ports = (
                    server.submission_port,
                    server.smtps_port,
                    server.plain_port,
                    server.refusing_port,
                )
                if all(listens_on(master, port, alone=True) for port in ports):
                    return
                if all(listens_on(master, port) for port in ports):
                    raise PortSharedError(f"another server listens on a port of {server}")
        master = _master_pid(server.root)
        if master is not None and not _alive(master):
            # It could not listen (a port taken): said at once, for another try on others.
            raise RuntimeError(f"postfix exited at start:\n{server.log()}")
        # Not a synchronisation sleep: the pause between probes of a port not yet bound.
        time.sleep(0.02)
    raise TimeoutError(
        f"postfix did not answer on port {server.plain_port} within {_READY_TIMEOUT} s:\n"
        + "\n".join(server.log().splitlines()[-20:])
    )


def _master_pid(root: Path) -> int | None:
    with suppress(FileNotFoundError, ValueError):
        return int((root / "queue" / "pid" / "master.pid").read_text().split()[0])
    return None


class PortSharedError(RuntimeError):
    """Another process listens on one of Postfix's ports too (both with SO_REUSEPORT)."""


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs: one that exited and awaits its reaping does not.

    The master is init's child (it daemonises), so once it exits it stays a zombie until
    init reaps it, and signal 0 still reaches a zombie. This machine's init reaped about
    once a second: every Postfix stopped looked alive for 1-2 s more.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # gone, reaped
        return False
    # The state follows the command's name in brackets, which may itself hold ") ".
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _stop(root: Path) -> None:
    """SIGTERM to the master (it ends its children), then wait for it to be gone."""
    pid = _master_pid(root)
    if pid is None:
        return
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.02)  # polling a process we cannot wait() on: it is not our child
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _start(
    binary: str, root: Path, certificates: Certificates, dovecot: DovecotServer
) -> PostfixServer:
    conf = root / "conf"
    for attempt in range(_START_ATTEMPTS):
        # A free port can be taken by someone else before Postfix binds it: then try others.
        submission, smtps, plain, refusing = free_ports(4, HOST)
        server = PostfixServer(root, submission, smtps, plain, refusing)
        (conf / "main.cf").write_text(_main_cf(root, certificates, dovecot), encoding="utf-8")
        (conf / "master.cf").write_text(
            _master_cf(
                server.submission_port,
                server.smtps_port,
                server.plain_port,
                server.refusing_port,
            ),
            encoding="utf-8",
        )
        written = time.time() - _WRITTEN_BEFORE
        for name in ("main.cf", "master.cf"):
            os.utime(conf / name, (written, written))
        # `start` returns once the master has bound its ports (or failed to).
        started = subprocess.run(  # noqa: S603 - fixed argv, our own config
            [binary, "-c", str(conf), "start"], capture_output=True, timeout=30, check=False
        )
        try:
            if started.returncode != 0:
                raise RuntimeError(
                    f"postfix start failed ({started.returncode}): {started.stderr.decode()}\n"
                    + server.log()
                )
            _wait_for_greeting(server)
        except (RuntimeError, TimeoutError) as failed:
            _stop(root)
            taken = isinstance(failed, PortSharedError) or "Address already in use" in server.log()
            if taken and attempt + 1 < _START_ATTEMPTS:
                continue
            raise
        return server
    raise AssertionError("unreachable")  # the loop returns or raises


@contextmanager
def running_postfix(certificates: Certificates, dovecot: DovecotServer) -> Iterator[PostfixServer]:
    """Run Postfix's submission services against `dovecot`'s accounts; stop it after."""
    binary = postfix_binary()
    if dovecot.auth_socket is None:
        raise ValueError("postfix needs a Dovecot with an auth socket (running_dovecot)")
    # Not under pytest's tmp_path: Postfix's processes run as `postfix` and must traverse it.
    root = Path(tempfile.mkdtemp(prefix="mailmove-postfix-"))
    try:
        root.chmod(0o755)
        (root / "conf").mkdir()
        (root / "queue").mkdir()
        (root / "data").mkdir()
        shutil.chown(root / "data", _POSTFIX_USER)
        _make_queue(root / "queue")
        yield _start(binary, root, certificates, dovecot)
    finally:
        _stop(root)
        shutil.rmtree(root, ignore_errors=True)
