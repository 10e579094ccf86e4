"""The loader checks a server's CA file at start-up and hands the check an absolute path."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from bot.ops.profile_loader import load_profile
from dialogs.profile import ProfileError

SEED = Path(__file__).resolve().parents[3] / "bot" / "ops" / "default_profile.toml"
CHECK_AFTER: str = 'old_login_name = "local-part"'


def profile_with_ca(folder: Path, ca_file: str) -> Path:
    text = SEED.read_text("utf-8")
    assert CHECK_AFTER in text
    text = text.replace(CHECK_AFTER, f'{CHECK_AFTER}\n[incoming.check]\nca_file = "{ca_file}"', 1)
    path = folder / "profile.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_ca_file_relative_to_the_profile_comes_back_absolute(tmp_path: Path) -> None:
    (tmp_path / "ca").mkdir()
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "ca" / "internal.pem"))

    profile = load_profile(profile_with_ca(tmp_path, "ca/internal.pem"))

    assert profile.incoming.check.ca_file == str(tmp_path.resolve() / "ca" / "internal.pem")
    assert profile.outgoing.check.ca_file is None


def test_a_missing_ca_file_stops_start_up_by_name(tmp_path: Path) -> None:
    path = profile_with_ca(tmp_path, "nope.pem")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.source == str(path)
    assert caught.value.key == "incoming.check.ca_file"
    assert "does not exist" in caught.value.problem


@pytest.mark.parametrize(
    "content", ["", "not a certificate\n", "-----BEGIN CERTIFICATE-----\nxx\n"]
)
def test_a_ca_file_without_pem_certificates_stops_start_up(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.pem").write_text(content, "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(profile_with_ca(tmp_path, "bad.pem"))
    assert caught.value.key == "incoming.check.ca_file"
    assert "no PEM certificate" in caught.value.problem


def test_a_ca_file_that_is_a_folder_is_named_a_folder(tmp_path: Path) -> None:
    # The operator gave the CA's folder: "does not exist" would send them looking for it.
    (tmp_path / "ca").mkdir()
    with pytest.raises(ProfileError) as caught:
        load_profile(profile_with_ca(tmp_path, "ca"))
    assert caught.value.key == "incoming.check.ca_file"
    assert "is a folder, not a PEM file" in caught.value.problem
