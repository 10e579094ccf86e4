"""Passwords a review found kept as typed, and 150 more phrasings, with look-alikes that stay.

Last session's reviewer stored these as typed: 'password: sakura mochi' (only 'sakura' was
masked), 'my password is hunter two', "it's Kq7xyz99, the password",
「パスワードがさくらなんですが」, 「ぱすわーどは いちにさんし」 (digits said in kana), 'before
it was abc123, now it's Kq7xyz99'.
privacy3 then typed 150 phrasings of their own (Japanese and English; polite, casual, elderly,
typos, full width, emoji, quotes, 「暗証番号」「パス」「PW」, in a long complaint, beside the
address): 29 more were kept as typed before (「パスワードはすみれなんですけど」, 「🔑 Kq7xyz99」,
「「さくら2008」というパスワードです」, 'Kq7xyz99, my password', 'previously abc123, currently
Kq7xyz99' …). Each row is read as the runtime reads it, with the morphological analyser; a
password must leave no piece of itself, and a look-alike (an ordinary answer, a mail program,
an error code, an address, a server, a date, a phone number) must stay whole.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, perhaps_a_password, redact

# (what is typed, whether the message before named a password, the password's pieces).
PASSWORDS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("password: sakura mochi", False, ("sakura", "mochi")),
    ("my password is hunter two", False, ("hunter", "two")),
    ("it's Kq7xyz99, the password", False, ("Kq7xyz99",)),
    ("パスワードがさくらなんですが", False, ("さくら",)),
    ("ぱすわーどは いちにさんし", False, ("いちにさんし",)),
    ("before it was abc123, now it's Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("すみれです", True, ("すみれ",)),
    ("パスワードは Kq7xyz99 でございます", False, ("Kq7xyz99",)),
    ("恐れ入りますが、パスワードはsakura2008でお願いします", False, ("sakura2008",)),
    ("パスワードは「Kq7xyz99」になっております", False, ("Kq7xyz99",)),
    (
        "お世話になります。パスワードはmomiji55です。よろしくお願いいたします。",
        False,
        ("momiji55",),
    ),
    ("パスワードはabc12345だったと思います", False, ("abc12345",)),
    ("パスワードはひまわりでございます", False, ("ひまわり",)),
    ("パスワードはすみれなんですけど", False, ("すみれ",)),
    ("パスワードがもみじなのですが、入れません", False, ("もみじ",)),
    ("パスワードはたんぽぽなんですが、通りません", False, ("たんぽぽ",)),
    ("パスワードは「さくらもち」なんです", False, ("さくらもち",)),
    ("パスワードkq7xyz99だよ", False, ("kq7xyz99",)),
    ("パス Kq7xyz99", False, ("Kq7xyz99",)),
    ("パスはsakura2008", False, ("sakura2008",)),
    ("ぱすはさくら2008", False, ("さくら2008",)),
    ("PW: Kq7xyz99", False, ("Kq7xyz99",)),
    ("pw Kq7xyz99", False, ("Kq7xyz99",)),
    ("PWはkq7xyz99", False, ("kq7xyz99",)),
    ("暗証番号は1234abcd", False, ("1234abcd",)),
    ("暗証番号 sakura2008", False, ("sakura2008",)),
    ("暗証番号はさくらです", False, ("さくら",)),
    ("暗証番号：いちにさんよん", False, ("いちにさんよん",)),
    ("パスワードはごーろくななはち", False, ("ごーろくななはち",)),
    ("パスワード「Kq7xyz99」", False, ("Kq7xyz99",)),
    ("パスワードは「ひまわり」", False, ("ひまわり",)),
    ("「Kq7xyz99」がパスワードです", False, ("Kq7xyz99",)),
    ("パスワードは『sakura2008』", False, ("sakura2008",)),
    (
        "孫に設定してもらったパスワードは sakura2008 なのですが、メールが見られません",
        False,
        ("sakura2008",),
    ),
    ("ぱすわーどは、たしか、さくら2008だったとおもいます", False, ("さくら2008",)),
    ("ぱすわーどは さくら です", False, ("さくら",)),
    ("パスワードは\u3000ＫＱ７ＸＹＺ９９\u3000です", False, ("ＫＱ７ＸＹＺ９９",)),
    ("パスワードは、ｓａｋｕｒａ２００８です", False, ("ｓａｋｕｒａ２００８",)),
    ("ぱすわーど\u3000ｋｑ７ｘｙｚ９９", False, ("ｋｑ７ｘｙｚ９９",)),
    ("パスワーどは Kq7xyz99", False, ("Kq7xyz99",)),
    ("ぱすわどはKq7xyz99", False, ("Kq7xyz99",)),
    ("my pasword is Kq7xyz99", False, ("Kq7xyz99",)),
    ("my passwrod is sakura2008", False, ("sakura2008",)),
    ("passowrd: Kq7xyz99", False, ("Kq7xyz99",)),
    ("my pssword is Kq7xyz99", False, ("Kq7xyz99",)),
    ("pasword Kq7xyz99", False, ("Kq7xyz99",)),
    ("パスワードはKq7xyz99です😊", False, ("Kq7xyz99",)),
    ("パスワードはさくらです🙏", False, ("さくら",)),
    ("my password is Kq7xyz99 😭", False, ("Kq7xyz99",)),
    ("パスワード👉Kq7xyz99", False, ("Kq7xyz99",)),
    ("🔑 Kq7xyz99", False, ("Kq7xyz99",)),
    ("パスワードは💦 sakura2008 です", False, ("sakura2008",)),
    ("Hello, my password is Kq7xyz99. Could you check?", False, ("Kq7xyz99",)),
    ("The password I was given is Kq7xyz99", False, ("Kq7xyz99",)),
    ("pw is sakura2008", False, ("sakura2008",)),
    ("pass: Kq7xyz99", False, ("Kq7xyz99",)),
    ("password = Kq7xyz99", False, ("Kq7xyz99",)),
    ("my password's Kq7xyz99", False, ("Kq7xyz99",)),
    ("my password is sakuramochi", False, ("sakuramochi",)),
    ('my password is "sakura mochi"', False, ("sakura", "mochi")),
    ("my password is 'hunter2'", False, ("hunter2",)),
    ("the password is hunter two", False, ("hunter", "two")),
    ("password: blue sky", False, ("blue", "sky")),
    ("Password: tanaka hanako", False, ("tanaka", "hanako")),
    ("i use Kq7xyz99 as password", False, ("Kq7xyz99",)),
    ("Kq7xyz99 is my password", False, ("Kq7xyz99",)),
    ("Kq7xyz99, that's my password", False, ("Kq7xyz99",)),
    ("sakura2008 - my password", False, ("sakura2008",)),
    ("Kq7xyz99, my password", False, ("Kq7xyz99",)),
    ("it's sakura2008, the password.", False, ("sakura2008",)),
    ("used to be abc123, now it's Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("it was abc123 before and now it is Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("previously abc123, currently Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("the old password was abc123 and the new one is Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("i changed abc123 to Kq7xyz99 yesterday", False, ("abc123", "Kq7xyz99")),
    ("my passcode is 1234abcd", False, ("1234abcd",)),
    ("PIN: 4821xy", False, ("4821xy",)),
    ("login password: Kq7xyz99", False, ("Kq7xyz99",)),
    ("P/W: Kq7xyz99", False, ("Kq7xyz99",)),
    (
        "もう三日もメールが見られなくて本当に困っています。プロバイダから来た紙にはパスワードがKq7xyz99と書いてあるのですが、何回入れてもだめです。どうしたらいいですか",
        False,
        ("Kq7xyz99",),
    ),
    (
        "昨日から何度も設定をやり直していますが、ずっとエラーです。パスワードはsakura2008で間違いないはずなのに。孫も来られないし困っています。",
        False,
        ("sakura2008",),
    ),
    (
        "I have been trying for hours. Outlook keeps asking for the password and I keep typing"
        " Kq7xyz99 and nothing happens. This is ridiculous.",
        False,
        ("Kq7xyz99",),
    ),
    (
        "I'm very frustrated, the new settings don't work and my password is Kq7xyz99 which I"
        " copied from the letter exactly",
        False,
        ("Kq7xyz99",),
    ),
    ("メールが送れません。0x800CCC0Eと出ます。パスワードはKq7xyz99です", False, ("Kq7xyz99",)),
    ("taro@vp.117.ne.jp Kq7xyz99", False, ("Kq7xyz99",)),
    ("taro@vp.117.ne.jp パスワードKq7xyz99", False, ("Kq7xyz99",)),
    ("アドレスはtaro@vp.117.ne.jp、パスワードはKq7xyz99です", False, ("Kq7xyz99",)),
    ("taro@vp.117.ne.jp / Kq7xyz99", False, ("Kq7xyz99",)),
    ("address taro@vp.117.ne.jp password Kq7xyz99", False, ("Kq7xyz99",)),
    ("メールアドレス taro@vp.117.ne.jp パスワード さくら", False, ("さくら",)),
    ("taro@vp.117.ne.jp のパスワードは sakura2008 です", False, ("sakura2008",)),
    ("my email is taro@vp.117.ne.jp and password is Kq7xyz99", False, ("Kq7xyz99",)),
    ("パスワードは「Kq7 xyz99」です", False, ("Kq7", "xyz99")),
    ("パスワードを「さくら」にしています", False, ("さくら",)),
    ("「さくら2008」というパスワードです", False, ("さくら2008",)),
    ("パスワード：「momiji」", False, ("momiji",)),
    ("パスワードは「ｍｏｍｉｊｉ」です", False, ("ｍｏｍｉｊｉ",)),
    ("暗証番号は「4821」です", False, ("4821",)),
    ("暗証番号は4821です", False, ("4821",)),
    ("パスは「Kq7xyz99」", False, ("Kq7xyz99",)),
    ("PWはさくらです", False, ("さくら",)),
    ("PW：sakura2008", False, ("sakura2008",)),
    ("ＰＷ\u3000ｓａｋｕｒａ２００８", False, ("ｓａｋｕｒａ２００８",)),
    ("Kq7xyz99", True, ("Kq7xyz99",)),
    ("たしか Kq7xyz99", True, ("Kq7xyz99",)),
    ("「さくら」です", True, ("さくら",)),
    ("sakura2008です", True, ("sakura2008",)),
    ("it's hunter2", True, ("hunter2",)),
    ("Kq7xyz99 です。よろしくお願いします", True, ("Kq7xyz99",)),
    ("ひまわり😊", True, ("ひまわり",)),
    ("いちにさんし", True, ("いちにさんし",)),
    ("たぶん さくら です", True, ("さくら",)),
    ("パスワードはKq7xyz99ですが、ログインできません", False, ("Kq7xyz99",)),
    ("パスワード:Kq7xyz99", False, ("Kq7xyz99",)),
    ("パスワード＝Ｋｑ７ｘｙｚ９９", False, ("Ｋｑ７ｘｙｚ９９",)),
    ("パスワードはkq7-xyz9だと思うのですが", False, ("kq7-xyz9",)),
    ("パスワードはKq7xyz99かKq7xyz98です", False, ("Kq7xyz99", "Kq7xyz98")),
    ("新しいパスワードはsakura2009です", False, ("sakura2009",)),
    ("前のパスワードはabc123でした", False, ("abc123",)),
    ("パスワードはさくらもちなんですが、合っていますか", False, ("さくらもち",)),
    ("パスワードはすずらんなのですが", False, ("すずらん",)),
    ("パスワードがひまわりなんだけど", False, ("ひまわり",)),
    ("パスワードはたんぽぽでございます", False, ("たんぽぽ",)),
    ("パスワードはいちにさんしごです", False, ("いちにさんしご",)),
    ("パスワードは「いちにさんし」です", False, ("いちにさんし",)),
    ("パスワード、さくら2008です", False, ("さくら2008",)),
    ("ぱすわーどは\u3000さくら２００８\u3000です", False, ("さくら２００８",)),
    ("さくら2008がパスワードです", False, ("さくら2008",)),
    ("パスワードはたしかさくら2008だったと思う", False, ("さくら2008",)),
    ("PASSWORD: Kq7xyz99", False, ("Kq7xyz99",)),
    ("Password - Kq7xyz99", False, ("Kq7xyz99",)),
    ("password Kq7xyz99 please help", False, ("Kq7xyz99",)),
    ("my password is Kq7xyz99!", False, ("Kq7xyz99",)),
    ("My password is: Kq7xyz99", False, ("Kq7xyz99",)),
    ("password is kq7xyz99 i think", False, ("kq7xyz99",)),
    ("pw: sakura mochi", False, ("sakura", "mochi")),
    ("my password is sakura mochi", False, ("sakura", "mochi")),
    ("Password is blue whale", False, ("blue", "whale")),
    ("the password is taro hanako", False, ("taro", "hanako")),
    ("password: 'hunter two'", False, ("hunter", "two")),
    ("It's Kq7xyz99, the new password.", False, ("Kq7xyz99",)),
    ("sakura2008, the password", False, ("sakura2008",)),
    ("Kq7xyz99 -- my password", False, ("Kq7xyz99",)),
    ("before: abc123, now: Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("Previously it was abc123 but now it's Kq7xyz99", False, ("abc123", "Kq7xyz99")),
    ("now it's Kq7xyz99 and it still fails", False, ("Kq7xyz99",)),
    ("it used to be abc123", False, ("abc123",)),
    ("I changed sakura2008 to sakura2009", False, ("sakura2008", "sakura2009")),
    ("🔑Kq7xyz99", False, ("Kq7xyz99",)),
    ("🔑: sakura2008", False, ("sakura2008",)),
    ("ID taro / PW Kq7xyz99", False, ("Kq7xyz99",)),
    ("ID:taro PW:Kq7xyz99", False, ("Kq7xyz99",)),
    ("ユーザー名 taro パスワード Kq7xyz99", False, ("Kq7xyz99",)),
    ("アドレス taro@vp.117.ne.jp、暗証番号 sakura2008", False, ("sakura2008",)),
    ("taro@vp.117.ne.jp です。パスワードは もみじ です", False, ("もみじ",)),
    ("taro@vp.117.ne.jp / pw: Kq7xyz99", False, ("Kq7xyz99",)),
    ("ごーろくななはち", True, ("ごーろくななはち",)),
    ("すみれです😊", True, ("すみれ",)),
    ("Kq7xyz99😊", True, ("Kq7xyz99",)),
)
# (what is typed, whether the message before named a password): kept as typed.
LOOK_ALIKES: tuple[tuple[str, bool], ...] = (
    ("パスワードがわかりません", False),
    ("パスワードを忘れました", False),
    ("パスワードが違うと出ます", False),
    ("パスワードが通らないんです", False),
    ("パスワードがだめなんです", False),
    ("パスワードが変なんです", False),
    ("パスワードがへんなんです", False),
    ("パスワードがまちがいなんですか", False),
    ("パスワードがそのままなんですが", False),
    ("パスワードがいるんですか", False),
    ("パスワードは同じですか", False),
    ("パスワードはそのままでいいですか", False),
    ("パスワードが必要なんですか", False),
    ("my password is not working", False),
    ("my password is the same as before", False),
    ("password: forgot it", False),
    ("password: same as before", False),
    ("my password is too long", False),
    ("my password is still wrong", False),
    ("my password is saved in outlook", False),
    ("It's Outlook 2016, the password keeps failing", False),
    ("it's Windows10, the password box is greyed", False),
    ("before it was vpop.117.ne.jp, now it's mail.117.ne.jp", False),
    ("before it was Outlook2013, now it's Outlook2019", False),
    ("it was 0x800CCC0E before, now it's 0x800CCC0F", False),
    ("before it was 10:30am now it's 11:45pm", False),
    ("now it's port 995", False),
    ("before it was POP3, now it's IMAP4", False),
    ("0x800CCC0E", False),
    ("0x800CCC92", False),
    ("Outlook", False),
    ("Thunderbird", False),
    ("Becky! 2", False),
    ("iPhoneのメール", False),
    ("taro@vp.117.ne.jp", False),
    ("vpop.117.ne.jp", False),
    ("smtp.117.ne.jp:587", False),
    ("2008年6月1日", False),
    ("6/21", False),
    ("03-1234-5678", False),
    ("090-1234-5678", False),
    ("はい", False),
    ("いいえ", False),
    ("わかりません", True),
    ("忘れました", True),
    ("まだです", True),
    ("はい😊", True),
    ("Thunderbird", True),
    ("Outlook 2019", True),
    ("port 995", True),
    ("I forgot it", True),
    ("no idea", True),
    ("same as before", True),
    ("hold on", True),
    ("ちょっとまってください", True),
    ("たしか", True),
    ("えーと", True),
    ("わからないです", True),
    ("0x800CCC0E", True),
    ("taro@vp.117.ne.jp", True),
    ("not sure", True),
    ("I don't know", True),
    ("パスワードが「さくら」の時と同じ", False),
    ("パスワードはさくらんぼではありません", False),
    ("now it's 1000MB", False),
    ("before it was port110, now it's port995", False),
    ("now it's ver2.3.1", False),
    ("now it's Win11", False),
    ("now it's iOS17", False),
    ("I changed Outlook2016 to Outlook2019", False),
    ("my password is all lowercase", False),
    ("password: see below", False),
    ("my password is on the letter", False),
    ("my password is kinda weird", False),
    ("password: dont know", False),
    ("it's KB5034441, the update", False),
    ("メール2通がパスワードの件です", False),
    ("ポート587はパスワードが", False),
    ("ウィンドウズ10というパスワード画面", False),
    ("wakaranai desu", True),
    ("mostly webmail", True),
    ("iie chigaimasu", True),
)


@pytest.mark.parametrize(("typed", "named_before", "pieces"), PASSWORDS)
def test_a_password_leaves_no_piece_of_itself(
    typed: str, named_before: bool, pieces: tuple[str, ...]
) -> None:
    masked, found = redact(typed, named_before=named_before, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    for piece in pieces:
        assert piece not in masked


@pytest.mark.parametrize(("typed", "named_before"), LOOK_ALIKES)
def test_a_look_alike_stays_as_typed(typed: str, named_before: bool) -> None:
    assert redact(typed, named_before=named_before, analyser=japanese_analyser()) == (
        typed,
        False,
    )


def test_the_tables_hold_150_phrasings_and_60_look_alikes() -> None:
    assert len(PASSWORDS) >= 150
    assert len(LOOK_ALIKES) >= 60


# Passwords as a provider issues them (eight random letters and digits) that passed for a
# local part at the address question, were said back as 「…@vp.117.ne.jp」 and stored: each
# has two consonants side by side that no name is spelt with (「7rczovoh」's 'rc' is, 'cz' not).
ISSUED_SAID_BACK: tuple[str, ...] = (
    "Jfljooa5", "ompzom75", "2wxfogo4", "7rczovoh", "naojnro8", "0kmacxzl", "6lsyqzyy",
    "0xmzvetb", "imaugxd7", "Cgptbut5", "5ynsqbq3", "icflngr9", "Hznjaps0", "8ustrkhi",
    "Lvqyfja0", "mrhbubu1", "97yibgrh", "5191yhz6", "0kmiupwz", "Rynqnct2", "4gfbslym",
    "Cngprby8", "sqjkrif7", "Eqspxqq9", "5vzctou5", "3nigzxqf", "4zeihpik", "0bablhxd",
    "Sewqd103", "2aahkcvb", "3pqofpul", "8fpytopb", "Bwbvwio4", "4zuqsbe5", "1wpkig08",
    "Amkknbj3", "pgmuiew2", "05vagnvv", "zvjejn72", "3gtdhka7", "6fubtagw", "sxsxec43",
    "9yewrtg9", "0cpifrwo", "Drfdifj7", "054zggo8",
)  # fmt: skip
# Local parts of English names and words with a digit: still read as local parts, but two.
ENGLISH_LOCAL_PARTS: tuple[str, ...] = (
    "johnsmith7", "jennifer1972", "michael_3", "elizabeth55", "christopher8", "matthew1980",
    "kenneth12", "joshua2001", "stephen_1", "alexander77", "patrick1965", "douglas3",
    "zachary99", "gabriel1988", "lawrence7", "bradley1970", "ashley_5", "dwight_8",
    "albert_8", "shelby10", "jacqueline1970", "christina88", "kathleen1955", "margaret1949",
    "virginia23", "knight81", "blackcat71", "skywalker12", "strawberry_4", "kitchen65",
    "sunflower2", "chocolate8", "rainbow1990", "football11", "shinkansen7", "hokkaido1960",
    "tempura3", "kimchi88", "mcdonald5", "whisky1975", "matchbox10", "nightmare1950",
)  # fmt: skip


def test_issued_passwords_that_passed_for_local_parts_are_not_said_back() -> None:
    assert [token for token in ISSUED_SAID_BACK if not redact(token, alone=True)[1]] == []


def test_local_parts_of_english_names_are_still_read_as_local_parts() -> None:
    asked = [name for name in ENGLISH_LOCAL_PARTS if perhaps_a_password(name)]
    assert asked == ["matchbox10", "nightmare1950"]
