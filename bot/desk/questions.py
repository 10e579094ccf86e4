"""The running profile's questions as the desk names them: a short label and their words.

Agents hand answers back by question id, and the summary, the console and the agent API
must name the same questions whatever the profile declares (the seed's q1..q4 or two
questions of another migration), so the label comes from the questionnaire's order, never
from the shape of an id.
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.facts import anyone_facts
from dialogs.flowchart import ANSWERS, DEFAULT_LABELS, Wording
from dialogs.profile import MigrationProfile
from dialogs.texts import Texts
from dialogs.vocabulary import LOCALES, Locale


def question_labels(profile: MigrationProfile) -> dict[str, str]:
    """Each question's short label, 「Q1」 for the first the profile declares, and so on."""
    return {
        question: f"Q{n}"
        for n, question in enumerate(profile.questionnaire.flowchart.questions, start=1)
    }


def _words(wording: Wording, catalogs: Texts, values: Mapping[str, object], locale: Locale) -> str:
    if wording.key:
        return catalogs.fill(locale, wording.key, values)
    return wording.inline(locale).format_map(values)


def question_facts(profile: MigrationProfile, catalogs: Texts) -> dict[str, dict[str, str]]:
    """What a "yes" to each question says, in every locale, for those the profile words so.

    The desks show it beside the answer (「メールソフトを使用：はい」): 「Q2 いいえ」 left the
    agent to look up what Q2 asked. A question without a `fact` is shown by its label.
    """
    values = {locale: anyone_facts(profile, catalogs, locale) for locale in LOCALES}
    return {
        question.id: {
            locale: _words(question.fact, catalogs, values[locale], locale) for locale in LOCALES
        }
        for question in profile.questionnaire.flowchart.questions.values()
        if question.fact is not None
    }


def described_questions(profile: MigrationProfile, catalogs: Texts) -> list[dict[str, object]]:
    """Every question in the profile's order, as the agent API's `QuestionnaireRead` gives it.

    Its id, label, text and each answer's button words, in every locale.
    """
    values = {locale: anyone_facts(profile, catalogs, locale) for locale in LOCALES}
    labels = question_labels(profile)
    facts = question_facts(profile, catalogs)
    described: list[dict[str, object]] = []
    for question in profile.questionnaire.flowchart.questions.values():
        buttons = {a: question.labels.get(a) or Wording(key=DEFAULT_LABELS[a]) for a in ANSWERS}
        described.append(
            {
                "id": question.id,
                "label": labels[question.id],
                "fact": facts.get(question.id),
                "text": {
                    locale: _words(question.text, catalogs, values[locale], locale)
                    for locale in LOCALES
                },
                "answers": {
                    answer: {
                        locale: _words(wording, catalogs, values[locale], locale)
                        for locale in LOCALES
                    }
                    for answer, wording in buttons.items()
                },
            }
        )
    return described
