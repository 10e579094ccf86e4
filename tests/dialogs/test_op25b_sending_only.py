"""examples/op25b-sending-only.toml: a migration that changes only sending.

Hotaru-net introduces Outbound Port 25 Blocking: its subscribers send on port 25 without a
login today and on 587 with SMTP AUTH (STARTTLS) from the window on, on the same host name;
receiving (POP3 on 995, the whole address as the login) does not change at all. Its whole
questionnaire is walked by button and by typed words on five dates in both languages; every
topic, typed problem, program and check result is heard, and nothing of the seed's provider
is said, nor any change to receiving: no receiving row on the card, no receiving step in a
guide, no "receive once more", no new account, nothing to collect from an old server.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.mailcheck.target import CheckTarget
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.vocabulary import (
    FileReply,
    Locale,
    Receiving,
    Sending,
    SettingsReply,
    SystemEvent,
)
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.test_other_provider import OUTCOMES, TYPED
from tests.dialogs.walker import OnCard, said_all, verdict_after

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "op25b-sending-only.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@hotaru.example.ne.jp"
# Before the window, its first and last days (the last day of port 25), after it.
DAYS: Final = ("2027-05-01", "2027-05-10", "2027-05-31", "2027-06-01", "2027-07-15")
# The seed's provider, servers and dates.
SEED: Final = re.compile(walker.SEED)
# Whatever would have receiving change: its server or settings changing, an account added,
# receiving "once more" after the change, mail left on an old server, the old POP server's
# day, a configuration file that adds a second account.
RECEIVING_CHANGES: Final = {
    "ja": re.compile(
        r"受信(?:（[A-Z0-9]+）)?サーバー(?:名)?(?:を|の設定を|が)[^。]*(?:変え|変更|書き換え)"
        r"|受信の設定(?:の変更が必要|を変更)|もう一度(?:メールを)?受信|新しいアカウント"
        r"|アカウントを(?:新しく)?追加|従来のサーバーに残って|先に受信|一度受信"
        r"|受信[^。]*(?:使えなくなり|使えなくなる日|まで(?:お)?使え|で使えなくな)"
        r"|受信の設定：変更が必要|受信の[^。]*での接続|変わるのは接続の設定"
        # The receiving server as a card row, a table line, a step or the check's.
        r"|受信（[A-Z0-9]+）(?:サーバー: |の設定：)|受信ポート: |受信の暗号化: |受信サーバー："
        r"|「受信メール サーバー」が|「受信サーバー \(POP3\)」を|受信サーバーにも|受信サーバーpop"
        r"|ポートを995|受信の接続を|受信サーバーの設定を[^。]*にすると|pop\.hotaru\.example\.ne\.jp(?:から|に書き換え|になっている)"
    ),
    "en": re.compile(
        r"(?i)change (?:the |your )?(?:incoming|receiving)|receiving settings: a change"
        r"|receive (?:your mail )?(?:once more|again)|new account|add an account"
        r"|left on the old server|receive (?:it |them )?first|receiving over"
        r"|must change the receiving|Receiving \(POP3\):|Incoming (?:\(POP\) )?server: "
        r"|Incoming (?:port|encryption): |(?-i:\"Incoming mail server\" is)"
        r"|Incoming server \(POP3\)\" to"
        r"|both the incoming|Set the incoming|What changes is the connection"
        r"|Port to 995|receive on port 995|from pop\.hotaru|incoming \(POP3\) pop\.hotaru"
    ),
}
PATHS: Final = {
    ("yes", "yes"): Sending.REQUIRED,
    ("yes", "no"): Sending.NOT_NEEDED,
    ("yes", "unsure"): Sending.REQUIRED,
    ("no",): Sending.NOT_NEEDED,
    ("unsure", "yes"): Sending.REQUIRED,
    ("unsure", "no"): Sending.NOT_NEEDED,
    ("unsure", "unsure"): Sending.REQUIRED,
}
# Another webmail collecting the mail: its receiving settings stay (and a certificate warning).
WEBMAIL: Final = (
    "Gmailで受信しています",
    "Yahooメールで受信しています",
    "I read it in Gmail on my computer",
    "証明書の警告が出ます",
)
# The live check of a sending-only profile logs in to the outgoing server alone.
SENDING_OUTCOMES: Final = tuple({"smtp": o["smtp"], "pop": "not_checked"} for o in OUTCOMES)
NOT_CAUSED: Final = {
    "ja": "今回の変更が原因ではありません",
    "en": "it is not why mail does not arrive",
}
TEST_MAIL: Final = {"ja": "テストのメールを送って", "en": "send a test message to your own address"}


def receiving_changes(locale: Locale, text: str) -> list[str]:
    return [m.group() for m in RECEIVING_CHANGES[locale].finditer(text)]


def test_the_profile_says_what_its_comment_says() -> None:
    incoming, outgoing = PROFILE.incoming, PROFILE.outgoing
    assert incoming.unchanged
    assert (outgoing.old_port, outgoing.port, outgoing.old_authenticated) == (25, 587, False)
    assert outgoing.host_kept
    assert PROFILE.schedule.old_pop_until is None
    assert PROFILE.text_variants == ("sending_only",)
    leaves = PROFILE.questionnaire.flowchart.leaves.values()
    assert {leaf.receiving for leaf in leaves} == {Receiving.NOT_NEEDED}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", [False, True], ids=["buttons", "typed"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_says_receiving_does_not_change(
    catalogs: Catalogs, day: str, typed: bool, locale: Locale
) -> None:
    for answers, sending in PATHS.items():
        today = dt.date.fromisoformat(day)
        verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
        assert (verdict.receiving, verdict.sending) == (Receiving.NOT_NEEDED, sending), answers
        assert not receiving_changes(locale, verdict.text), verdict.text


def card_of_sending_alone(profile: MigrationProfile, locale: Locale) -> OnCard:
    """What every program's card and guide must be where only sending changes."""

    def check(driver: Driver, program: MailProgram) -> None:
        cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
        rows = {item.key: item for item in cards[-1].items}
        # The receiving rows are left out: the card holds what the subscriber changes.
        assert list(rows) == [
            "username",
            "password",
            "smtp_server",
            "smtp_port",
            "smtp_security",
            "smtp_auth",
        ]
        authentication_is_new = not profile.outgoing.old_authenticated
        assert (rows["smtp_port"].changed, rows["smtp_auth"].changed) == (
            True,
            authentication_is_new,
        )
        assert rows["smtp_server"].changed is not profile.outgoing.host_kept
        # The Apple file would add a second account reading the same mailbox.
        assert not [r for r in driver.all_replies() if isinstance(r, FileReply)], program
        # The guide ends with a test mail, never with receiving once more.
        assert TEST_MAIL[locale] in said_all(driver), program

    return check


