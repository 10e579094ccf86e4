from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.ops.profile_loader import load_profile
from dialogs.profile import ProfileError, Security

SEED = Path(__file__).resolve().parents[3] / "bot" / "ops" / "default_profile.toml"


def test_the_default_profile_carries_the_seeds_facts() -> None:
    profile = load_profile()
    assert profile.affected_domains == ("vp.117.ne.jp",)
    assert (profile.incoming.old_host, profile.incoming.new_host) == (
        "vp.117.ne.jp",
        "vpop.117.ne.jp",
    )
    assert profile.outgoing.old_hosts == ("vs.117.ne.jp",)
    assert profile.outgoing.new_host == "vsmtp.117.ne.jp"
    assert (profile.outgoing.old_port, profile.outgoing.port) == (25, 587)
    assert profile.schedule.window_start == dt.date(2008, 5, 21)
    assert profile.schedule.window_end == dt.date(2008, 6, 20)
    assert profile.schedule.old_pop_until == profile.schedule.old_smtp_until == dt.date(2008, 6, 20)
    assert profile.pop_before_smtp_kept
    assert profile.op25b_planned
    assert profile.incoming.security is Security.NONE
    assert not profile.allow_plaintext_login


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("port = 587", "port = 70000", "outgoing.port", "port number"),
        ("port = 587", 'port = "587"', "outgoing.port", "port number"),
        (
            'new_host = "vpop.117.ne.jp"',
            'new_host = "not a host"',
            "incoming.new_host",
            "host name",
        ),
        ('security = "none"', 'security = "ssl3"', "incoming.security", "not one of"),
        ("window_end = 2008-06-20", "window_end = 2008-05-01", "schedule.window_end", "before"),
        ("window_end = 2008-06-20", 'window_end = "June"', "schedule.window_end", "date"),
        ('timezone = "Asia/Tokyo"', 'timezone = "Mars/Olympus"', "provider.timezone", "time zone"),
        (
            'affected_domains = ["vp.117.ne.jp"]',
            "affected_domains = []",
            "provider.affected_domains",
            "non-empty",
        ),
        ("pop_before_smtp_kept = true", "", "policy.pop_before_smtp_kept", "missing"),
    ],
)
def test_an_invalid_profile_names_the_file_the_key_and_the_problem(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    text = SEED.read_text("utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"[{key}]" in message
    assert problem in message


def test_a_file_that_is_not_toml_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("[provider\nname = ", "utf-8")
    with pytest.raises(ProfileError, match=r"x\.toml.*not valid TOML"):
        load_profile(path)


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"nope\.toml.*cannot be read"):
        load_profile(tmp_path / "nope.toml")


def test_a_profile_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    # Windows editors (Notepad) save UTF-8 with a BOM; TOML does not allow one.
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    assert load_profile(path).provider_name == "117net"


def test_a_profile_saved_as_shift_jis_is_told_to_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sjis.toml"
    path.write_bytes(SEED.read_text("utf-8").encode("shift_jis", "replace"))
    with pytest.raises(ProfileError, match=r"sjis\.toml: is not UTF-8 text \(save it as UTF-8"):
        load_profile(path)
