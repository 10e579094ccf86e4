"""The profile's questionnaire texts, checked against the catalogs at start-up.

The profile is parsed without the catalogs (`dialogs` reads no files), so whether each
catalog key it names has a Japanese and an English text is checked here, where both are
loaded: a missing text stops the start-up with the file, the key and the problem, rather
than failing a subscriber's turn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import DEFAULT_PROFILE_NAME
from dialogs.facts import anyone_facts
from dialogs.flowchart import missing_texts
from dialogs.profile import MigrationProfile, Port, ProfileError
from dialogs.vocabulary import LOCALES, Locale, Sending


def check_questionnaire_texts(
    profile: MigrationProfile, catalogs: Catalogs, path: Path | None = None
) -> None:
    """Raise ProfileError for the first questionnaire text a catalog lacks in either language."""
    keys = {locale: catalogs.keys(locale) for locale in LOCALES}

    def has_text(locale: Locale, key: str) -> bool:
        return key in keys[locale]

    problems = missing_texts(profile.questionnaire.flowchart, has_text)
    problems += _unfilled(profile, catalogs)
    problems += _ports_not_given(profile)
    if problems:
        source = str(path) if path is not None else f"<package>/bot/ops/{DEFAULT_PROFILE_NAME}"
        key, problem = problems[0]
        raise ProfileError(source, key, problem)


# The placeholders of [schedule]'s optional days: absent while a day is not decided.
_DAYS: Final = frozenset(
    {"old_pop_until", "old_smtp_until", "old_address_until", "old_sender_until"}
)


def _unfilled(profile: MigrationProfile, catalogs: Catalogs) -> list[tuple[str, str]]:
    """(profile key, problem) for inline words whose `{placeholders}` the profile cannot fill.

    Checked here, with the catalogs, because the facts are worded by them (dates, ports).
    """
    problems: list[tuple[str, str]] = []
    brace = "(write {{ and }} for a brace)"
    for locale in LOCALES:
        values = anyone_facts(profile, catalogs, locale)
        for key, wording in profile.questionnaire.flowchart.wordings():
            if wording.key:
                continue
            try:
                wording.inline(locale).format_map(values)
            except KeyError as unknown:
                name = unknown.args[0]
                # A last day left out of [schedule] (not decided yet) has no words.
                undecided = " (its day is left out of [schedule])" if name in _DAYS else ""
                problems.append(
                    (
                        key,
                        f"({locale}) has a placeholder this profile does not fill:"
                        f" {{{name}}}{undecided} {brace}",
                    )
                )
            except (IndexError, ValueError, AttributeError) as bad:
                problems.append((key, f"({locale}) cannot be filled: {bad} {brace}"))
    return problems


# A port as inline words name it: 「ポート465番」「ポート番号：587」「465番ポート」, "port 465".
_PORT_NAMED: Final = re.compile(
    r"ポート\s*(?:番号)?\s*[:：「（(]?\s*(\d{2,5})|(\d{2,5})\s*番\s*ポート|\bports?\s+(\d{2,5})\b",
    re.IGNORECASE,
)
# Port 25 is named where no profile gives it: Outbound Port 25 Blocking, the reason itself.
_ALWAYS_NAMED: Final = frozenset({25})


def _ports_not_given(profile: MigrationProfile) -> list[tuple[str, str]]:
    """(profile key, problem) for inline words naming a port no server of the profile has.

    A leaf written as 「新しい送信サーバー（ポート465番、SSL/TLS）なら…」 and a profile moved to
    587 + STARTTLS afterwards told the subscriber 465 in the verdict and 587 on the card.
    Only the leaves that change sending are read: one that leaves it alone may name another
    company's port (「その会社にポート587番などの設定をご確認ください」).
    """
    servers = (profile.incoming, profile.outgoing)
    given = {port.number for server in servers for port in server.ports}
    given |= {server.old_port for server in servers} | _ALWAYS_NAMED
    problems: list[tuple[str, str]] = []
    leaves = [
        leaf
        for leaf in profile.questionnaire.flowchart.leaves.values()
        if leaf.sending is not Sending.NOT_NEEDED and not leaf.text.key
    ]
    for locale in LOCALES:
        for leaf in leaves:
            key = f"questionnaire.leaves.{leaf.id}.text"
            for found in _PORT_NAMED.finditer(leaf.text.inline(locale)):
                number = int(next(group for group in found.groups() if group))
                if number in given:
                    continue
                problems.append(
                    (
                        key,
                        f"({locale}) names port {number}, which no server of this profile has"
                        f" (receiving {_ports(profile.incoming.ports)}, sending"
                        f" {_ports(profile.outgoing.ports)}; today {profile.incoming.old_port}"
                        f" and {profile.outgoing.old_port}): write the profile's port, or"
                        " {pop_port} / {smtp_port} so the words follow it",
                    )
                )
    return problems


def _ports(ports: tuple[Port, ...]) -> str:
    return ", ".join(str(port.number) for port in ports)
