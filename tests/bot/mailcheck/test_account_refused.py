"""A server that refuses the account for a reason of its own is not a wrong password.

RFC 3206's POP3 `[SYS/PERM]` ("a system error ... not likely to be fixed by retrying ...
contact the system administrator") and RFC 5530's IMAP `[CONTACTADMIN]` and `[EXPIRED]`
(the password has expired) say the account cannot log in until the provider acts. Read as a
bare refusal they were `auth_failed`, and the subscriber was told the account or password
was wrong, that the password is the one used until now, and to type the whole address:
all of which they had done. Now `account_refused`: support must see to it.
"""

from __future__ import annotations

import imaplib
import poplib

import pytest

from bot.mailcheck.imap_login import classify_imap_error
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.pop_login import classify_pop_error
from bot.ops.catalogs import Catalogs
from dialogs import check_words
from dialogs.vocabulary import Locale, ResultVerdict, SystemEvent


@pytest.mark.parametrize(
    "reply",
    [
        b"-ERR [SYS/PERM] Your account is disabled, contact the administrator",
        b"-ERR [SYS/PERM] mailbox cannot be opened",
    ],
)
def test_a_pop3_sys_perm_login_reply_is_account_refused(reply: bytes) -> None:
    assert classify_pop_error(poplib.error_proto(reply), "login")[0] is Outcome.ACCOUNT_REFUSED


@pytest.mark.parametrize(
    "reply",
    [
        b"[CONTACTADMIN] Your account is suspended",
        b"[EXPIRED] Password expired, change it first",
    ],
)
def test_an_imap_contactadmin_or_expired_login_reply_is_account_refused(reply: bytes) -> None:
    error = imaplib.IMAP4.error(reply)
    assert classify_imap_error(error, "login")[0] is Outcome.ACCOUNT_REFUSED


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"-ERR [AUTH] Authentication failed.", Outcome.AUTH_FAILED),
        (b"-ERR [SYS/TEMP] try later", Outcome.TEMPORARY_FAILURE),
        (b"-ERR Invalid password", Outcome.AUTH_FAILED),
    ],
)
def test_other_pop3_refusals_stay_as_they_were(reply: bytes, expected: Outcome) -> None:
    assert classify_pop_error(poplib.error_proto(reply), "login")[0] is expected


@pytest.mark.parametrize(
    ("locale", "words", "never"),
    [
        ("ja", ("受信（POP）", "パスワードの誤りとは別", "担当者にご連絡ください"), "今までと同じ"),
        ("en", ("Receiving (POP)", "not a wrong password", "contact our support"), "as before"),
    ],
)
def test_the_subscriber_is_sent_to_support_not_to_the_password(
    catalogs: Catalogs, locale: Locale, words: tuple[str, ...], never: str
) -> None:
    event = SystemEvent("check_result", (("pop", "account_refused"), ("smtp", "ok")))
    reply = check_words.result_reply(event, lambda key: catalogs.raw(locale, key))

    assert reply.verdict is ResultVerdict.FAILED
    assert reply.verdicts[1] is ResultVerdict.FAILED
    for word in words:
        assert word in reply.text
    assert never not in reply.text
    assert catalogs.raw(locale, "summary.outcome.account_refused")
