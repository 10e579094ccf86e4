"""The runtime: runs the pure dialog for real channels, stores and mail servers.

At the top, `cli` (the `mailmove` command), `server` (the ASGI app), `channels` (how
channels plug in), `runtime` (the wiring), `engine` (one turn) and `delivery` (replies
nobody asked for). Below them, rooms, each saying in its `__init__` what it holds and what
it may use: `desk/`, `mailcheck/`, `web/`, `ops/`, `store/`. Never imports `adapters`.
"""
