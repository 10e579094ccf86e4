"""A password written beside the subscriber's own account name, with no word naming either.

「taro:Kq7xyz99」「taro / Kq7xyz99」 were kept as typed: with no password word and no address,
nothing said the token after 「taro」 was a password. Once the dialog knows the subscriber's
address, its part before the @ is their login, and a password-like token right after it is
masked; every other 'name: word' (「10:30」, 'vpop.117.ne.jp:995', 'taro: hello') stays.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.ops.catalogs import Catalogs
from dialogs import redaction
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import login_domains, redact_typed
from dialogs.redaction import gives_a_password, names_a_password, own_accounts, redact
from dialogs.state import DialogState
from tests.dialogs.driver import Driver

ADDRESS = "taro@vp.117.ne.jp"
ACCOUNTS = own_accounts(ADDRESS)

PAIRS = [
    "taro:Kq7xyz99",
    "taro / Kq7xyz99",
    "taro Kq7xyz99",
    "taro, sakura2008",
    "TARO：Ｋｑ７ｘｙｚ９９",
    "taro:Kq7xyz99 で合っていますか",
    "ログインは taro / Kq7xyz99 です",
    "taro@vp.117.ne.jp Kq7xyz99",
    "taro@vp.117.ne.jp:Kq7xyz99",
    # Joined by more than a slash, a comma, a colon or a space (each kept as typed).
    "taro - Kq7xyz99",
    "taro → Kq7xyz99",
    "taro; Kq7xyz99",
    "taro | Kq7xyz99",
    "taro「Kq7xyz99」",
    "taroとKq7xyz99",
    "taro と Kq7xyz99 で入れています",
    "私はtaro:Kq7xyz99です",
    "taro@vp.117.ne.jp - Kq7xyz99",
    "taro@vp.117.ne.jp | Kq7xyz99",
    "taro@vp.117.ne.jp→Kq7xyz99",
    "taro@vp.117.ne.jp; Kq7xyz99",
    "taro@vp.117.ne.jp「Kq7xyz99」",
    "taro@vp.117.ne.jp と Kq7xyz99",
    # The name quoted, and the at-mark between spaces as some phones type it.
    "「taro」「Kq7xyz99」",
    '"taro" Kq7xyz99',
    "taro ＠ vp.117.ne.jp Kq7xyz99",
]

KEPT = [
    "taro: hello",
    "taro 10:30",
    "taro:10:30am",
    "taro: vpop.117.ne.jp:995",
    "vpop.117.ne.jp:995",
    "taro: 0x800CCC0F",
    "taro: 800CCC0F",
    "taro: 1920x1080",
    "taro 2:1",
    "taro: https://www.117.ne.jp/support/a1",
    "taro, Outlook2016",
    "taro / taro@vp.117.ne.jp",
    # Someone else's account, and a name that only begins with the subscriber's.
    "jiro:Kq7xyz99",
    "taro.yamada:Kq7xyz99",
    "taroko Kq7xyz99",
    "taro-Kq7xyz99",
    "taro_1:Kq7xyz99",
    "taro@vp.117.ne.jp と Outlook2016",
    "taro@vp.117.ne.jp と vpop.117.ne.jp:995",
    "taro@vp.117.ne.jp - 10:30am",
    "taro@vp.117.ne.jp; 800CCC0E",
    "taro」 hello",
    "meet @ 10am abc123",
]


def test_the_accounts_are_the_address_and_its_local_part() -> None:
    assert own_accounts(ADDRESS) == (ADDRESS, "taro")
    assert own_accounts(None) == ()
    assert own_accounts("taro") == ()
    # A local part too short to be told from a word is no account.
    assert own_accounts("jo@vp.117.ne.jp") == ("jo@vp.117.ne.jp",)


@pytest.mark.parametrize("text", PAIRS)
def test_the_password_beside_the_own_account_is_masked(text: str) -> None:
    masked, found = redact(text, accounts=ACCOUNTS)
    assert found
    assert "Kq7xyz99" not in masked
    assert "Ｋｑ７ｘｙｚ９９" not in masked
    assert "sakura2008" not in masked
    assert "taro" in masked.lower()


@pytest.mark.parametrize("text", KEPT)
def test_other_words_beside_the_account_are_kept(text: str) -> None:
    assert redact(text, accounts=ACCOUNTS) == (text, False)


@pytest.mark.parametrize("text", ["taro:Kq7xyz99", "taro / Kq7xyz99"])
def test_an_agents_password_beside_the_account_is_a_password_given(text: str) -> None:
    assert gives_a_password(text, accounts=ACCOUNTS)
    assert not gives_a_password(text)


@pytest.mark.parametrize("text", ["taro: 10:30 にお電話ください", "taro: vpop.117.ne.jp:995"])
def test_an_agents_time_or_host_beside_the_account_is_not(text: str) -> None:
    assert not gives_a_password(text, accounts=ACCOUNTS)


def test_the_turn_reads_it_as_a_password_and_says_what_to_store(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(
        profile, catalogs, state=DialogState(stage=Stage.Q1_MAIL_PROGRAM, address=ADDRESS)
    )
    result = driver.type("taro / Kq7xyz99")
    assert result.said == ("taro / Kq7xyz99", "taro / ********")
    assert "パスワード" in driver.said()


def test_the_turn_reads_the_words_for_a_password_once(
    profile: MigrationProfile, catalogs: Catalogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reading and the transcript each ran the patterns: 「パスワード 」 × 400 cost two
    # passes (three past the part read). The step now reads once and hands the result on.
    calls: list[str] = []
    inner = redaction._password_spans

    def counted(text: str, **options: Any) -> list[tuple[int, int]]:
        calls.append(text)
        return inner(text, **options)

    monkeypatch.setattr(redaction, "_password_spans", counted)
    driver = Driver(profile, catalogs, state=DialogState(stage=Stage.Q1_MAIL_PROGRAM))
    text = "パスワード " * 400
    result = driver.type(text)
    assert calls == [text]
    assert result.said is not None
    assert result.said[0] == text


def test_what_the_turn_stores_is_what_the_transcript_would(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # After 「パスワードは」, and at the address question: as the transcript masks them.
    for before, text in [
        (DialogState(stage=Stage.Q1_MAIL_PROGRAM, password_named=True), "sakura2008"),
        (DialogState(stage=Stage.ASK_ADDRESS), "Zq9xK2pw77"),
        (DialogState(stage=Stage.Q1_MAIL_PROGRAM, address=ADDRESS), "taro:Kq7xyz99"),
    ]:
        driver = Driver(profile, catalogs, state=before)
        result = driver.type(text)
        assert result.said == (text, redact_typed(text, before)[0])
        assert "********" in result.said[1]


def test_a_button_reads_no_words(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs, state=DialogState(stage=Stage.Q1_MAIL_PROGRAM))
    assert driver.press("yes").said is None


@pytest.mark.parametrize(
    "text",
    [
        "taro@vp.117.ne.jp です。taro / Kq7xyz99 で設定しています",
        "アドレス taro@vp.117.ne.jp、ログインは taro:Kq7xyz99",
        "ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ です。ｔａｒｏ／Ｋｑ７ｘｙｚ９９",
        "jiro ＠ vp.117.ne.jp です。jiro / Kq7xyz99",
    ],
)
def test_an_address_of_the_profile_in_the_message_names_the_account(
    text: str, profile: MigrationProfile
) -> None:
    # Before the dialog knew the address: the message gives it, then the login.
    masked, found = redact_typed(text, DialogState(), login_domains(profile))
    assert found
    assert "Kq7xyz99" not in masked
    assert "Ｋｑ７ｘｙｚ９９" not in masked
    assert gives_a_password(text, domains=login_domains(profile))


@pytest.mark.parametrize(
    "text",
    [
        # Another company's address names no login of ours.
        "hanako@gmail.com です。hanako / Kq7xyz99 は gmail のです",
        "taro@vp.117.ne.jp です。taro: 10:30 に電話ください",
        "taro@vp.117.ne.jp です。taro, Outlook2016 です",
    ],
)
def test_other_words_beside_the_account_of_the_message_are_kept(
    text: str, profile: MigrationProfile
) -> None:
    assert redact_typed(text, DialogState(), login_domains(profile)) == (text, False)


def test_a_paste_of_many_addresses_makes_no_pattern_of_as_many_names(
    profile: MigrationProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each message's names are compiled into a pattern (cached): a hundred addresses pasted
    # made one of a hundred and one names, compiled anew for each such message.
    inner = redaction._after_own_account
    sizes: list[int] = []

    def recorded(accounts: tuple[str, ...]) -> object:
        sizes.append(len(accounts))
        return inner(accounts)

    monkeypatch.setattr(redaction, "_after_own_account", recorded)
    pasted = " ".join(f"user{number:03d}@vp.117.ne.jp" for number in range(100))
    text = f"{pasted} です。user000 / Kq7xyz99"
    masked, found = redact(text, accounts=ACCOUNTS, domains=login_domains(profile))
    assert found
    assert masked.endswith("user000 / ********")
    assert sizes == [len(ACCOUNTS) + 8]


@pytest.mark.parametrize("text", ["taro /", "taro:", "TARO ／", "ユーザー名 taro@vp.117.ne.jp ->"])
def test_the_account_and_a_joiner_ending_the_message_name_a_password(text: str) -> None:
    assert names_a_password(text, accounts=ACCOUNTS)
    assert not names_a_password(text)


@pytest.mark.parametrize(
    "text", ["taro", "私の名前はtaro、", "taro / hello", "jiro:", "taro.yamada:"]
)
def test_the_account_alone_names_none(text: str) -> None:
    assert not names_a_password(text, accounts=ACCOUNTS)


def test_the_step_keeps_the_typed_password_out_of_its_repr(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The step hands the typed words on beside their masked form for the transcript; a log
    # line or a traceback that shows the result must not show the password as typed.
    driver = Driver(profile, catalogs)
    driver.start()
    result = driver.type("パスワードは Kq7xyz99! です")
    assert result.said is not None
    assert "Kq7xyz99" not in repr(result)
