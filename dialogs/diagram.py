"""A Mermaid diagram of the questionnaire, drawn from the state machine itself.

`docs/questionnaire.md` embeds it; a test fails when the file and the machine disagree, and
`python -m dialogs.diagram > docs/questionnaire.md` redraws it.
"""

from __future__ import annotations

from typing import Final

from transitions.extensions.diagrams import GraphMachine

from dialogs.questionnaire import TRANSITIONS, Stage

_HEADER: Final = """# The questionnaire, as the code runs it

Generated from `dialogs/questionnaire.py` by `python -m dialogs.diagram`; the test suite fails
when this file no longer matches the code. `answer_unsure` always follows the branch that asks
for more change. Not drawn, because they leave every stage: `restart` (back to Q1) and
`show_settings` (straight to the address question); "back" returns to the previous stage.

"""


class _Model:
    """GraphMachine draws for a model; this one only carries the state."""


def mermaid() -> str:
    """The diagram's Mermaid source, without the wildcard transitions."""
    drawn = [t for t in TRANSITIONS if t["source"] != "*"]
    machine = GraphMachine(
        model=None,
        states=list(Stage),
        transitions=drawn,
        initial=Stage.Q1_MAIL_PROGRAM,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title="mailmove questionnaire",
    )
    model = _Model()
    machine.add_model(model)
    source: str = model.get_graph().draw(None)  # type: ignore[attr-defined]
    return source.strip() + "\n"


def document() -> str:
    """The whole Markdown file."""
    return f"{_HEADER}```mermaid\n{mermaid()}```\n"


if __name__ == "__main__":
    print(document(), end="")
