"""A password typed into the chat is masked before it is stored, and the subscriber warned."""

from __future__ import annotations

import unicodedata

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.redaction import MASK, redact
from dialogs.state import Signal
from dialogs.vocabulary import TextReply
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("パスワードは abc123! です", "abc123!"),
        ("password: hunter22", "hunter22"),
        ("my password is Sakura-4kz!", "Sakura-4kz!"),
        ("パスワード：ｘｙｚ１２３４", "xyz1234"),
        ("PW abcd1234", "abcd1234"),
    ],
)
def test_a_typed_password_is_masked(typed: str, secret: str) -> None:
    masked, found = redact(typed)
    assert found
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "question",
    ["パスワードは変わりますか？", "Will my password change?", "パスワード", "password is same"],
)
def test_questions_about_passwords_are_left_alone(question: str) -> None:
    assert redact(question) == (question, False)


# How people really type a password into a chat: every one of these must be masked.
TYPED_SECRETS: list[tuple[str, str]] = [
    ("パスワードを Kq7xyz99 に変えたのに送れません", "Kq7xyz99"),
    ("パスワード「Rt5-mnop」で入れません", "Rt5-mnop"),
    ("暗証番号1234", "1234"),
    ("pass: Zz9-qwer", "Zz9-qwer"),
    ("The password for taro is Yy8-asdf", "Yy8-asdf"),
    ("パスワードはabc12345です", "abc12345"),
    ("パスワードは、Abc-9876 です", "Abc-9876"),
    ("パスワード：Hello123", "Hello123"),
    ("パスワード:Hello123", "Hello123"),
    ("パスワード Hello123", "Hello123"),
    ("パスワードHello123で合ってますか", "Hello123"),
    ("パスワードが qwerty99 なんですが", "qwerty99"),
    ("パスワードって sakura77 でしたっけ", "sakura77"),
    ("パスワード『Mm5!nnnn』", "Mm5!nnnn"),
    ('パスワード"zx8-vvvv"です', "zx8-vvvv"),
    ("パスは tanuki55 です", "tanuki55"),
    ("パス：tanuki55", "tanuki55"),
    ("暗証番号は 0812 です", "0812"),
    ("暗証番号：4455", "4455"),
    ("ログインパスワードは Pq1-zzzz", "Pq1-zzzz"),
    ("PW abcd1234", "abcd1234"),
    ("pw:abcd1234", "abcd1234"),
    ("PWは abcd1234", "abcd1234"),
    ("pwd=abcd1234", "abcd1234"),
    ("password: hunter22", "hunter22"),
    ("Password = hunter22", "hunter22"),
    ("my password is Sakura-4kz!", "Sakura-4kz!"),
    ("My pass is tiger007", "tiger007"),
    ("password was changed to Ab12-cdef", "Ab12-cdef"),
    ("I changed the password to Nn7-oooo but it still fails", "Nn7-oooo"),
    ("new password: Ww2-xxxx", "Ww2-xxxx"),
    ("passwd Tt3-uuuu", "Tt3-uuuu"),
    ("pass word: Gg4-hhhh", "Gg4-hhhh"),
    ("PIN 7788", "7788"),
    ("パスワード：ｘｙｚ１２３４", "xyz1234"),
    ("ぱすわーどは ｋｋ９９ｋｋｋ です", "kk99kkk"),
    ("Kq7xyz99 がパスワードです", "Kq7xyz99"),
    ("Qw3rty!9 is my password", "Qw3rty!9"),
    ("taro8823 が新しいパスワード", "taro8823"),
    ("アカウントは taro@vp.117.ne.jp、パスワードは Ee5-ffff です", "Ee5-ffff"),
    ("ID taro / PW Bb6-cccc", "Bb6-cccc"),
    ("パスワード→ Cc7-dddd", "Cc7-dddd"),
    ("パスワード（Dd8-eeee）を入れても駄目です", "Dd8-eeee"),
    ("password for taro@vp.117.ne.jp is Ff9-gggg", "Ff9-gggg"),
    # The account named by the word alone, or its name before a colon.
    ("the password for my account is Kq7xyz99", "Kq7xyz99"),
    ("password for the account: Hh5-jjjj", "Hh5-jjjj"),
    ("password for taro: Yy8-asdf", "Yy8-asdf"),
    ("password for account taro: Mm3-kkkk", "Mm3-kkkk"),
    ("パスワードを abcdefg1 にしています", "abcdefg1"),
    # The account, then the password with no word for it: a login written down as a pair.
    ("taro@vp.117.ne.jp Q5ChatSecret-9934", "Q5ChatSecret-9934"),
    ("taro@vp.117.ne.jp / abc12345", "abc12345"),
    ("taro@vp.117.ne.jp、Kq7xyz99 で入れません", "Kq7xyz99"),
]

