"""Enum classes are read without Python 3.11's metaclass `__getattr__` (speed11, `bot/__init__`).

While `enum.EnumType` had one, every `Stage.START` went through the metaclass's getattr hook
(2.5 % of a web chat turn's instructions). 3.12 removed it; `bot` removes it on 3.11. What the
hook did, the plain lookup must still do: every member of every enum class the server loads is
found by its name, a name no member has is an AttributeError, and so is a dunder.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import pytest

import bot
import bot.server  # every enum class the server uses, loaded


def _enum_classes(base: type[enum.Enum] = enum.Enum) -> Iterator[type[enum.Enum]]:
    for sub in base.__subclasses__():
        yield sub
        yield from _enum_classes(sub)


def test_the_enum_metaclass_has_no_getattr_hook() -> None:
    assert bot.__name__ == "bot"
    assert "__getattr__" not in vars(enum.EnumType)


def test_every_member_of_every_loaded_enum_is_found_by_its_name() -> None:
    classes = set(_enum_classes())
    assert len(classes) > 50  # ours, the libraries' and the standard library's
    for cls in classes:
        for name, member in cls._member_map_.items():
            assert getattr(cls, name) is member, (cls, name)


class _Shadowing(enum.Enum):
    """Members named as an enum's own properties are found through a redirect."""

    name = "n"
    value = "v"
    plain = "p"


class _Text(enum.StrEnum):
    A = "a"
    B = "a"  # an alias


def test_members_named_as_properties_and_aliases_are_found() -> None:
    assert _Shadowing.name is _Shadowing._member_map_["name"]
    assert _Shadowing.value is _Shadowing._member_map_["value"]
    assert _Shadowing.plain.value == "p"
    assert _Shadowing.name.value == "n"
    assert _Text.B is _Text.A


@pytest.mark.parametrize("name", ["NOT_A_MEMBER", "_sunder_", "__dunder__"])
def test_a_name_no_member_has_is_an_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(_Text, name)
    assert not hasattr(_Shadowing, name)
