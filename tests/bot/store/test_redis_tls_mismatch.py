"""`rediss://` to a plain Redis, or `redis://` to a TLS-only one, is said to be that.

Both looked like Redis down: "Redis failed: Timeout connecting to server" (the TLS
handshake a plain Redis never answers) and "Connection reset by peer" (a TLS Redis hanging
up on plain words), in `/readyz`'s and the 503s' log lines and nowhere else. Now the ping's
failure, and so those lines, say which it is and what to write in MAILMOVE_STORE, and the
start-up summary notes it (not refused: Redis may be switched to or from TLS while replicas
start, and they answer 503 until the two agree).
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
import redis as sync_redis

from bot.cli import _store_opens
from bot.store.conversation_store import StoreUnavailableError
from bot.store.redis_store import RedisStore
from testbed.loopback import free_port
from testbed.mailservers import Certificates
from testbed.redis_server import RedisServer, redis_server_binary, running_redis

# The handshake a plain Redis never answers is waited for this long, not the replica's 1 s.
QUICK: Final = "socket_connect_timeout=0.2&socket_timeout=0.5"


@pytest.fixture(scope="module")
def plain() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(scope="module")
def tls_only() -> Iterator[int]:
    """A redis-server that speaks TLS alone (no plain port), and its TLS port."""
    with tempfile.TemporaryDirectory(prefix="mailmove-redis-tls-") as folder:
        certificates = Certificates(Path(folder))
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
            [
                redis_server_binary(),
                *("--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1"),
                *("--tls-cert-file", str(certificates.cert_path)),
                *("--tls-key-file", str(certificates.key_path)),
                *("--tls-ca-cert-file", str(certificates.ca_path)),
                *("--tls-auth-clients", "no", "--save", "", "--appendonly", "no"),
                *("--dir", folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_tls(process, port, certificates.ca_path)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_tls(process: subprocess.Popen[bytes], port: int, ca: Path) -> None:
    client = sync_redis.Redis(
        host="127.0.0.1", port=port, ssl=True, ssl_ca_certs=str(ca), ssl_check_hostname=False
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            client.ping()
        except sync_redis.ConnectionError:
            # Waiting on the process is the pause between probes, and notices an exit.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.01)
                raise RuntimeError("the TLS redis-server exited at start") from None
            continue
        finally:
            client.close()
        return
    raise RuntimeError(f"the TLS redis-server did not answer on port {port}")


async def test_rediss_to_a_plain_redis_says_the_handshake_failed(plain: RedisServer) -> None:
    url = plain.url.replace("redis://", "rediss://") + f"?ssl_cert_reqs=none&{QUICK}"
    store = RedisStore.from_url(url)
    try:
        with pytest.raises(StoreUnavailableError) as failed:
            await store.ping()
    finally:
        await store.close()
    assert str(failed.value).endswith(
        f"; TLS handshake failed: the server at 127.0.0.1:{plain.port} speaks plain Redis, not"
        " TLS (MAILMOVE_STORE says rediss://; use redis://, or turn TLS on in Redis)"
    )


async def test_redis_to_a_tls_only_redis_says_it_speaks_tls(tls_only: int) -> None:
    store = RedisStore.from_url(f"redis://127.0.0.1:{tls_only}/0?{QUICK}")
    try:
        with pytest.raises(StoreUnavailableError) as failed:
            await store.ping()
    finally:
        await store.close()
    assert str(failed.value).endswith(
        f"; the server at 127.0.0.1:{tls_only} speaks TLS (MAILMOVE_STORE says redis://;"
        " use rediss://)"
    )


def test_the_start_up_summary_notes_it_and_serves(plain: RedisServer) -> None:
    url = plain.url.replace("redis://", "rediss://") + f"?ssl_cert_reqs=none&{QUICK}"
    notes = _store_opens(url)
    assert len(notes) == 1
    assert notes[0].startswith("MAILMOVE_STORE: Redis does not answer: TLS handshake failed:")
    assert notes[0].endswith("; writes get 503")


def test_a_redis_down_at_start_up_is_a_note_of_the_summary() -> None:
    # Not refused (it may be back in a minute), and the summary said nothing: an operator
    # reading 'mailmove starting' for how the start went saw a healthy replica.
    port = free_port()  # nothing listens there
    notes = _store_opens(f"redis://127.0.0.1:{port}/0?{QUICK}")
    assert len(notes) == 1, notes
    assert notes[0].startswith("MAILMOVE_STORE: Redis does not answer (Redis failed: Error 111")
    assert f"127.0.0.1:{port}" in notes[0]
    assert notes[0].endswith(
        "): not ready, and every message gets 503 until it answers; then the replica serves by"
        " itself, no restart needed"
    )
