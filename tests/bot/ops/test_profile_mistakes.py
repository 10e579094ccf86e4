"""An operator's mistakes in another provider's profile: one line naming file, key and fix.

Each case is a slip an operator writing `tests/dialogs/northlight.toml` from the README could
make. `mailmove profile check` and `mailmove serve` both stop with exit code 2 and one line,
never a traceback, and the line says what to write instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from testbed.loopback import free_port

NORTHLIGHT: Final = Path(__file__).resolve().parents[2] / "dialogs" / "northlight.toml"

MISTAKES: Final = [
    # A typo'd key, a wrong type, a bad port, a bad host, a reversed window.
    ("old_login_name = ", "old_login_nam = ", "[incoming.old_login_nam] is not a known key"),
    ("port = 995,", 'port = "995",', "[incoming.ports[0].port] must be a port number"),
    ("port = 995,", "port = 99500,", "[incoming.ports[0].port] must be a port number (1-65535)"),
    ('security = "tls"}]', 'security = "ssl"}]', "'ssl' is not one of none, starttls, tls"),
    ("pop3s.northlight", "pop3s://northlight", "is not a host name like mail.example.jp"),
    (
        "window_end = 2027-04-01",
        "window_end = 2027-03-01",
        "[schedule.window_end] 2027-03-01 is before schedule.window_start 2027-04-01",
    ),
    # A question that leads nowhere, a missing English text.
    ('yes = "both"', 'yes = "bothh"', "'bothh' is neither a question nor a leaf"),
    (', en = "Is your outgoing server', ', fr = "Is your outgoing server', "is not a key here"),
    # A leaf without its sending verdict: "is missing", not "None is not one of …".
    (
        'receiving = "required"\nsending = "required"\ntext = { ja = "送信',
        'receiving = "required"\ntext = { ja = "送信',
        "[questionnaire.leaves.both.sending] is missing (one of required, recommended, not_needed)",
    ),
    # Quoted where TOML wants a bare value: the line says so.
    ("window_start = 2027-04-01", 'window_start = "2027-04-01"', "without quotes"),
    ("port = 995,", 'port = "995",', "without quotes"),
    # Empty hours are allowed: a number is refused without claiming they must not be empty.
    ('hours_ja = ""', "hours_ja = 9", '[support.hours_ja] must be a string ("" for none)'),
    # The receiving host name kept (guided beside an outgoing one that moves,
    # examples/pop-name-kept-smtp-moves.toml) while today's connection is still listed:
    # nothing would stop on old_pop_until.
    (
        'new_host = "pop3s.northlight.example.jp"\nports = [{port = 995, security = "tls"}]',
        'new_host = "pop.northlight.example.jp"\nports = [{port = 995, security = "tls"},'
        ' {port = 110, security = "none"}]',
        "[incoming.ports] lists today's connection (port 110, none) while the host name stays",
    ),
    # The notice's notation for an address at no affected domain (or with no @ at all).
    (
        "affected_domains = ",
        'notice_addresses = ["********@northlight.example"]\naffected_domains = ',
        "[provider.notice_addresses] '********@northlight.example' must end in @ and one of"
        " affected_domains",
    ),
    # A kept name among several old ones: whoever uses it is told to keep it.
    (
        'old_hosts = ["smtp.northlight.example.jp"]',
        'old_hosts = ["smtp.northlight.example.jp", "smtps.northlight.example.jp"]',
        "[outgoing.old_hosts] names new_host 'smtps.northlight.example.jp'",
    ),
]


def mistaken(tmp_path: Path, old: str, new: str) -> Path:
    text = NORTHLIGHT.read_text("utf-8")
    assert old in text, old
    path = tmp_path / "northlight.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def command_line(command: str, path: Path, tmp_path: Path) -> list[str]:
    """`mailmove profile check` of `path`, or `mailmove serve` with it on a port of its own.

    On 8080 a `make run` on the same machine answered first (exit 1, "address already in
    use"), since serve takes its address before reading the profile.
    """
    if command == "check":
        return ["profile", "check", str(path)]
    store = f"sqlite:///{tmp_path / 'db.sqlite'}"
    return ["serve", "--profile", str(path), "--store", store, "--port", str(free_port())]


def _refuse_to_serve(*_: object) -> None:
    raise AssertionError("the server started on a mistaken profile")


def test_the_fixture_itself_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(NORTHLIGHT)]) == 0
    assert "valid (Northlight, Asia/Tokyo)" in capsys.readouterr().out


@pytest.mark.parametrize(("old", "new", "message"), MISTAKES)
@pytest.mark.parametrize("command", ["check", "serve"])
def test_a_mistake_is_one_line_naming_file_key_and_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    old: str,
    new: str,
    message: str,
) -> None:
    path = mistaken(tmp_path, old, new)
    # A profile that slipped through would serve until killed: fail instead.
    monkeypatch.setattr("bot.server.serve", _refuse_to_serve)
    argv = command_line(command, path, tmp_path)

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: ["), err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_hours_in_words_may_be_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # No hours to give, or a [support.desk_hours] table the bot words them from: an operator
    # leaves hours_ja and hours_en out, as the README's "with neither, nothing more is said"
    # reads. It stopped start-up with "[support.hours_ja] is missing".
    path = mistaken(tmp_path, 'hours_ja = ""\nhours_en = ""\n', "")
    assert main(["profile", "check", str(path)]) == 0
    assert "valid (Northlight, Asia/Tokyo)" in capsys.readouterr().out
