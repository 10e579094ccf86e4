"""Serve one app for a benchmark: `python -m bench.serve mailmove|desk|echo PORT STORE_PATH`."""

from __future__ import annotations

import sys
from typing import Final

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock


def echo_app() -> Starlette:
    """The baseline: a bare Starlette endpoint that parses JSON and echoes it."""

    async def echo(request: Request) -> Response:
        return JSONResponse({"replies": [await request.json()]})

    async def create(_: Request) -> Response:
        return JSONResponse({"conversation_id": "0" * 32, "replies": []}, status_code=201)

    return Starlette(
        routes=[
            Route("/api/webchat/conversations", create, methods=["POST"]),
            Route("/api/webchat/conversations/{cid}/messages", echo, methods=["POST"]),
        ]
    )


# Every simulated subscriber comes from 127.0.0.1: one client, as the per-client limits see it.
UNLIMITED: Final = 10**9


def main() -> None:
    kind, port, store = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "echo":
        app = echo_app()
    elif kind == "desk":
        # The agent API too, for bench.agent_delivery (its token is a benchmark's, not a secret).
        settings = Settings(
            store_url=f"sqlite:///{store}",
            agent_tokens=("bench:bench-agent-token-0123456789",),
            webchat_conversation_limit=UNLIMITED,
            webchat_message_limit=UNLIMITED,
            webchat_read_limit=UNLIMITED,
        )
        app = build_app(settings, clock=fixed_clock())
    else:
        settings = Settings(
            store_url=f"sqlite:///{store}",
            webchat_conversation_limit=UNLIMITED,
            webchat_message_limit=UNLIMITED,
            webchat_read_limit=UNLIMITED,
        )
        app = build_app(settings, clock=fixed_clock())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
