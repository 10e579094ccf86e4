"""A password in a pasted protocol trace or URL is masked, though no password word names it.

Support asks for a mail program's log, and subscribers paste what a program or a script
shows: an SMTP session's `AUTH PLAIN` (the address and password, base64), an `AUTH LOGIN`
exchange's answer to 「334 UGFzc3dvcmQ6」 ("Password:"), an IMAP `LOGIN` with quoted
arguments, a URL with the login in it (`pop://taro:…@vpop.117.ne.jp`). Each kept the
password as typed (base64 is no disguise).
"""

from __future__ import annotations

import base64

import pytest

from dialogs.redaction import MASK, redact

PLAIN = base64.b64encode(b"\0taro@vp.117.ne.jp\0Kq7xyz99").decode()
LOGIN_USER = base64.b64encode(b"taro@vp.117.ne.jp").decode()
LOGIN_PASSWORD = base64.b64encode(b"Kq7xyz99").decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"AUTH PLAIN {PLAIN}", f"AUTH PLAIN {MASK}"),
        (
            f"C: AUTH PLAIN {PLAIN}\nS: 535 5.7.8 Error: authentication failed",
            f"C: AUTH PLAIN {MASK}\nS: 535 5.7.8 Error: authentication failed",
        ),
        (
            f"AUTH LOGIN\n334 VXNlcm5hbWU6\n{LOGIN_USER}\n334 UGFzc3dvcmQ6\n{LOGIN_PASSWORD}\n"
            "535 Authentication failed",
            f"AUTH LOGIN\n334 VXNlcm5hbWU6\n{LOGIN_USER}\n334 UGFzc3dvcmQ6\n{MASK}\n"
            "535 Authentication failed",
        ),
        (
            f"S: 334 UGFzc3dvcmQ6\r\nC: {LOGIN_PASSWORD}\r\n",
            f"S: 334 UGFzc3dvcmQ6\r\nC: {MASK}\r\n",
        ),
        ('A1 LOGIN "taro@vp.117.ne.jp" "sakura2008"', f'A1 LOGIN "taro@vp.117.ne.jp" "{MASK}"'),
        ('SendData: 2 login "taro" "sakura2008"', f'SendData: 2 login "taro" "{MASK}"'),
        ('C: a001 LOGIN taro "sakura2008"', f'C: a001 LOGIN taro "{MASK}"'),
        ("pop://taro:Kq7xyz99@vpop.117.ne.jp", f"pop://taro:{MASK}@vpop.117.ne.jp"),
        (
            "imap://taro%40vp.117.ne.jp:sakura2008@vpop.117.ne.jp:143 に接続できません",
            f"imap://taro%40vp.117.ne.jp:{MASK}@vpop.117.ne.jp:143 に接続できません",
        ),
    ],
)
def test_a_password_in_a_trace_or_url_is_masked(typed: str, stored: str) -> None:
    assert redact(typed) == (stored, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "250-AUTH PLAIN LOGIN CRAM-MD5",
        "250 AUTH=PLAIN LOGIN",
        "AUTH PLAIN が使えません",
        "SMTP AUTH PLAINで認証していますか",
        "AUTH PLAIN ZXJyb3I=",  # base64, but no login inside it
        "334 VXNlcm5hbWU6",
        "https://www.117.ne.jp/support/mail/",
        "mailto:taro@vp.117.ne.jp",
        "ID:taro@vp.117.ne.jp",
        'A1 LOGIN "taro@vp.117.ne.jp"',
    ],
)
def test_traces_without_a_password_are_kept(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


@pytest.mark.parametrize(
    "sentence",
    [
        'I cannot login to "Outlook" anymore',
        'Can\'t login to "Windows Live Mail" since yesterday',
        'when I login as "taro" it says "wrong"',
        'Login failed: "Authentication failed"',
        'I tried to login with "taro@vp.117.ne.jp" and "the usual one"',
    ],
)
def test_a_sentence_about_logging_in_is_no_imap_login(sentence: str) -> None:
    # An IMAP LOGIN is a command after its tag ("A1", "2"): the English verb with quoted
    # words after it is a subscriber saying what they see, kept as typed (and read).
    assert redact(sentence) == (sentence, False)
