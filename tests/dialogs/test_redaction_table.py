"""A table of what subscribers type: passwords, and text that only looks like one.

The last review stored 14 of about 85 phrasings as typed: kana alone after the word
(「パスワードはさくらです」), a password split by a space ('my password is Kq7 xyz99'), the
second of two (「古いのは abc123 で新しいのは Kq7xyz99」), a pass phrase, 'secret:', and the
value before a bare word (「Kq7xyz99 パスワード」). Each row here is read as the runtime reads
it, with the morphological analyser; a password must leave no piece of itself, and a
look-alike (an error text, a user name, an address, a date, a phone number) must stay whole.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from bot.ops.profile_loader import load_profile
from dialogs.reading.stage_reading import login_domains
from dialogs.redaction import MASK, looks_like_a_password, perhaps_a_password, redact

# (what is typed, the pieces of the password in it); no pieces: nothing is a password.
PASSWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Kana alone after the word.
    ("パスワードは「さくら」です", ("さくら",)),
    ("パスワードはさくらです", ("さくら",)),
    ("ぱすわーどは さくらもち", ("さくらもち",)),
    ("パスワードは『ひまわり』です", ("ひまわり",)),
    ('パスワードは"もみじ"です', ("もみじ",)),
    ("パスワード：さくら", ("さくら",)),
    ("パスワードはサクラです", ("サクラ",)),
    ("ﾊﾟｽﾜｰﾄﾞはｻｸﾗです", ("ｻｸﾗ",)),
    ("パスワードは、はなこです", ("はなこ",)),
    ("パスワードはたろうです", ("たろう",)),
    ("パスワードははなこ。よろしくお願いします", ("はなこ",)),
    ("いつもお世話になっております。パスワードはもみじです。設定できません", ("もみじ",)),
    ("パスワードはさくらだと思います", ("さくら",)),
    ("パスワードは「さくら」でログインできません", ("さくら",)),
    ("暗証番号は「ひみつ」です", ("ひみつ",)),
    ("パスワードはやまだです", ("やまだ",)),
    ("パスワードはぽちです", ("ぽち",)),
    ("パスワードはタマです", ("タマ",)),
    ("パスワードはハナコ", ("ハナコ",)),
    ("パスワードはさくら さくら です", ("さくら",)),
    ("パスワードは「さくら もち」です", ("さくら", "もち")),
    ("パスワードをさくらにしました", ("さくら",)),
    ("パスワードはさくらに変えました", ("さくら",)),
    ("パスワード さくら", ("さくら",)),
    ("パスワードは「さくら」で、IDは「taro」です", ("さくら",)),
    # A comma, then the next thing said (reviewer17).
    ("パスワードはもみじ、IDはtaroです", ("もみじ",)),
    ("パスワードは「すずらん」、ユーザー名はtaroです", ("すずらん",)),
    ("パスワードは さくら、よろしくお願いします", ("さくら",)),
    # An arrow between, as a note of the fields is written (reviewer17).
    ("パスワード→さくら", ("さくら",)),
    ("パスワード -> さくら", ("さくら",)),
    ("パスワード→「さくら」", ("さくら",)),
    # Kana with digits, then a particle of doubt or choice (reviewer17).
    ("パスワードはさくら2008かさくら2009です", ("さくら2008", "さくら2009")),
    ("パスワードは さくら2008 か さくら2009 のどちらかです", ("さくら2008", "さくら2009")),
    ("パスワードはKq7xyz99かさくら2009", ("Kq7xyz99", "さくら2009")),
    ("パスワードはさくら2008かも", ("さくら2008",)),
    ("パスワードはさくら2008から変えました", ("さくら2008",)),
    ("パスワードはさくらかもしれません", ("さくら",)),
    ("パスワードは「すみれ」かな", ("すみれ",)),
    ("パスワードは多分さくらです", ("さくら",)),
    ("パスワードは確か、もみじです", ("もみじ",)),
    ("Kq7xyz99 is what I use for the password", ("Kq7xyz99",)),
    ("hanako77 is what I typed as my password", ("hanako77",)),
    # A password split by a space.
    ("my password is Kq7 xyz99", ("Kq7", "xyz99")),
    ("パスワードは Kq7 xyz99 です", ("Kq7", "xyz99")),
    ("password: Kq7 xyz99", ("Kq7", "xyz99")),
    ("my password is sakura 2008", ("sakura", "2008")),
    ("パスワードは abc 123 です", ("abc", "123")),
    ("パスワードは Kq7 xyz99。よろしくお願いします", ("Kq7", "xyz99")),
    ("パスワードは　Ｋｑ７　ｘｙｚ９９　です", ("Ｋｑ７", "ｘｙｚ９９")),
    ("pw: ab12 cd34 ef56", ("ab12", "cd34", "ef56")),
    ("パスワードは ab cd ef です", ("ab", "cd", "ef")),
    # The second of two.
    ("old password was abc123 and the new one is Kq7xyz99", ("abc123", "Kq7xyz99")),
    ("古いのは abc123 で新しいのは Kq7xyz99", ("abc123", "Kq7xyz99")),
    ("前のパスワードは abc123、今のは Kq7xyz99 です", ("abc123", "Kq7xyz99")),
    ("the old one is abc123 and the new one is Kq7xyz99", ("abc123", "Kq7xyz99")),
    ("変更前のは abc123、変更後のは Kq7xyz99 です", ("abc123", "Kq7xyz99")),
    ("新しいほうは「Kq7xyz99」です", ("Kq7xyz99",)),
    ("前は abc123 で今は Kq7xyz99 です", ("abc123", "Kq7xyz99")),
    ("I changed it from abc123 to Kq7xyz99", ("abc123", "Kq7xyz99")),
    ("I changed my password from abc123 to Kq7xyz99", ("abc123", "Kq7xyz99")),
    ("password: Kq7 xyz 99", ("Kq7", "xyz", "99")),
    # Pass phrases, 'secret', PW, PIN.
    ("pass phrase: correct horse battery staple", ("correct", "horse", "battery", "staple")),
    ("passphrase is correct horse battery staple", ("correct", "horse", "battery", "staple")),
    ("my passphrase: purple monkey dishwasher.", ("purple", "monkey", "dishwasher")),
    ("Passphrase = Kq7xyz99", ("Kq7xyz99",)),
    ("secret: Kq7xyz99", ("Kq7xyz99",)),
    ("Secret = Kq7xyz99", ("Kq7xyz99",)),
    ("PW:Kq7xyz99", ("Kq7xyz99",)),
    ("ＰＷ：Ｋｑ７ｘｙｚ９９", ("Ｋｑ７ｘｙｚ９９",)),
    ("pw Kq7xyz99", ("Kq7xyz99",)),
    ("暗証番号は 4321", ("4321",)),
    ("暗証番号は４３２１です", ("４３２１",)),
    ("PIN: 4321", ("4321",)),
    ("合言葉は やまかわ です", ("やまかわ",)),
    # The value before the word.
    ("Kq7xyz99 がパスワードです", ("Kq7xyz99",)),
    ("Kq7xyz99 パスワード", ("Kq7xyz99",)),
    ("Kq7xyz99 パスワードです", ("Kq7xyz99",)),
    ("Kq7xyz99 is my password", ("Kq7xyz99",)),
    ("Kq7xyz99というパスワードです", ("Kq7xyz99",)),
    # Ordinary ASCII passwords, with and without punctuation, full-width, mid-message.
    ("パスワードは Kq7xyz99 です", ("Kq7xyz99",)),
    ("パスワードはKq7xyz99", ("Kq7xyz99",)),
    ("パスワード：Ｋｑ７ｘｙｚ９９", ("Ｋｑ７ｘｙｚ９９",)),
    ("my password is Kq7xyz99.", ("Kq7xyz99",)),
    ("password=Kq7xyz99", ("Kq7xyz99",)),
    ("The password is Kq7xyz99 but Outlook says it is wrong", ("Kq7xyz99",)),
    ("設定していますが、パスワード Kq7xyz99 を入れても通りません", ("Kq7xyz99",)),
    ("パスワードはsakura2008です", ("sakura2008",)),
    ("パスワードはさくら2008です", ("さくら2008",)),
    ("password: sakura#2008", ("sakura#2008",)),
    ("ID taro パスワード Kq7xyz99", ("Kq7xyz99",)),
    ("taro@vp.117.ne.jp Kq7xyz99", ("Kq7xyz99",)),
    ("my password is Kq7xyz99 or Kq7xyz98", ("Kq7xyz99", "Kq7xyz98")),
    ("パスワードは「Rt5-mnop」です", ("Rt5-mnop",)),
    ("pass: Zz9-qwer", ("Zz9-qwer",)),
    ("The password for taro is Yy8-asdf", ("Yy8-asdf",)),
    ("ログインパスワード→Kq7xyz99", ("Kq7xyz99",)),
    # Dotted, as a host is written: kept as typed, read as a host name (redact5).
    ("パスワードは my.secret.pw", ("my.secret.pw",)),
    ("パスワードは my.pass.99 です", ("my.pass.99",)),
    ("パスワードは Pass.word.77 です", ("Pass.word.77",)),
    ("パスワードはtaro.1975.xyです", ("taro.1975.xy",)),
    ("パスワードは a.b.c.1 です", ("a.b.c.1",)),
    ("パスワード：「my.pass.99」", ("my.pass.99",)),
    ("password is my.secret.pw", ("my.secret.pw",)),
    ("my password is my.pass.99.", ("my.pass.99",)),
    ("pw: Pass.word.77", ("Pass.word.77",)),
    ("ID・PW taro my.pass.99", ("my.pass.99",)),
)

LOOK_ALIKES: tuple[str, ...] = (
    # Sentences about the password in kana and kanji.
    "パスワードはわかりません",
    "パスワードは忘れました",
    "パスワードは変わりますか",
    "パスワードはそのままです",
    "パスワードはわすれました",
    "パスワードはしらないです",
    "パスワードはおなじです",
    "パスワードはいっしょですか",
    "パスワードはまだです",
    "パスワード→わかりません",
    "パスワード→エラー",
    "パスワードはわからないかもしれません",
    "パスワードは多分そのままです",
    "パスワードはまちがえたかな",
    "Outlook is what I use for the password",
    "パスワードはなんですか",
    "パスワードはどこですか",
    "パスワードはこれですか",
    "パスワードはなしです",
    "パスワードはかわりません",
    "パスワードはちがいます",
    "パスワードはひらがなですか",
    "パスワードはエラーです",
    "パスワードはありません",
    "パスワードはいつものです",
    "パスワードはしりません",
    "パスワードはおおもじです",
    "パスワードはほんとうです",
    "パスワードはだいじょうぶです",
    "パスワードはちょっと",
    "パスワードはあとでいいですか",
    "パスワードはメモしてあります",
    "パスワードをそのままにしました",
    "パスワードをひらがなにしました",
    "パスワードをいれたらエラーになります",
    "パスワード わかりません",
    "パスワード なし",
    "パスワード エラー",
    "パスワード リセット",
    "パスワード　おしえてください",
    "パスワードが わからない です",
    "パスワードは SMTP AUTH です",
    "パスワードは same です",
    "パスワードは OK です",
    "パスワードは 8 文字 です",
    "パスワードはそのままでいいですか",
    "パスワードが違うと出ます",
    "パスワードがちがうとでます",
    "パスワードを忘れてしまいました",
    "パスワードの変更はどうすればいいですか",
    "パスワードは８文字です",
    "パスワードは 8 文字です",
    "パスワードは前と同じです",
    "パスワードは「リセット」を押して変えました",
    "問題はパスワードです",
    # English sentences about it.
    "my password is not working",
    "password is 8 characters",
    "my password is the same as before",
    "my password is incorrect",
    "passphrase is too long",
    "pass phrase is not accepted",
    "what is a passphrase?",
    "it's a secret",
    "secret: it's a secret",
    "The password is case sensitive",
    "I forgot my password",
    "Incorrect username or password",
    "my password is longer than 8 characters",
    # Error texts.
    "「パスワードが正しくありません」と出ます",
    "エラー 0x800CCC92 が出ます",
    "Outlook says: 0x800CCC0F",
    "サーバーにログインできません。パスワードエラーです",
    "Your password has expired",
    # User names and addresses.
    "ユーザー名は taro.yamada です",
    "アカウントは Hanako1965 です",
    "IDはTaro_2008です",
    "私のIDは taro1965、パスワードは忘れました",
    "taro1965 パスワード忘れました",
    "taro@vp.117.ne.jp",
    "メールアドレスは k-suzuki@vp.117.ne.jp です",
    "k-suzuki",
    "Hanako1965",
    "taro.yamada",
    "Taro_2008",
    "my user name is taro.yamada",
    # Dates, phone numbers, hosts and products.
    "2008年6月1日から変わるのですか",
    "6/1 から使えなくなりますか",
    "電話番号は 090-1234-5678 です",
    "０９０－１２３４－５６７８",
    "POPサーバーは vpop.117.ne.jp です",
    "Outlook2019 で設定しています",
    "iPhone 15 を使っています",
    "Windows 10 の Outlook です",
    "新しいのは iPhone15 です",
    "今のは Outlook2019 です",
    "ポートは 995 です",
    "前は Outlook2010 で今は Outlook2019 です",
    "前は Windows7 でした",
    "今は 10:30 です",
    "以前は vpop.117.ne.jp でした",
    "今は taro@vp.117.ne.jp です",
    "I changed it from POP to IMAP",
    "I changed it from Outlook2016 to Outlook2019",
    "I changed it from port 110 to 995",
    "my password is not ok today",
    "password is too short now",
)


@pytest.mark.parametrize(("typed", "pieces"), PASSWORDS)
def test_a_password_leaves_no_piece_of_itself(typed: str, pieces: tuple[str, ...]) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    for piece in pieces:
        assert piece not in masked


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_a_look_alike_stays_as_typed(typed: str) -> None:
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)


# After the word, what the subscriber may be asking about: the profile's servers (under its
# site, the Public Suffix List's registrable domain of its mail domain) and an address. Only
# a host of the profile's: any other is masked.
PROFILE_NAMES_AFTER_THE_WORD: tuple[str, ...] = (
    "パスワードは vpop.117.ne.jp と同じですか",
    "password is vpop.117.ne.jp?",
    "パスワードは vsmtp.117.ne.jp でも同じですか",
    "パスワードは vp.117.ne.jp のものです",
    "パスワードは taro@vp.117.ne.jp です",
    'ユーザ名またはパスワードが"vpop.117.ne.jp"で正しくありません。',
)


@pytest.mark.parametrize("typed", PROFILE_NAMES_AFTER_THE_WORD)
def test_a_host_of_the_profile_after_the_word_stays(typed: str) -> None:
    # The domains as the runtime reads with them: the profile's, its hosts and its site.
    domains = login_domains(load_profile())
    assert redact(typed, domains=domains, analyser=japanese_analyser()) == (typed, False)


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("パスワードは mail.example.com です", f"パスワードは {MASK} です"),
        ("password is my.pass.99", f"password is {MASK}"),
        # No profile told of: any dotted token after the word.
        ("パスワードは vpop.117.ne.jp です", f"パスワードは {MASK} です"),
    ],
)
def test_a_dotted_token_not_the_profiles_after_the_word_is_masked(typed: str, masked: str) -> None:
    domains = ("vp.117.ne.jp",) if "117" not in typed else ()
    assert redact(typed, domains=domains, analyser=japanese_analyser()) == (masked, True)


def test_the_table_is_at_least_120_rows() -> None:
    assert len(PASSWORDS) + len(LOOK_ALIKES) >= 120


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("さくら", MASK),
        ("「さくら」です", f"「{MASK}」です"),
        ("さくらもち。", f"{MASK}。"),
        ("さくら もち", MASK),
        ("Kq7 xyz99", MASK),
        ("「Kq7 xyz99」です", f"「{MASK}」です"),
        # 'my password is' sent, then the password with "it's" before it (reviewer17).
        ("it's Kq7xyz99", f"it's {MASK}"),
        ("It is hanako77.", f"It is {MASK}."),
        ("i think it's sakura2008", f"i think it's {MASK}"),
        # A space before the copula, as a phone's keyboard leaves one: the copula was read
        # as a second word of the password, the analyser saw a predicate and kept it all.
        ("さくら です。", f"{MASK} です。"),
        ("ひまわり だよ", f"{MASK} だよ"),
        ("すみれ でした", f"{MASK} でした"),
        ("さくら もち です", f"{MASK} です"),
        ("もみじ、です", f"{MASK}、です"),
    ],
)
def test_kana_alone_after_the_word_sent_before_is_the_password(typed: str, masked: str) -> None:
    # 「パスワードは」 sent, then the password alone in kana (it wanted a digit or a symbol).
    assert redact(typed, named_before=True, analyser=japanese_analyser()) == (masked, True)


@pytest.mark.parametrize(
    "typed",
    [
        "わかりません",
        "そのままです",
        "はい",
        "いいえ",
        "まだです",
        "まだ です",
        "わからない です",
        "あれ です",
        "はい そうです",
        "port 995",
        "win 10",
        "taro 1965",
        "Outlook 2019",
        "I forgot it",
        "it's Thunderbird",
        "it's the same",
        "maybe later",
    ],
)
def test_an_answer_in_kana_after_the_word_sent_before_stays(typed: str) -> None:
    assert redact(typed, named_before=True, analyser=japanese_analyser()) == (typed, False)


# Local parts as subscribers' accounts are named (with a digit: those without one are never
# taken for a password), and passwords as a provider issues them: eight random letters and
# digits, twenty with a capital first (as 「Kq7xyz99」), twenty in lower case.
LOCAL_PARTS: tuple[str, ...] = (
    "Hanako1965", "hanako1965", "Taro_2008", "taro_2008", "tanaka123", "t-yamada1975",
    "sakura2008", "kazu0512", "abc123", "yama1234", "nori_77", "tk1965", "shin1", "mama2",
    "s.tanaka.1970", "Suzuki1950", "hiroshi62", "satoshi_k7", "ken-1", "aiko0303", "taka55",
    "Mariko_1958", "tomo2000", "watanabe77", "yoshida1948", "matsumoto55", "shimizu1961",
    "abe1972", "ogawa1966", "murakami61", "Endo_1970", "fukuda1958", "matsuda1955", "takeda1960",
    "mike77", "bob_2008", "Alice1980", "dog_2005", "golf1962", "yk2008", "ms-tanaka2", "h.ito2",
    "kaz1", "mmm123", "a1b2c3", "r2d2", "k2yamada", "tsuyoshi1960", "stella1980", "smith77",
    "christina88", "kyoko1955", "ryota2001", "shun_8", "chihiro55", "mkt2008", "hkobayashi1",
    "tnakamura80", "ksato77", "hsuzuki1960", "tyamada2", "kwatanabe1965", "mfujii88", "y-kimura3",
    "skato1970", "hide-k2",
)  # fmt: skip
ISSUED: tuple[str, ...] = (
    "Ujzde8gx", "D6ncf10e", "Pf91dhod", "Zdoc9is0", "J8ht9lgm", "Xg9edn58", "Pft75v2s",
    "Eh60kvj5", "H5dnsipz", "Z5fk2z9r", "I19r0wyo", "Jfljooa5", "Lqsaj08x", "Ui6d39zz",
    "Zzg4zdme", "N2khvdga", "Kq7xyz99", "Mt8pqr2z", "Pw4nvbx7", "Hj5kd8sl",
    "1u33xtpl", "0ce9uvw5", "3efr4edt", "2sywb3wk", "j8gxbeny", "jqwx4hh5", "344tfjgv",
    "q4k7bn7x", "j8b7tfq7", "xkwo886v", "ompzom75", "wbbr4qmw", "2wxfogo4", "mvn4a4wf",
    "hym4l1vf", "z3zfkkib", "j3j4wj99", "ibag7i1m", "nbqns6pu", "q80idw37",
)  # fmt: skip


def test_no_local_part_is_refused_and_few_are_asked_for_again() -> None:
    # A token that may be either is masked and the whole address asked for (never refused
    # with the password warning, `looks_like_a_password`): 4 of these 66.
    assert len(LOCAL_PARTS) == 66
    assert [name for name in LOCAL_PARTS if looks_like_a_password(name)] == []
    asked = [name for name in LOCAL_PARTS if redact(name, alone=True)[1]]
    assert asked == ["mmm123", "a1b2c3", "k2yamada", "mkt2008"]
    assert all(perhaps_a_password(name) for name in asked)


def test_most_issued_passwords_are_neither_said_back_nor_kept() -> None:
    kept = [token for token in ISSUED if not redact(token, alone=True)[1]]
    # Jfljooa5, ompzom75 and 2wxfogo4 were kept until privacy3 read their unspelt pairs.
    assert kept == []
