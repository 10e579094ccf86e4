"""The fixture every Chatwoot mirror app reads, whichever module's `app` a test imports."""

from __future__ import annotations

import pytest


@pytest.fixture
def desk_user() -> str:
    """CHATWOOT_DESK_USER_TOKEN: unset, the agent bot's token is all the mirror has.

    A module (or a parametrized test) that needs messages deleted sets a user's token.
    """
    return ""
