"""Who a client is, for the per-client limits: an IPv6 client is its /64, not one address.

An IPv6 subscriber line (or a cloud host) is given a whole /64: 2^64 addresses its owner may
use in turn without asking anyone. Counted per address, one such client gets a fresh
allowance with every request, and the limits bound nothing (conversations, messages, agent
token guesses, login checks). Counted per /64 they hold as for an IPv4 client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.client_limit import client_id
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"


def make_app(tmp_path: Path, **settings: object) -> Starlette:
    return build_app(
        Settings(
            store_url=f"sqlite:///{tmp_path}/s.sqlite3",
            webchat_conversation_limit=3,
            **settings,  # type: ignore[arg-type]
        ),
        clock=fixed_clock(),
    )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = make_app(tmp_path)
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def _create(app: Starlette, address: str, headers: dict[str, str] | None = None) -> int:
    async with client(app, address) as one:
        return (await one.post(CONVERSATIONS, json={}, headers=headers)).status_code


async def test_addresses_of_one_ipv6_64_share_one_allowance(app: Starlette) -> None:
    rotated = [f"2001:db8:5:7::{n:x}" for n in range(1, 5)]
    assert [await _create(app, address) for address in rotated] == [201, 201, 201, 429]
    # Another /64 is another client.
    assert await _create(app, "2001:db8:5:8::1") == 201


async def test_an_ipv4_mapped_address_is_that_ipv4_client(app: Starlette) -> None:
    seen = ["192.0.2.1", "::ffff:192.0.2.1", "192.0.2.1", "::ffff:c000:201"]
    assert [await _create(app, address) for address in seen] == [201, 201, 201, 429]


async def test_behind_a_proxy_the_headers_ipv6_address_counts_by_its_64(tmp_path: Path) -> None:
    app = make_app(tmp_path, client_ip_header="X-Forwarded-For")
    async with app.router.lifespan_context(app):
        codes = [
            await _create(app, "10.0.0.5", {"x-forwarded-for": f"2001:db8:1:2:{n}::9"})
            for n in range(4)
        ]
        assert codes == [201, 201, 201, 429]


@pytest.mark.parametrize(
    ("peer", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:DB8:0:1:abcd::1", "2001:db8:0:1::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("fe80::1%eth0", "fe80::/64"),
        # With the proxy's port (Azure Application Gateway writes 'IP:port'; RFC 7239's
        # `for="[2001:db8::1]:4711"`): counted as written, each connection was a new client
        # (attacker9). The address is the client, whatever its port.
        ("192.0.2.1:50123", "192.0.2.1"),
        ("[2001:db8:0:1::9]:443", "2001:db8:0:1::/64"),
        ("[2001:db8:0:1::9]", "2001:db8:0:1::/64"),
        ('"192.0.2.1:50123"', "192.0.2.1"),
        # Not an address (a proxy that sends a name, or garbage): counted as written, cut short.
        ("unknown", "unknown"),
        ("x" * 500, "x" * 64),
    ],
)
def test_client_ids(peer: str, expected: str) -> None:
    assert client_id(peer) == expected


async def test_a_proxy_that_adds_its_own_header_line_is_read_by_its_line(
    tmp_path: Path,
) -> None:
    # HAProxy's `option forwardfor` adds one more X-Forwarded-For line after what the client
    # sent; several lines of one header are one list in order (RFC 9110, 5.3), so the
    # proxy's address is the last of the last line, not anything in the client's first.
    app = make_app(tmp_path, client_ip_header="X-Forwarded-For")
    async with app.router.lifespan_context(app), client(app, "10.0.0.5") as proxy:
        codes = []
        for n in range(4):
            lines = [("X-Forwarded-For", f"203.0.113.{n}"), ("X-Forwarded-For", "198.51.100.7")]
            answer = await proxy.post(CONVERSATIONS, json={}, headers=httpx.Headers(lines))
            codes.append(answer.status_code)
        assert codes == [201, 201, 201, 429]


async def test_behind_a_proxy_that_writes_the_port_each_connection_is_the_same_client(
    tmp_path: Path,
) -> None:
    # 'IP:port' in the trusted header, as Azure Application Gateway writes it: each port was
    # another client with a fresh allowance (attacker9).
    app = make_app(tmp_path, client_ip_header="X-Forwarded-For")
    async with app.router.lifespan_context(app):
        codes = [
            await _create(app, "10.0.0.5", {"x-forwarded-for": f"198.51.100.7:{50000 + n}"})
            for n in range(4)
        ]
        assert codes == [201, 201, 201, 429]
