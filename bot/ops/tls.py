"""One TLS context for every outgoing HTTPS client of the process."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def client_tls() -> ssl.SSLContext:
    """The verification httpx gives a client by default, built once per process.

    certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set, with the host name
    checked: exactly what `httpx.AsyncClient()` builds. httpx builds it again for every
    client, and reading the bundle took 20-25 ms of CPU each time: three times for every
    Telegram channel started (two clients of python-telegram-bot's, one of the test's fake),
    hundreds of times in the test suite. An `SSLContext` is safe to share between clients.
    """
    return httpx.create_ssl_context()
