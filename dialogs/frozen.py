"""Frozen, slotted dataclasses made and copied quicker: `quick_init` and `replace`.

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

`quick_init` does the same for making one: the class's `__init__` becomes one that takes the
same parameters and sets each slot directly (a turn makes about a hundred such objects).
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


def _generated(init: object) -> bool:
    """Whether `init` is the `__init__` dataclasses wrote (from source text, as `exec` reads it)."""
    code = getattr(init, "__code__", None)
    return code is not None and code.co_filename == "<string>"


# The names `quick_init`'s function uses for itself; a class with a field so named keeps its own.
_INIT_NAMES: Final = frozenset({"self", "_no_value"})
_INIT_PREFIXES: Final = ("_set_", "_default_", "_factory_")


def quick_init(kind: type[T]) -> type[T]:
    """`kind` (a frozen, slotted dataclass) with an `__init__` that sets each slot directly.

    The `__init__` dataclasses writes for a frozen class sets each field through
    `object.__setattr__` (past the class's own, which refuses): a global, an attribute and
    a call per field, then the type's lookup of the slot. A turn makes about a hundred
    such objects (buttons, transcript lines, intents, its context and outcome). This one
    takes the same parameters (names, order, defaults, keyword-only) and calls each slot's
    setter: the object made is the one the generated `__init__` makes. A class this does
    not know how to build alike (not frozen or not slotted, a `__post_init__`, init-only
    variables, an `__init__` of its own) keeps its `__init__`.
    """
    made = _quick_init(kind)
    if made is not None:
        made.__qualname__ = f"{kind.__qualname__}.__init__"
        made.__module__ = kind.__module__
        made.__doc__ = kind.__init__.__doc__
        made.__annotations__ = dict(getattr(kind.__init__, "__annotations__", {}))
        made.__wrapped__ = kind.__init__  # type: ignore[attr-defined]  # what it stands for
        kind.__init__ = made  # type: ignore[method-assign]
    return kind


def _quick_init(kind: type) -> Callable[..., None] | None:
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen or hasattr(kind, "__post_init__"):
        return None
    if not params.init or not _generated(vars(kind).get("__init__")):
        # Its own `__init__` (`init=False`, or one written in the class, which dataclasses
        # leaves in place): replaced, it silently lost whatever that one did.
        return None
    fields = dataclasses.fields(kind)
    if len(fields) != len(getattr(kind, "__dataclass_fields__", {})):
        return None  # init-only or class variables
    slots = [getattr(kind, field.name, None) for field in fields]
    if not all(isinstance(slot, types.MemberDescriptorType) for slot in slots):
        return None
    names = [field.name for field in fields]
    if any(name in _INIT_NAMES or name.startswith(_INIT_PREFIXES) for name in names):
        return None
    # dataclasses' own mark for a default made by a factory, so that the signature reads alike.
    scope: dict[str, Any] = {"_no_value": getattr(dataclasses, "_HAS_DEFAULT_FACTORY", object())}
    positional: list[str] = []
    keyword: list[str] = []
    lines: list[str] = []
    for number, (field, slot) in enumerate(zip(fields, slots, strict=True)):
        setter = f"_set_{number}"
        scope[setter] = cast(types.MemberDescriptorType, slot).__set__
        default = f"_default_{number}"
        factory = f"_factory_{number}"
        if field.default is not dataclasses.MISSING:
            scope[default] = field.default
        if field.default_factory is not dataclasses.MISSING:
            scope[factory] = field.default_factory
        if not field.init:
            if field.default is not dataclasses.MISSING:
                lines.append(f"    {setter}(self, {default})")
            elif field.default_factory is not dataclasses.MISSING:
                lines.append(f"    {setter}(self, {factory}())")
            continue
        if field.default is not dataclasses.MISSING:
            parameter = f"{field.name}={default}"
            value = field.name
        elif field.default_factory is not dataclasses.MISSING:
            parameter = f"{field.name}=_no_value"
            value = f"{factory}() if {field.name} is _no_value else {field.name}"
        else:
            parameter = field.name
            value = field.name
        (keyword if field.kw_only else positional).append(parameter)
        lines.append(f"    {setter}(self, {value})")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = "\n".join([f"def __init__({signature}):", *lines, "    return None"])
    # As dataclasses makes __init__ itself: source text of a fixed shape from the class's
    # own field names (identifiers; those the function uses itself are refused above).
    exec(source, scope)  # noqa: S102
    init: Callable[..., None] = scope["__init__"]
    return init
