"""One server's host name kept (its port or TLS changing) beside one that moves.

mailmove's texts say for both servers at once either that the names stay (42 sentences and
11 guide steps keyed `hosts_kept` / `host_kept`, in Japanese and English) or that the servers
move. Each mixed layout has twins of its own: the outgoing name kept beside a receiving
server that moves (smtp_kept.po), and a kept receiving name beside an outgoing one that moves
(pop_kept.po, examples/pop-name-kept-smtp-moves.toml). A kept receiving name whose login is a
mailbox id today is still refused, and the line says so. Receiving that moves beside sending
left exactly as it is is guided (receiving_only.po).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.profile_loader import load_profile
from dialogs.profile import ProfileError

UMINEKO: Final = Path(__file__).resolve().parent / "umineko_tls.toml"


def refusal(tmp_path: Path, old: str, new: str, also: tuple[str, str] = ("", "")) -> str:
    text = UMINEKO.read_text("utf-8")
    assert old in text, old
    assert also[0] in text, also
    text = text.replace(*also, 1) if also[0] else text
    path = tmp_path / "mixed.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    return str(raised.value)


def test_a_kept_receiving_name_beside_a_moved_outgoing_one_is_guided(tmp_path: Path) -> None:
    # It was refused ('[incoming.new_host] is kept while outgoing.new_host changes …'); its
    # texts now have twins (pop_kept.po, `Timing.receiving_host_kept`).
    text = UMINEKO.read_text("utf-8").replace(
        'new_host = "smtp.umineko.example.jp"', 'new_host = "smtp2.umineko.example.jp"', 1
    )
    path = tmp_path / "mixed.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.host_kept
    assert not profile.outgoing.host_kept


def test_what_the_refusal_says_to_write_is_accepted(tmp_path: Path) -> None:
    # The operator follows the line: a sending-only move that mailmove guides.
    text = (
        UMINEKO.read_text("utf-8")
        .replace('new_host = "smtp.umineko.example.jp"', 'new_host = "smtp2.umineko.example.jp"')
        .replace(
            'ports = [{port = 995, security = "tls"}]\nold_port = 110\nold_security = "none"\n',
            'ports = [{port = 110, security = "none"}]\n',
        )
        .replace("old_pop_until = 2027-03-31\n", "")
        .replace('receiving = "required"', 'receiving = "not_needed"')
    )
    path = tmp_path / "sending-only.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.unchanged
    assert profile.outgoing.new_host == "smtp2.umineko.example.jp"


def test_a_kept_outgoing_name_beside_a_moved_receiving_one_is_guided(tmp_path: Path) -> None:
    # The common Japanese way round (the outgoing name kept, its connection changing; the
    # receiving server moving) was refused; its texts now have twins (smtp_kept.po).
    text = UMINEKO.read_text("utf-8").replace(
        'new_host = "pop.umineko.example.jp"', 'new_host = "pop2.umineko.example.jp"', 1
    )
    path = tmp_path / "mixed.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.outgoing.host_kept
    assert not profile.incoming.host_kept


def test_a_kept_receiving_name_that_logs_in_with_a_mailbox_id_today_has_no_other_way(
    tmp_path: Path,
) -> None:
    # login_name cannot be a mailbox id: receiving as it is today cannot be written.
    message = refusal(
        tmp_path,
        'new_host = "smtp.umineko.example.jp"',
        'new_host = "smtp2.umineko.example.jp"',
        also=(
            'login_name = "address"\n\n[outgoing]',
            'login_name = "address"\nold_login_name = "mailbox-id"\n\n[outgoing]',
        ),
    )
    assert "[incoming.new_host] is kept while outgoing.new_host changes" in message
    assert "mailmove cannot guide this migration yet" in message
    assert "Instead" not in message


def test_receiving_that_moves_beside_sending_that_stays_as_it_is_says_so(
    tmp_path: Path,
) -> None:
    # A move of the receiving server alone (POP to a new name, SMTP untouched) was told
    # only "a kept host name needs old_port or old_security to say what changes", as if
    # sending had to change; then that such a migration was not described yet. It is
    # guided now (examples/pop-moves-smtp-unchanged.toml): what is left of a sending change
    # (here the old SMTP server's last day) is refused by its key, with the fix.
    message = refusal(
        tmp_path,
        'new_host = "pop.umineko.example.jp"',
        'new_host = "pop2.umineko.example.jp"',
        also=(
            'ports = [{port = 465, security = "tls"}, {port = 587, security = "starttls"}]',
            'ports = [{port = 587, security = "none"}]',
        ),
    )
    assert ": [schedule.old_smtp_until] is given while sending does not change" in message
    assert "nothing stops on the sending side; leave it out" in message
