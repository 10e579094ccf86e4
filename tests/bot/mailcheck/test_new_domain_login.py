"""The live check of a migration that moves addresses to a new domain logs in with the new one.

`examples/domain-change.toml`, its new domain pointed at the domain the loopback servers
know (vp.117.ne.jp): the subscriber types the OLD address (taro@minato-net.example.jp), and
both servers, which know only taro@vp.117.ne.jp, accept the login.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path
from typing import Final

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.login_checks import CheckSettings
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.profile import Security, parse_profile
from testbed import mailservers
from testbed.mailservers import (
    CHECK_ACCOUNT,
    DOMAIN,
    PASSWORD,
    SEEDED_MESSAGES,
    Certificates,
    DovecotServer,
    SmtpServer,
)
from tests.bot.mailcheck.check_flow import Clock, chat_to_check_link, served

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "domain-change.toml"
OLD_ADDRESS: Final = "taro@minato-net.example.jp"


def moved_target(smtp: SmtpServer, dovecot: DovecotServer) -> CheckTarget:
    """The example's check, its new domain the servers' and its servers on loopback."""
    data = tomllib.loads(EXAMPLE.read_text("utf-8"))
    data["provider"] = {**data["provider"], "new_domain": DOMAIN}
    from_profile = CheckTarget.from_profile(parse_profile(data, str(EXAMPLE)))
    return dataclasses.replace(
        from_profile,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security=Security.STARTTLS,
        pop_host=mailservers.HOST,
        pop_port=dovecot.pop3_port,
        pop_security=Security.STARTTLS,
    )


async def test_the_old_address_typed_logs_in_as_the_new_one(
    smtp: SmtpServer, dovecot: DovecotServer, certificates: Certificates
) -> None:
    assert CHECK_ACCOUNT.address == f"taro@{DOMAIN}"
    mark = dovecot.log.mark()

    result = await check_login(
        moved_target(smtp, dovecot),
        OLD_ADDRESS,
        PASSWORD,
        tls_context=certificates.client_context(),
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert result.pop.message_count == SEEDED_MESSAGES
    login = dovecot.log.wait_for(lambda line: "pop3-login" in line and "Login:" in line, after=mark)
    assert f"user=<{CHECK_ACCOUNT.address}>" in login
    assert smtp.delivered == []


async def test_without_the_new_domain_the_old_address_is_refused(
    smtp: SmtpServer, dovecot: DovecotServer, certificates: Certificates
) -> None:
    # The same servers and the same typed address: only the mapping makes the login above.
    target = moved_target(smtp, dovecot)
    unmapped = dataclasses.replace(
        target,
        smtp_access=dataclasses.replace(target.smtp_access, new_domains=()),
        incoming_access=dataclasses.replace(target.incoming_access, new_domains=()),
    )

    result = await check_login(
        unmapped, OLD_ADDRESS, PASSWORD, tls_context=certificates.client_context()
    )

    assert (result.smtp.outcome, result.pop.outcome) == (
        Outcome.AUTH_FAILED,
        Outcome.AUTH_FAILED,
    )


async def test_the_old_and_the_new_address_share_one_allowance_of_checks(
    tmp_path: Path,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # Both addresses log in to one mailbox: counted apart, each got its own allowance,
    # and a guesser who alternated them had twice the tries on one password.
    data = EXAMPLE.read_text("utf-8").replace(
        'new_domain = "kaigan-hikari.example.jp"', f'new_domain = "{DOMAIN}"'
    )
    profile_path = tmp_path / "profile.toml"
    profile_path.write_text(data, "utf-8")
    target = CheckTarget(
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security=Security.STARTTLS,
        pop_host=mailservers.HOST,
        pop_port=dovecot.pop3_port,
        pop_security=Security.STARTTLS,
        allow_plaintext_login=False,
    )
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/store.sqlite3", check_limit=1, profile_path=profile_path
    )
    check = CheckSettings(target=target, timeout=5.0, tls_context=certificates.client_context())
    # Inside the profile's window (2027-02-01 to 03-31): before it no check is offered.
    clock = Clock()
    clock.now = dt.datetime(2027, 2, 15, 3, 0, tzinfo=dt.UTC)
    app = build_app(settings, clock=clock, check=check)
    async with served(app) as client:
        # Two conversations (each has its own allowance too), one address each.
        _, path = await chat_to_check_link(client, address=OLD_ADDRESS)
        assert (await client.post(path, data={"password": "wrong-1"})).status_code == 200
        _, second = await chat_to_check_link(client, address=f"taro@{DOMAIN}")
        connections = smtp.connections
        refused = await client.post(second, data={"password": "wrong-2"})
        assert refused.status_code == 429
        assert smtp.connections == connections
