"""The shape a signed platform body must have before a parser or an SDK reads it.

A valid signature says who sent a body, not that it is well formed: a platform's next
version, a bug on its side, or a leaked secret can sign anything, and an SDK that meets a
string where it expects an object raises deep inside (Bolt's authorization middleware,
Telegram's `de_json`), which would be a 500 and a redelivery loop. So each platform package
declares, as `Shape` models, the fields that it and its SDK read, with their JSON types;
any other field passes untouched, so a field or an event type the platform adds later is
no error. `check_shape` raises pydantic's ValidationError, a ValueError, which
`AnswerFirst.parsed` answers with 400 and counts as malformed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    """Typed fields a webhook reads; unknown fields allowed, no coercion between types."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


def check_shape(model: type[Shape], data: Any) -> None:
    """Raise ValueError (pydantic's ValidationError) unless `data` fits `model`."""
    model.model_validate(data)
