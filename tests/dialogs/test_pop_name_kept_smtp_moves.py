"""examples/pop-name-kept-smtp-moves.toml: the receiving name kept, the outgoing server moved.

Tsukushi Net keeps its receiving server's name (POP3 on mail.tsukushi…, 110 without
encryption, becomes the same name on 995 with TLS) and moves sending to a new server
(mail.tsukushi… on 25 without a login becomes smtp.tsukushi… on 587 + STARTTLS with SMTP
AUTH): the mirror of examples/pop-moves-smtp-name-kept.toml. Its questionnaire is walked by
button and by typed words on five dates in both languages; every topic, typed problem,
program and check result is heard, and nothing says the receiving server or the mailbox
moves (a new receiving server, mail to collect from the old one first, "change mail.x to
mail.x"), nor that today's outgoing server is kept.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import POP_KEPT_KEYS
from dialogs.mail_config_files import outlook_autodiscover, thunderbird_autoconfig
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.vocabulary import FileReply, Locale, Receiving, Sending, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.terminal import terminal_chat
from tests.dialogs.test_other_provider import TYPED
from tests.dialogs.walker import OnCard, said_all, verdict_after

ROOT: Final = Path(__file__).resolve().parents[2]
PATH: Final = ROOT / "examples" / "pop-name-kept-smtp-moves.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@tsukushi.example.ne.jp"
POP: Final = "mail.tsukushi.example.ne.jp"
SMTP: Final = "smtp.tsukushi.example.ne.jp"
# Before the window, its first and last days, the old connections' last day, after it.
DAYS: Final = ("2027-05-20", "2027-06-01", "2027-06-30", "2027-07-31", "2027-08-01")
SEED: Final = re.compile(walker.SEED)
# Whatever says the receiving server or the mailbox moves; each alternative is something
# the walk said before pop_kept.po (examples in the comments).
RECEIVING_MOVES: Final = {
    "ja": re.compile(
        # 「新しいサーバー（mail.tsukushi…、POP3）に届く」, 「新しい受信サーバー（mail.…）」
        r"新しい(?:受信)?サーバー（mail\.|新しい受信サーバーに届い"
        # 「従来のサーバー（mail.…）に」, 「従来のサーバーは、受信（POP3）・送信（SMTP）とも」
        r"|従来のサーバー(?!を今の設定のまま)|従来の受信（POP3）サーバー"
        # (Before the window 「従来のサーバーを今の設定のままお使いいただけます」 / "the old
        # servers work with your current settings" is true of both: not counted.)
        # 「設定を変更する前に一度受信」, 「従来の名前（mail.…）のまま」
        r"|(?<!もう)一度受信|先に受信してください|従来の名前|メールボックスの中身は新しい"
        r"|mail\.tsukushi\.example\.ne\.jpからmail\."
    ),
    "en": re.compile(
        r"(?i)new (?:incoming )?servers? \(mail\.|the old server(?!s)|old receiving \(POP3\) server"
        r"|receive (?:your mail )?once before|still the old one \(mail\."
        r"|from mail\.tsukushi\.example\.ne\.jp to mail\.|moves to new servers"
        r"|mailbox contents are not moved"
    ),
}
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("unsure", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("unsure", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
}
MORE_WORDS: Final = (
    "Gmailで受信しています",
    "I read it in Gmail on my computer",
    "証明書の警告が出ます",
)


def receiving_moves(locale: Locale, text: str) -> list[str]:
    return [m.group() for m in RECEIVING_MOVES[locale].finditer(text)]


def test_the_profile_says_what_its_comment_says() -> None:
    incoming, outgoing = PROFILE.incoming, PROFILE.outgoing
    assert incoming.host_kept
    assert (incoming.old_port, incoming.port) == (110, 995)
    assert not outgoing.host_kept
    assert (outgoing.old_hosts, outgoing.new_host) == ((POP,), SMTP)
    assert not outgoing.old_authenticated
    assert PROFILE.text_variants == ()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", [False, True], ids=["buttons", "typed"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_keeps_the_receiving_name(
    catalogs: Catalogs, day: str, typed: bool, locale: Locale
) -> None:
    for answers, sides in PATHS.items():
        today = dt.date.fromisoformat(day)
        verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
        assert (verdict.receiving, verdict.sending) == sides, answers
        assert not receiving_moves(locale, verdict.text), verdict.text


def card_of_the_kept_name(locale: Locale) -> OnCard:
    """The card keeps the receiving name and moves the outgoing one; Apple's note fits."""

    def check(driver: Driver, program: MailProgram) -> None:
        cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
        rows = {item.key: item for item in cards[-1].items}
        assert rows["pop_server"].value == POP
        assert not rows["pop_server"].changed
        assert rows["pop_port"].changed
        assert rows["smtp_server"].value == SMTP
        assert rows["smtp_server"].changed
        files = [r for r in driver.all_replies() if isinstance(r, FileReply)]
        if files:
            # The file adds an account on the same mailbox: said so, not "only the port".
            note = {"ja": "受信サーバー名は変わらないためです", "en": "name does not change)"}
            assert note[locale] in said_all(driver), program

    return check


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_the_receiving_server_moves_nor_anything_of_the_seed(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walker.walk(
        PROFILE,
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        menu_words=(*TYPED, *MORE_WORDS),
        on_card=card_of_the_kept_name(locale),
    )
    seed = walker.found(SEED, heard)
    assert not seed, seed
    moves = walker.found(RECEIVING_MOVES[locale], heard)
    assert not moves, walker.where(moves[0], heard)
    assert all(SMTP in text for text in heard[1:])


@pytest.mark.parametrize(
    ("day", "locale", "words"),
    [
        (
            "2027-06-10",
            "ja",
            "受信の暗号化しない接続（ポート110番）と従来の送信サーバー（mail.tsukushi.example.ne.jp）"
            "は、どちらも2027年7月31日(土)までお使いいただけます。受信サーバー名"
            "（mail.tsukushi.example.ne.jp）とメールボックスは変わりません。",
        ),
        (
            "2027-08-01",
            "ja",
            "どちらも2027年7月31日(土)で使えなくなりました。メールはこれまでどおりサーバーに"
            "届いていますので",
        ),
        (
            "2027-06-10",
            "en",
            "Receiving over the unencrypted connection (port 110) and the old outgoing server"
            " (mail.tsukushi.example.ne.jp) both work until Saturday 31 July 2027.",
        ),
    ],
)
def test_the_dates_name_the_old_connection_and_the_old_outgoing_server(
    catalogs: Catalogs, day: str, locale: Locale, words: str
) -> None:
    # It said 「従来のサーバーは、受信（POP3）・送信（SMTP）とも…までご利用いただけます」: the
    # receiving server stays; its connection on 110 stops.
    driver = Driver(PROFILE, catalogs, today=dt.date.fromisoformat(day))
    driver.start(locale)
    driver.press("topic:schedule")
    assert words in driver.said()


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", "先に受信しておく必要はありません"),
        ("en", "stay the same"),
    ],
)
def test_nothing_is_collected_from_an_old_receiving_server(
    catalogs: Catalogs, locale: Locale, words: str
) -> None:
    # It said 「移行前に届いたメールは従来のサーバー（mail.x）に、移行後に届くメールは新しい
    # サーバー（mail.x）に届きます。…設定を変更する前に一度受信してください」.
    driver = Driver(PROFILE, catalogs, today=dt.date(2027, 6, 10))
    driver.start(locale)
    driver.press("topic:old_mail")
    driver.press("topic:steps")
    said = said_all(driver)
    assert words in said
    assert not receiving_moves(locale, said), said