# Ordinary sentences about passwords: nothing in them is a secret, so nothing is masked.
ORDINARY: list[str] = [
    "パスワードは変わりますか？",
    "パスワードを忘れました",
    "パスワードが違いますと出ます",
    "パスワードを何度も聞かれます",
    "ユーザ名またはパスワードが間違っています",
    "パスワードは今までと同じですか",
    "Password incorrect",
    "The username or password is incorrect",
    "my password is the same as before?",
    "password is required",
    "It keeps asking for my password",
    # "been" was masked, and the subscriber told not to type their password (reviewer14).
    "Has my password been reset?",
    "Has your password been changed?",
    "Is my password going to change?",
    "My password became invalid",
    "My password suddenly stopped working",
    "My password might be wrong",
    "My password stopped working",
    "My password apparently expired",
    "My password disappeared from outlook",
    "My password vanished",
    "my password somehow changed",
    "password is missing",
    "my password is somewhere in a notebook",
    "password requested repeatedly",
    "Do I need a new password?",
    "パスワードの変更は必要ですか",
    "暗証番号がわかりません",
    "pass through the firewall",
    "I passed the test",
    "パスポートの番号 1234",
    "送信サーバーは vsmtp.117.ne.jp ですか",
    "Outlook 2019 を使っています",
    "0x800CCC0F というエラーが出ます",
    "535 5.7.8 Authentication failed",
    "-ERR [AUTH] Authentication failed.",
    "password: taro@vp.117.ne.jp と同じ？",
    "パスワードの欄が空欄です",
    "The password field is empty",
    "Outlook2019がパスワードを何度も聞いてきます",
    "Windows11 がパスワードを求めてくる",
    "iPhone15はパスワードを聞いてくる",
    "パスワードはOutlook2019に保存してます",
    "taro@vp.117.ne.jp です",
    "taro@vp.117.ne.jp Outlook2019 で送れません",
    "taro@vp.117.ne.jp iPhone15 を使っています",
    "taro@vp.117.ne.jp vsmtp.117.ne.jp で送っています",
    "taro@vp.117.ne.jp 0x800CCC0F というエラー",
    # The code after a full-width colon a few words on from the password's word (reviewer26:
    # read folded, the colon joined the code and it was masked).
    "パスワード入力画面が出ます。エラー：0x800CCC92",
    "パスワード画面のあとエラー：0x800CCC0F",
    # Thunderbird's name for the plain method, which the bot's auth-method answer quotes.
    "I set it to Password, transmitted insecurely but it still fails",
    "Is a plain text password allowed?",
    "app password: what does this mean",
]


@pytest.mark.parametrize(("typed", "secret"), TYPED_SECRETS)
def test_passwords_as_people_type_them_are_masked(typed: str, secret: str) -> None:
    masked, found = redact(typed)
    assert found, typed
    assert secret not in masked
    assert secret.lower() not in masked.lower()
    assert MASK in masked


def test_the_corpus_holds_at_least_forty_phrasings() -> None:
    assert len(TYPED_SECRETS) >= 40


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_sentences_are_not_masked(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


def test_the_dialog_warns_and_carries_on(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("パスワードは abc123! です")
    assert Signal.SECRET_TYPED in driver.last.signals
    texts = " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert "abc123!" not in texts
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("app password: abcd efgh ijkl mnop", "abcd efgh ijkl mnop"),
        ("アプリパスワードは abcd efgh ijkl mnop です", "abcd efgh ijkl mnop"),
        ("アプリ用パスワード「wxyz 2bcd 9fgh jklm」を入れても送れません", "wxyz 2bcd 9fgh jklm"),
        ("my app password is ABCD EFGH IJKL MNOP", "ABCD EFGH IJKL MNOP"),
    ],
)
def test_an_app_password_shown_in_groups_is_masked_whole(typed: str, secret: str) -> None:
    # An app password (a [password] profile of kind "app" sends subscribers for one) is
    # often shown as four groups of four: each group after the first was kept as typed.
    masked, found = redact(typed)
    assert found
    assert [group for group in secret.split() if group in masked] == []


