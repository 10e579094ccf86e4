"""A refusal worded for a person's browser, where the APIs' JSON would show as code.

The login check's form is posted by a browser, not by a program: when the server cannot
take it (too large, shutting down, store down) the subscriber should read why in their
own language, with the form to try again, not `{"error": ...}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import Scope

BrowserPage = Callable[[Scope], Awaitable[Response | None]]
"""The page a request gets instead of the JSON refusal; None where JSON is right."""
