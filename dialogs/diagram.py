"""A Mermaid diagram of a profile's questionnaire, drawn from the machine compiled from it.

`docs/questionnaire.md` embeds the default profile's; a test fails when the file and the
profile disagree, and `make diagram` redraws it
(`mailmove profile diagram bot/ops/default_profile.toml > docs/questionnaire.md`, which reads
the file; any profile's can be drawn the same way, or given on standard input to
`python -m dialogs.diagram`).
"""

from __future__ import annotations

import sys
import tomllib
from typing import Final

from transitions.extensions.diagrams import GraphMachine

from dialogs.flowchart import ANSWERS, Wording
from dialogs.questionnaire import SETTINGS_STAGES, Questionnaire, parse_questionnaire

# The profile the diagram is drawn from: its file, or one given on standard input (unnamed).
_FROM_FILE: Final = "the `[questionnaire]` of `{source}` by `mailmove profile diagram {source}`"
_FROM_STDIN: Final = "a profile's `[questionnaire]` by `python -m dialogs.diagram`"
_HEADER: Final = """# The questionnaire, as the code runs it

Generated from {drawn_from}.
Questions and leaves are the profile's; from `ask_address` on, the settings dialogue is the
same for every profile. Not drawn, because they leave every stage: `restart` (back to the
first question) and `show_settings` (straight to the address question); "back" returns to
the previous stage.

"""


class _Model:
    """GraphMachine draws for a model; this one only carries the state."""


def mermaid(questionnaire: Questionnaire) -> str:
    """The diagram's Mermaid source, without the wildcard transitions."""
    flowchart = questionnaire.flowchart
    machine = GraphMachine(
        model=None,
        states=[*flowchart.questions, *flowchart.leaves, *(s.value for s in SETTINGS_STAGES)],
        transitions=[dict(t) for t in questionnaire.transitions if t["source"] != "*"],
        initial=flowchart.root,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title="mailmove questionnaire",
    )
    model = _Model()
    machine.add_model(model)
    source: str = model.get_graph().draw(None)  # type: ignore[attr-defined]
    return source.strip() + "\n"


def _text(wording: Wording) -> str:
    return f"`{wording.key}`" if wording.key else f"{wording.ja} / {wording.en}"


def table(questionnaire: Questionnaire) -> str:
    """Each question's text and answers, each leaf's verdict, as Markdown tables."""
    flowchart = questionnaire.flowchart
    lines = [
        "| question | text | " + " | ".join(ANSWERS) + " |",
        "| --- | --- |" + " --- |" * len(ANSWERS),
    ]
    for question in flowchart.questions.values():
        leads = " | ".join(question.answers[answer] for answer in ANSWERS)
        lines.append(f"| `{question.id}` | {_text(question.text)} | {leads} |")
    lines += ["", "| leaf | receiving | sending | text |", "| --- | --- | --- | --- |"]
    for leaf in flowchart.leaves.values():
        verdict = f"{leaf.receiving.value} | {leaf.sending.value}"
        lines.append(f"| `{leaf.id}` | {verdict} | {_text(leaf.text)} |")
    return "\n".join(lines) + "\n"


def document(questionnaire: Questionnaire, source: str = "") -> str:
    """The whole Markdown file; `source` names the profile's file ("": standard input)."""
    drawn_from = _FROM_FILE.format(source=source) if source else _FROM_STDIN
    header = _HEADER.format(drawn_from=drawn_from)
    return f"{header}```mermaid\n{mermaid(questionnaire)}```\n\n{table(questionnaire)}"


def _refuse(source: str, key: str, problem: str) -> ValueError:
    return ValueError(f"{source}: [{key}] {problem}")


if __name__ == "__main__":
    # The profile arrives on stdin: the shell reads the file, this package stays without I/O
    # (`mailmove profile diagram FILE` reads a file and names it in the header).
    profile = tomllib.loads(sys.stdin.buffer.read().decode("utf-8"))
    questionnaire = parse_questionnaire(profile.get("questionnaire"), "<stdin>", _refuse)
    print(document(questionnaire), end="")
