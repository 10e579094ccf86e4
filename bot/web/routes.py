"""The app's routes as clients see them: one route per path, and no redirect built from Host.

Rooms add their routes one method at a time (the login check's GET and POST of
`/check/{token}`, the web chat's GET and POST of a conversation's messages). Starlette answers
a method no route of a path takes with the `Allow` of the first route it tried, so
`PUT /check/<token>` said `Allow: GET, HEAD` although the form is posted there. Routes of
the same path are joined here into one that takes all their methods and hands each request
to the route that took its method.

Starlette also answers a path that only misses (or has one more) trailing slash with a
redirect to an absolute URL built from the request's Host header: a forged Host then named
another site in the Location, which a cache in front could keep for everyone. Nothing here
depends on that redirect (`/agent` has a relative one of its own), so the app is built
without it (`bot.server` turns `redirect_slashes` off).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send


class _ByMethod:
    """An ASGI app that hands a request to the route of its method (HEAD to GET's)."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._by_method = {
            method: route for route in reversed(routes) for method in route.methods or ()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Route.handle has checked the method against the union of these routes' methods.
        await self._by_method[scope["method"]].handle(scope, receive, send)


def one_route_per_path(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """`routes` with the method routes of each path joined, where the path first appears."""
    by_path: dict[str, list[Route]] = {}
    for route in routes:
        if isinstance(route, Route) and route.methods:
            by_path.setdefault(route.path, []).append(route)
    joined: list[BaseRoute] = []
    for route in routes:
        if not isinstance(route, Route) or not route.methods:
            joined.append(route)
            continue
        same = by_path[route.path]
        if len(same) == 1:
            joined.append(route)
        elif route is same[0]:
            methods = sorted({method for each in same for method in each.methods or ()})
            joined.append(
                Route(
                    route.path,
                    _ByMethod(same),
                    methods=methods,
                    name=route.name,
                    include_in_schema=route.include_in_schema,
                )
            )
    return joined
