"""The README and its documents are the operator's only guide: every variable is in them, as read.

Each `MAILMOVE_*` setting has a row in the README's settings table with the default the code
has; every `MAILMOVE_*` name the README or a document under docs/ mentions is one the settings
model reads (a renamed variable left behind would be set and silently ignored); every variable
a channel reads is named in backquotes somewhere in the README or docs/ (the channels' tables
are in docs/channels.md and docs/agents.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.settings import Settings
from tests.deploy.test_manifests import channel_modules, module_strings

ROOT: Final = Path(__file__).resolve().parents[3]
README: Final = (ROOT / "README.md").read_text(encoding="utf-8")
# The README and every document it links to under docs/.
DOCUMENTS: Final = "\n".join(
    [README, *(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))]
)
# A settings table row: | `MAILMOVE_A`, `MAILMOVE_B` | `default a`, `default b` | meaning |
_ROW: Final = re.compile(r"^\| (`MAILMOVE_[^|]*)\| ([^|]*)\|", re.MULTILINE)


def table() -> dict[str, str]:
    """Each variable of the settings table and the default written in its row."""
    rows: dict[str, str] = {}
    for names, defaults in _ROW.findall(README):
        variables = re.findall(r"`(MAILMOVE_[A-Z_]+)`", names)
        written = re.findall(r"`([^`]*)`", defaults)
        for position, variable in enumerate(variables):
            rows[variable] = written[position] if len(written) == len(variables) else defaults
    return rows


def test_every_setting_has_a_row() -> None:
    missing = sorted(set(Settings.variables().values()) - set(table()))
    assert not missing, f"the README's settings table leaves out {missing}"


def test_every_variable_the_readme_names_is_read() -> None:
    named = set(re.findall(r"\bMAILMOVE_[A-Z_]*[A-Z]\b", DOCUMENTS))
    assert "MAILMOVE_STORE" in named  # the scan itself works
    unknown = sorted(named - set(Settings.variables().values()))
    assert not unknown, f"the README or docs/ names {unknown}, which mailmove does not read"


@pytest.mark.parametrize("field", list(Settings.variables()))
def test_the_documented_default_is_the_codes(field: str) -> None:
    default = Settings.model_fields[field].default
    if not isinstance(default, int | str) or default == "":
        return  # "none", "the seed's profile", "http://HOST:PORT": said in words
    variable = Settings.variables()[field]
    assert table()[variable] == str(default), variable


def test_every_channel_variable_is_documented() -> None:
    names = set()
    for path in channel_modules():
        names |= module_strings(path)
    assert "SLACK_BOT_TOKEN" in names  # the scan itself works
    missing = sorted(name for name in names if f"`{name}`" not in DOCUMENTS)
    assert not missing, f"neither the README nor docs/ names {missing}"
