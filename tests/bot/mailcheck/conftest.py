"""Loopback mail servers and the app for the login-check tests (see check_flow)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from testbed import mailservers
from testbed.mailservers import Certificates, DovecotServer, SmtpMode, SmtpServer
from tests.bot.mailcheck.check_flow import Clock, make_app, served


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def dovecot(certificates: Certificates) -> Iterator[DovecotServer]:
    try:
        mailservers.dovecot_binary()
    except mailservers.DovecotMissingError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must run the POP tests")
        pytest.skip(str(missing))
    with mailservers.running_dovecot(certificates=certificates) as server:
        yield server


@pytest.fixture
def smtp(certificates: Certificates) -> Iterator[SmtpServer]:
    with mailservers.running_smtp_server(SmtpMode.STARTTLS_REQUIRED, certificates) as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> Starlette:
    return make_app(tmp_path, clock, smtp, dovecot, certificates)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with served(app) as client:
        yield client
