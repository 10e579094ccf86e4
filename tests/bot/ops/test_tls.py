"""The process's one TLS context for outgoing HTTPS: built once, verifying as httpx's own."""

from __future__ import annotations

import ssl

import httpx

from bot.ops.tls import client_tls


def test_one_context_verifies_as_httpx_s_default() -> None:
    shared = client_tls()
    default = httpx.create_ssl_context()
    assert client_tls() is shared
    assert shared.verify_mode == default.verify_mode == ssl.CERT_REQUIRED
    assert shared.check_hostname
    assert shared.cert_store_stats() == default.cert_store_stats()
    assert shared.minimum_version == default.minimum_version