def walk(
    catalogs: Catalogs, locale: Locale, today: dt.date, profile: MigrationProfile = PROFILE
) -> list[str]:
    """Every topic and typed problem, then every program to its card, guide and checks."""
    return walker.walk(
        profile,
        catalogs,
        locale,
        today,
        ADDRESS,
        menu_words=(*TYPED, *WEBMAIL),
        card_words=(),
        outcomes=SENDING_OUTCOMES,
        on_card=card_of_sending_alone(profile, locale),
    )


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_receiving_changes_nor_anything_of_the_seed(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walk(catalogs, locale, dt.date.fromisoformat(day))
    seed = sorted({m.group() for text in heard for m in SEED.finditer(text)})
    assert not seed, seed
    changes = sorted({found for text in heard for found in receiving_changes(locale, text)})
    assert not changes, [
        t[max(0, t.find(changes[0]) - 160) :][:320] for t in heard if changes[0] in t
    ]


def from_465() -> MigrationProfile:
    """The same provider moving sending from 465 (implicit TLS, with a login) to 587."""
    text = PATH.read_text("utf-8")
    for old, new in (
        ("old_port = 25\n", "old_port = 465\n"),
        ('old_security = "none"\n', 'old_security = "tls"\n'),
        ("old_smtp_auth = false\n", "old_smtp_auth = true\n"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_profile(tomllib.loads(text), "465-to-587.toml")


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", ["2027-05-10", "2027-06-01"])
def test_a_move_from_465_to_587_says_no_receiving_change_and_nothing_of_port_25(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walk(catalogs, locale, dt.date.fromisoformat(day), from_465())
    changes = sorted({found for text in heard for found in receiving_changes(locale, text)})
    assert not changes, changes
    # They send on 465 today: no guide changes the port from 25. (The profile's own leaves,
    # written for port 25, are said in the verdicts and not read here.)
    programs = "\n".join(heard[1:])
    assert "25から" not in programs
    assert "from 25 to" not in programs


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "words", ["メールが受信できません", "I cannot receive mail", "メールが届かない"]
)
def test_a_receiving_problem_is_not_put_down_to_the_migration(
    catalogs: Catalogs, locale: Locale, words: str
) -> None:
    driver = Driver(PROFILE, catalogs, today=dt.date(2027, 5, 20))
    driver.start(locale)
    driver.type(words)
    # "I cannot receive mail" as the first words: in English whatever the platform's (audit11).
    locale = driver.state.locale
    said = said_all(driver)
    assert NOT_CAUSED[locale] in said
    assert ("「担当者」" if locale == "ja" else '"agent"') in said
    assert "pop.hotaru.example.ne.jp" in said


@pytest.mark.parametrize(
    ("locale", "steps", "passed"),
    [
        (
            "ja",
            "メールソフトの送信の設定を変更します",
            "新しい設定で、送信サーバーにログインできます",
        ),
        ("en", "Change the sending settings", "the new settings log in to the outgoing server"),
    ],
)
def test_the_steps_and_the_check_are_about_sending(
    catalogs: Catalogs, locale: Locale, steps: str, passed: str
) -> None:
    driver = Driver(PROFILE, catalogs, today=dt.date(2027, 5, 20))
    driver.start(locale)
    driver.press("topic:steps")
    assert steps in driver.said()
    driver._run(event=SystemEvent("check_result", (("smtp", "ok"), ("pop", "not_checked"))))
    assert passed in said_all(driver)


def test_the_live_check_leaves_receiving_alone() -> None:
    target = CheckTarget.from_profile(PROFILE)
    assert not target.check_incoming
    assert (target.smtp_host, target.smtp_port) == ("smtp.hotaru.example.ne.jp", 587)
    # Any other profile checks both, as before.
    assert CheckTarget.from_profile(load_profile()).check_incoming


# What half-describes a sending-only migration: each refused with its key and what to fix.
HALF_STATES: Final = [
    # A leaf that still says receiving changes.
    (
        'receiving = "not_needed"\nsending = "required"',
        'receiving = "required"\nsending = "required"',
        "questionnaire.leaves.sending_required.receiving",
        'write receiving = "not_needed" in every leaf',
    ),
    # A day for the receiving side, where nothing stops.
    (
        "old_smtp_until = 2027-05-31",
        "old_smtp_until = 2027-05-31\nold_pop_until = 2027-06-30",
        "schedule.old_pop_until",
        "nothing stops on the receiving side",
    ),
    # Mailboxes "copied" where they stay.
    (
        "old_mail_copied = false",
        "old_mail_copied = true",
        "policy.old_mail_copied",
        "the mailbox stays where it is",
    ),
    # A new password changes the receiving login too.
    (
        "[support]\n",
        '[password]\nreset_url = "https://member.hotaru.example.ne.jp/"\n'
        'reset_page = {ja = "会員ページ", en = "the member page"}\n\n[support]\n',
        "password",
        "a new password would change the receiving login too",
    ),
    # So does a new domain.
    (
        'aliases = ["ほたるネット"]',
        'aliases = ["ほたるネット"]\nnew_domain = "hotaru.example.jp"',
        "provider.new_domain",
        "a new address changes the receiving login too",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "problem"), HALF_STATES)
def test_a_half_described_sending_only_migration_is_refused_by_key(
    old: str, new: str, key: str, problem: str
) -> None:
    text = PATH.read_text("utf-8")
    assert old in text, old
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text.replace(old, new, 1)), "op25b.toml")
    message = str(refused.value)
    assert message.startswith(f"op25b.toml: [{key}] "), message
    assert problem in message, message


def moved_outgoing() -> MigrationProfile:
    """The same migration sending through a new host name (submit.…) from the window on."""
    text = PATH.read_text("utf-8")
    old = 'new_host = "smtp.hotaru.example.ne.jp"'
    assert old in text
    text = text.replace(old, 'new_host = "submit.hotaru.example.ne.jp"', 1)
    return parse_profile(tomllib.loads(text), "submit.toml")


# "The server name stays", said of the outgoing server that moves.
NAME_STAYS: Final = {
    "ja": re.compile(
        r"サーバー名は変わりません|smtp\.hotaru\.example\.ne\.jpになっていることを確かめ"
    ),
    "en": re.compile(
        r"(?i)server names? (?:does|do) not change|server names? stays?"
        r"|smtp\.hotaru\.example\.ne\.jp \(it does not change"
    ),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", ["2027-05-20", "2027-06-01"])
def test_an_outgoing_server_that_moves_beside_unchanged_receiving(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    # It was refused ('incoming.new_host is kept while outgoing.new_host changes'); the
    # common OP25B move to a submission host (smtp.x → submit.x on 587) is served.
    profile = moved_outgoing()
    assert profile.incoming.unchanged
    assert not profile.outgoing.host_kept
    heard = walk(catalogs, locale, dt.date.fromisoformat(day), profile)
    changes = sorted({found for text in heard for found in receiving_changes(locale, text)})
    assert not changes, changes
    stays = sorted({m.group() for text in heard for m in NAME_STAYS[locale].finditer(text)})
    assert not stays, stays
    assert all("submit.hotaru.example.ne.jp" in text for text in heard[1:])


def test_receiving_that_changes_a_little_is_not_sending_only() -> None:
    # The receiving login moves to the whole address: receiving changes, so every leaf's
    # receiving = "not_needed" is no longer what the operator wants, and the kept name
    # still needs the connection that stops on the old server's day.
    text = PATH.read_text("utf-8").replace(
        'login_name = "address"\n\n[outgoing]',
        'login_name = "address"\nold_login_name = "local-part"\n\n[outgoing]',
        1,
    )
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text), "login.toml")
    assert "needs old_port or old_security" in str(refused.value)


@pytest.mark.parametrize(
    ("locale", "words", "answer"),
    [
        ("ja", "受信の設定も変えるんですか", "変わるのは送信の設定だけです"),
        ("ja", "POPの設定は変わりますか", "変わるのは送信の設定だけです"),
        ("ja", "受信の設定は変更しないといけないの？", "変わるのは送信の設定だけです"),
        ("en", "Do I need to change my incoming settings?", "Only the sending settings change"),
    ],
)
def test_asked_whether_receiving_changes_it_is_told_it_does_not(
    catalogs: Catalogs, locale: Locale, words: str, answer: str
) -> None:
    # It was 「そのご質問にはうまくお答えできませんでした」 / "I could not answer that".
    driver = Driver(PROFILE, catalogs, today=dt.date(2027, 5, 20))
    driver.start(locale)
    driver.type(words)
    assert answer in driver.said()


@pytest.mark.parametrize(
    ("locale", "block", "spoofing", "stops"),
    [
        (
            "ja",
            "Outbound Port25 Blocking",
            "なりすまし",
            "送信の暗号化しない接続（ポート25番）が使えなくなり、STARTTLSで暗号化した接続",
        ),
        (
            "en",
            "Outbound Port25 Blocking",
            "pretend",
            "sending over the unencrypted connection (port 25) stops: from now on you send"
            " over a connection encrypted with STARTTLS",
        ),
    ],
)
def test_why_gives_the_notices_reasons_for_sending_only(
    catalogs: Catalogs, locale: Locale, block: str, spoofing: str, stops: str
) -> None:
    # The provider's own block (op25b_planned) and the login against spoofing are why;
    # "Hotaru-net plans to introduce it" was left out of the sending-only answer.
    driver = Driver(PROFILE, catalogs.with_variants(PROFILE.text_variants))
    driver.start(locale)
    driver.press("topic:why")
    said = driver.said()
    assert stops in said
    assert block in said
    assert spoofing in said
    assert not receiving_changes(locale, said)


@pytest.mark.parametrize(
    ("locale", "unchanged"),
    [
        ("ja", "受信の設定：変更の必要はありません。"),
        ("en", "Receiving settings: no change needed."),
    ],
)
def test_a_verdict_that_changes_sending_says_receiving_does_not_change(
    catalogs: Catalogs, locale: Locale, unchanged: str
) -> None:
    # The notice's verdicts say both sides (「受信…」 first); a sending-only profile's leaves
    # need not: the bot says receiving once, under the leaf's words, where the settings follow.
    for answers, sending in PATHS.items():
        driver = Driver(PROFILE, catalogs, today=dt.date(2027, 5, 20))
        driver.start(locale)
        for answer in answers:
            driver.press(answer)
        text = driver.verdict().text
        assert text.count(unchanged) == (sending is not Sending.NOT_NEEDED), answers
