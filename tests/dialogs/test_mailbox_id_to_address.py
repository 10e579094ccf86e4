"""examples/mailbox-id-to-address.toml, written from its own notice as another ISP's engineer.

Kawasemi Net moves to new servers (POP3 995 and SMTP 465, both implicit TLS, new names);
the login, a mailbox id of its own today (`old_login_name = "mailbox-id"`), becomes the
whole address; the new password is sent by e-mail to the contact address in the member
information (`[password] kind = "email"`). Neither could be said before: a login that was
not the part before @ (every text would have said 「@より前だけではなく」), a password sent
by e-mail (the letter's texts say 「郵送でお届けした」 / "by post", "printed in"). Walked
by button and typed words and through every topic, typed problem, program, card, guide and
check result on three dates in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.mail_programs import MailProgram
from dialogs.profile import LoginName, PasswordKind, ProfileError, parse_profile
from dialogs.vocabulary import Locale, Receiving, Sending, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.test_password_reset import stays
from tests.dialogs.walker import found, verdict_after, where, worded

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "mailbox-id-to-address.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@kawasemi.example.jp"
# Before the window, inside it, after the old SMTP server and the old POP server.
DAYS: Final = ("2027-08-20", "2027-09-10", "2027-11-01")
MESSAGE: Final = {
    "ja": "「メールアカウント移行のお知らせ」",
    "en": "“Your mail account is moving”",
}
# The part before @ as today's login, the post, a page, a password that stays, the seed.
ABSENT: Final = re.compile(
    r"@より前だけ|@より前の部分|not just the part before|郵送|by post|printed in|\bletter\b"
    r"|https://|で設定した|you set on|" + walker.SEED
)
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
}


def test_the_profile_says_what_its_notice_says() -> None:
    reset = PROFILE.password_reset
    assert reset is not None
    assert (reset.kind, reset.url) == (PasswordKind.EMAIL, "")
    assert PROFILE.text_variants == ("posted_password", "emailed_password")
    for server in (PROFILE.incoming, PROFILE.outgoing):
        assert (server.old_login_name, server.login_name) == (
            LoginName.MAILBOX_ID,
            LoginName.ADDRESS,
        )
    assert not PROFILE.incoming.host_kept
    assert not PROFILE.outgoing.host_kept


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_ends_where_the_profile_says(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    for answers, sides in PATHS.items():
        for typed in (False, True):
            today = dt.date.fromisoformat(day)
            verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
            assert (verdict.receiving, verdict.sending) == sides, answers
            assert not found(ABSENT, [verdict.text]), verdict.text


def card_with_the_message(locale: Locale) -> walker.OnCard:
    def check(driver: Driver, program: MailProgram) -> None:
        cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
        rows = {item.key: item for item in cards[-1].items}
        assert rows["username"].value == ADDRESS, program
        assert rows["username"].changed, program
        assert rows["password"].changed, program
        assert MESSAGE[locale] in rows["password"].value, program

    return check


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_the_part_before_at_the_post_or_that_the_password_stays(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walker.walk(
        PROFILE,
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        on_card=card_with_the_message(locale),
    )
    leaks = found(ABSENT, heard)
    assert not leaks, where(leaks[0], heard)
    assert not [text for text in heard if stays(locale, text)]
    # Every program's guide names the e-mail where it asks for the password.
    assert all(MESSAGE[locale] in text for text in heard[1:])


@pytest.mark.parametrize(
    ("locale", "key", "words"),
    [
        ("ja", "check_page.password_label", "メールでお送りした新しいもの"),
        ("en", "check_page.password_label", "the new one we sent by e-mail"),
        ("ja", "check.intro_terminal", "メールでお送りした新しいパスワード"),
        ("en", "check.intro_terminal", "the new password we sent you by e-mail"),
        ("ja", "topic.forgotten_password.answer", "迷惑メールのフォルダー"),
        ("en", "topic.forgotten_password.answer", "spam or junk folder"),
    ],
)
def test_the_check_and_a_forgotten_password_name_the_e_mail(
    catalogs: Catalogs, locale: Locale, key: str, words: str
) -> None:
    # They said 「郵送でお届けした新しいもの」 / "the new one we sent by post" (kind = "post").
    assert words in worded(catalogs, PROFILE).raw(locale, key)


REFUSED: Final = [
    # The e-mail's keys belong to kind = "email", the letter's to "post".
    ('kind = "email"\nletter = {ja = "a", en = "b"}', "password.letter"),
    ('kind = "post"\nmessage = {ja = "a", en = "b"}', "password.message"),
    ('kind = "email"', "password.message"),
    ('kind = "email"\nmessage = {ja = "a"}', "password.message.en"),
    (
        'kind = "email"\nmessage = {ja = "a", en = "b"}\nreset_url = "https://x.example.jp/"',
        "password.reset_url",
    ),
]


@pytest.mark.parametrize(("table", "key"), REFUSED)
def test_an_emailed_password_table_is_checked_by_key(table: str, key: str) -> None:
    text = PATH.read_text("utf-8")
    start = text.index("\n[password]\n")
    end = text.index("\n[support]\n")
    changed = text[:start] + "\n[password]\n" + table + "\n" + text[end:]
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(changed), "email.toml")
    assert f"[{key}]" in str(refused.value), str(refused.value)


def test_a_mailbox_id_is_only_todays_login() -> None:
    # The bot shows the login it asks for; it knows the address, not an id.
    text = PATH.read_text("utf-8").replace(
        'login_name = "address"\n# Today', 'login_name = "mailbox-id"\n# Today', 1
    )
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text), "id.toml")
    assert str(refused.value).startswith("id.toml: [incoming.login_name] "), str(refused.value)
