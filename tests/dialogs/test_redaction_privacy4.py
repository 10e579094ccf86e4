"""The last passwords kept as typed (privacy4), and the sentences about passwords that stay.

Last session's note left these stored as typed: kana after a full-width space whose first
kana is a particle's (「パスワード　はなこ」: 「なこ」 read as a verb), and a password asked
about (「パスワードははなこで合っていますか？」), which an agent could send too, and a password
after what it is (「パスワードは孫の名前で、はなこです」, 「孫の名前のはなこです」 sent after
「パスワードは」). 'password is broken' masked 'broken', and 'password: see below' named no
password after it. Words of letters alone sent after "my password is" ('purple monkey') were
kept: sent alone they are as often an answer ('mostly webmail', 「wakaranai desu」). Each row is
read as the runtime reads it, with the morphological analyser.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, gives_a_password, names_a_password, redact

# (what is typed, whether the message before named a password, the password's pieces).
PASSWORDS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    # The review's list.
    ("パスワード\u3000はなこ", False, ("はなこ",)),
    ("パスワード\u3000はなこです", False, ("はなこ",)),
    ("パスワード\u3000わかなです", False, ("わかな",)),
    ("パスワードははなこで合っていますか？", False, ("はなこ",)),
    ("パスワードはさくらでいいですか", False, ("さくら",)),
    ("パスワードは「さくら」でよろしいですか？", False, ("さくら",)),
    ("パスワードはさくらで大丈夫ですか", False, ("さくら",)),
    ("パスワードは花子で合ってる？", False, ("花子",)),
    ("パスワードは孫の名前で、はなこです", False, ("はなこ",)),
    ("パスワードはわたしのなまえの\u3000はなこ\u3000です", False, ("はなこ",)),
    ("孫の名前のはなこです", True, ("はなこ",)),
    ("パスワードは犬の名前で「ぽち」です", False, ("ぽち",)),
    # A common password is no complaint: still masked beside the complaints that stay.
    ("my password is dragon", False, ("dragon",)),
    ("password is sunshine", False, ("sunshine",)),
    # Words of letters alone sent after 'my password is', 'password:' or 「パスワードは」.
    ("purple monkey", True, ("purple", "monkey")),
    ("hunter two", True, ("hunter", "two")),
    ("sakura mochi", True, ("sakura", "mochi")),
    ("blue whale", True, ("blue", "whale")),
    ("Purple Monkey", True, ("Purple", "Monkey")),
    ("it's purple monkey", True, ("purple", "monkey")),
    ("'purple monkey'", True, ("purple", "monkey")),
    ("horse battery staple", True, ("horse", "battery", "staple")),
    # privacy4's own phrasings kept as typed before (the word shortened or in kana, an arrow,
    # 「の」…「が通りません」, a filler or a hedge, a description, kana and digits sent alone).
    ("ぱすわ\u3000はなこ77", False, ("はなこ77",)),
    ("あんしょうばんごうは4821です", False, ("4821",)),
    ("パスワード→はなこ77", False, ("はなこ77",)),
    ("パスワードのはなこ77が通りません", False, ("はなこ77",)),
    ("パスワードの「はなこ77」が通りません", False, ("はなこ77",)),
    ("パスワードは、えーと、はなこです", False, ("はなこ",)),
    ("パスワードはね、はなこだよ", False, ("はなこ",)),
    ("パスワードはたしかhanakoだったかと", False, ("hanako",)),
    ("パスワードは孫の名前で、hanakoです", False, ("hanako",)),
    ("パスワードは、孫の名前の「はなこ」です", False, ("はなこ",)),
    ("my password is my granddaughter's name, hanako", False, ("hanako",)),
    ("password is my dog's name: pochi", False, ("pochi",)),
    ("はなこ77", True, ("はなこ77",)),
    ("「はなこ77」です", True, ("はなこ77",)),
    # A kanji common noun that names a thing (「桜」: the letters typed so, sakura).
    ("パスワードは桜です", False, ("桜",)),
    ("パスワードは梅です", False, ("梅",)),
    ("パスワードは向日葵です", False, ("向日葵",)),
    ("パスワードを猫にしました", False, ("猫",)),
    ("暗証番号は林檎です", False, ("林檎",)),
    # A password corrected in the same message: both masked.
    ("パスワードははなこ77です。あ、違った、はなこ78でした", False, ("はなこ77", "はなこ78")),
    ("my password is hanako77, oops, I mean hanako78", False, ("hanako77", "hanako78")),
    ("パスワードはsakura2008、じゃなくてsakura2009です", False, ("sakura2008", "sakura2009")),
    ("my password is hanako77 sorry I meant hanako78", False, ("hanako77", "hanako78")),
    # Digits named by whose they are.
    ("パスワードは主人の誕生日で0512です", False, ("0512",)),
    ("暗証番号は孫の誕生日の1225です", False, ("1225",)),
    # Hiragana and digits right after the address, as a login is written down.
    ("taro@vp.117.ne.jp\u3000はなこ77", False, ("はなこ77",)),
    ("taro@vp.117.ne.jp / はなこ77 です", False, ("はなこ77",)),
)

# Sentences about passwords, ordinary answers: each stays whole.
LOOK_ALIKES: tuple[tuple[str, bool], ...] = (
    ("password: see below", False),
    ("password is broken", False),
    ("my password is broken", False),
    ("password broken", False),
    ("my password is hacked", False),
    ("my password is outdated", False),
    ("password is all lowercase", False),
    ("the password is weird", False),
    ("password (see below)", False),
    ("パスワードは半角です", False),
    ("パスワードは不明です", False),
    ("パスワードは英数字です", False),
    ("パスワードはわかりません", False),
    ("パスワード\u3000はわかりません", False),
    ("パスワードはこれで合っていますか？", False),
    ("パスワードはひらがなで合ってますか", False),
    ("パスワードは半角で合っていますか", False),
    ("パスワードはいまのままでいいですか", False),
    ("パスワードはメールでいいですか", False),
    ("パスワードはいつもので大丈夫ですか", False),
    ("パスワードはあとでいいですか", False),
    ("パスワードはのちほどでいいですか", False),
    ("パスワードはあしたでも大丈夫ですか", False),
    ("パスワードは孫の名前です", False),
    ("パスワードは孫の名前で、わかりません", False),
    ("孫の名前です", True),
    ("孫の名前のはなこです", False),
    ("パスワードは名前の、ひらがなです", False),
    # Answers after a message that named a password: English said of it, chat, mail words,
    # Japanese in romaji (read as the kana it spells), the corpus's 'mostly webmail'.
    ("mostly webmail", True),
    ("wakaranai desu", True),
    ("iie chigaimasu", True),
    ("eigo de onegaishimasu", True),
    ("not working", True),
    ("sounds good", True),
    ("not sure", True),
    ("the same", True),
    ("yes please", True),
    ("ok thanks", True),
    ("bye bye", True),
    ("hello there", True),
    ("take care", True),
    ("eM Client", True),
    ("Incoming server", True),
    ("in my notebook", True),
    ("on the letter", True),
    ("wrong apparently", True),
    ("lowercase only", True),
    ("アウトルック2016", True),
    ("やまだ@vp.117.ne.jp", True),
    ("メールアドレスはtaro@vp.117.ne.jpです", True),
    ("パスワードの変更は2回目です", False),
    ("パスワードは孫の名前で、8文字です", False),
    ("my password is my dog's name", False),
    ("the password is my husband's name, not mine", False),
    ("パスワードはたしか8文字です", False),
    ("パスワードはね、わかりません", False),
    # A kanji noun said of a password: what it is made of, where it is, whose, its state.
    ("パスワードは半角です", False),
    ("パスワードは全角です", False),
    ("パスワードは英数字です", False),
    ("パスワードは数字です", False),
    ("パスワードは小文字です", False),
    ("パスワードはローマ字です", False),
    ("パスワードは不明です", False),
    ("パスワードは秘密です", False),
    ("パスワードは別です", False),
    ("パスワードは共通です", False),
    ("パスワードは必要です", False),
    ("パスワードは必須です", False),
    ("パスワードは最初です", False),
    ("パスワードは以前です", False),
    ("パスワードは未設定です", False),
    ("パスワードは空欄です", False),
    ("パスワードは誕生日です", False),
    ("パスワードは電話番号です", False),
    ("パスワードは手紙です", False),
    ("パスワードは書類です", False),
    ("パスワードは主人です", False),
    ("パスワードは孫です", False),
    ("パスワードは問題です", False),
    ("パスワードは自動です", False),
    ("パスワードは内緒です", False),
    ("パスワードは携帯です", False),
    ("パスワードは郵送です", False),
    ("パスワードは期限切れです", False),
    ("パスワードは間違いです", False),
    ("パスワードは仮です", False),
    ("パスワードは初期値です", False),
    ("パスワードは主人の誕生日です", False),
    ("パスワードは主人の誕生日で8桁です", False),
    ("taro@vp.117.ne.jp\u3000ポート587です", False),
    ("taro@vp.117.ne.jp です。よろしく2回目です", False),
    ("パスワードはそのままでいいですか", False),
    ("パスワードは孫の名前です", False),
    ("パスワードは孫の名前で、わかりません", False),
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


# An agent saying the subscriber's password back, asked: refused as 「…ですね？」 is.
AGENT_REFUSED = (
    "パスワードははなこで合っていますか？",
    "パスワードは「さくら」でよろしいですか？",
    "パスワードはさくらもちで間違いないですか",
)
AGENT_SENT = (
    "パスワードはいまのままで大丈夫です",
    "パスワードはそのままでいいですか？",
    "パスワードは半角で合っていますか？",
    "パスワードはひらがなで合っていますか？",
)


@pytest.mark.parametrize("text", AGENT_REFUSED)
def test_an_agent_asking_about_a_kana_password_is_refused(text: str) -> None:
    assert gives_a_password(text, analyser=japanese_analyser())


@pytest.mark.parametrize("text", AGENT_SENT)
def test_an_agent_asking_about_a_state_is_sent(text: str) -> None:
    assert not gives_a_password(text, analyser=japanese_analyser())


@pytest.mark.parametrize(
    "text", ["password: see below", "my password - see next message", "パスワードは下に書きます"]
)
def test_a_password_announced_so_names_the_next_message(text: str) -> None:
    assert names_a_password(text)
    assert redact("Kq7xyz99", named_before=names_a_password(text)) == (MASK, True)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("パスワードはhanako77です。あ、違った、メールは2通です", "メールは2通です"),
        ("パスワードはhanako77です。間違いないです", "間違いないです"),
        ("my password is hanako77, sorry for the trouble", "sorry for the trouble"),
    ],
)
def test_what_is_said_after_a_password_and_a_correction_word_stays(typed: str, kept: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert masked.endswith(kept)
