"""A half-described sending-only migration is refused with what to fix, not with a fix to try.

"From 1 April send on 587 with STARTTLS instead of 465" (or 25 → 587) keeps the receiving
server as it is. Such a profile is served since receiving may stay unchanged
(tests/dialogs/test_op25b_sending_only.py); one written over a profile of a move still names
the receiving side's last day and leaves that say receiving changes, and is told so key by
key. It was refused with 'a kept host name needs old_port or old_security to say what
changes', which sent the operator to invent a receiving change, and then with 'cannot be
described yet'.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Final

import pytest

from dialogs.profile import ProfileError, parse_profile

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "tls-migration.toml"
SERVERS: Final = """[incoming]
protocol = "pop3"
old_host = "pop.examplenet.ne.jp"
new_host = "pop.examplenet.ne.jp"
port = 995
security = "tls"
login_methods = ["password"]
login_name = "address"
{incoming_extra}
[outgoing]
old_hosts = ["smtp.examplenet.ne.jp"]
new_host = "smtp.examplenet.ne.jp"
port = 587
security = "starttls"
old_port = 465
old_security = "tls"
login_methods = ["password"]
login_name = "address"

"""


def profile_text(incoming_extra: str) -> str:
    text = EXAMPLE.read_text("utf-8")
    start, end = text.index("[incoming]"), text.index("[schedule]")
    return text[:start] + SERVERS.format(incoming_extra=incoming_extra) + text[end:]


def test_a_sending_only_move_is_told_what_still_says_receiving_changes() -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(profile_text("")), "465-to-587.toml")
    message = str(refused.value)
    assert message.startswith("465-to-587.toml: [schedule.old_pop_until] ")
    assert "nothing stops on the receiving side; leave it out" in message
    assert "cannot be described yet" not in message
    assert "needs old_port or old_security" not in message
    # Without that day, the leaves that still say receiving changes.
    text = profile_text("").replace("old_pop_until = 2026-04-30\n", "")
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text), "465-to-587.toml")
    assert ".receiving] is 'required' while receiving does not change" in str(refused.value)


def test_a_kept_receiving_name_whose_login_changes_keeps_the_other_message() -> None:
    # The login changes (the part before @ → the whole address): not a sending-only move,
    # and what is missing is still the connection that stops on the old server's day.
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(profile_text('old_login_name = "local-part"\n')), "login.toml")
    assert "needs old_port or old_security" in str(refused.value)
