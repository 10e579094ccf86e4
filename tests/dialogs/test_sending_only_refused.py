"""A migration that changes only sending is refused with what it is, not with a fix to try.

"From 1 April send on 587 with STARTTLS instead of 465" (or 25 → 587) keeps the receiving
server as it is. mailmove tells every subscriber who uses a mail program to change the
receiving settings, so such a profile cannot be served yet; it was refused with 'a kept host
name needs old_port or old_security to say what changes', which sent the operator to invent
a receiving change.
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


def test_a_sending_only_move_is_named_as_such() -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(profile_text("")), "465-to-587.toml")
    message = str(refused.value)
    assert message.startswith("465-to-587.toml: [incoming.new_host] ")
    assert "a migration that changes only sending cannot be described yet" in message
    assert "needs old_port or old_security" not in message


def test_a_kept_receiving_name_whose_login_changes_keeps_the_other_message() -> None:
    # The login changes (the part before @ → the whole address): not a sending-only move,
    # and what is missing is still the connection that stops on the old server's day.
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(profile_text('old_login_name = "local-part"\n')), "login.toml")
    assert "needs old_port or old_security" in str(refused.value)
