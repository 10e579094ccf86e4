"""`replace` for the frozen, slotted dataclasses a turn copies: `dataclasses.replace`, quicker.

A turn copies its dialog state (over twenty fields), its stored record and a reply four or
five times, each with a field or two changed. `dataclasses.replace` walks every field in
Python and then calls the class's `__init__`, which sets each field through
`object.__setattr__` (the class is frozen): 5.4 µs a copy of the dialog state. For each
class this builds once a function that sets every slot straight from the old object or the
change, as the generated `__init__` would set it: 1.6 µs. The object made is the one
`dataclasses.replace` makes (equal, of the same class, frozen alike).

Only for dataclasses whose fields are all slots set by `__init__`, with no `__post_init__`
(nothing would run it here) and no init-only variables; anything else goes to
`dataclasses.replace`, as does a change naming no field (it raises the same TypeError).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

T = TypeVar("T")
_Copier = Callable[..., Any]
# One function per class, made the first time an object of it is copied (a few classes).
_COPIERS: Final[dict[type, _Copier | None]] = {}
# The names the made function uses for itself; a field so named is copied the usual way.
_OWN_NAMES: Final = frozenset({"_source", "_copy", "_unchanged", "_new", "_object_new", "_kind"})


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the dataclass `obj` with `changes`, as `dataclasses.replace(obj, **changes)`."""
    kind = type(obj)
    try:
        copier = _COPIERS[kind]
    except KeyError:
        copier = _COPIERS[kind] = _copier(kind)
    if copier is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    try:
        copied: T = copier(obj, **changes)
    except TypeError:
        # A change naming no field: said in dataclasses.replace's own words.
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    return copied


def _copier(kind: type) -> _Copier | None:
    """The copying function for `kind`, or None where `dataclasses.replace` must do it."""
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__post_init__"):
        return None
    declared = getattr(kind, "__dataclass_fields__", {})
    fields = dataclasses.fields(kind)
    if len(fields) != len(declared):
        return None  # init-only or class variables
    for field in fields:
        # A field __init__ does not take is set to its default there, which a frozen
        # object still holds: copied as it is. A default_factory would make a new one.
        if not field.init and field.default is dataclasses.MISSING:
            return None
    names = [field.name for field in fields]
    slots = [getattr(kind, name, None) for name in names]
    if any(name in _OWN_NAMES or name.startswith("_set_") for name in names) or not all(
        isinstance(slot, types.MemberDescriptorType) for slot in slots
    ):
        return None
    # Each slot's setter: past the frozen class's __setattr__, as dataclasses' __init__ is.
    setters = {
        f"_set_{number}": cast(types.MemberDescriptorType, slot).__set__
        for number, slot in enumerate(slots)
    }
    # Only what __init__ takes may be changed; anything else is a TypeError (see `replace`).
    parameters = ", ".join(f"{field.name}=_unchanged" for field in fields if field.init)
    lines = [f"def _copy(_source, /, *, {parameters}):", "    _new = _object_new(_kind)"]
    lines += [
        f"    _set_{number}(_new, _source.{field.name}"
        + (f" if {field.name} is _unchanged else {field.name})" if field.init else ")")
        for number, field in enumerate(fields)
    ]
    lines.append("    return _new")
    scope: dict[str, Any] = {
        "_unchanged": object(),
        "_object_new": object.__new__,
        "_kind": kind,
        **setters,
    }
    # The way dataclasses makes __init__ itself: source text of a fixed shape, from the
    # class's own field names (identifiers; those the function uses itself are refused).
    exec("\n".join(lines), scope)  # noqa: S102
    copy: _Copier = scope["_copy"]
    return copy
