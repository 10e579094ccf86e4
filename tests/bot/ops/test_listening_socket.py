"""The socket `mailmove serve` listens on: its connections answer without Nagle's delay."""

from __future__ import annotations

import asyncio
import socket

from bot.server import listening_socket


async def test_a_connection_to_the_served_port_sends_without_waiting_for_acks() -> None:
    # uvicorn writes an answer's headers and its body apart. With Nagle's algorithm on, the
    # body waited for the client's delayed ACK of the headers: 40 ms on about one answer in
    # ten. asyncio turns it off (TCP_NODELAY) only on a connection whose socket says TCP.
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def answer(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    with listening_socket("127.0.0.1", 0) as sock:
        server = await asyncio.start_server(answer, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            assert await asyncio.wait_for(accepted, timeout=10) == 1
            writer.close()
            await writer.wait_closed()
