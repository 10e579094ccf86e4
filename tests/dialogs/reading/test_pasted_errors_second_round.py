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
        ("attachment too large", Problem.TOO_LARGE),
        ("the attachment is too big to send", Problem.TOO_LARGE),
    ],
)
def test_a_pasted_error_is_read(typed: str, problem: Problem) -> None:
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
        "迷惑メールの疑いで拒否されることはありますか",
    ],
)
def test_words_near_those_errors_are_no_report_of_them(typed: str) -> None:
    assert recognise_problem(normalise(typed)) not in (
        Problem.MAILBOX_FULL,
        Problem.SPAM_REJECTED,
        Problem.SEND_CONNECT,
    )
