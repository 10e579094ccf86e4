"""The bytes of request bodies held at once are bounded for the process: past it, 503.

A webhook reads its whole body before it can check the signature, so anyone could make the
process hold LINE's 2 MiB many times over: 100 such bodies at once took `mailmove serve`
from 203 to 414 MB, 200 to 622 MB, past a pod's 512 MB (`bench/body_flood.py`). Each test
holds one body open while another comes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.body_limit import BODY_BUDGET, BodiesInFlight, BodyLimit
from testbed.clock import fixed_clock

LIMIT = 1000
BUDGET = 1500


def limited(bodies: BodiesInFlight, reached: list[int]) -> Starlette:
    """An app that reads each body whole and says how long it was, behind the limits."""

    async def echo(request: Request) -> Response:
        body = await request.body()
        reached.append(len(body))
        return JSONResponse({"length": len(body)})

    def retried_on(scope: Scope) -> int:
        # As Chatwoot's route: its platform redelivers after 429, not 503.
        return 429 if scope["path"] == "/chatwoot" else 503

    # As the server has it: inside Starlette's own error handling, outside the routes.
    return Starlette(
        routes=[Route(path, echo, methods=["POST"]) for path in ("/echo", "/chatwoot")],
        middleware=[Middleware(BodyLimit, max_bytes=LIMIT, bodies=bodies, refused_with=retried_on)],
    )


class Held:
    """A body of `size` bytes sent all but its last byte, held until `release`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = asyncio.Event()
        self.release = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"a" * (self.size - 1)
        self.sent.set()
        await self.release.wait()
        yield b"a"


@pytest.fixture
def bodies() -> BodiesInFlight:
    return BodiesInFlight(BUDGET)


async def test_a_body_that_does_not_fit_beside_those_held_gets_503_unread(
    bodies: BodiesInFlight,
) -> None:
    reached: list[int] = []
    app = limited(bodies, reached)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        held = Held(LIMIT)
        first = asyncio.create_task(
            client.post("/echo", content=held, headers={"Content-Length": str(LIMIT)})
        )
        await held.sent.wait()
        assert bodies.held == LIMIT - 1
        # Within its own limit, but not within what the one held leaves of the budget.
        refused = await client.post("/echo", content=b"b" * 600)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "5"
        assert refused.headers["connection"] == "close"
        assert "retry" in json.loads(refused.content)["error"]
        # Chatwoot's route says it with the status its platform sends again after.
        assert (await client.post("/chatwoot", content=b"b" * 600)).status_code == 429
        # A small one still fits.
        assert (await client.post("/echo", content=b"c" * 400)).json() == {"length": 400}
        held.release.set()
        assert (await first).json() == {"length": LIMIT}
        assert bodies.held == 0
        # Given back: the body refused before fits now.
        assert (await client.post("/echo", content=b"b" * 600)).json() == {"length": 600}
    assert reached == [400, LIMIT, 600]


async def test_a_body_without_a_length_is_counted_as_it_arrives(bodies: BodiesInFlight) -> None:
    reached: list[int] = []
    app = limited(bodies, reached)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        held = Held(LIMIT)
        first = asyncio.create_task(client.post("/echo", content=held))
        await held.sent.wait()

        async def chunked() -> AsyncIterator[bytes]:
            for _ in range(6):
                yield b"d" * 100

        # No Content-Length to refuse it by: it is refused once it grows past the budget.
        refused = await client.post("/echo", content=chunked())
        assert "content-length" not in refused.request.headers
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "5"
        held.release.set()
        assert (await first).status_code == 200
    assert bodies.held == 0
    assert reached == [LIMIT]


def test_a_budget_is_at_least_a_byte() -> None:
    with pytest.raises(ValueError, match="at least one byte"):
        BodiesInFlight(0)


async def test_the_served_app_bounds_its_bodies_in_flight(tmp_path: Path) -> None:
    app: Starlette = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock()
    )
    [bodies] = [m.kwargs["bodies"] for m in app.user_middleware if m.cls is BodyLimit]
    assert isinstance(bodies, BodiesInFlight)
    assert bodies.budget == BODY_BUDGET
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # As if the budget were held by bodies still arriving.
            bodies.held = BODY_BUDGET - 10
            refused = await client.post("/api/webchat/conversations", json={"locale": "ja"})
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "5"
            bodies.held = 0
            assert (
                await client.post("/api/webchat/conversations", json={"locale": "ja"})
            ).status_code == 201
