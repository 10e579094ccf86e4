"""Error texts as subscribers really paste them, second round (errors2's sweep).

Outlook's 「電子メール サーバーによってログオンが拒否されました」 (0x800CCC92 without its code)
was not understood; its account test's 「… へのログオン: ユーザー名とパスワードを確認してください」
was told "your password does not change", and 「… でサポートされている認証方法がありません」 what
SMTP AUTH is. A phone photo's text, read by OCR, has 「サ一バ一」 (the kanji for one) or
「サ-バ-」 for サーバー and 「サーパー」 for it; Becky! puts the host in brackets
(「[vs.117.ne.jp] への接続に失敗しました」). Each was not understood, or asked for the text it was.
"""

from __future__ import annotations

import pytest

from dialogs.reading.problems import Problem, recognise_problem
from dialogs.understanding import normalise


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("電子メール サーバーによってログオンが拒否されました。", Problem.LOGIN_FAILED),
        (
            "受信メール サーバー (POP3) へのログオン: ユーザー名とパスワードを確認してください",
            Problem.LOGIN_FAILED,
        ),
        (
            "送信 (SMTP) 電子メール サーバーにログオン: 送信メール サーバーでサポートされている"
            "認証方法がありません",
            Problem.AUTH_METHOD,
        ),
        ("[vs.117.ne.jp] への接続に失敗しました。", Problem.CONNECT),
        ("送信(SMTP)電子メールサ一バ一に接続できません", Problem.SEND_CONNECT),
        ("送信(SMTP)電子メールサ-バ-に接続できません", Problem.SEND_CONNECT),
        ("送信(SMTP)サーパーvs.117.ne.jpとの接続がタイムアウトしたため", Problem.SEND_CONNECT),
        ("受信(POP3)電子メールサ一バ一からエラーが報告されました", Problem.LOGIN_FAILED),
        # Retyped from memory: the English word the dialog showed, half remembered.
        ("送るとリレーなんとかって英語が出ます", Problem.RELAY_DENIED),
        ("アドレスを間違えて送ったら戻ってきました", Problem.RECIPIENT_UNKNOWN),
        (
            "Cannot Send Mail. A copy has been placed in your Outbox. The recipient "
            '"hanako@example.com" was rejected by the server.',
            Problem.RELAY_DENIED,
        ),
        # Port 25 said to be blocked, as the program showed it: the OP25B explanation and the
        # first question's yes, where the sending fix was due.
        ("ポート25がブロックされていますと出ます", Problem.SEND_CONNECT),
        (
            "Outlookで「送信 (SMTP) サーバーはポート 25 を使用できません」って出る",
            Problem.SEND_CONNECT,
        ),
        ("attachment too large", Problem.TOO_LARGE),
        ("the attachment is too big to send", Problem.TOO_LARGE),
    ],
)
def test_a_pasted_error_is_read(typed: str, problem: Problem) -> None:
    assert recognise_problem(normalise(typed)) is problem


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        # A POP login refused ("unknown user name") was a bounce for the recipient's address:
        # "not a problem with your settings", where the account name is the usual cause.
        ("-ERR Logon failure: unknown user name or bad password.", Problem.LOGIN_FAILED),
        ("-ERR no such user", Problem.LOGIN_FAILED),
        # Dovecot's refusal of a password over an unencrypted connection was "the account name
        # is wrong": the encryption setting is.
        (
            "-ERR Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
            Problem.ENCRYPTION_REQUIRED,
        ),
        (
            "POP3 サーバーでエラーが発生しました。メールサーバー vpop.117.ne.jp からの応答: "
            "-ERR Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
            Problem.ENCRYPTION_REQUIRED,
        ),
        # The authentication method, in the server's words: each was "what SMTP AUTH is".
        ("534 5.7.9 Authentication mechanism is too weak", Problem.AUTH_METHOD),
        ("504 5.7.4 Unrecognized authentication type", Problem.AUTH_METHOD),
        # Postfix before AUTH: it was asked for the error's text, which it is.
        ("503 5.5.1 Error: send AUTH command first.", Problem.AUTH_MISSING),
        # Exchange's sender refusal: it was the first question's yes.
        (
            "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
            Problem.SENDER_NOT_OWNED,
        ),
        # Still a bounce for the recipient.
        (
            "550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown",
            Problem.RECIPIENT_UNKNOWN,
        ),
        ("550 no such user here", Problem.RECIPIENT_UNKNOWN),
    ],
)
def test_a_servers_reply_is_read_for_what_it_refuses(typed: str, problem: Problem) -> None:
    assert recognise_problem(normalise(typed)) is problem


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        # Typed in kana only, as older subscribers do: each was not understood, or the
        # incoming spam the notice says nothing about.
        ("めーるぼっくすがいっぱいです　とでます", Problem.MAILBOX_FULL),
        ("めいわくめーるとはんていされてもどってきました", Problem.SPAM_REJECTED),
        ("てんぷふぁいるがおおきすぎます", Problem.TOO_LARGE),
        ("あてさきふめいでもどってきます", Problem.RECIPIENT_UNKNOWN),
        # The recipients' count unsaid: it was not understood, or old sending settings.
        ("町内会の50人に送ったら宛先が多すぎると言われました", Problem.TOO_MANY_RECIPIENTS),
        ("一斉送信したら送れませんでした。宛先が多すぎますと出ました", Problem.TOO_MANY_RECIPIENTS),
        # Reported, then asked about; or asked about with the server's reply quoted.
        ("why was my message rejected as spam?", Problem.SPAM_REJECTED),
        (
            "will changing the settings fix '550 5.7.1 Message rejected as spam'?",
            Problem.SPAM_REJECTED,
        ),
        ("my mail was rejected as spam. will it happen again?", Problem.SPAM_REJECTED),
    ],
)
def test_an_error_the_migration_does_not_cause_is_read_in_kana_and_in_words(
    typed: str, problem: Problem
) -> None:
    assert recognise_problem(normalise(typed)) is problem


@pytest.mark.parametrize(
    "typed",
    [
        # Real kanji after katakana, and a hyphen in a host, stay as written.
        "エラ一番号はありません",
        "メールボックスがいっぱいになりますか",
        "メールボックスがいっぱいですか？",
        "will my mailbox be full after the move?",
        "迷惑メールが増えましたか",
        "スパム対策で送信に認証が必要になるのですか",
        "迷惑メールと判定されますか",
        # Asked ahead in English (each was the refusal reported).
        "will my emails be rejected as spam after the change?",
        "could my mail be blocked as spam?",
        "will the new server reject too many recipients?",
        # The fourth question's answer, not an error shown.
        "ポート25はブロックされています",
        "ポート25がブロックされていると出たらどうすればいいですか",
        "迷惑メールの疑いで拒否されることはありますか",
    ],
)
def test_words_near_those_errors_are_no_report_of_them(typed: str) -> None:
    assert recognise_problem(normalise(typed)) not in (
        Problem.MAILBOX_FULL,
        Problem.SPAM_REJECTED,
        Problem.SEND_CONNECT,
        Problem.TOO_MANY_RECIPIENTS,
    )
