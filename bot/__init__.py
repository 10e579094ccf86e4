"""The runtime: runs the pure dialog for real channels, stores and mail servers.

At the top, `cli` (the `mailmove` command), `server` (the ASGI app), `channels` (how
channels plug in), `runtime` (the wiring), `engine` (one turn) and `delivery` (replies
nobody asked for). Below them, rooms, each saying in its `__init__` what it holds and what
it may use: `desk/`, `mailcheck/`, `web/`, `ops/`, `store/`. Never imports `adapters`.
"""

import enum

# Python 3.11's enum metaclass has a `__getattr__`, which 3.12 removed (cpython gh-106762: the
# old way of finding members, "quite slow"). While a metaclass has one, every lookup on an
# enum class (`Stage.START`, `Owner.BOT`: about 90 a web chat turn) goes through its getattr
# hook, which calls `type.__getattribute__` through a slot wrapper: 73 ns against 18 ns, about
# 2.4 % of a turn's instructions. Since 3.11 every member is in its class's `__dict__` (itself,
# or a property where a base holds the name), so the plain lookup finds what the hook found
# (its `_member_map_` entry): tests/bot/test_enum_lookup.py checks every enum class loaded.
if "__getattr__" in vars(enum.EnumType):
    delattr(enum.EnumType, "__getattr__")
