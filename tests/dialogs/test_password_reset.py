"""A migration whose subscribers set a new mail password on a page first (`[password]`).

`examples/password-reset.toml`: the mail moves to a new system that cannot take today's
passwords. Before the card the bot sends subscribers to the member page; the card's password
row, every program's guide, the answers to "does my password change?", "I forgot it", a
refused login and the live check's results say the new password, never 「パスワードは変わりま
せん」 / "your usual password". A profile without the table is worded as before.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any, Final

import pytest

from bot.ops.catalogs import Catalogs, placeholders
from bot.ops.profile_loader import load_profile
from bot.ops.profile_preview import preview
from dialogs.mail_programs import MailProgram
from dialogs.profile import (
    APP_PASSWORD_VARIANT,
    NEW_PASSWORD_VARIANT,
    POSTED_PASSWORD_VARIANT,
    MigrationProfile,
    PasswordKind,
    ProfileError,
    parse_profile,
)
from dialogs.questionnaire import Stage
from dialogs.vocabulary import (
    Locale,
    SettingsReply,
    SystemEvent,
    TextReply,
    reply_as_plain_text,
)
from tests.dialogs.driver import Driver

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "password-reset.toml"
RESET: Final = load_profile(EXAMPLE)
URL: Final = "https://member.hikari-mail.example.jp/mail/password"
PAGE: Final = {
    "ja": "会員ページの「メールパスワードの設定」",
    "en": "“Mail password” on the member page",
}
ADDRESS: Final = "taro@hikari-mail.example.jp"
IN_WINDOW: Final = dt.date(2027, 5, 20)
LOCALES: Final[tuple[Locale, ...]] = ("ja", "en")
# What the notice's words say of the password, which must not be said here.
STAYS: Final = {
    "ja": re.compile(
        r"パスワード(?:は|も)?(?:変わりません|変わっていません|変更ありません|変更なし)"
        # Not 「今までのパスワードは、新しいサーバーでは使えません」: why a new one is needed.
        r"|今まで(?:と同じ|の)(?:メールの)?パスワード(?!は、?新しいサーバーでは使えません)"
        r"|今のパスワードのまま|パスワードは今までと同じ"
    ),
    "en": re.compile(
        r"password (?:does not change|stays the same|has not changed)|usual (?:mail )?password"
        r"|same (?:password )?as before|keep your current password|Password: no change"
        r"|(?:Password|password\"?) does not change"
    ),
}


def stays(locale: Locale, text: str) -> bool:
    """Whether `text` says the password stays (an app password's "not your usual one" aside)."""
    for beside in (
        "not your usual password",
        "not take your usual password",
        "keeps your usual password",
        "forgotten your usual password",
    ):
        text = text.replace(beside, "")
    return STAYS[locale].search(text) is not None


@pytest.fixture(scope="module")
def worded(catalogs: Catalogs) -> Catalogs:
    """The catalogs as `mailmove serve` words this profile."""
    return catalogs.with_variants(RESET.text_variants)


def data() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text("utf-8"))


