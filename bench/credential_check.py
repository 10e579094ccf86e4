"""How long the live login check takes on loopback, for success and each kind of failure.

Starts the test suite's real servers (aiosmtpd, Dovecot; testbed/mailservers.py, and when
it can run, Postfix with Dovecot's IMAP; testbed/postfix.py), runs each case a few times
and prints the median per protocol and for the whole check (SMTP and POP/IMAP at once).
Run from the repository root: `python -m bench.credential_check [--runs 7]`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.outcomes import CheckResult
from bot.mailcheck.target import CheckTarget
from dialogs.profile import Protocol, Security
from testbed import mailservers, postfix
from testbed.mailservers import CHECK_ACCOUNT, HOST, PASSWORD, SmtpMode

NONE, STARTTLS, TLS = Security.NONE, Security.STARTTLS, Security.TLS
WRONG_GUESS: Final = "not-the-password"


@dataclass(frozen=True)
class Case:
    name: str
    target: CheckTarget
    address: str = CHECK_ACCOUNT.address
    password: str = PASSWORD
    timeout: float = 15.0
    trusted: bool = True


def target(smtp: int, smtp_security: Security, pop: int, pop_security: Security) -> CheckTarget:
    return CheckTarget(HOST, smtp, smtp_security, HOST, pop, pop_security, False)


async def measure(case: Case, runs: int, trusting: ssl.SSLContext) -> list[str]:
    context = trusting if case.trusted else ssl.create_default_context()
    results: list[CheckResult] = []
    walls: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        results.append(
            await check_login(
                case.target, case.address, case.password, timeout=case.timeout, tls_context=context
            )
        )
        walls.append(time.perf_counter() - started)
    last = results[-1]

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:8.1f}"

    return [
        case.name,
        last.smtp.outcome.value,
        ms([r.smtp.duration for r in results]),
        last.pop.outcome.value,
        ms([r.pop.duration for r in results]),
        ms(walls),
    ]


def _real_isp_cases(stack: ExitStack, certificates: mailservers.Certificates) -> list[Case]:
    """Postfix (SASL through Dovecot) and Dovecot's IMAP, where Postfix can run (root)."""
    try:
        postfix.postfix_binary()
        mailservers.dovecot_binary(imap=True)
    except (postfix.PostfixMissingError, mailservers.DovecotMissingError) as missing:
        print(f"(no Postfix/IMAP cases: {missing})")
        return []
    dovecot = stack.enter_context(
        mailservers.running_dovecot(certificates=certificates, imap=True, mechanisms="plain login")
    )
    server = stack.enter_context(postfix.running_postfix(certificates, dovecot))
    if dovecot.imap_port is None or dovecot.imaps_port is None:
        raise RuntimeError("dovecot started without its IMAP ports")

    def imap(smtp: int, smtp_security: Security, port: int, security: Security) -> CheckTarget:
        return CheckTarget(
            HOST, smtp, smtp_security, HOST, port, security, False, incoming_protocol=Protocol.IMAP
        )

    return [
        Case("ok (Postfix 587-style STARTTLS, IMAP STARTTLS)",
             imap(server.submission_port, STARTTLS, dovecot.imap_port, STARTTLS)),
        Case("ok (Postfix 465-style TLS, IMAPS)",
             imap(server.smtps_port, TLS, dovecot.imaps_port, TLS)),
        Case("auth_failed (Postfix, IMAP)",
             imap(server.submission_port, STARTTLS, dovecot.imap_port, STARTTLS),
             password=WRONG_GUESS),
    ]  # fmt: skip


async def main(runs: int, silent_timeout: float) -> None:
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        certificates = mailservers.Certificates(directory)
        trusting = certificates.client_context()

        def smtp(mode: SmtpMode) -> int:
            return stack.enter_context(mailservers.running_smtp_server(mode, certificates)).port

        secure = stack.enter_context(mailservers.running_dovecot(certificates=certificates))
        plain = stack.enter_context(mailservers.running_dovecot(certificates=None))
        cram = stack.enter_context(
            mailservers.running_dovecot(certificates=None, mechanisms="plain login cram-md5")
        )
        closed = stack.enter_context(mailservers.closed_port())
        silent = stack.enter_context(mailservers.silent_listener())
        tls = target(smtp(SmtpMode.STARTTLS_REQUIRED), STARTTLS, secure.pop3_port, STARTTLS)
        bare = smtp(SmtpMode.NO_STARTTLS)
        cases = [
            Case("ok (STARTTLS; PLAIN, USER/PASS)", tls),
            Case("ok (no TLS; CRAM-MD5, APOP)",
                 target(smtp(SmtpMode.CRAM_MD5), NONE, secure.pop3_port, NONE)),
            Case("ok (no TLS; CRAM-MD5, POP3 AUTH CRAM-MD5)",
                 target(smtp(SmtpMode.CRAM_MD5), NONE, cram.pop3_port, NONE)),
            Case("auth_failed (no TLS; CRAM-MD5 both)",
                 target(smtp(SmtpMode.CRAM_MD5), NONE, cram.pop3_port, NONE),
                 password=WRONG_GUESS),
            Case("auth_failed (wrong password)", tls, password=WRONG_GUESS),
            Case("auth_failed (local part only)", tls, address="taro"),
            Case("unreachable (refused)", target(closed, NONE, closed, NONE)),
            Case(f"timeout (silent port, timeout {silent_timeout:g} s)",
                 target(silent, NONE, silent, NONE), timeout=silent_timeout),
            Case("untrusted_certificate", tls, trusted=False),
            Case("auth_not_offered (no STARTTLS)",
                 target(bare, STARTTLS, plain.pop3_port, STARTTLS)),
            Case("not_verified (no TLS, no challenge-response)",
                 target(bare, NONE, plain.pop3_port, NONE)),
        ]  # fmt: skip
        cases += _real_isp_cases(stack, certificates)
        rows = [await measure(case, runs, trusting) for case in cases]

    header = ["case", "smtp", "smtp ms", "pop", "pop ms", "check ms"]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"median of {runs} runs on loopback ({sys.platform}, Python {sys.version.split()[0]})")
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--timeout", type=float, default=0.5, help="step timeout for the silent port"
    )
    arguments = parser.parse_args()
    # aiosmtpd logs every failed TLS handshake with a traceback; the table says it all.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    asyncio.run(main(arguments.runs, arguments.timeout))
