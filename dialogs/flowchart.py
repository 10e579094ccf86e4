"""The questionnaire a profile declares: its questions, their answers and the verdict leaves.

Read from the profile's `[questionnaire]` table and checked as a whole before anything
runs, so a broken flowchart stops the start-up instead of stranding a subscriber: one root,
every answer leads to a node that exists, no cycles, every node reachable, every question
answerable by "don't know". Texts are catalog keys or the same words inline in Japanese and
English; `missing_texts` checks them against the catalogs, which only the runtime can read.
`dialogs.questionnaire` compiles the result into the `transitions` machine.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from dialogs.vocabulary import LOCALES, Locale, Receiving, Sending

# What the subscriber can answer, as the readers of typed words understand it: the
# three kinds every question accepts (the buttons' ids too).
ANSWERS: Final = ("yes", "no", "unsure")
DEFAULT_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {"yes": "choice.yes", "no": "choice.no", "unsure": "choice.unsure"}
)
# Node ids are stored in conversation records and named by the agent API: plain and short.
_NODE_ID: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def is_node_id(name: str) -> bool:
    """Whether `name` could name a question or leaf (stored ids are checked with it)."""
    return bool(_NODE_ID.match(name))


_QUESTION_KEYS: Final = frozenset(
    {"text", "hint", "unsure_note", "reading", "answers", "labels", "names_old_smtp", "fact"}
)
_LEAF_KEYS: Final = frozenset({"receiving", "sending", "text"})
_TOP_KEYS: Final = frozenset({"start", "questions", "leaves"})

Refusal = Callable[[str, str, str], Exception]
"""Builds the error naming (source, key, problem): `dialogs.profile.ProfileError`."""


class Reading(enum.StrEnum):
    """Which phrasings answer a question in typed words, besides a plain yes / no / not sure.

    Each names one of the readers in `dialogs.reading` (written for the seed's questions);
    `plain` reads only the generic answers.
    """

    PLAIN = "plain"
    MAIL_PROGRAM = "mail_program"  # 「Webメールだけ」 is a no; a mail program named is a yes
    OTHER_NETWORK = "other_network"  # 「会社から」 is a yes, 「家だけ」 a no
    OUR_SMTP = "our_smtp"  # the profile's outgoing host names answer it
    OP25B = "op25b"  # 「ブロックされていない」 is a no
    # A question of the profile's own, 「複数の端末でお使いですか？」: 「2台」「パソコンとスマホ」
    # is a yes, 「1台だけ」 a no (dialogs.reading.device_count).
    DEVICES = "devices"


@dataclass(frozen=True, slots=True)
class Wording:
    """A text the subscriber reads: a catalog `key`, or inline `ja` and `en` words."""

    key: str = ""
    ja: str = ""
    en: str = ""

    def inline(self, locale: Locale) -> str:
        """The inline words in `locale` (a catalog key is the speaker's to look up)."""
        return self.en if locale == "en" else self.ja


@dataclass(frozen=True, slots=True)
class Question:
    """A question, where each answer leads, and how its buttons are labelled."""

    id: str
    text: Wording
    answers: Mapping[str, str]  # yes / no / unsure → the next node's id
    labels: Mapping[str, Wording]
    hint: Wording | None = None
    unsure_note: Wording | None = None
    reading: Reading = Reading.PLAIN
    # The question names the outgoing server(s) of `[outgoing] old_hosts`: its "yes" says
    # which one is in use, so the settings do not ask for it again.
    names_old_smtp: bool = False
    # What a "yes" says, in a few words the desks show beside the answer (「メールソフトを使用：
    # はい」), so an agent need not look up what 「Q2 いいえ」 asked. None: shown by its label.
    fact: Wording | None = None


@dataclass(frozen=True, slots=True)
class Leaf:
    """Where the questions end: the two-part verdict and what explains it."""

    id: str
    receiving: Receiving
    sending: Sending
    text: Wording

    @property
    def proceeds(self) -> bool:
        """Whether something changes, so the settings follow at once; otherwise the bot rests."""
        return self.receiving is Receiving.REQUIRED or self.sending is not Sending.NOT_NEEDED


@dataclass(frozen=True, slots=True)
class Flowchart:
    """The whole questionnaire: checked, so every walk from `root` ends at a leaf."""

    root: str
    questions: Mapping[str, Question]
    leaves: Mapping[str, Leaf]

    def next(self, node: str, answer: str) -> str:
        """Where `answer` at question `node` leads."""
        return self.questions[node].answers[answer]

    def walk(self, answers: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """Follow `answers` from the root.

        Returns the first question still open, or the last question answered when its
        answer leads to a leaf, and the questions passed on the way there.
        """
        node, passed = self.root, []
        while (answer := answers.get(node)) in ANSWERS:
            following = self.next(node, answer)
            if following not in self.questions:
                break
            passed.append(node)
            node = following
        return node, tuple(passed)

    def wordings(self) -> list[tuple[str, Wording]]:
        """Every text with the key of the profile that gives it."""
        found: list[tuple[str, Wording]] = []
        for question in self.questions.values():
            where = f"questionnaire.questions.{question.id}"
            found.append((f"{where}.text", question.text))
            optional = (
                ("hint", question.hint),
                ("unsure_note", question.unsure_note),
                ("fact", question.fact),
            )
            for name, wording in optional:
                if wording is not None:
                    found.append((f"{where}.{name}", wording))
            found += [(f"{where}.labels.{a}", w) for a, w in question.labels.items()]
        found += [
            (f"questionnaire.leaves.{leaf.id}.text", leaf.text) for leaf in self.leaves.values()
        ]
        return found


# The shape of a catalog key (`verdict.webmail_only`, `q3.question`): words have spaces,
# capitals or other scripts.
_CATALOG_KEY: Final = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


def missing_texts(
    flowchart: Flowchart, has_text: Callable[[Locale, str], bool]
) -> list[tuple[str, str]]:
    """(profile key, problem) for every text not given in both languages."""
    problems = []
    for key, wording in flowchart.wordings():
        if wording.key:
            lacking = [locale for locale in LOCALES if not has_text(locale, wording.key)]
            if len(lacking) == len(LOCALES) and not _CATALOG_KEY.fullmatch(wording.key):
                # Words written as a plain string (an English-speaking operator's own text)
                # were read as a catalog key and refused as a key with no texts.
                problems.append(
                    (
                        key,
                        f"{wording.key!r} is read as a catalog key, and no catalog has it: write"
                        ' your own words in both languages, { ja = "…", en = "…" } (the bot'
                        " answers in Japanese and in English)",
                    )
                )
            elif lacking:
                problems.append(
                    (key, f"catalog key {wording.key!r} has no {' or '.join(lacking)} text")
                )
    return problems


def parse_flowchart(
    data: object, source: str, refuse: Refusal, *, reserved: frozenset[str] = frozenset()
) -> Flowchart:
    """Read and check the `[questionnaire]` table; `reserved` are ids the code's stages use."""
    if data is None:
        raise refuse(
            source,
            "questionnaire",
            "is missing: a profile declares its own questions (copy the default profile's "
            "[questionnaire] to start from 117net's)",
        )
    table = _table(data, "questionnaire", source, refuse)
    _only(table, _TOP_KEYS, "questionnaire", source, refuse)
    if not table.get("questions"):
        # A migration where everyone with a mail program changes still asks one question:
        # webmail users change nothing, and the bot rests at their leaf.
        raise refuse(
            source,
            "questionnaire.questions",
            "is missing: a questionnaire asks at least one question; where everyone with a"
            ' mail program changes, ask whether they use one (reading = "mail_program", its'
            ' "no" a leaf where nothing changes), as examples/tls-migration.toml does',
        )
    questions_table = _table(table.get("questions"), "questionnaire.questions", source, refuse)
    leaves_table = _table(table.get("leaves"), "questionnaire.leaves", source, refuse)
    for node in (*questions_table, *leaves_table):
        key = "questionnaire." + ("questions." if node in questions_table else "leaves.") + node
        if not _NODE_ID.match(node):
            raise refuse(source, key, "id must be lower-case letters, digits and _ (at most 40)")
        if node in reserved:
            raise refuse(source, key, "id is a stage of the settings dialogue: choose another")
        if node in questions_table and node in leaves_table:
            raise refuse(source, key, "id is both a question and a leaf")
    questions = {
        node: _question(node, value, source, refuse) for node, value in questions_table.items()
    }
    leaves = {node: _leaf(node, value, source, refuse) for node, value in leaves_table.items()}
    root = _root(table, questions, source, refuse)
    flowchart = Flowchart(root, MappingProxyType(questions), MappingProxyType(leaves))
    _check_graph(flowchart, source, refuse)
    return flowchart


def _table(value: object, key: str, source: str, refuse: Refusal) -> Mapping[str, object]:
    if value is None:
        raise refuse(source, key, "is missing")
    if not isinstance(value, Mapping):
        raise refuse(source, key, "must be a table")
    return value


def _only(
    table: Mapping[str, object], known: frozenset[str], key: str, source: str, refuse: Refusal
) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(known), n=1, cutoff=0.75)
        hint = f": did you mean {close[0]}?" if close else ""
        raise refuse(
            source,
            f"{key}.{unknown[0]}",
            # Listed as the profile's other tables list theirs, not as a Python list.
            f"is not a key here{hint} (known: {', '.join(sorted(known))})",
        )


def _wording(value: object, key: str, source: str, refuse: Refusal) -> Wording:
    if isinstance(value, str) and value.strip():
        return Wording(key=value.strip())
    if isinstance(value, Mapping):
        _only(value, frozenset(LOCALES), key, source, refuse)
        ja, en = value.get("ja"), value.get("en")
        if not (isinstance(ja, str) and ja.strip() and isinstance(en, str) and en.strip()):
            # Which one, where one is given: a profile written in one language names the other.
            given = [
                locale
                for locale in LOCALES
                if isinstance(value.get(locale), str) and str(value.get(locale)).strip()
            ]
            if len(given) == 1:
                lacking = next(locale for locale in LOCALES if locale not in given)
                raise refuse(
                    source,
                    key,
                    f"inline text needs both ja and en: it has no {lacking}; write"
                    ' { ja = "…", en = "…" } (the bot answers in Japanese and in English)',
                )
            raise refuse(source, key, "inline text needs both ja and en, neither empty")
        # `{placeholders}` are the profile's facts, filled as a catalog text's are; whether
        # this profile fills each is checked where the catalogs word them
        # (bot.ops.profile_texts), since dialogs reads no files.
        return Wording(ja=ja.strip(), en=en.strip())
    raise refuse(source, key, 'must be a catalog key or a table { ja = "…", en = "…" }')


def _question(node: str, value: object, source: str, refuse: Refusal) -> Question:
    where = f"questionnaire.questions.{node}"
    table = _table(value, where, source, refuse)
    _only(table, _QUESTION_KEYS, where, source, refuse)
    answers = _table(table.get("answers"), f"{where}.answers", source, refuse)
    _only(answers, frozenset(ANSWERS), f"{where}.answers", source, refuse)
    if "unsure" not in answers:
        raise refuse(source, f"{where}.answers", 'has no "unsure": say where "I don\'t know" leads')
    for answer in ANSWERS:
        target = answers.get(answer)
        if not isinstance(target, str) or not target:
            raise refuse(source, f"{where}.answers.{answer}", "must name the next question or leaf")
    labels_table = _table(table.get("labels", {}), f"{where}.labels", source, refuse)
    _only(labels_table, frozenset(ANSWERS), f"{where}.labels", source, refuse)
    labels = {
        answer: _wording(labels_table.get(answer, DEFAULT_LABELS[answer]), key, source, refuse)
        for answer in ANSWERS
        for key in (f"{where}.labels.{answer}",)
    }
    reading = table.get("reading", Reading.PLAIN.value)
    if reading not in {r.value for r in Reading}:
        choices = ", ".join(r.value for r in Reading)
        raise refuse(source, f"{where}.reading", f"{reading!r} is not one of {choices}")
    names_old_smtp = table.get("names_old_smtp", False)
    if not isinstance(names_old_smtp, bool):
        raise refuse(source, f"{where}.names_old_smtp", "must be true or false")
    if names_old_smtp and reading != Reading.OUR_SMTP.value:
        # A host name typed as the answer ("smtp.x.jpです") must be read as that "yes" too.
        raise refuse(
            source,
            f"{where}.names_old_smtp",
            'needs reading = "our_smtp" (the old host names answer it in typed words)',
        )

    def optional(name: str) -> Wording | None:
        given = table.get(name)
        return None if given is None else _wording(given, f"{where}.{name}", source, refuse)

    return Question(
        id=node,
        text=_wording(table.get("text"), f"{where}.text", source, refuse),
        answers=MappingProxyType({a: str(answers[a]) for a in ANSWERS}),
        labels=MappingProxyType(labels),
        hint=optional("hint"),
        unsure_note=optional("unsure_note"),
        reading=Reading(str(reading)),
        names_old_smtp=names_old_smtp,
        fact=optional("fact"),
    )


def _leaf(node: str, value: object, source: str, refuse: Refusal) -> Leaf:
    where = f"questionnaire.leaves.{node}"
    table = _table(value, where, source, refuse)
    _only(table, _LEAF_KEYS, where, source, refuse)
    receiving = table.get("receiving")
    sending = table.get("sending")
    for key in ("receiving", "sending"):
        if key not in table:
            # Not "None is not one of …": the operator left the key out.
            allowed = ", ".join(v.value for v in (Receiving if key == "receiving" else Sending))
            raise refuse(source, f"{where}.{key}", f"is missing (one of {allowed})")
    if receiving not in {r.value for r in Receiving}:
        allowed = ", ".join(r.value for r in Receiving)
        raise refuse(source, f"{where}.receiving", f"{receiving!r} is not one of {allowed}")
    if sending not in {s.value for s in Sending}:
        allowed = ", ".join(s.value for s in Sending)
        raise refuse(source, f"{where}.sending", f"{sending!r} is not one of {allowed}")
    return Leaf(
        id=node,
        receiving=Receiving(str(receiving)),
        sending=Sending(str(sending)),
        text=_wording(table.get("text"), f"{where}.text", source, refuse),
    )


def _root(
    table: Mapping[str, object], questions: Mapping[str, Question], source: str, refuse: Refusal
) -> str:
    led_to = {target for q in questions.values() for target in q.answers.values()}
    roots = [node for node in questions if node not in led_to]
    start = table.get("start")
    if start is not None:
        if start not in questions:
            raise refuse(source, "questionnaire.start", f"{start!r} is not a question")
        if start in led_to:
            # Name the answer that leads back: most often a slip that makes a cycle.
            back = next(
                f"questions.{q.id}.answers.{answer}"
                for q in questions.values()
                for answer, target in q.answers.items()
                if target == start
            )
            raise refuse(
                source,
                "questionnaire.start",
                f"{start!r} is an answer's next question ({back} leads to it):"
                " the first question cannot be asked again",
            )
        return str(start)
    if len(roots) != 1:
        problem = "no question is" if not roots else f"{len(roots)} questions ({roots}) are"
        raise refuse(source, "questionnaire", f"{problem} the first: name one with start = …")
    return roots[0]


def _check_graph(flowchart: Flowchart, source: str, refuse: Refusal) -> None:
    """Answers lead to nodes that exist, no cycles, every node reachable from the root."""
    nodes = {*flowchart.questions, *flowchart.leaves}
    for question in flowchart.questions.values():
        for answer, target in question.answers.items():
            if target not in nodes:
                raise refuse(
                    source,
                    f"questionnaire.questions.{question.id}.answers.{answer}",
                    f"{target!r} is neither a question nor a leaf",
                )
    reached: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> None:
        # Depth-first from the root: a node met again on its own path closes a cycle.
        if node in path:
            loop = " → ".join((*path[path.index(node) :], node))
            raise refuse(source, f"questionnaire.questions.{node}", f"is part of a cycle: {loop}")
        if node in reached:
            return
        question = flowchart.questions.get(node)
        path.append(node)
        for target in dict.fromkeys(question.answers.values() if question else ()):
            visit(target)
        path.pop()
        reached.add(node)

    visit(flowchart.root)
    for node in sorted(nodes - reached):
        kind = "questions" if node in flowchart.questions else "leaves"
        raise refuse(
            source, f"questionnaire.{kind}.{node}", f"cannot be reached from {flowchart.root!r}"
        )