def test_every_twin_is_in_both_languages(catalogs: Catalogs) -> None:
    assert len(POP_KEPT_KEYS) == 20
    for key in POP_KEPT_KEYS:
        for locale in ("ja", "en"):
            assert catalogs.raw(locale, key)


def test_a_kept_receiving_name_that_logs_in_with_a_mailbox_id_today_is_refused() -> None:
    text = PATH.read_text("utf-8").replace(
        'login_name = "address"\n\n[outgoing]',
        'login_name = "address"\nold_login_name = "mailbox-id"\n\n[outgoing]',
        1,
    )
    with pytest.raises(ProfileError, match="mailmove cannot guide this migration yet") as refused:
        parse_profile(tomllib.loads(text), "mailbox-id.toml")
    # The reason is the mailbox id, not the layout: a kept receiving name beside an outgoing
    # server that moves is guided (this very example). The line said it was not.
    message = str(refused.value)
    assert "not a kept receiving name beside an outgoing one that moves" not in message
    assert "log in with a mailbox id today (incoming.old_login_name)" in message


FAMILIES: Final = [
    ("新しいOutlook", "「POP 受信サーバー」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    (
        "従来のOutlook",
        "「受信メール サーバー」がmail.tsukushi.example.ne.jpになっていることを確かめ",
    ),
    ("Thunderbird", "「サーバー名」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    ("Macのメール", "「ホスト名」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    ("iPhoneのメール", "「ホスト名」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    ("AndroidのGmail", "「サーバー」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    ("Becky", "「POP3サーバー（受信）」がmail.tsukushi.example.ne.jpになっていることを確かめ"),
    ("その他", "smtp.tsukushi.example.ne.jp"),
]


@pytest.mark.parametrize(("program", "step"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_a_whole_conversation_in_the_terminal(
    program: str, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["はい", "はい", ADDRESS, program]
    if program != FAMILIES[0][0]:
        # The conversation is what is read: the others in this process (tests/dialogs/terminal).
        status, out = terminal_chat(monkeypatch, PATH, "2027-06-10", lines)
        assert status == 0
    else:
        result = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [
                sys.executable,
                "-m",
                "bot.cli",
                "chat",
                "--profile",
                str(PATH),
                "--as-of",
                "2027-06-10",
            ],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        out = result.stdout
    assert "送信の設定：変更が必要です。" in out
    assert step in out, out[-3000:]
    assert not receiving_moves("ja", out), receiving_moves("ja", out)
    assert not SEED.findall(out)


def logging_in_today() -> MigrationProfile:
    """The same provider whose subscribers send on 587 with SMTP AUTH today."""
    text = PATH.read_text("utf-8")
    for old, new in (
        ("old_port = 25\n", "old_port = 587\n"),
        ("old_smtp_auth = false\n", "old_smtp_auth = true\n"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_profile(tomllib.loads(text), "587.toml")


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", ["2027-06-10", "2027-08-01"])
def test_sending_that_logs_in_today_hears_the_outgoing_move_alone(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    # "Why?" was 「メールが新しいサーバー（受信：mail.x、送信：smtp.x）に移るためです」.
    heard = walker.walk(
        logging_in_today(),
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        menu_words=(*TYPED, *MORE_WORDS),
    )
    moves = walker.found(RECEIVING_MOVES[locale], heard)
    assert not moves, walker.where(moves[0], heard)
    why = {
        "ja": "送信サーバーが新しいサーバー（smtp",
        "en": "the outgoing server becomes a new one",
    }
    assert why[locale] in heard[0]


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        (
            "ja",
            "同じメールボックスを読むアカウントをもう1つ追加します（受信サーバー名は変わらないためです）",
        ),
        ("en", "it adds a second account that reads the same mailbox (the incoming server name"),
    ],
)
def test_the_apple_file_says_it_adds_an_account_on_the_same_mailbox(
    catalogs: Catalogs, locale: Locale, note: str
) -> None:
    # Sending on 465 (implicit TLS), which an Apple file can describe: the iPhone is offered
    # it, with what to do about the account on the same mailbox (not "only the port
    # changes": the outgoing server moves too), and nothing to receive first.
    text = PATH.read_text("utf-8")
    old = 'port = 587\nsecurity = "starttls"'
    assert old in text
    profile = parse_profile(
        tomllib.loads(text.replace(old, 'port = 465\nsecurity = "tls"', 1)), "465.toml"
    )
    driver = Driver(profile, catalogs, today=dt.date(2027, 6, 10))
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.type(ADDRESS)
    driver.press(f"program:{MailProgram.IOS_MAIL.value}")
    assert [r for r in driver.all_replies() if isinstance(r, FileReply)]
    said = said_all(driver)
    assert note in said
    assert not receiving_moves(locale, said), receiving_moves(locale, said)


def test_the_configuration_files_keep_the_receiving_name_and_name_the_new_outgoing_server() -> None:
    root = ET.fromstring(thunderbird_autoconfig(PROFILE))  # noqa: S314 - our own output
    incoming = root.find("emailProvider/incomingServer")
    outgoing = root.find("emailProvider/outgoingServer")
    assert incoming is not None
    assert outgoing is not None
    assert [incoming.findtext(t) for t in ("hostname", "port", "socketType")] == [
        POP,
        "995",
        "SSL",
    ]
    assert [outgoing.findtext(t) for t in ("hostname", "port", "socketType", "username")] == [
        SMTP,
        "587",
        "STARTTLS",
        "%EMAILADDRESS%",
    ]
    request = (
        '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft'
        '.com/exchange/autodiscover/outlook/requestschema/2006"><Request>'
        f"<EMailAddress>{ADDRESS}</EMailAddress>"
        "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/"
        "responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>"
    ).encode()
    answer = outlook_autodiscover(PROFILE, request).decode()
    assert f"<Server>{POP}</Server>" in answer
    assert "<Port>995</Port>" in answer
    assert f"<Server>{SMTP}</Server>" in answer
    assert "<Port>587</Port>" in answer
