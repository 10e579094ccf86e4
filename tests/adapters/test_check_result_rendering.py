"""A login check's result carries its verdicts as data; channels that render text ignore them.

Only the web chat page marks paragraphs from `verdicts`: every other channel renders the
result exactly as it renders the same words without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adapters.chatwoot import render as chatwoot
from adapters.console import channel as console
from adapters.line import render as line
from adapters.slack import render as slack
from adapters.telegram import render as telegram
from dialogs import check_words
from dialogs.vocabulary import Reply, SystemEvent, TextReply

RENDERERS: dict[str, Callable[[Reply], Any]] = {
    "slack": slack.render,
    "telegram": telegram.render,
    "line": line.render,
    "chatwoot": chatwoot.render,
    "console": console.render,
}


@pytest.mark.parametrize("name", RENDERERS)
def test_other_channels_render_a_check_result_as_its_words_alone(name: str) -> None:
    outcome = (("smtp", "auth_not_offered"), ("pop", "ok"), ("round_trip", "delivered"))
    reported = check_words.result_reply(
        SystemEvent("check_result", outcome), lambda key: f"<{key}> & 「{key}」"
    )
    assert reported.verdicts  # the data is there to be ignored

    render = RENDERERS[name]

    assert render(reported) == render(TextReply(reported.text))
