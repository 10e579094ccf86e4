"""Certificate warnings, pasted or described: the names and encryption to check, never "accept".

A certificate a mail program will not trust means a server name the certificate does not
carry (an old name, the address's domain typed as a server) or SSL switched on where the
profile has none. The answer names the profile's own hosts, ports and encryption, so another
provider's subscribers get theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.problems import Problem, recognise_problem
from dialogs.understanding import normalise
from dialogs.vocabulary import Locale, VerdictReply
from tests.dialogs.driver import Driver

SAKURA = load_profile(Path(__file__).with_name("sakura_net.toml"))

WARNINGS = [
    "証明書が無効です",
    "サーバの識別情報を検証できません",
    "「vpop.117.ne.jp」の識別情報を検証できません",
    "セキュリティ例外の追加",
    "サーバーのセキュリティ証明書を検証できません",
    "このサーバーのセキュリティ証明書は信頼されていません",
    "使用しているサーバーのセキュリティ証明書を検証できません。対象のプリンシパル名が間違っています。",
    "証明書のエラーが出ます",
    "サーバーの証明書が無効です",
    "Cannot Verify Server Identity",
    "The identity of “vpop.117.ne.jp” cannot be verified by Mail.",
    "Add Security Exception",
    "The server you are connected to is using a security certificate that cannot be verified.",
    "The target principal name is incorrect.",
    "Certificate not valid",
    "I get a certificate error",
    "「vpop.117.ne.jp」のIDを検証できません",
    "セキュリティ警告が出ます",
    "Internet Security Warning",
    "SSLのエラーが出ます",
    "ssl接続できません",
    "Unrecognized Certificate",
    "証明書を認識できません",
    "不明な証明書です",
    "Untrusted server certificate",
]


@pytest.mark.parametrize("typed", WARNINGS)
def test_each_certificate_warning_is_read_as_one(typed: str) -> None:
    assert recognise_problem(normalise(typed)) is Problem.CERTIFICATE


@pytest.mark.parametrize("typed", ["証明書って何ですか", "メールが送れない", "certificate"])
def test_other_words_are_not(typed: str) -> None:
    assert recognise_problem(normalise(typed)) is not Problem.CERTIFICATE


@pytest.mark.parametrize(
    ("locale", "typed", "encryption", "check_names"),
    [
        ("ja", "このサーバーのセキュリティ証明書は信頼されていません", "暗号化：なし", "一字ずつ"),
        ("en", "Cannot Verify Server Identity", "encryption: None", "letter by letter"),
    ],
)
def test_a_warning_at_the_first_question_gets_the_profiles_names_not_a_no(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    typed: str,
    encryption: str,
    check_names: str,
) -> None:
    # 「…信頼されていません」 was read as "no" at the first question: nothing to change.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    said = driver.said()
    assert not any(isinstance(r, VerdictReply) for r in driver.last.replies)
    assert "vpop.117.ne.jp" in said
    assert "vsmtp.117.ne.jp" in said
    assert encryption in said
    assert check_names in said
    # Whoever sees a mail program's warning uses one: the next question is asked.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_another_providers_warning_names_its_own_servers(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(SAKURA, catalogs, today=SAKURA.schedule.window_start)
    driver.start(locale)
    driver.type("証明書が無効です")
    said = driver.said()
    assert "imap.mail.sakura-net.example" in said
    assert "smtp.mail.sakura-net.example" in said
    assert "993" in said
    assert "465" in said
    assert "SSL/TLS" in said
    assert "117" not in said
