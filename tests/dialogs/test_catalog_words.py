"""Words across the catalogs: one name per action and per program, wherever it is shown."""

from __future__ import annotations

from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.vocabulary import LOCALES, Locale

# Each action a subscriber can take, and every key that names it: the chat's buttons and
# the web chat's toolbar. A second name for one action reads like a second action.
ACTION_NAMES: Final = {
    "menu": ("choice.menu", "next.questions", "webchat.menu"),
    "restart": ("choice.restart", "webchat.restart"),
    "human": ("menu.human", "webchat.human"),
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_one_name_per_action(catalogs: Catalogs, locale: Locale, action: str) -> None:
    names = {key: catalogs(locale, key) for key in ACTION_NAMES[action]}
    assert len(set(names.values())) == 1, names


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", list(MailProgram))
def test_the_console_names_programs_as_the_chat_does(
    catalogs: Catalogs, locale: Locale, program: MailProgram
) -> None:
    chat = catalogs(locale, f"program.{program.value}")
    assert catalogs(locale, f"console.program_{program.value}") == chat


@pytest.mark.parametrize("locale", LOCALES)
def test_outbound_port25_blocking_is_spelt_as_the_notice_does(
    catalogs: Catalogs, locale: Locale
) -> None:
    for key in catalogs.keys(locale):
        text = catalogs.raw(locale, key)
        assert "Outbound Port 25" not in text, key