def delivered(
    worded: Catalogs, locale: Locale, program: MailProgram = MailProgram.THUNDERBIRD
) -> Driver:
    driver = Driver(RESET, worded, today=IN_WINDOW)
    driver.start(locale)
    driver.press("yes")
    driver.type(ADDRESS)
    driver.press(f"program:{program.value}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED, driver.said()
    return driver


# --- the profile ---------------------------------------------------------------------------


def test_the_example_sends_subscribers_to_the_page() -> None:
    reset = RESET.password_reset
    assert reset is not None
    assert (reset.url, reset.page_ja, reset.page_en) == (URL, PAGE["ja"], PAGE["en"])
    assert RESET.text_variants == (NEW_PASSWORD_VARIANT,)


def test_a_profile_without_the_table_keeps_the_password_and_its_words(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    assert profile.password_reset is None
    assert profile.text_variants == ()
    assert catalogs.with_variants(profile.text_variants) is catalogs


@pytest.mark.parametrize(
    ("table", "key", "problem"),
    [
        ({"reset_url": "http://member.example.jp/", "reset_page": PAGE}, "reset_url", "https://"),
        ({"reset_url": "member.example.jp/pw", "reset_page": PAGE}, "reset_url", "https://"),
        ({"reset_url": URL}, "reset_page", "is missing"),
        ({"reset_page": PAGE}, "reset_url", "is missing"),
        ({"reset_url": URL, "reset_page": {"ja": "会員ページ"}}, "reset_page.en", "is missing"),
        ({"reset_url": URL, "reset_page": PAGE, "url": URL}, "url", "not a known key"),
        ({"reset_url": URL, "reset_page": PAGE, "kind": "otp"}, "kind", "not one of new, app"),
    ],
)
def test_a_mistake_names_the_file_and_the_key(
    table: dict[str, object], key: str, problem: str
) -> None:
    parsed = data()
    parsed["password"] = table
    with pytest.raises(ProfileError) as raised:
        parse_profile(parsed, "reset.toml")
    assert raised.value.key == f"password.{key}"
    assert problem in raised.value.problem


# --- the catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [NEW_PASSWORD_VARIANT, APP_PASSWORD_VARIANT])
def test_every_twin_has_its_text_in_both_languages(catalogs: Catalogs, variant: str) -> None:
    suffix = f".{variant}"
    twins = {key for key in catalogs.keys("ja") if key.endswith(suffix)}
    assert len(twins) >= 30
    assert twins == {key for key in catalogs.keys("en") if key.endswith(suffix)}
    allowed = {"password_page", "password_url"}
    for twin in twins:
        base = twin.removesuffix(suffix)
        for locale in LOCALES:
            # A twin stands in for a text that exists, and asks for nothing it cannot be given.
            assert placeholders(catalogs.raw(locale, twin)) <= (
                placeholders(catalogs.raw(locale, base)) | allowed
            ), (locale, twin)
            assert not stays(locale, catalogs.raw(locale, twin)), (locale, twin)
        assert placeholders(catalogs.raw("ja", twin)) == placeholders(catalogs.raw("en", twin))


# --- the conversation ----------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", list(MailProgram))
def test_the_settings_start_with_the_page_and_never_keep_the_password(
    worded: Catalogs, locale: Locale, program: MailProgram
) -> None:
    driver = delivered(worded, locale, program)
    said = driver.said()

    first = {"ja": "まず会員ページの「メールパスワードの設定」", "en": "first set a new mail"}
    assert first[locale] in said
    assert URL in said
    # The page comes before the card, where the password row says the new one.
    card_at = said.index(driver.settings()["pop_server"])
    assert said.index(URL) < card_at
    assert PAGE[locale] in driver.settings()["password"]
    assert not STAYS[locale].search(said), STAYS[locale].search(said)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_password_row_is_marked_changed(worded: Catalogs, locale: Locale) -> None:
    driver = delivered(worded, locale)
    (reply,) = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
    rows = {item.key: item for item in reply.items}
    assert rows["password"].changed


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "asked",
    ["topic:password", "topic:forgotten_password", "パスワードは変わりますか", "password?"],
)
def test_questions_about_the_password_name_the_page(
    worded: Catalogs, locale: Locale, asked: str
) -> None:
    driver = Driver(RESET, worded, today=IN_WINDOW)
    driver.start(locale)
    if asked.startswith("topic:"):
        driver.press(asked)
    else:
        driver.type(asked)

    said = driver.said()
    assert URL in said
    assert not STAYS[locale].search(said)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_refused_login_and_the_check_say_the_new_password(
    worded: Catalogs, locale: Locale
) -> None:
    driver = delivered(worded, locale)
    start = len(driver.all_replies())
    driver.type({"ja": "パスワードが違うと言われます", "en": "my password is wrong"}[locale])
    refused = (("pop", "auth_failed"), ("smtp", "auth_failed"))
    driver._run(event=SystemEvent("check_result", refused))

    said = "\n".join(r.text for r in driver.all_replies()[start:] if isinstance(r, TextReply))
    assert PAGE[locale] in said
    assert not STAYS[locale].search(said)


@pytest.mark.parametrize("locale", LOCALES)
def test_without_the_table_the_password_still_stays(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("topic:password")
    assert STAYS[locale].search(driver.said())


def test_profile_check_names_the_page_before_the_settings(worded: Catalogs) -> None:
    lines = preview(RESET, worded, "ja", "password-reset.toml")

    assert f"new password first: {URL} ({PAGE['en']})" in lines
    before = lines.index(
        "-- before the settings", lines.index("== 2027-05-10 (Mon): the window's first day")
    )
    assert URL in lines[before + 1]


# --- an app password ([password] kind = "app") --------------------------------------------

APP: Final = parse_profile(
    {**data(), "password": {**data()["password"], "kind": "app"}}, "app-password.toml"
)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "program", [MailProgram.THUNDERBIRD, MailProgram.IOS_MAIL, MailProgram.OUTLOOK_NEW]
)
def test_an_app_password_is_asked_for_everywhere_a_password_is(
    catalogs: Catalogs, locale: Locale, program: MailProgram
) -> None:
    assert APP.password_reset is not None
    assert APP.password_reset.kind is PasswordKind.APP
    assert APP.text_variants == (APP_PASSWORD_VARIANT,)
    app = catalogs.with_variants(APP.text_variants)
    driver = Driver(APP, app, today=IN_WINDOW)
    driver.start(locale)
    driver.press("yes")
    driver.type(ADDRESS)
    driver.press(f"program:{program.value}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    driver._run(event=SystemEvent("check_result", (("pop", "auth_failed"),)))
    driver.press("topic:password")

    said = "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())
    word = {"ja": "アプリパスワード", "en": "app password"}[locale]
    assert said.count(word) >= 4
    assert URL in said
    assert word in driver.settings()["password"]
    assert not stays(locale, said)
    # The terminal's check asks for it, and so does the check page's label.
    for key in ("check.intro_terminal", "check_page.password_label"):
        assert word in app.fill(locale, key, {}).lower()


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", "で発行したアプリパスワード（いつものパスワードではありません）で認証します"),
        ("en", "and the app password issued on"),
    ],
)
def test_smtp_auth_explained_names_the_app_password(
    catalogs: Catalogs, locale: Locale, words: str
) -> None:
    # 「アカウント（…）とパスワードで認証します」 sent the subscriber to type the usual
    # password in the SMTP AUTH box, where the mail program needs the app password (provider4,
    # examples/hosted-imap-app-password.toml).
    driver = Driver(APP, catalogs.with_variants(APP.text_variants), today=IN_WINDOW)
    driver.start(locale)
    driver.press("topic:smtp_auth")
    assert words in driver.said()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "variant", [NEW_PASSWORD_VARIANT, APP_PASSWORD_VARIANT, POSTED_PASSWORD_VARIANT]
)
def test_every_text_that_keeps_the_password_has_a_twin(
    catalogs: Catalogs, locale: Locale, variant: str
) -> None:
    # A text added later that says the password stays must get its twin too, or a
    # [password] profile would say it.
    twins = (
        f".{NEW_PASSWORD_VARIANT}",
        f".{APP_PASSWORD_VARIANT}",
        f".{POSTED_PASSWORD_VARIANT}",
    )
    missing = [
        key
        for key in catalogs.keys(locale)
        if not key.endswith(twins)
        and stays(locale, catalogs.raw(locale, key))
        and f"{key}.{variant}" not in catalogs.keys(locale)
    ]
    assert missing == []


@pytest.mark.parametrize("variant", [NEW_PASSWORD_VARIANT, APP_PASSWORD_VARIANT])
@pytest.mark.parametrize("base", ["problem.login_failed", "problem.login_failed.any"])
@pytest.mark.parametrize("locale", LOCALES)
def test_a_refused_login_names_the_pages_password_once(
    catalogs: Catalogs, variant: str, base: str, locale: Locale
) -> None:
    # It ended by repeating the sentence it began with (「…で発行したアプリパスワードを入力
    # してください」 after 「…で発行したアプリパスワードでログインします」).
    text = catalogs.raw(locale, f"{base}.{variant}")
    named = {
        ("ja", NEW_PASSWORD_VARIANT): "で設定した新しいパスワード",
        ("ja", APP_PASSWORD_VARIANT): "で発行したアプリパスワード",
        ("en", NEW_PASSWORD_VARIANT): "the new password you set on",
        ("en", APP_PASSWORD_VARIANT): "the app password issued on",
    }[locale, variant]
    assert text.count(named) == 1, text