@pytest.mark.parametrize(
    "typed",
    [
        # A word between "is" and the password: the word was masked and the password kept
        # ("password is ******** Kq7xyz99"), or, for "still", nothing at all.
        "password is maybe Kq7xyz99",
        "my password is probably Kq7xyz99",
        "password is perhaps Kq7xyz99",
        "my password is actually Kq7xyz99",
        "password is just Kq7xyz99",
        "password is currently Kq7xyz99",
        "my password was always Kq7xyz99",
        "my password is still Kq7xyz99",
        "my password is like Kq7xyz99",
        "password: maybe Kq7xyz99",
        "password should be Kq7xyz99",
        "the password will be Kq7xyz99",
        "password's Kq7xyz99",
        "the password remains Kq7xyz99",
    ],
)
def test_a_password_after_a_hedge_or_a_verb_is_masked(typed: str) -> None:
    masked, found = redact(typed)
    assert found, typed
    assert "Kq7xyz99" not in masked


@pytest.mark.parametrize(
    "sentence",
    [
        "my password is still not working",
        "the password is probably wrong",
        "my password is actually correct",
        "password should be the same",
        "the password remains unchanged",
        "the password is just fine",
        "password's the same as before?",
    ],
)
def test_a_hedge_before_an_ordinary_word_masks_nothing(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


# Invisible characters a copy from a web page, a PDF or a note app carries: a zero-width
# space, joiner and non-joiner, a word joiner, a byte-order mark, a soft hyphen, a
# left-to-right mark. None is part of a password as the mail server reads it.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_an_invisible_character_inside_a_password_does_not_keep_its_tail(mark: str) -> None:
    # 「Zq9x<ZWSP>K2pw77」: only 「Zq9x」 was masked, 「K2pw77」 stored as typed.
    masked, found = redact(f"パスワードは Zq9x{mark}K2pw77 です")
    assert found
    assert "K2pw" not in masked
    assert "Zq9x" not in masked


@pytest.mark.parametrize("mark", INVISIBLE)
def test_an_invisible_character_inside_the_password_word_still_names_it(mark: str) -> None:
    masked, found = redact(f"pass{mark}word: Zq9xK2pw77")
    assert found
    assert "Zq9xK2pw77" not in masked


@pytest.mark.parametrize(
    "typed",
    [
        "Ｚｑ９ｘＫ２ｐｗ７７",  # a phone's Japanese keyboard left in full width
        "Zq9x\u200bK2pw77",
        "\u200bZq9xK2pw77\u200b",
    ],
)
def test_a_lone_password_at_the_address_question_is_masked_however_it_is_written(
    typed: str,
) -> None:
    assert redact(typed, alone=True) == (MASK, True)


def test_a_lone_full_width_address_is_still_no_password() -> None:
    assert redact("ｔａｒｏ１９７５", alone=True) == ("ｔａｒｏ１９７５", False)
    assert redact("Ｔａｒｏ１９７５", alone=True) == ("Ｔａｒｏ１９７５", False)


@pytest.mark.parametrize(
    "sentence",
    [
        # How people say their login fails: each was masked as a typed password, and the
        # message read as nothing but that (the warning, no diagnosis).
        "my password doesn't work",
        "password isn't accepted",
        "the password won't work",
        "password doesnt work",
        "password didn't change",
        "password keeps failing",
        "password gets rejected",
        "password is getting rejected",
        "password always fails",
        "password sometimes works",
        "password problem",
        "password issue",
        "password popup again",
        "it rejects my password, keeps asking for it",
        "I typed the password, then it failed",
        "password from my provider",
        # What the password box shows.
        "password is blank",
        "password is empty",
        "password is hidden",
        "password is visible",
        "password is unknown",
        "password is ignored",
        "password shows as dots",
    ],
)
def test_a_login_trouble_in_english_is_no_password(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


@pytest.mark.parametrize(
    ("typed", "secret"),
    [("password doesnt99", "doesnt99"), ("password: keeps4ever", "keeps4ever")],
)
def test_a_password_that_begins_like_a_word_is_still_masked(typed: str, secret: str) -> None:
    masked, found = redact(typed)
    assert found
    assert secret not in masked


@pytest.mark.parametrize("yen", ["¥", "￥"])
def test_a_yen_sign_inside_a_password_does_not_keep_its_tail(yen: str) -> None:
    # A Japanese keyboard's ¥ key is the backslash (a Mac's types U+00A5 itself, a
    # full-width input ￥): 「Sakura¥2008」 kept 「¥2008」 after the mask.
    masked, found = redact(f"パスワードは Sakura{yen}2008 です")
    assert found
    assert "2008" not in masked


@pytest.mark.parametrize(
    "typed",
    [
        "my pasword is Kq7xyz99",
        "Passwrod: Kq7xyz99",
        "the passowrd for taro is Kq7xyz99",
        "passwrd Kq7xyz99",
        # The long-vowel mark typed as a full-width dash, the kanji 一 or a bar.
        "パスワ－ドはKq7xyz99です",
        "パスワ一ドは Kq7xyz99 です",
        "パスワ―ド：Kq7xyz99",
        "パスワドはKq7xyz99",
    ],
)
def test_a_password_word_mistyped_still_names_the_password(typed: str) -> None:
    # Each kept its password as typed: the word was not one the patterns knew.
    masked, found = redact(typed)
    assert found
    assert "Kq7xyz99" not in masked


@pytest.mark.parametrize("sentence", ["my pasword doesnt work", "パスワ一ドを忘れました"])
def test_a_mistyped_password_word_in_a_sentence_masks_nothing(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # The message was stored as the patterns read it (NFKC, ¥ as a backslash): the fee
        # became 「月額\300」, a circled number a plain one, full-width letters ASCII.
        (
            "パスワードは Kq7xyz99 です。月額￥300のままですか",
            "パスワードは ******** です。月額￥300のままですか",
        ),
        ("①パスワードは Kq7xyz99 です", "①パスワードは ******** です"),
        (
            "Ｏｕｔｌｏｏｋのパスワードは Kq7xyz99 です",
            "Ｏｕｔｌｏｏｋのパスワードは ******** です",
        ),
        ("ﾊﾟｽﾜｰﾄﾞは Kq7xyz99 です", "ﾊﾟｽﾜｰﾄﾞは ******** です"),
        ("パスワードは Kq7xyz99 です\u200b", "パスワードは ******** です\u200b"),
        # A password written in full width, or with an invisible or a yen sign inside it,
        # is masked whole.
        ("パスワード：ｘｙｚ１２３４", "パスワード：********"),
        ("パスワードは Ｋｑ７ｘｙｚ９９ です", "パスワードは ******** です"),
        ("パスワードは Zq9x\u200bK2pw77 です", "パスワードは ******** です"),
        ("パスワードは Sakura￥2008 です", "パスワードは ******** です"),
        ("pass\u200bword: Zq9xK2pw77", "pass\u200bword: ********"),
    ],
)
def test_a_masked_message_keeps_the_subscribers_own_characters(typed: str, stored: str) -> None:
    assert redact(typed) == (stored, True)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # The punctuation after the password was masked with it: '******** the fee'.
        ("password: Kq7xyz99, the fee is the same?", "password: ********, the fee is the same?"),
        ("my password is Kq7xyz99.", "my password is ********."),
        ("my password is Kq7xyz99; it fails", "my password is ********; it fails"),
        ('パスワード"zx8-vvvv"です', 'パスワード"********"です'),
        ("password 'Kq7xyz99', right", "password '********', right"),
        ("パスワード（Dd8-eeee）を入れても駄目です", "パスワード（********）を入れても駄目です"),
        ("password (Dd8-eeee) fails", "password (********) fails"),
        # Inside the password, or at its end with nothing after it but more of it, a mark is
        # the password's own.
        ("password: Kq7,xyz99 fails", "password: ******** fails"),
        ("password: Kq7xyz99! fails", "password: ******** fails"),
        ("password: Kq7xyz99,. fails", "password: ********,. fails"),
        ("password: ....", "password: ********"),
        ("password: Kq7xyz99)", "password: ********"),
    ],
)
def test_punctuation_after_a_password_is_kept(typed: str, stored: str) -> None:
    assert redact(typed) == (stored, True)


@pytest.mark.parametrize(("typed", "secret"), TYPED_SECRETS)
def test_only_the_password_is_masked(typed: str, secret: str) -> None:
    # Everything around the mask is as typed, and the password, in whatever width it was
    # typed, is gone.
    masked, _ = redact(typed)
    before, _, after = masked.partition(MASK)
    assert typed.startswith(before), masked
    assert typed.endswith(after), masked
    assert secret.lower() not in unicodedata.normalize("NFKC", masked).lower()
