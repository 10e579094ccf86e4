"""Whether a Redis that does not answer is one whose TLS the store's URL has wrong.

`rediss://` against a plain Redis waits for a TLS answer that never comes ("Timeout
connecting to server"); `redis://` against a TLS-only one is hung up on ("Connection reset
by peer"). Both read as "Redis down", and an operator looked for an outage that was a URL.
Asked only once a call has failed: a plain PING (`rediss://`) or a TLS handshake
(`redis://`) on a connection of its own says which it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from typing import Final

# What a plain Redis answers an inline PING with: +PONG, or an error (-NOAUTH, -ERR ...).
_PLAIN_ANSWERS: Final = (b"+", b"-")


async def tls_mismatch(host: str, port: int, *, tls: bool) -> str | None:
    """What is wrong when the URL's TLS and the server's disagree; None if they agree or unknown.

    `tls`: whether the URL asks for TLS (`rediss://`). Nothing is sent but a PING or a TLS
    ClientHello, and no password: the answer is a reply's first byte, or a handshake. The
    caller bounds its time (a stalled server answers neither).
    """
    where = f"{host}:{port}"
    try:
        if tls:
            if await _answers_plain(host, port):
                return (
                    f"TLS handshake failed: the server at {where} speaks plain Redis, not TLS"
                    " (MAILMOVE_STORE says rediss://; use redis://, or turn TLS on in Redis)"
                )
        elif await _speaks_tls(host, port):
            return f"the server at {where} speaks TLS (MAILMOVE_STORE says redis://; use rediss://)"
    except OSError:
        return None
    return None


async def _answers_plain(host: str, port: int) -> bool:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(b"PING\r\n")
        await writer.drain()
        return (await reader.readline()).startswith(_PLAIN_ANSWERS)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _speaks_tls(host: str, port: int) -> bool:
    # Whether it speaks TLS at all, not whether to trust it: no certificate is checked, and
    # nothing but the handshake is sent.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        _, writer = await asyncio.open_connection(host, port, ssl=context)
    except ssl.SSLError as err:
        # An alert is TLS too: a server that asks for a client certificate refuses this one.
        return "ALERT" in str(err).upper()
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError):
        await writer.wait_closed()
    return True
