"""The profile's questionnaire texts, checked against the catalogs at start-up.

The profile is parsed without the catalogs (`dialogs` reads no files), so whether each
catalog key it names has a Japanese and an English text is checked here, where both are
loaded: a missing text stops the start-up with the file, the key and the problem, rather
than failing a subscriber's turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import DEFAULT_PROFILE_NAME
from dialogs.facts import anyone_facts
from dialogs.flowchart import missing_texts
from dialogs.profile import MigrationProfile, ProfileError
from dialogs.vocabulary import LOCALES, Locale


def check_questionnaire_texts(
    profile: MigrationProfile, catalogs: Catalogs, path: Path | None = None
) -> None:
    """Raise ProfileError for the first questionnaire text a catalog lacks in either language."""
    keys = {locale: catalogs.keys(locale) for locale in LOCALES}

    def has_text(locale: Locale, key: str) -> bool:
        return key in keys[locale]

    problems = missing_texts(profile.questionnaire.flowchart, has_text)
    problems += _unfilled(profile, catalogs)
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
