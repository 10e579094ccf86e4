"""A replica told to stop while a check runs answers the page and the chat in time.

SHUTDOWN_GRACE (20 s) is far shorter than the round trip's wait (60 s of polling): the wait
stops when draining begins, and the page and the chat get the login's result with the test
message "not finished", instead of a page cut off when the replica goes. The login itself
may take many network steps of the check's timeout (15 s each): it runs on for
CheckSettings.stop_wait once draining begins, and is then told as a temporary failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.mailcheck.login_checks import CheckSettings
from bot.ops.catalogs import Catalogs
from bot.server import SHUTDOWN_GRACE
from testbed import mailservers
from testbed.mailservers import Certificates, DovecotServer, SmtpMode, SmtpServer
from tests.bot.mailcheck.check_flow import (
    ADDRESS,
    PASSWORD,
    Clock,
    chat_to_check_link,
    history_texts,
    make_app,
)

# Bounds the test only, so a wait that does not stop fails it instead of hanging it.
_GUARD = float(SHUTDOWN_GRACE)


async def test_draining_stops_the_round_trip_wait_and_reports_the_login(
    tmp_path: Path,
    clock: Clock,
    dovecot: DovecotServer,
    certificates: Certificates,
    catalogs: Catalogs,
) -> None:
    wait = next(f.default for f in dataclasses.fields(CheckSettings) if f.name == "round_trip_wait")
    assert isinstance(wait, float)
    assert wait > _GUARD
    # The SMTP server takes the test message and delivers it nowhere: without the drain the
    # check would poll for the whole wait.
    taken = threading.Event()
    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, certificates, deliver=lambda *_: taken.set()
    ) as smtp:
        app = make_app(tmp_path, clock, smtp, dovecot, certificates)
        await app.state.runtime.engine.store.open()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                conversation, path = await chat_to_check_link(client)
                sent = {"address": ADDRESS, "password": PASSWORD, "round_trip": "1"}
                check = asyncio.create_task(client.post(path, data=sent))
                assert await asyncio.to_thread(taken.wait, _GUARD)
                assert not check.done()
                app.state.draining.begin()
                page = await asyncio.wait_for(check, _GUARD)
                history = await history_texts(client, conversation)
        finally:
            await app.state.runtime.engine.store.close()

    assert page.status_code == 200
    assert "ログインを確認できました" in page.text
    assert 'class="mark mark--not_checked"' in page.text  # the test message's part
    assert 'class="mark mark--fail"' not in page.text
    unfinished = catalogs("ja", "check.round_trip.not_finished")
    assert unfinished in page.text
    assert catalogs("ja", "check.round_trip.not_delivered") not in page.text
    assert unfinished in history
    assert "ログインを確認できました" in history


@contextlib.contextmanager
def _silent_after_accepting() -> Iterator[tuple[int, threading.Event]]:
    """A port that takes a connection, says when it has, and never says a word."""
    accepted = threading.Event()
    held: list[socket.socket] = []
    with socket.socket() as listener:
        listener.bind((mailservers.HOST, 0))
        listener.listen(1)

        def take() -> None:
            with contextlib.suppress(OSError):  # the listener closed first
                held.append(listener.accept()[0])
                accepted.set()

        taker = threading.Thread(target=take, daemon=True)
        taker.start()
        yield int(listener.getsockname()[1]), accepted
    taker.join()
    for connection in held:
        connection.close()


async def test_draining_cuts_a_login_still_running_and_tells_the_chat_and_the_page(
    tmp_path: Path,
    clock: Clock,
    dovecot: DovecotServer,
    smtp: SmtpServer,
    certificates: Certificates,
    catalogs: Catalogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A receiving server that never greets: the login waits out the check's timeout per step.
    # Cut past the grace, the page was answered 503 with its link already spent, and the chat
    # never heard a result: the link then said the check was still running.
    with _silent_after_accepting() as (silent_port, accepted):
        app = make_app(
            tmp_path, clock, smtp, dovecot, certificates, pop_port=silent_port, stop_wait=0.0
        )
        await app.state.runtime.engine.store.open()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                conversation, path = await chat_to_check_link(client)
                check = asyncio.create_task(
                    client.post(path, data={"address": ADDRESS, "password": PASSWORD})
                )
                assert await asyncio.to_thread(accepted.wait, _GUARD)
                with caplog.at_level(logging.INFO, logger="bot.mailcheck"):
                    app.state.draining.begin()
                    page = await asyncio.wait_for(check, _GUARD)
                history = await history_texts(client, conversation)
        finally:
            await app.state.runtime.engine.store.close()

    # The log says why, as each side's own line does: not only "pop=temporary_failure".
    assert any(
        r.getMessage().startswith("login check pop3 -> cut after ")
        and r.getMessage().endswith(" s: the bot's server was shutting down")
        for r in caplog.records
    )
    # Both sides cut: the servers' trouble, said under its headline, what to do said once.
    cut = catalogs("ja", "check.pop.temporary_failure.brief")
    assert page.status_code == 200
    assert cut in page.text
    assert cut in history
    assert catalogs("ja", "check.not_reached.retry") in history
    assert "時間内に応答がありませんでした" not in history  # check.pop.timeout, 5 s later


async def test_draining_cuts_the_test_message_still_sending_and_says_so(
    tmp_path: Path,
    clock: Clock,
    dovecot: DovecotServer,
    certificates: Certificates,
    catalogs: Catalogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The SMTP server holds the test message's DATA unanswered: the send ran on past the
    # drain (up to the check's timeout per step), not cut as the login's sides are, and
    # there were no words for a message cut before it was sent ("not delivered" said it
    # did not arrive in time).
    taken, release = threading.Event(), threading.Event()

    def hold(*_: object) -> None:
        taken.set()
        release.wait(_GUARD)

    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, certificates, deliver=hold
    ) as smtp:
        app = make_app(tmp_path, clock, smtp, dovecot, certificates, stop_wait=0.0)
        await app.state.runtime.engine.store.open()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                conversation, path = await chat_to_check_link(client)
                sent = {"address": ADDRESS, "password": PASSWORD, "round_trip": "1"}
                check = asyncio.create_task(client.post(path, data=sent))
                assert await asyncio.to_thread(taken.wait, _GUARD)
                with caplog.at_level(logging.INFO, logger="bot.mailcheck"):
                    app.state.draining.begin()
                    page = await asyncio.wait_for(check, _GUARD)
                history = await history_texts(client, conversation)
        finally:
            release.set()
            await app.state.runtime.engine.store.close()

    assert any(
        r.getMessage().startswith("login check smtp (test message) -> cut after ")
        for r in caplog.records
    )
    not_sent = catalogs("ja", "check.round_trip.not_sent")
    assert page.status_code == 200
    assert "ログインを確認できました" in page.text
    assert 'class="mark mark--fail"' not in page.text
    assert not_sent in page.text
    assert catalogs("ja", "check.round_trip.not_delivered") not in page.text
    assert not_sent in history
