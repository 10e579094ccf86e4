"""Spotting a password typed into the chat, so it is masked before anything stores it.

The bot never asks for a password in the chat, but subscribers sometimes type one anyway,
the way they talk: 「パスワードは abc123 です」, 「パスワード「Rt5-mnop」で…」,
「暗証番号1234」, "pass: Zz9-qwer", "The password for taro is Yy8-asdf", 「Kq7xyz99 が
パスワードです」. Chat platforms keep what was sent; mailmove must not also keep it in its
transcript, so the runtime stores the masked text and the dialog warns.

What counts as the secret is the run of ASCII after (or just before) a password word: the
bot's own language is Japanese and English, and a password is ASCII. Ordinary sentences
stay as typed: English words that follow "password is" in a sentence about passwords
("is incorrect", "is the same") are not secrets.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Protocol

from dialogs.frozen import quick_init
from dialogs.reading.morphemes import Analyser, Morpheme
from dialogs.reading.program_names import recognise_program
from dialogs.reading.romaji import in_kana

MASK: Final = "********"

# "password" as it is mistyped ("my pasword is Kq7xyz99" kept its password). The reading
# (`dialogs.understanding`) takes the same list for the word.
PASSWORD_MISSPELLINGS: Final = (
    "pasword", "passwrod", "passowrd", "pssword", "passord", "passwrd", "paswd", "paasword",
    "passsword", "passwird", "passwprd",
)  # fmt: skip
_LABEL: Final = (
    # 「パスワ－ド」「パスワ一ド」: a long-vowel mark typed as a dash, a bar or the kanji for one
    # (NFKC makes the full-width dash ASCII).
    r"(?:ログイン\s*)?(?:パスワ[ー\-‐―−一]?ド|ぱすわ[ー\-‐―−一]?ど|パスコード|暗証番号|暗証|"
    # 「ぱすわ」「あんしょうばんごう」: the word shortened or typed in kana (privacy4).
    r"(?:ぱすわ|パスワ)(?![ー\-‐―−一]?[どド])|あんしょう(?:ばんごう)?|パス|ぱす)"
    # 「🔑 Kq7xyz99」: the key written for the word, as a note of one is (privacy3).
    r"|[\U0001f511\U0001f510]\ufe0f?"
    # "p@ssword", "passw0rd", "pa$$word", "pass-word": with the word spelt so, the password
    # after it was kept ("pass-word" masked '-word:' and kept the password).
    r"|(?<![a-z])(?:p[a@4][s$5]{2}[\s_-]?w[o0]rd|passwd|passcode|"
    + "|".join(PASSWORD_MISSPELLINGS)
    # A "pass" the rest of the word follows is no "pass": its secret was '-word'.
    # 'pass phrase: Kq7xyz99' masked 'phrase' and kept the password.
    + r"|pass[\s_-]?phrase|pass(?![\s_-]?(?:w[o0]rd|phrase))|pwd|pw|p\s?/\s?w|pin(?:\s*code)?)"
    + r"(?![a-z])"
)
# Words said between "password is" and the password itself.
_HEDGE: Final = (
    r"\b(?:maybe|probably|perhaps|possibly|just|actually|currently|still|always|like|simply"
    r"|really|usually|normally|definitely|certainly|basically|literally|either)\b"
)
# Between the word and the secret: particles, colons, quotes, "is", "for <account>". "for
# account <name>" names the account in two words: taken as one "for <word>", the name after
# it was the secret (the iPhone's 'Enter the password for account "117net"' was masked, and
# 'the password for account taro is Kq7xyz99' kept its password). "for my account is" names
# none, and a name may end at its colon ("for taro: …"): without them the password was kept.
# The spaces before the first piece stand outside the repeat, and each piece takes only the
# spaces after it: with spaces on both sides of each, every space between two pieces could
# go to either, and 「パスワード は は は …」 (twenty of them) took seconds, thirty hours.
_ACCOUNT_NAME: Final = r"[^\s:=]{1,64}(?:\s+|(?=[:=]))"
_BETWEEN: Final = (
    rf"\s*(?:(?:\bfor\s+(?:(?:the\s+|my\s+)?account\s+{_ACCOUNT_NAME}"
    r"|(?:the\s+|my\s+)?account(?=\s*(?:\bis\b|\bwas\b|:|=))\s*"
    rf"|(?!(?:the\s+|my\s+)?account\b){_ACCOUNT_NAME}))?"
    # 'password - Kq7xyz99', 'password... Kq7xyz99' (「…」 is read as '...').
    r"(?:は|を|が|って|:|=|→|->|-{1,2}(?=\s)|\.{2,}(?!\.)"
    r"|\bis\b|\bwas\b|\bto\b|\bnow\b|\bchanged\b|\bset\b|=>|>>"
    # 'the password I use is Kq7xyz99', '… that I've been using is …', '… which I use: …':
    # only with its "is", "was" or colon after it.
    r"|\b(?:(?:that|which)\s+)?I(?:'ve|\s+have)?\s+(?:been\s+)?"
    r"(?:use|used|using|type|typed|enter|entered|tried|set|have|had)\s*(?=is\b|was\b|:)"
    # "password has been reset to Kq7xyz99", "password reset to …": kept as typed. Only
    # with its "to": "has been" alone before a word ('has been hacked') names no password.
    r"|\b(?:(?:has|have)\s+been\s+|got\s+)?(?:re)?set\s+to\b|\b(?:has|have)\s+been\s+changed\s+to\b"
    # "password is maybe Kq7xyz99", "should be …", "password's …": a hedge or a verb taken
    # for the secret masked itself and left the password after it as typed.
    rf"|{_HEDGE}|\b(?:should|must|will|would)\s+be\b|'s\b|\bremains?\b|\bstays?\b"
    # 「パスワードはたしかhanakoだったかと」 (privacy4: a word of letters after it was kept).
    r"|たしか|確か|たぶん|多分|おそらく|恐らく"
    r"|です|、|,|の|「|『|\"|'|“|‘|\()\s*)*"
)
# A field's access key as Windows shows it after the word: 「パスワード(P): Kq7xyz99」 copied
# from Outlook's account settings kept the password (the key was taken for the secret).
# The key is followed by a colon, a space or Japanese; 「(a)bc123」 stays a password's start.
_LABEL_WITH_KEY: Final = rf"(?:{_LABEL})(?:\s*\([a-z]\)(?=[^!-~]|:|$))?"
_SECRET: Final = r"(?P<secret>[!-~]{4,64})"  # noqa: S105 - a pattern, not a secret
_AFTER_LABEL: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>{_BETWEEN}|\s+){_SECRET}", re.IGNORECASE
)
# Both words of a login, then both values: 「ID・PW taro Kq7xyz99」, 「IDとパスワード taro
# Kq7xyz99」, 'username and password: taro Kq7xyz99'. Read as one word and its value, the
# name was masked and the password after it kept as typed. Read first: the secret is the
# token after the name (the name itself is then masked by `_AFTER_LABEL`, as before).
_ID_WORD: Final = (
    r"(?:(?<![a-z])(?:id|user\s?(?:name|id)?|log-?in(?:\s?(?:name|id))?|account)(?![a-z])"
    r"|アカウント名?|ユーザー?(?:名|id)?|ログイン(?:名|id)?)"
)
_BOTH_WORDS: Final = re.compile(
    rf"(?P<label>{_ID_WORD}\s*(?:[・/&+、,]|と|および|及び|\band\b)?\s*(?:{_LABEL_WITH_KEY}))"
    rf"(?P<sep>{_BETWEEN}|\s+)(?P<name>[!-~]{{1,64}})(?:\s*[、,]\s*|\s+){_SECRET}(?![!-~])",
    re.IGNORECASE,
)
# A note in brackets between the word and the password, as providers' letters print the field:
# 「パスワード（半角英数字）：Kq7xyz99」, 'Password (case sensitive): …' (read folded: 「（」 is
# '('). Read last, on what the others left: it only adds masks, so a password inside the note
# ('password (Kq7xyz99) …') is the one the patterns before it masked.
_AFTER_NOTED_LABEL: Final = re.compile(
    rf"(?P<label>{_LABEL})\s*[(\[【][^()\[\]【】\n]{{1,24}}[)\]】]"
    # Or nothing between: 「パスワード（半角）Kq7xyz99」, the note closing the field's name as a
    # colon would (attacker9: kept as typed).
    rf"(?P<sep>\s*[:=]\s*|\s*){_SECRET}",
    re.IGNORECASE,
)
_NOTE_OPENERS: Final = "([【"
# The password word in another language, a subscriber of that language or a template copied
# from elsewhere: 「密码是sakura2008」「비밀번호는 Kq7xyz99 입니다」 'mi contraseña es
# tulip4242', 'Mein Passwort ist hanako77', 'mon mot de passe est rose9911' were stored as
# typed (the patterns above read Japanese and English frames only). The bot does not speak
# these languages, so only the word, what joins a value to it (a colon, the language's
# copula or particle) and an ASCII value after it are read (`_foreign_value`).
_FOREIGN_WORD: Final = (
    r"(?:密[码碼]|비밀\s?번호|비번|패스워드|암호"
    # Read folded, Russian's 「пароль」 has the Latin letters its look-alikes are read as.
    r"|п[aа][pр][oо]ль"
    r"|(?<![a-z])(?:contrase[ñn]a|passwort|kennwort|mot\s+de\s+passe|mdp|senha)(?![a-z]))"
)
# Chinese 是/为, Korean 는/은/이/가: particles and a copula that join no word of the language
# to the value, so letters alone after them are the password (「密码是sakura」).
_FOREIGN_PARTICLE: Final = r"(?:是|为|為|는|은|이|가)"
_FOREIGN_JOINS: Final = (
    rf"(?:{_FOREIGN_PARTICLE}|[:=]|->|→|c['’]est|\b(?:ist|lautet|war|es|era|est|était|é|is|was)\b"
    r"|[「『\"'“‘(])"
)
_FOREIGN_AFTER_LABEL: Final = re.compile(
    # Not a run a Latin letter goes on from: 'mot de passe: oublié' is a word, not 'oubli'.
    rf"(?P<label>{_FOREIGN_WORD})(?P<sep>(?:\s*{_FOREIGN_JOINS}){{0,4}}\s*){_SECRET}"
    r"(?![!-~\u00c0-\u024f])",
    re.IGNORECASE,
)
_FIELD_JOINS: Final = re.compile(rf"[:=]|->|→|{_FOREIGN_PARTICLE}")
# The marks a sentence puts after a value, left out when its shape is read.
_AFTER_A_VALUE: Final = ",.;:!?\"')]」』”’"


def _foreign_value(match: re.Match[str]) -> bool:
    """Whether the ASCII after a password word of another language (`_FOREIGN_AFTER_LABEL`) is it.

    One shaped as a password is (a digit, a symbol, a capital inside lower case: 「hanako77」
    「Kq7xyz99」), after the word or what joins it; letters alone only where a field's colon or
    a Chinese or Korean particle hands it over ('contraseña: sakura', 「密码是sakura」), since in
    the language's own sentence a word of letters is its own ('Mein Passwort ist falsch', 'mi
    contraseña es incorrecta'). Never a host, an address, an error code or a program
    (「비밀번호는 iPhone에 저장돼 있어요」).
    """
    secret = match.group("secret")
    core = secret.strip(_AFTER_A_VALUE) or secret
    if _ordinary(secret) or _ordinary(core) or recognise_program(core.lower()) is not None:
        return False
    shaped = (
        any(c.isdigit() for c in core)
        or not core.isalnum()
        or (any(c.islower() for c in core) and any(c.isupper() for c in core[1:]))
    )
    if shaped:
        return True
    return (
        core.isalpha()
        and _FIELD_JOINS.search(match.group("sep")) is not None
        and not _english_word(core)
    )


# An ASCII digit: the patterns of `_NEEDS_A_DIGIT` find only tokens holding one.
_ASCII_DIGIT: Final = re.compile(r"[0-9]")
# A password typed in kana with its digits or letters: 「パスワードはさくら2008です」 (the
# letters of 'sakura2008' typed as they are said) was kept as typed, for the ASCII-only
# secret above stops at the kana. The kana come first and an ASCII run of two or more with a
# digit ends it, before a copula, a mark or the message's end: kana alone (「わかりません」),
# kanji (「8文字です」「2回間違えました」) and kana with a word (「ひらがなでOKですか」) are
# words, and 「メール2通目」 goes on into one.
_KANA: Final = r"[\u3041-\u3096\u30a1-\u30fa\u30fc]"
_KANA_SECRET: Final = re.compile(
    # The fewest particles that leave a password after them, a space alone first: the most
    # took the password's own first kana for one (「パスワードははなこ55」 and 「パスワード
    # はなこ55」 kept 「は」 of 「はなこ55」). 「パスワード？はなこ55」: a question mark as a colon.
    # 「パスワード→はなこ77」, 「パスワードのはなこ77が通りません」 (privacy4: kept as typed).
    # 「パスワードをはなこ77に変えました」: its object too (review: kept as typed).
    # 「パスワード欄にはなこ77と入れました」「パスワードのところに…」: its field named, and に
    # (review: kept as typed).
    rf"(?:{_LABEL})(?:の?(?:入力)?欄|のところ|の所)?"
    r"(?:\s+|(?:\s*(?:は|が|を|に|って|:|=|\?|？|\bis\b|、|,|「|『|\"|'|→|->|の|・|…|\.{2,}))+?)\s*"
    # 「ぱすわーどは、たしか、さくら2008だった」: a hedge before it (privacy3).
    # 「パスワードはね、はなこ55」「…えーと、…」: a filler there too.
    r"(?:(?:たしか|確か|多分|たぶん|おそらく|恐らく|ね|えーと|えっと|うーん)[、,\s]*)?"
    # A web address after kana is where the password is changed (「マイページ(https://…)」),
    # never one: its digits made it look like kana typed with a password's digits.
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])(?![!-~]*(?:://|www\.))[!-~]{{2,30}})"
    # 「…かも」「…かな」「さくら2008かさくら2009」「さくら2008から変えました」: a particle of
    # doubt, choice or 'from' ends it too.
    r"(?=\s|です|でした|だよ|だと|だった|か|。|、|」|』|\"|'|!|\?|$|が(?:通|とお|入|はい|違|ちが|だめ|ダメ)"
    # 「…はなこ77でログインできません」「…で合っていますか」「…にしました」「…なんですが」
    # 「…って入れてます」: a particle after the digits (review: kept as typed). Kana and two
    # ASCII with a digit are no length (「12文字」 goes on in kanji) nor a count.
    r"|で|に|な(?:ん|の)|って"
    # 「…はなこ77と入れました」: as what was typed.
    r"|と(?:入|い|打|う|書|か|入力|設定|登録))",
    re.IGNORECASE,
)
# Kanji with its digits after the word: 「パスワードは 中文密码123 です」 (attacker13: kept as
# typed, every pattern reading kana or ASCII). Three ASCII or more with a digit, up to the
# value's end; not a count or a size (「最大128」「半角12」).
_KANJI_DIGITS: Final = re.compile(
    rf"(?:{_LABEL})(?:\s*(?:は|が|を|:|=|→|って|「|『)\s*|\s+)"
    r"(?P<secret>(?!最大|最小|最低|最長|最短|全角|半角|英数|数字|文字|合計|約|計|第|全部|平成|令和|昭和)"
    r"[\u4e00-\u9fff]{1,10}(?=[!-~]*[0-9])[!-~]{3,30})"
    r"(?=[」』]?\s*(?:です|でした|だよ|だと|[。、!！]|\n|$|[(\[【])|\s)",
    re.IGNORECASE,
)
# A second password offered beside a masked one: 「Kq7xyz99かKq7xyz98のどちらか」, 'Kq7xyz99
# or Kq7xyz98', 'Kq7xyz99 / Kq7xyz98' (the word names only the first). Read on the masked
# text, right after a mask, joined by a word of choosing. Kana with its digits too, as
# `_KANA_SECRET` reads one: 「さくら2008かさくら2009」.
_ALTERNATIVE: Final = re.compile(
    re.escape(MASK) + r"[\s」』\"'”’)]*(?:[、,]\s*)?"
    r"(?:か|または|もしくは|それか|/|\bor\b)(?:\s*(?:maybe|perhaps|possibly)\b)?"
    r"\s*[「『\"'“‘(]?\s*(?!" + re.escape(MASK) + r")"
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])[!-~]{{2,30}}|[!-~]{{4,64}})",
    re.IGNORECASE,
)
# Joined by a word that also joins ordinary words (「XとOutlook」, 'X and thanks', 'X to log in'):
# only a token that looks like a password (letters and digits mixed). 「Kq7xyz99 から
# Kq7xyz98 に変えました」, 'Kq7xyz99 and Kq7xyz98 both fail'.
_BESIDE: Final = re.compile(
    re.escape(MASK) + r"[\s」』\"'”’)]*(?:から|と|&|\band\b|\bto\b)\s*[「『\"'“‘(]?\s*"
    r"(?!" + re.escape(MASK) + r")(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})",
    re.IGNORECASE,
)
# A password corrected after a masked one in the same message: 「はなこ77です。あ、違った、
# はなこ78でした」, 'hanako77, oops, I mean hanako78' (privacy4: the second was kept as typed).
# Kana with its digits or a token with a digit, as `_ALTERNATIVE` reads one.
_CORRECTED: Final = re.compile(
    # Possessive: the spaces shared between the runs every way made 5,000 of them take 1 s.
    re.escape(MASK) + r"[」』\"'”’)]*+\s*+(?:(?:です|でした)\s*+)?(?:[。.!！、,]\s*+)*+"
    # 「あ、」「いや、」「いえ、」 before the word of correcting, or as it (「「はなこ77」、いや
    # 「はなこ78」」); 「違う」「じゃなかった」 said so too (review: each kept the second).
    r"(?:(?:あ|あっ|いや|いえ)[、,]?\s*+)?"
    r"(?:違った|ちがった|違いました|ちがいました|違う|ちがう|間違えた|まちがえた|間違えました|間違い"
    r"|じゃなくて|ではなくて|じゃなかった(?:です)?|ではなかった(?:です)?|いや|いえ"
    r"|正しくは|訂正(?:します)?|oops|sorry|no\s+wait|wait|i\s+mean|i\s+meant|actually)"
    r"[、,.!！…\s]*+(?:(?:it['’]?s|it\s+is|no)[,\s]++)?[「『\"'“‘]?"
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])[!-~]{{2,30}}|(?=[!-~]*[0-9])[!-~]{{4,64}})",
    re.IGNORECASE,
)
# How many alternatives in a row are followed ('A か B か C'): each pass masks the next.
_ALTERNATIVES_IN_A_ROW: Final = 4
# An app password as it is shown to be copied: four groups of four letters or digits
# (「abcd efgh ijkl mnop」). A [password] profile of kind "app" sends subscribers for one;
# read as one token after the word, only its first group was masked.
_APP_PASSWORD: Final = re.compile(
    r"(?P<label>app(?:lication)?[\s-]*(?:specific\s*)?password|アプリ(?:用|ケーション)?\s*パスワード)"
    rf"(?P<sep>{_BETWEEN}|\s+)"
    r"(?P<secret>[a-z0-9]{4}(?: [a-z0-9]{4}){3})(?![!-~])",
    re.IGNORECASE,
)
# 「Kq7xyz99 がパスワードです」, "Qw3rty!9 is my password": only a token that looks like
# a password (letters and digits mixed) is taken from before the word.
_BEFORE_LABEL: Final = re.compile(
    r"(?<![!-~])(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    # 'Kq7xyz99 is your new password', 「Kq7xyz99 が仮パスワードです」: how agents give one.
    # 「Kq7xyz99というパスワード」「Kq7xyz99っていうパスワード」: named, then the word.
    # 「「Kq7xyz99」がパスワードです」: its closing quote before the particle.
    r"(?P<sep>[」』\"'”’]?\s*(?:が|は|って(?:いう|言う)?|と(?:いう|言う)|\b(?:is|will\s+be)\b\s*(?:my|the|your)?"
    # "it's Kq7xyz99, the password", 'Kq7xyz99 - my password' (privacy3): set apart, "my" or
    # "the" and the word end the sentence.
    r"|(?:,|\s-{1,2})\s*(?:(?:that|it)(?:'s|\s+is)\s+)?(?:my|the)(?=\s+(?:new\s+|current\s+)?"
    r"(?:password|pw|pass)\s*(?:[.!]\s*)?$)"
    # 'Kq7xyz99 (password)', 'Kq7xyz99 <- password'. 'Kq7xyz99 is what I use for the
    # password' (reviewer17).
    r"|\bis\s+what\s+I\s+(?:use|used|type|typed|enter|entered)\s+(?:for|as)\b"
    r"|\bas\b|\(|<-|←)"
    r"\s*(?:新しい|今の|仮の?|初期の?|(?:my|the|new|temporary|temp|initial)\s+)?)"
    rf"(?P<label>{_LABEL})",
    re.IGNORECASE,
)
# A password of kana alone, in quotes after the word: 「パスワードは「さくら」です」 was kept as
# typed (`_KANA_SECRET` wants its digits). Quoted after a particle and followed by a copula or
# the sentence's end, it is the value; 「パスワードの「変更」を押して」 (no particle, a kanji
# button name) and 「パスワードは「リセット」を押して」 (an object) are not read.
# After it, what ends the value: a copula, the sentence's end, a comma before the next
# thing said (「パスワードはもみじ、IDはtaroです」), or a verb of setting it
# (「パスワードをさくらにしました」).
# After a value, asking whether it is the right one: 「…で合っていますか」「…でいいですか」
# 「…で大丈夫ですか」「…でよろしいですか」「…で間違いないですか」.
_ASKED_ABOUT: Final = (
    r"|で(?:(?:合|あ)って|いい(?:です|でしょう|の|か|[?？])|よろしい|(?:大丈夫|だいじょうぶ)"
    r"|(?:正しい|ただしい)|(?:間違い|まちがい)(?:ない|ありません|ございません))"
)
_KANA_VALUE_ENDS: Final = (
    r"(?=\s*(?:です|でした|だよ|だった|だと|で(?:ログイン|入|[、,]|ございます)|[、,。]|!|\?|$|\n"
    # 「ポチ（犬の名前）です」: what it is said after it in brackets (review: kept as typed);
    # not 「マイページ(https://…)」, where it is changed.
    r"|[（(](?=[^\x00-\x7f])"
    # 「…かもしれません」「…かな」: the value, doubted.
    r"|かも|かな|に(?:し|変|かえ|設定|変更|再設定|なり)"
    # 「パスワードがさくらなんですが」「…もみじなのですが」: the copula explaining, as a
    # complaint begins (privacy3: kept as typed). A state said so (「だめなんです」) is
    # `_KANA_STATES`' and stays.
    r"|な(?:ん|の)(?:です|だ|で)"
    # 「パスワードはさくらっていうんですけど」: named so. 「パスワードははなこで合っていますか？」
    # 「…でいいですか」: the value, asked about (privacy4: kept as typed); a state asked so
    # (「そのままでいいですか」「あとでいいですか」) is `_KANA_STATES`'.
    r"|って(?:いう|言う|いい|言い)"
    # 「息子の名前で「ゆうと」と申します」: named so, as a name is introduced (subscriber18:
    # kept as typed).
    r"|と(?:申|もう)し(?:ます|まして)|と(?:いい|言い)ます" + _ASKED_ABOUT + r"))"
)
# What the password is, said before it: 「パスワードは孫の名前で、はなこです」「…わたしのなまえの
# はなこです」, 「孫の名前のはなこです」 sent after 「パスワードは」 (privacy4: kept as typed, the
# words between hid the name). Only a name said to be one; the name alone is masked.
_DESCRIBED: Final = (
    r"(?P<described>(?:[^\s、,。!?！？「」『』]{1,12}?の)?"
    r"(?:名前|なまえ|お名前|おなまえ|名|愛称|あだ名|あだな|ニックネーム|呼び名)"
    # 「娘の名前の、ゆきです」: 「の」 and a comma after it (subscriber18: ゆき was read alone,
    # past 「の、」, and kept as typed).
    r"(?:で[、,]?|の[、,]?|[、,])[ \u3000]*)?"
)
_QUOTED_KANA: Final = re.compile(
    rf"(?P<label>{_LABEL})\s*(?:は|が|を|って|:|=|→|->|\bis\b)[、,]?\s*"
    # 「パスワードはたしか「さくら」だったかな」: a hedge before the quote (privacy3).
    r"(?:(?:たしか|確か|多分|たぶん|恐らく|おそらく)[、,\s]*)?" + _DESCRIBED + r"[「『\"'“‘]"
    # 「さくら もち」: words of kana between spaces.
    rf"(?P<secret>{_KANA}{{1,30}}(?:[ \u3000]{_KANA}{{1,30}}){{0,3}})[」』\"'”’]"
    + _KANA_VALUE_ENDS,
    re.IGNORECASE,
)
# The same without quotes: 「パスワードはさくらです」「ぱすわーどは さくらもち」. Kana there is as
# often a sentence about the password (「パスワードはわかりません」「…そのままです」); the
# morphological analyser tells a name-like word from a predicate (`_kana_said_of_it`), so
# this is read only when the runtime has one.
_BARE_KANA: Final = re.compile(
    # 「パスワード さくら」: a space alone only before hiragana (「パスワード エラー」「パスワード
    # マネージャー」 are compounds).
    # 「パスワード→さくら」: an arrow, as a note of the fields is written.
    # 「ぱすわーどわ さくら」: わ typed for the particle は, as it is said; 「パスワード、ひまわりに
    # してます」: a comma for it (privacy3: both kept as typed).
    rf"(?P<label>{_LABEL})(?P<sep>\s*(?:は|わ|が|を|って|:|=|→|->|[、,])[、,\s]*|\s+(?=[\u3041-\u3096]))"
    # 「パスワードは多分さくらです」: a hedge in kanji before it (in kana it is read as a word);
    # a filler in kana set off by a comma (「パスワードは、えーと、はなこです」「…はね、
    # はなこだよ」: privacy4, kept as typed).
    r"(?:(?:多分|確か|恐らく)[、,\s]*|(?:えーと|えっと|ええと|うーん|あの|ね|たしか|たぶん)[、,]\s*)?"
    + _DESCRIBED
    # Lazy: 「さくらです」 is the name and its copula, both kana; 「さくら さくら」 two words.
    + rf"(?P<secret>{_KANA}{{2,30}}?(?:[ \u3000]{_KANA}{{1,30}}?){{0,3}}?)"
    + _KANA_VALUE_ENDS,
    re.IGNORECASE,
)
# Particles `_BARE_KANA` reads after the word that also begin names: 「はなこ」「わかな」.
_PARTICLE_KANA: Final = "はわが"
# A name in kanji after the word: 「パスワードは花子です」 (privacy3: kept as typed). Kanji is no
# password as a mail server reads one, but a subscriber names the letters typed so (hanako);
# only a proper noun to the analyser (花子, 山田, 富士山) is read, never a common noun
# (「半角です」「不明です」「英数字です」) or an adjective (「同じです」).
_KANJI_NAME: Final = re.compile(
    rf"(?P<label>{_LABEL})\s*(?:は|が|を|って|:|=|→|->)[、,\s]*"
    r"(?:(?:多分|確か|恐らく)[、,\s]*)?"
    r"(?P<secret>[\u4e00-\u9fff々]{1,8})" + _KANA_VALUE_ENDS,
)
# Kanji common nouns said of a password though they name things: what it is made of, where
# it is written, whose it is, what it is (「パスワードは半角です」「…手紙です」「…孫です」).
# A noun that also makes a predicate (「不明」「変更」「以前」「必要」) is told by the analyser.
_KANJI_STATES: Final = frozenset(
    {
        "半角", "全角", "英数字", "英字", "数字", "記号", "文字", "大文字", "小文字", "英語",
        "漢字", "平仮名", "片仮名", "ローマ字", "英単語", "単語", "数値", "暗号", "未設定",
        "空欄", "無し", "初期", "初期値", "仮", "期限切れ", "間違い", "誤り", "誕生日",
        "生年月日", "電話番号", "名前", "住所", "番号", "名字", "苗字", "旧姓", "手紙", "書類",
        "用紙", "紙", "封筒", "契約書", "書面", "手帳", "次", "問題", "自分", "家族", "主人",
        "本人", "孫", "娘", "息子", "妻", "夫", "自動", "任意", "内緒", "未入力", "個人", "家",
        "会社", "同じ", "他", "別紙", "本文", "下記", "上記", "後日", "当日", "最新", "従来",
        "通常", "標準", "既定", "規定", "桁", "個", "全部", "一部", "両方", "片方", "各",
        "日本語", "中国語", "韓国語", "外国語", "英数", "半角英数", "半角英数字", "英大文字",
        "英小文字", "平文", "原文", "原本", "控え", "写し", "画面", "本体", "説明書",
    }
)  # fmt: skip


# How many characters after a kanji noun are read with it, to see that it is a word of its own.
_KANJI_CONTEXT: Final = 8


def _names_a_thing(morpheme: Morpheme) -> bool:
    """Whether `morpheme`, kanji after the word, is a common noun naming a thing (「桜」)."""
    return (
        morpheme.pos == "名詞"
        and morpheme.subpos == "普通名詞"
        and morpheme.kind == "一般"
        and morpheme.surface not in _KANJI_STATES
    )


# Digits named by what they are after the word: 「暗証番号は誕生日の0512です」「パスワードは
# 電話番号の下4桁の5678です」 (privacy3: kept as typed; the words between hid the digits).
_NUMBER_NAMED: Final = re.compile(
    rf"(?P<label>{_LABEL})\s*(?:は|が|を|って|:|=)[、,\s]*"
    # 「パスワードは主人の誕生日で0512です」: whose it is (privacy4: kept as typed).
    r"(?:[^\s、,。!?！？0-9]{1,8}?の)?"
    r"(?:誕生日|生年月日|電話番号|携帯(?:電話)?(?:の)?番号|車のナンバー|郵便番号)"
    r"(?:の(?:下|末尾|最後の)[0-9０-９]桁)?(?:の|で|[、,\s])\s*"
    r"(?P<secret>[0-9]{4,16})(?![0-9])",
)
# The same sent alone after 「パスワードは」 (`redact`'s `named_before`): 「さくら」,
# 「「さくら」です」. The words are few as can be (lazy), so a copula after a space
# (「さくら です」) ends the value: taken as a second word, the analyser saw a predicate and
# the whole was kept.
# An emoji or face after it (「ひまわり😊」: privacy3, kept as typed), as after an answer.
_EMOJI: Final = r"[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u200d]"
_KANA_CONTINUED: Final = re.compile(
    r"\s*"
    + _DESCRIBED
    + rf"[「『\"'“‘]?(?P<secret>{_KANA}{{2,30}}?(?:[ \u3000]{_KANA}{{1,30}}?){{0,3}}?)"
    # 「さくらなんですが」「さくらっていいます」「さくらでございます」「さくらだったと思います」
    # 「「さくら」ですね」 sent alone after 「パスワードは」 (privacy3: kept as typed). Not a
    # bare 「ね」 or 「と思う」: 「そうだね」「そうだとおもう」 are answers.
    rf"[」』\"'”’]?(?:\s*(?:(?:な(?:ん|の))?です(?:ね|が|けど|けれど(?:も)?)?|でした|だよ"
    r"|だった(?:と(?:思|おも)(?:います|う))?|かも|かな|って(?:いいます|言います|いう)"
    r"|と(?:申|もう)し(?:ます|まして)|と(?:いい|言い)ます"
    rf"|でございます|[。.!！、,]|{_EMOJI}))*\s*"
)
_MIXED: Final = re.compile(r"[a-z][0-9]|[0-9][a-z]", re.IGNORECASE)
# Kana with its digits sent alone after the word: 「パスワード」, then 「はなこ77」 (privacy4: kept
# as typed; `_KANA_SECRET` wants the word before it). Hiragana, as `_KANA_BEFORE_LABEL` reads
# it: katakana and digits name a thing (「アウトルック2016」), and no address (「やまだ@…」).
_KANA_DIGITS_CONTINUED: Final = re.compile(
    r"\s*[「『]?(?P<secret>[\u3041-\u3096]{1,30}(?=[!-~]*[0-9])(?![!-~]*(?:@|://|www\.))"
    r"[!-~]{2,30})[」』]?"
    r"(?:\s*(?:です|でした|だよ|だった|かも|かな|[。!！]))*\s*",
    re.IGNORECASE,
)
# A password of ASCII after what it is: 「パスワードは孫の名前で、hanakoです」 (privacy4: kept as
# typed). A copula or the sentence's end after it, as `_AFTER_LABEL` reads one.
# Or after how it is typed: 「パスワードは小文字でhanakoです」「…、ローマ字でhanakoです」 (review:
# kept as typed).
_TYPED_IN: Final = (
    r"(?:(?:アルファベット|英字|英語)の?)?"
    r"(?:ローマ字|ろーまじ|小文字|大文字|半角|英字|英語|アルファベット)で[、,]?[ \u3000]*"
)
_DESCRIBED_ASCII: Final = re.compile(
    rf"(?P<label>{_LABEL})(?P<sep>\s*(?:は|が|って|:|=)[、,\s]*)"
    + _DESCRIBED.removesuffix("?")
    + r"[「『\"']?(?P<secret>[!-~]{2,64}?)[」』\"']?"
    r"(?=\s*(?:です|でした|だよ|だった|[。.!！]|\n|$))",
    re.IGNORECASE,
)
# Four or more: 「小文字でOKです」 says the letters are fine.
_TYPED_IN_ASCII: Final = re.compile(
    rf"(?P<label>{_LABEL})(?P<sep>\s*(?:は|が|って|:|=)[、,\s]*)"
    + _TYPED_IN
    + r"[「『\"']?(?P<secret>[!-~]{4,64}?)[」』\"']?"
    r"(?=\s*(?:です|でした|だよ|だった|[。.!！]|\n|$))",
    re.IGNORECASE,
)
# The same in English: "my password is my granddaughter's name, hanako", "password is my dog's
# name: pochi" (privacy4: kept as typed). A word of letters ending the sentence.
_NAME_GIVEN_EN: Final = re.compile(
    rf"(?P<label>{_LABEL})(?P<sep>\s+(?:is|was)\s+)(?:my|our|the)\s+(?:[a-z'’]+\s+){{0,3}}?"
    r"name\s*(?:[,:\-]|\bis\b)\s*[\"']?(?P<secret>[a-z]{2,32})[\"']?(?=\s*[.!]?\s*$)",
    re.IGNORECASE,
)
# The same in pieces sent alone after 「パスワードは」: 「Kq7 xyz99」.
_PIECES_CONTINUED: Final = re.compile(
    r"\s*[「『\"'“‘]?(?P<secret>[!-~]{1,32}(?:[ \t]+[!-~]{1,32}){1,3})[」』\"'”’]?"
    r"(?:\s*(?:です|でした|だよ|だった|かも|かな|[。!！]))*\s*"
)
# A password in two or three pieces: 'my password is Kq7 xyz99', 「パスワードは Kq7 xyz99 です」
# (the first piece, shorter than a secret, named none, or only it was masked). Read before
# `_AFTER_LABEL`, up to the sentence's end, each piece no word (`_split_pieces`). A field's
# access key is no piece: with the bracket read as the separator, 「パスワード(P): Kq7xyz99」
# was masked from the key on (「パスワード(********」), not as `_AFTER_LABEL` reads it.
_SPLIT_SECRET: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>{_BETWEEN}|\s+)"
    r"(?![a-z]\)(?:[^!-~]|:|$))"
    # A piece after the first may be one character: 'password: tr0ub4dor & 3' (attacker13).
    r"(?P<secret>[!-~]{2,32}(?:[ \t]+(?:[!-~]{2,32}|[a-z0-9&+])){1,3})"
    # 「パスワードは「Kq7 xyz99」です」: its closing quote before the end (privacy3); a note
    # in brackets after it (「… sakura mochi（小文字）です」, attacker13).
    r"(?=[」』]?\s*(?:です|でした|だよ|だと|。|\n|$|[(\[【])|[.!]\s*$)",
    re.IGNORECASE,
)
# A password spelt out a character at a time after its word, to be read carefully: 「パスワード
# は　Ｑ ａ ７０１ ｚ ９ ９　です」, 'password: Q x 717 z 9 9' (attacker9: stored as typed, each
# piece shorter than `_SECRET` and `_SPLIT_SECRET`'s). Four pieces or more, each one character
# or a run of digits (disjoint, so a failed match of many single digits does not backtrack
# through both readings of each), up to the sentence's end: 'password is a 4 or 5 digit
# number' and 'is in my Mac too' are words.
# Atomic, each piece ending at a space: a run is read whole or not at all, so a failed match
# (no word after it, or no end of the sentence) costs one pass over it, not one for each
# shorter run (a thousand 「1 」 after no word took 109 ms in `_SPELT_BEFORE`).
_SPELT_PIECE: Final = r"(?:[0-9]{1,4}|[!-/:-~])(?![0-9A-Za-z])"
_SPELT: Final = rf"(?>{_SPELT_PIECE}(?:[ \t]+{_SPELT_PIECE}){{3,63}})"
_SPELT_OUT: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>{_BETWEEN}|\s+)(?P<secret>{_SPELT})"
    r"(?=[」』\"'”’]?(?:\s*(?:です|でした|だよ|だと|。|\n|$)|[.!]\s*$))",
    re.IGNORECASE,
)
# The same as a message of its own after 「パスワードは」 or 'my password is' …
_SPELT_ALONE: Final = re.compile(
    rf"\s*[「『\"'“‘]?(?P<secret>{_SPELT})[」』\"'”’]?"
    r"(?:\s*(?:です|でした|だよ|だった|かも|かな|[。.!！]))*\s*"
)
# … or before the word: 'Q x 7 1 6 z 9 9 is my password', 「Ｑ ｘ ７ … がパスワードです」.
_SPELT_BEFORE: Final = re.compile(
    # From a run's first piece only: tried from each of a thousand, 「1 1 1 …」 took 17 ms.
    rf"(?<![!-~])(?<![!-~][ \t])[「『\"'“‘]?(?P<secret>{_SPELT})[」』\"'”’]?\s*"
    rf"(?:(?:is|was)\s+(?:my|the|our)\s+|(?:が|は|って)\s*)?(?:{_LABEL})",
    re.IGNORECASE,
)
# A password in pieces after a colon that ends words said of it: 'my password has a space:
# Kq7 xyz99', 'password (with a space): …', 「パスワードにスペースが入っています：…」 (attacker9:
# stored as typed; `_SPLIT_SECRET` reads the pieces only right after the word's particle or
# "is"). Up to 40 characters of one clause before the colon, the pieces as `_SPLIT_SECRET`
# takes them (`_split_pieces`: 'password reset steps: go to settings' is words). The clause
# says the password has a space: any words before a colon put 「パスワードを聞かれる機種：
# AQUOS sense8」 'my password was changed by: Sato san' where a password goes (reviewer26).
_SPLIT_AFTER_COLON: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})"
    r"(?P<sep>(?=[^:：\n。.!?]{0,40}?(?:space|blank|スペース|空白))[^:：\n。.!?]{1,40}[:：]\s*)"
    r"(?P<secret>[!-~]{2,32}(?:[ \t]+[!-~]{2,32}){1,3})"
    r"(?=[」』]?\s*(?:です|でした|だよ|だと|。|\n|$)|[.!]\s*$)",
    re.IGNORECASE,
)
# Words in quotes after an English colon or "is", the sentence going on after them: "password
# is 'sakura mochi' with a space" masked 'sakura' alone (privacy3). The quotes close the value,
# so what follows is the sentence's; the words as `_SPLIT_SECRET` takes them (`_split_pieces`).
_QUOTED_WORDS: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>\s*(?:[:=]|\bis\b|\bwas\b)\s*)[\"'“‘]"
    r"(?P<secret>[!-~]{2,32}(?:[ ][!-~]{1,32}){1,3}?)[\"'”’](?![a-z0-9])",
    re.IGNORECASE,
)
# A pass phrase is words: 'pass phrase: correct horse battery staple', 'passphrase is …',
# 'secret: Kq7xyz99', 「合言葉は やまかわ」 kept all but a word the list knew ('correct'). The
# words up to the sentence's end, none of them a function word (`_PHRASE_WORDS`): 'passphrase is
# too long for the field' says something of one. 'secret' only with its colon.
_PASS_PHRASE: Final = re.compile(
    r"(?P<label>(?<![a-z])(?:pass[\s_-]?phrase|secret(?=\s*[:=])|合言葉|あいことば))"
    r"(?P<sep>\s*(?:[:=]|\bis\b|\bwas\b|は)\s*)"
    r"(?P<secret>[^\s。.!?]{1,40}(?:[ \t]+[^\s。.!?]{1,40}){0,7}?)"
    r"(?=\s*(?:です|でした|[。.!?]|\n|$))",
    re.IGNORECASE,
)
_PHRASE_WORDS: Final = frozenset(
    {
        "a", "an", "the", "is", "are", "was", "not", "no", "to", "for", "of", "in", "on", "my",
        "your", "it", "this", "that", "what", "how", "too", "and", "or", "but", "be", "can",
        "cannot", "can't", "does", "do", "did", "i", "me", "please", "very", "so",
    }
)  # fmt: skip
# A token said as a value in English with no password word beside it: letters and digits
# mixed, and none of an address, a host (and port), a time, a size, a port, a version, an
# update or one of Outlook's codes.
_NAMED_SO: Final = (
    r"(?![!-~]*@)(?!(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?(?![!-~]))"
    r"(?!\d{1,2}:\d{2}(?::\d{2})?(?:[ap]\.?m\.?)?(?![!-~]))(?!\d+x\d+(?![!-~]))"
    r"(?!(?:0x)?800[0-9a-f]{5}(?![!-~]))(?!(?:port|v|ver|version|kb|build)[._-]?\d)"
    r"(?![0-9][0-9,.]*(?:kb|mb|gb|tb|[ap]m|px|hz|mhz|ghz)(?![!-~]))"
    r"(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64}?(?=[,.;:!?\"']*(?:\s|$))"
)
# 「古いのは abc123 で新しいのは Kq7xyz99」, 「今のは Kq7xyz99 です」: the old and the new password
# named by 'the old one' alone, the word said before or not at all. Only a token that looks like
# a password (letters and digits mixed), never an address, a host or a product.
_ONE_OF_TWO: Final = re.compile(
    r"(?:(?:古い|新しい|前|今|旧|新|元|もと|最初|変更後|変更前)(?:の(?:ほう|方)?|ほう|方)"
    # 「前は abc123 で今は Kq7xyz99 です」.
    r"|前|今|以前|もともと|元々)(?:は|が|って)"
    r"\s*[「『\"']?\s*(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    r"|\b(?:the\s+)?(?:old|new|current|previous)\s+one\s+(?:is|was)\s+[\"']?"
    r"(?P<english>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    # 'I changed it from abc123 to Kq7xyz99' (the second is `_BESIDE`'s, after the first).
    # 'I changed my password from abc123 to Kq7xyz99' ('from' names no password elsewhere).
    r"|\b(?:changed|switched|reset)\s+(?:it|(?:my|the)\s+(?:password|pw|pass))\s+from\s+[\"']?"
    r"(?P<changed>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    # 'before it was abc123, now it's Kq7xyz99', 'used to be abc123', 'previously abc123,
    # currently Kq7xyz99', 'it was abc123 before', 'I changed abc123 to Kq7xyz99' (privacy3:
    # kept as typed). No host, time, size, port, version or error code said so.
    r"|\b(?:before|previously|originally|formerly|used\s+to\s+be|currently|now)\s*[,:]?\s*"
    r"(?:it(?:'s|\s+(?:is|was|used\s+to\s+be))\s+)?[\"']?(?P<then>" + _NAMED_SO + r")"
    r"|\bit\s+(?:was|used\s+to\s+be)\s+[\"']?(?P<was>" + _NAMED_SO + r")[\"']?"
    r"(?=\s*,?\s*(?:before|previously|originally|but|and\s+now|now)\b)"
    r"|\bchanged\s+[\"']?(?P<from>" + _NAMED_SO + r")[\"']?\s+to\b",
    re.IGNORECASE,
)
# 「「さくら2008」というパスワードです」「さくら2008がパスワードです」: kana with its digits before
# the word, as `_BEFORE_LABEL` reads ASCII (privacy3: kept as typed).
_KANA_BEFORE_LABEL: Final = re.compile(
    # Hiragana, as a word is typed on a phone: katakana and digits name a thing (「ポート587」
    # 「ウィンドウズ10」).
    r"(?P<secret>(?<![\u3041-\u3096\u30a1-\u30fc])[\u3041-\u3096]{1,30}"
    r"(?=[a-z0-9]*[0-9])[a-z0-9]{2,30}(?![!-~]))"
    r"(?P<sep>[」』\"']?\s*(?:が|は|って(?:いう|言う)?|と(?:いう|言う))\s*(?:新しい|今の|仮の?|初期の?)?)"
    rf"(?P<label>{_LABEL})",
    re.IGNORECASE,
)
# 「Kq7xyz99 パスワード」「Kq7xyz99 パスワードです」: the value, a space, and the word ending the
# sentence (`_BEFORE_LABEL` wants a particle between). 「taro1965 パスワード忘れました」 goes on
# after the word: the account, then what happened.
_BEFORE_BARE_LABEL: Final = re.compile(
    r"(?<![!-~])(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})(?P<sep>[ \t]+)"
    rf"(?P<label>{_LABEL})(?=\s*(?:です|でした|。|!|\n|$))",
    re.IGNORECASE,
)
# 「パスワード欄に Rr2-tyui を入れても」「パスワード忘れたかも。たしか sakura77 だった」: a
# password-looking token (letters and digits mixed) a few Japanese words after the word. A
# length's digits may stand between (「パスワードは8文字で、Kq7xyz99です」 was kept as typed), and
# a letter or digit named alone (「大文字のKから始まる Kq7xyz99」).
_NEAR_LABEL: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>(?:[^!-~]|[0-9]{{1,2}}(?=文字|桁|ケタ)"
    r"|(?<=[^!-~])[0-9a-z](?=[^!-~])){1,30}?)"
    r"(?<![!-~])(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})",
    re.IGNORECASE,
)
# The same in English: 'my password, which is Kq7xyz99, does not work', 'my password (it's
# Kq7xyz99) is rejected', 'my password? Kq7xyz99' were kept as typed. A letters-and-digits
# token a few English words on, in the same sentence (no full stop, line break or Japanese
# between), and not named after a preposition or "my"/"the" ('the password of my 117net
# account', 'password sheet from 117net': the provider, which `redact` is not told of).
_NEAR_LABEL_EN: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})(?P<sep>[ \"-\-/-~]{{1,40}}?)"
    r"(?<![!-~])(?<!\bof )(?<!\bmy )(?<!\bthe )(?<!\bfor )(?<!\bfrom )(?<!\bat )(?<!\bon )"
    r"(?<!\bin )(?<!\bby )(?<!\bwith )(?<!\byour )"
    # Nor quoted: the iPhone's 'Enter the password for account "117net".' names the account.
    r"(?![\"'])(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})",
    re.IGNORECASE,
)
# 「Kq7xyz99 と入力しましたがパスワードが違う」「Kq7xyz99を入れてもパスワードが…」: typed, then the
# word a few Japanese words on. Not an address or a host name typed so (「vpop.117.ne.jp と
# 入力しても」).
_TYPED_BEFORE_LABEL: Final = re.compile(
    r"(?<![!-~])(?P<secret>(?![!-~]*@)(?!(?:[a-z0-9-]+\.)+[a-z]{2,}(?![!-~]))"
    r"(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    # 「Kq7xyz99って入れてもダメです」 (privacy3).
    rf"(?P<sep>\s*(?:と|を|って)\s*(?:入力|入れ|いれ|打)[^!-~\n]{{0,30}}?)(?P<label>{_LABEL})",
    re.IGNORECASE,
)
# The same in English: 'I typed Kq7xyz99 but it says wrong password', 'tried Kq7xyz99, password
# rejected'.
_TYPED_BEFORE_LABEL_EN: Final = re.compile(
    # 'I type Kq7xyz99 for the password', 'I put Kq7xyz99 in the password box'.
    r"\b(?:typed|type|entered|enter|tried|used|input|put(?:\s+in)?)\s+(?:in\s+)?[\"'“‘]?"
    r"(?P<secret>(?![!-~]*@)(?!(?:[a-z0-9-]+\.)+[a-z]{2,}(?![!-~]))"
    r"(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})"
    rf"(?P<sep>[^\n]{{0,40}}?)(?P<label>{_LABEL})",
    re.IGNORECASE,
)
# 「taro:Kq7xyz99」「taro / Kq7xyz99」: the subscriber's own account (`own_accounts`), then a
# token that looks like a password, with no word naming either. Read only with the account
# known to the dialog: any word then a colon is ordinary ('taro: hello', 「10:30」). Not a host
# and its port ('vpop.117.ne.jp:995'), a time ('10:30am'), a size ('1920x1080') nor one of
# Outlook's codes ('800CCC0F'). After an address (`_AFTER_ADDRESS`) the same.
_AFTER_OWN_NAME: Final = (
    r"(?P<secret>(?![!-~]*@)(?!(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?(?![!-~]))"
    r"(?!\d{1,2}:\d{2}(?::\d{2})?(?:[ap]\.?m\.?)?(?![!-~]))(?!\d+x\d+(?![!-~]))"
    r"(?!(?:0x)?800[0-9a-f]{5}(?![!-~]))"
    r"(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})(?![!-~])"
)
# Between a login's name and its password: 'taro / Kq7xyz99', 'taro; Kq7xyz99', 'taro |
# Kq7xyz99', 'taro → Kq7xyz99', 'taro - Kq7xyz99', 「taro と Kq7xyz99」, 「taro「Kq7xyz99」」 (each
# kept as typed, only a slash, a comma, a colon or a space was read).
_LOGIN_JOINER: Final = (
    # Each run of spaces read by one piece only: 「/」 and a quote both between spaces
    # shared them every way.
    r"\s*(?:[/,、:;=|]|→|->|と)\s*(?:[「『\"'“‘(]\s*)?|\s+-{1,2}\s+|\s*[「『]\s*|\s+"
    # The name in quotes: 「「taro」「Kq7xyz99」」, '"taro" Kq7xyz99'.
    r"|[」』\"'”’)]\s*(?:[「『\"'“‘(]\s*)?"
)
# 「taro@vp.117.ne.jp Kq7xyz99」: the account and, right after it, a token that looks like a
# password (letters and digits mixed), the way a login is written down with no label at all.
# The address starts where a run of its characters starts: without the look-behind, every
# position of a long run with no @ ("aaaa…", "5555…", kana) would rescan the rest of it.
_AFTER_ADDRESS: Final = re.compile(
    # 「taro ＠ vp.117.ne.jp Kq7xyz99」: the at-mark between spaces, as some phones type it.
    rf"(?<![\w.+-])(?P<label>[\w.+-]+\s*@\s*[\w-]+(?:\.[\w-]+)+)(?P<sep>{_LOGIN_JOINER})"
    + _AFTER_OWN_NAME,
    re.IGNORECASE,
)
# The same with hiragana and digits: 「taro@vp.117.ne.jp　はなこ77」 (privacy4: kept as typed).
# Hiragana, as `_KANA_BEFORE_LABEL` reads it (「…jp　ポート587」 names a port).
_KANA_AFTER_ADDRESS: Final = re.compile(
    r"(?<![\w.+-])(?P<label>[a-z0-9.+_-]+\s*@\s*[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
    rf"(?P<sep>{_LOGIN_JOINER})"
    r"(?P<secret>[\u3041-\u3096]{1,30}(?=[!-~]*[0-9])[!-~]{2,30})"
    r"(?![!-~])(?=\s|です|でした|[。、」』]|$)",
    re.IGNORECASE,
)
# 「アカウント taro / Kq7xyz99」, 'login taro / Kq7xyz99', 'ID: taro, Kq7xyz99': an account named as
# such, then a token that looks like a password (letters and digits mixed), as `_AFTER_ADDRESS`
# reads one after an address. Never an address or a host name.
_AFTER_ACCOUNT: Final = re.compile(
    r"(?:\b(?:log-?in|id|user\s?(?:name|id)?|account|credentials)\b|アカウント|ユーザー?(?:名|id)?"
    r"|ログイン(?:名|id)?)\s*[:=]?\s*(?P<label>[\w.+-]{1,64})(?P<sep>\s*[/,、]\s*)"
    r"(?P<secret>(?![!-~]*@)(?!(?:[a-z0-9-]+\.)+[a-z]{2,}(?![!-~]))"
    r"(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64})(?![!-~])",
    re.IGNORECASE,
)
# An address in the message itself, its local part an account (`redact`'s `domains`). ASCII
# around it: 「私はtaro@…」 puts kana before it. Read where a run of its characters starts.
_ADDRESS_GIVEN: Final = re.compile(
    r"(?<![a-z0-9_.+-])(?P<local>[a-z0-9_.+-]{3,64})\s*@\s*"
    r"(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)+)",
    re.IGNORECASE,
)


def _named_in(text: str, domains: Collection[str]) -> tuple[str, ...]:
    """The local parts of the addresses on `domains` that `text` gives."""
    wanted = {domain.lower() for domain in domains}
    return tuple(
        match.group("local")
        for match in _ADDRESS_GIVEN.finditer(text)
        if match.group("domain").lower() in wanted
    )


# How many of the addresses a message gives name accounts (`_named_in`): a paste of a
# hundred made a pattern of a hundred names, compiled anew for each such message.
_ADDRESSES_NAMING: Final = 8
# A name shorter than this is read as no account: 「a」「io」 stand in ordinary words.
_SHORTEST_ACCOUNT: Final = 3


def own_accounts(address: str | None) -> tuple[str, ...]:
    """The names the subscriber's login goes by: `address` and the part before its @."""
    if not address or "@" not in address:
        return ()
    local = address.rsplit("@", 1)[0]
    return tuple(name for name in (address, local) if len(name) >= _SHORTEST_ACCOUNT)


# The characters a login's name is a run of. ASCII around the name: 「私はtaroとKq7xyz99」 puts
# kana, which `\w` takes, beside it.
_NAME_CHARS: Final = "a-z0-9_.+@-"
# Any such run followed by a password, compiled once: the subscriber's own names are compared
# with its `label`, not compiled in. A pattern of their names compiled per address took
# 2.2–2.6 ms of CPU (`re.compile` is Python): a turn giving a new address cost 2.7 times the
# instructions of one repeating it (speed6).
_AFTER_A_NAME: Final = re.compile(
    rf"(?<![{_NAME_CHARS}])(?P<label>[{_NAME_CHARS}]+)(?![{_NAME_CHARS}])(?P<sep>{_LOGIN_JOINER})"
    + _AFTER_OWN_NAME,
    re.IGNORECASE,
)
_A_NAME: Final = re.compile(rf"[{_NAME_CHARS}]+", re.IGNORECASE)


class _AfterOwnAccount:
    """`_AFTER_A_NAME`'s matches whose name is one of `accounts`, as a pattern of them finds.

    A name is a whole run of `_NAME_CHARS` (the look-arounds), so a run is one of the
    names exactly when a pattern of the names would match there; a run that is not one is
    passed by from its next character, as that pattern's search would go on.
    """

    def __init__(self, accounts: tuple[str, ...]) -> None:
        self._names = frozenset(name.casefold() for name in accounts)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (match := _AFTER_A_NAME.search(text, pos)) is not None:
            if match.group("label").casefold() in self._names:
                yield match
                pos = match.end()
            else:
                pos = match.start() + 1


class _Finds(Protocol):
    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...


@lru_cache(maxsize=64)
def _after_own_account(accounts: tuple[str, ...]) -> _Finds:
    if all(_A_NAME.fullmatch(name) for name in accounts):
        return _AfterOwnAccount(accounts)
    # A name of other characters (an address the chat's grammar let through): compiled in.
    # The longest first: the address before its own local part.
    names = "|".join(map(re.escape, sorted(accounts, key=len, reverse=True)))
    return re.compile(
        rf"(?<![{_NAME_CHARS}])(?P<label>{names})(?![{_NAME_CHARS}])(?P<sep>{_LOGIN_JOINER})"
        + _AFTER_OWN_NAME,
        re.IGNORECASE,
    )


# 「パスワードは」, "my password is": a message that ends where the password would come.
# The word alone ("it keeps rejecting my password", 「パス」) names none: a particle, a colon,
# "is" or a quote after it must say that the password comes next.
_NAMED_LAST: Final = re.compile(rf"(?:{_LABEL_WITH_KEY})(?P<sep>{_BETWEEN})", re.IGNORECASE)
# A topic or subject said before the word (「問題は」「原因が」), or a guess (「たぶん」):
# 「…はパスワードです」「たぶんパスワードです」 is a whole sentence about the password, with
# none to follow.
_TOPIC_BEFORE: Final = re.compile(
    r"(?:[はが]|たぶん|多分|おそらく|恐らく|きっと)[、,\s]*(?:(?:たぶん|多分|おそらく|恐らく|きっと)[、,\s]*)?$"
)
# Or the word as a message of its own (「パスワード」, then 「Kq7xyz99」 on the next line, as
# LINE's short messages go): a sentence that only ends in it says something of it, the word
# alone says what comes next. Not 「パス」 or 'pass' alone (a question skipped), nor a question.
_WORD_ALONE: Final = re.compile(
    r"(?:ログイン\s*)?(?:パスワ[ー\-‐―−一]?ド|ぱすわ[ー\-‐―−一]?ど|ぱすわ|暗証番号|あんしょうばんごう"
    r"|パスコード)[:=]?"
    r"|(?:(?:my|the|new)\s+)?(?:p[a@4][s$5]{2}[\s_-]?w[o0]rd|passwd|pwd|pw)[:=]?",
    re.IGNORECASE,
)
# The password word of another language at the end, with what joins a value to it, or alone:
# 「密码是」「비밀번호는」 'Mein Passwort ist', 'contraseña:', then the password on its own.
_FOREIGN_NAMED_LAST: Final = re.compile(
    rf"(?:{_FOREIGN_WORD})(?:\s*{_FOREIGN_JOINS})+$|^(?:{_FOREIGN_WORD})$",
    re.IGNORECASE,
)
# Or words that say it comes next: 「パスワードは次のとおりです」「パスワード↓」, "my password is
# below", "password as follows:".
# The spaces after the particle only with it: `\s*(?:は|を)?\s*` shared a run of spaces
# between its two halves every way (40,000 of them after the word: a minute).
_ANNOUNCED: Final = re.compile(
    rf"(?:{_LABEL})\s*(?:(?:は|を)\s*)?(?:(?:次|以下|下記)(?:の(?:とおり|通り))?(?:です|になります)?"
    r"|(?:送|おく)ります|書きます|↓|⬇|(?:is\s+)?(?:below|as\s+follows)"
    # 'password: see below', 'my password - see next message' (privacy4: named nothing).
    # The mark's spaces possessive: shared with the word's, 40,000 of them took minutes.
    r"|(?:[:：\-(]\s*+)?(?:see|check|look)\s++(?:below|(?:the\s++|my\s++)?next\s++(?:message|line))\)?"
    r"|(?:下|した)に(?:書きます|送ります))\s*[:：。.]?",
    re.IGNORECASE,
)
# The message after it, when it is one token alone (with 「です」 or a quote around it, or
# "it's" before it: 'my password is', then "it's Kq7xyz99" was kept as typed).
_CONTINUED: Final = re.compile(
    r"\s*(?i:(?:it['’]?s|it\s+(?:is|was)|maybe|probably|i\s+think(?:\s+it['’]?s)?)\s+)?"
    r"[「『\"'“‘(]?(?P<secret>[!-~]{4,64}?)[」』\"'”’)]?"
    r"(?:\s*(?:です|でした|だよ|だった|かも|かな|[。.!！]))*"
    # "it's hanako77 I think", 'Kq7xyz99, probably' (review: kept as typed).
    r"(?i:,?\s+(?:i\s+think|i\s+believe|i\s+guess|probably|maybe)[.!]?)?\s*"
)
# Or a token first, words after it: 「Kq7xyz99 だと思います」「Kq7xyz99 です。よろしくお願いします」
# 「たしか Kq7xyz99」 were kept as typed. Read from the start of the message only, the token
# ending where Japanese, a line break or a bracketed note begins (an English sentence after
# 「パスワードは」 is not read so: 'Thunderbird is what I use' says no password).
_CONTINUED_IN_WORDS: Final = re.compile(
    r"\s*(?:(?:たしか|確か|えっと|ええと|えーと|多分|たぶん|おそらく)[、,\s]*)?"
    r"[「『\"'“‘(]?(?P<secret>[!-~]{4,64}?)[」』\"'”’)]?"
    r"(?:[ \t]*(?:[^!-~\s]|[(（])|\s*\n|\s*$)"
)
# What a mail program's log or a script shows, with the password and no word for it:
# - a URL with the login in it, `pop://taro:Kq7xyz99@vpop.117.ne.jp`;
# - the answer to an SMTP `AUTH LOGIN`'s 「334 UGFzc3dvcmQ6」 (base64 of "Password:");
# - an IMAP `LOGIN` after its tag, the password quoted, `A1 LOGIN "taro@…" "sakura2008"`;
# - base64 of `\0address\0password`, SASL PLAIN's one message (`_sasl_plain`), wherever it
#   is: after `AUTH PLAIN`, on the line after a bare 「334」, in an IMAP `AUTHENTICATE`.
# Each starts where a run of its characters starts, so that a long run is read once.
_TRACES: Final = re.compile(
    r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://[^\s:/@]{1,254}:(?P<url>[^\s/@]{1,64})@"
    r"|\b334[ \t]+UGFzc3dvcmQ6[ \t]*\r?\n[ \t]*(?:C:[ \t]*)?"
    r"(?P<login>[A-Za-z0-9+/]{4,}={0,2})(?![!-~])"
    # An IMAP command has its tag before it ("A1", "a001", Thunderbird's "2"), a digit in it:
    # without one, 'I cannot login to "Outlook"' masked Outlook.
    r"|(?<![!-~])(?=[a-z.]*[0-9])[a-z0-9.]{1,16}[ \t]+"
    r'LOGIN[ \t]+(?:"[^"\n]{1,254}"|[!-~]{1,254})[ \t]+"(?P<imap>[^"\n]{1,64})"'
    r"|(?<![A-Za-z0-9+/=])(?P<plain>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
    re.IGNORECASE,
)


def _sasl_plain(token: str) -> bool:
    r"""Whether `token` is base64 of SASL PLAIN's `[authzid]\0user\0password`."""
    try:
        decoded = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        return False
    parts = decoded.split(b"\0")
    return len(parts) == 3 and all(parts[1:])


def _trace_spans(text: str) -> list[tuple[int, int]]:
    """Where `_TRACES` finds a password in `text`, in order."""
    spans = []
    for match in _TRACES.finditer(text):
        group = match.lastgroup or ""
        if group != "plain" or _sasl_plain(match.group(group)):
            spans.append(match.span(group))
    return spans


# Words that follow "password is / was / to" in ordinary sentences about passwords.
_NOT_SECRETS: Final = frozenset(
    {
        "same", "unchanged", "change", "changed", "changes", "changing", "what", "does", "will",
        "incorrect", "correct", "wrong", "invalid", "valid", "required", "needed", "rejected",
        "expired", "still", "fine", "right", "the", "this", "that", "not", "never", "being",
        # "Has my password been reset?", "Is my password going to change?", "My password
        # became invalid", "…stopped working", "…might be wrong": nothing given.
        "been", "going", "became", "becomes", "suddenly", "might", "stopped", "apparently",
        "disappeared", "vanished", "somehow", "missing", "somewhere", "requested",
        "asked", "mine", "case", "sensitive", "reset", "forgotten", "forgot", "lost", "enter",
        "entered", "type", "typed", "input", "field", "please", "again", "also", "used",
        "working", "accepted", "denied", "failed", "failure", "error", "when", "where", "how",
        "have", "has", "should", "would", "could", "must", "need", "keep", "stay", "stays",
        "remain", "remains", "different", "new", "old", "current", "your", "their", "mail",
        "email", "e-mail", "account", "login", "before", "after", "through", "test", "check",
        "protected", "saved", "stored", "ok", "okay", "same?", "there", "here", "because",
        "prompt", "dialog", "box", "screen", "window", "again?", "auth", "authentication",
        # Protocols said of a password: 「パスワードをSMTPAUTHにも使う？」「パスワード: POP3と
        # 同じ」.
        "smtp", "smtpauth", "smtp-auth", "smtp_auth", "pop", "pop3", "imap", "imap4", "apop",
        "ssl", "tls", "starttls", "cram-md5",
        # Thunderbird's "Password, transmitted insecurely", quoted by the auth-method answer;
        # "is a plain text password allowed?".
        "transmitted", "insecurely", "allowed", "permitted",
        # "keeps asking for my password over and over", "Incorrect username or password (gmail
        # app on android)": how often, and the program it happens in.
        "over", "repeatedly", "every", "each", "constantly", "gmail", "outlook", "thunderbird",
        "iphone", "ipad", "android", "windows", "becky",
        # A hedge is never the password itself: "will my password still work", "my password
        # is just the same" (the hedge and the word after it were masked).
        "maybe", "probably", "perhaps", "possibly", "just", "actually", "currently", "always",
        "like", "simply", "really", "usually", "normally", "definitely", "certainly",
        "basically", "literally", "either", "work", "works", "worked",
        # How a login's trouble is told: "my password doesnt work", "password keeps failing",
        # "password problem", "…, then it failed" (each masked, and the message read as a
        # password typed, not as the trouble it tells).
        "doesnt", "dont", "didnt", "isnt", "wasnt", "wont", "cant", "couldnt", "wouldnt",
        "keeps", "kept", "failing", "fails", "fail", "gets", "getting", "got", "sometimes",
        "problem", "problems", "issue", "issues", "popup", "pop-up", "request", "then",
        "which", "although", "though", "from", "into", "twice", "save", "saving",
        # What the password box shows: "password is blank", "password shows as dots".
        "blank", "empty", "hidden", "visible", "unknown", "ignored", "shows", "showing",
        # What subscribers write after the word about passwords (dialog9's 60 sentences:
        # "password manager", "password reset link", "the password field is greyed out",
        # "password requirements?", "too many password attempts", 「パスワード hint を忘れ
        # ました」): the word a password is part of, what is done to it, what it is like,
        # where it is kept, and when. A plural is read as its singular. Not words that are
        # common passwords themselves ("welcome", "computer", "google").
        "manager", "hint", "recovery", "link", "letter", "sheet", "paper", "card", "note",
        "notice", "form", "page", "site", "website", "requirement", "rule", "policy",
        "length", "strength", "meter", "character", "letters", "symbol", "digit", "number",
        "autofill", "autocomplete", "keychain", "sync", "syncing", "mismatch", "update",
        "updated", "updating", "attempt", "tries", "lock", "locked", "lockout", "expiry",
        "expiration", "expire", "expiring", "setting", "option", "protection", "resetting",
        "remember", "remembered", "storage", "store", "written", "printed", "given", "told",
        "contain", "contains", "containing", "with", "without", "greyed", "grayed", "appear",
        "appears", "appearing", "come", "comes", "coming", "came", "goes", "went", "gone",
        "says", "said", "saying", "asks", "asking", "sent", "send", "sending", "using",
        "uses", "needs", "require", "requires", "shown", "display", "displayed", "look",
        "looks", "seems", "match", "matches", "generated", "created", "made", "chosen",
        "retype", "reenter", "re-enter", "confirm", "confirmation", "verify", "verification",
        "weak", "strong", "long", "short", "simple", "complex", "complicated", "secure",
        "insecure", "safe", "temporary", "initial", "default", "original", "first", "last",
        "real", "true", "false", "random", "hard", "easy", "difficult", "help", "thanks",
        "thank", "sorry", "question", "about", "regarding", "related", "even", "only",
        "some", "more", "less", "very", "much", "many", "other", "another", "back", "both",
        "none", "nothing", "anything", "something", "anymore", "yesterday", "today",
        "tomorrow", "tonight", "morning", "week", "month", "year", "recently", "lately",
        "earlier", "later", "soon", "since", "until", "during", "while", "anyway", "browser",
        "chrome", "safari", "firefox", "phone", "smartphone", "laptop", "tablet",
        "apps", "application", "program", "software", "device", "icloud",
        "microsoft", "yahoo", "contract", "registration", "limit", "reminder",
        # 'my password is kinda weird' (privacy3): a hedge of speech.
        "kinda", "sorta",
        # What a complaint says a password is ('password is broken', 'my password is
        # hacked'): each was masked and read as a password typed (privacy4). None of them a
        # common password ('dragon', 'monkey', 'sunshine' stay masked).
        "broken", "weird", "strange", "outdated", "misspelled", "mistyped", "hacked",
        "compromised", "stolen", "leaked", "lowercase", "uppercase", "corrupted", "messed",
        "glitchy", "buggy", "faulty", "bugged", "stuck", "screwed", "useless", "terrible",
        "awful", "ridiculous", "impossible", "annoying", "frustrating", "confusing", "wonky",
        "busted", "dead", "garbled", "jumbled", "scrambled", "unreadable", "cursed", "dumb",
        "stupid", "tricky", "mixed", "numeric", "alphanumeric", "capitalized", "capitalised",
        # 'password (see below)': where it is, not what ('see' was masked).
        "see", "below", "above", "attached",
        # What a program shows about the password: 'I keep getting a wrong password message'
        # masked 'message' and was read as a password typed, not as the refused login it tells.
        "message", "warning", "alert", "notification",
    }
)  # fmt: skip
# What the words around a token say, beside how it is built. "my password is longer than 8
# characters": a word of letters before "than" is a comparative, never a password ('longer'
# was masked). A token with a digit or a mark is a password wherever it stands.
_COMPARED: Final = re.compile(r"\s+than\b", re.IGNORECASE)
# "my password is eight characters": a number spelt out before what it counts is the
# password's length (it was masked). A number word with nothing counted after it stays masked.
_COUNTED: Final = re.compile(
    r"\s+(?:characters?|chars?|letters?|digits?|symbols?)\b", re.IGNORECASE
)
_NUMBER_WORDS: Final = frozenset(
    {
        "three", "four", "five", "seven", "eight", "nine", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
        "forty", "fifty", "sixty",
    }
)  # fmt: skip
# The length said first, the password after it: 'my password is eight characters: Kq7xyz99',
# '… 8 characters long, it's Kq7xyz99'. `_COUNTED` keeps the length from being the secret, and
# the token after it was then read by nothing (before, 'eight' was masked and the password
# kept as typed). The token after the length, and its "it is", is the password.
_AFTER_LENGTH: Final = re.compile(
    rf"(?:{_LABEL_WITH_KEY})\s+(?:is|has)\s+(?:\d{{1,2}}|[a-z]+)"
    # Possessive: spaces shared out between the runs every way took 1 s at 3,000 spaces.
    r"\s+(?:characters?|chars?|letters?|digits?)\b(?:\s+long\b)?\s*+[:,.;]?\s*+"
    r"(?:(?:and\s++)?it(?:'s|\s++is)\s*+:?\s*+)?"
    rf"{_SECRET}",
    re.IGNORECASE,
)
# 「パスワードはtestです」「パスワードは「mail」でした」: a Japanese password word, its particle
# and a copula right after the token hand the token over as the password, whatever English
# word it is: Japanese puts no English predicate there (agents' words are read so too,
# `_GIVEN_IN_JAPANESE`). 'test' and 'mail', on the list of English words, were kept as typed.
_JAPANESE_PARTICLE: Final = re.compile(r"(?:は|が|って|[:：=]|「|『)")
_JAPANESE_COPULA: Final = re.compile(
    r"[」』\"'”’)）]?"
    # 「パスワードは sakura mochi（小文字）です」: a note between (attacker13: 'mochi' kept).
    r"(?:\s*[(（\[【][^()（）\[\]【】\n]{1,24}[)）\]】])?"
    r"\s*(?:です|でした|だよ|だった|だと(?:思|おも)|になります|となります)"
    # Not asked: 「パスワードはsameですか」 is whether it stays the same.
    r"(?!か|の[?？])"
)


def _handed_over_in_japanese(match: re.Match[str], end: int) -> bool:
    """Whether the token of `match`, ending at `end`, is put as the password's value in Japanese."""
    label = match.groupdict().get("label") or ""
    return (
        not label.isascii()
        and match.group("secret").lower() not in _STATES_SAID_IN_JAPANESE
        and bool(_JAPANESE_PARTICLE.search(match.groupdict().get("sep") or ""))
        and bool(_JAPANESE_COPULA.match(match.string, end))
    )


# A password's state in English where a Japanese sentence puts its value: what a program
# shows or a person says of it (「パスワードはsameです」「…はinvalidです」「…はerrorになります」),
# never a password handed over, unlike any other word there ('test', 'mail').
_STATES_SAID_IN_JAPANESE: Final = frozenset(
    {
        "same", "unchanged", "invalid", "incorrect", "wrong", "error", "unknown", "none",
        "hidden", "correct", "valid", "expired", "locked",
    }
)  # fmt: skip


# "doesn't", "isn't", "it's": an English contraction is a word, not a password.
_CONTRACTION: Final = re.compile(r"[a-z]+(?:n't|'(?:s|re|ll|ve|d|m))")


# A product and its version ("Outlook2019がパスワードを聞いてくる") is not a password.
_PRODUCT_NAME: Final = (
    r"(?:outlook|windows|win|iphone|ipad|ios|ipados|android|office|thunderbird|tb|becky"
    r"|macos|osx|mac|gmail|pixel|galaxy|xperia|aquos|m|ms)"
)
_PRODUCT: Final = re.compile(rf"{_PRODUCT_NAME}[-_ ]?\d{{1,4}}[a-z]?")


# What a mail account's name is made of: a local part such as 「taro.yamada_1975」.
_ACCOUNT_CHARACTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._+-")


def looks_like_a_password(text: str) -> bool:
    """Whether `text`, a lone token where the address was asked for, is a password instead.

    「Zq9xK2pw77」 and 「sakura#2008」 are typed into the wrong box; no account is named so:
    letters and digits with a symbol no local part holds, or with capitals inside lower case
    (a phone capitalises a local part's first letter, 「Taro1975」, and caps lock all of it).
    An address (an @ in it), a word without digits and an error code stay as typed.
    """
    token = text.strip()
    if not 6 <= len(token) <= 64 or not token.isascii() or not token.isprintable():
        return False
    if " " in token or "@" in token or _ordinary(token):
        return False
    if not any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
        return False
    symbol = any(c.lower() not in _ACCOUNT_CHARACTERS for c in token)
    mixed = any(c.islower() for c in token) and any(c.isupper() for c in token[1:])
    return symbol or mixed


# A digit between two letters, 「Kq7xyz99」「x7kp2mqa」, and three letters with no vowel,
# 「mkt2008」: how a password is made and an account seldom is (`perhaps_a_password`).
_DIGIT_INSIDE: Final = re.compile(r"[a-z][0-9]+[a-z]", re.IGNORECASE)
_NO_VOWEL: Final = re.compile(r"(?<![a-z])[b-df-hj-np-tv-xz]{3,}(?![a-z])", re.IGNORECASE)
# One of Outlook's error codes, pasted where the address was asked for: no password.
_OUTLOOK_CODE: Final = re.compile(r"(?:0x)?800[0-9a-f]{5}", re.IGNORECASE)
_LOCAL_PART_ONLY: Final = re.compile(r"[a-z0-9._-]{6,64}", re.IGNORECASE)


# Two consonants side by side that romaji or English spelling puts together: 「ky」「sh」「ts」,
# 'th' 'st' 'ck', 「n」 before any. A pair outside it inside a run of letters (「Jfljooa5」's
# 'lj', 「ompzom75」's 'pz') is how random letters fall, and a name seldom: of 2,000 passwords
# as a provider issues them, 9.9 % passed for a local part, 1.8 % with this; of 598 local parts
# made of romaji names, words and digits none is asked for again, of 158 of English names and
# words 2 (matchbox10, nightmare1950). The first letter of a name may be an initial
# (「hkobayashi1」), so a run's first pair is read only after a digit (「4ndytya6」).
_SPELT_PAIRS: Final = frozenset(
    {
        "bb", "bc", "bl", "br", "bs", "by", "cc", "cd", "ch", "ck", "cl", "cq", "cr", "ct", "dd",
        "dg", "dl", "dr", "ds", "dw", "dy", "ff", "fl", "fr", "ft", "fy", "gg", "gh", "gl", "gr",
        "gs", "gy", "hl", "hm", "hn", "hr", "ht", "hy", "kc", "kk", "kn", "ks", "ky", "lb", "lc",
        "ld", "lf", "lk", "ll", "lm", "ln", "lp", "ls", "lt", "lv", "ly", "mb", "mc", "mm", "mn",
        "mp", "ms", "my", "nb", "nc", "nd", "nf", "ng", "nh", "nj", "nk", "nl", "nm", "nn", "np",
        "nr", "ns", "nt", "nv", "nw", "ny", "nz", "ph", "pl", "pp", "pr", "ps", "pt", "py", "rb",
        "rc", "rd", "rf", "rg", "rh", "rj", "rk", "rl", "rm", "rn", "rp", "rr", "rs", "rt", "rv",
        "ry", "rz", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "sq", "ss", "st", "sw", "sy", "tb",
        "tc", "th", "tl", "tr", "ts", "tt", "tw", "ty", "vy", "wb", "wh", "wk", "wl", "wn", "wr",
        "ws", "wy", "xb", "xt", "yb", "yc", "yd", "yg", "yk", "yl", "ym", "yn", "yr", "ys", "yt",
        "yw", "zy", "zz",
    }
)  # fmt: skip
_VOWELS: Final = frozenset("aeiou")
_LETTER_RUN: Final = re.compile(r"[a-z]+")


def _unspelt(token: str) -> bool:
    """Whether `token` holds two consonants side by side that no name is spelt with."""
    low = token.lower()
    for run in _LETTER_RUN.finditer(low):
        word = run.group()
        first = 0 if run.start() and low[run.start() - 1].isdigit() else 1
        for one, two in zip(word[first:], word[first + 1 :], strict=False):
            if one not in _VOWELS and two not in _VOWELS and one + two not in _SPELT_PAIRS:
                return True
    return False


def perhaps_a_password(text: str) -> bool:
    """Whether `text`, a lone token where the address was asked for, may be a password too.

    「Kq7xyz99」 (only its first letter a capital, as a phone types a local part) passed for
    one, was said back as 「Kq7xyz99@…」 and stored. Of 66 local parts with a digit (taro1965,
    Hanako1965, Taro_2008, t-yamada1975, ksato77 …) 4 have a digit between letters or a run
    of letters with no vowel (k2yamada, a1b2c3, mkt2008, mmm123); of 129 passwords as a
    provider issues them (eight random letters and digits, 60 with a capital first), 113 do,
    and with two consonants no name is spelt with side by side (`_unspelt`) about 127
    (`tests/dialogs/test_redaction_table.py` keeps both lists).
    Such a token is neither said back nor kept: the subscriber is asked for the whole
    address (「…@vp.117.ne.jp」), which is then read as typed, so no address is refused.
    """
    token = text.strip()
    if not _LOCAL_PART_ONLY.fullmatch(token) or _ordinary(token):
        return False
    if _OUTLOOK_CODE.fullmatch(token):
        return False
    if not any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
        return False
    return bool(_DIGIT_INSIDE.search(token) or _NO_VOWEL.search(token) or _unspelt(token))


# Marks in a lone token that say it is a host name, an address, a URL or a version number.
_NAMING_MARKS: Final = frozenset("./:@")


def unmistakably_a_password(text: str) -> bool:
    """Whether `text`, a lone token at any point of the chat, can only be a password.

    Lower case with a capital inside, digits and a symbol no account name holds
    (「ZqI99xK!w7」), and nothing that names a host, an address, a URL or a version: no answer
    to any question looks so, while a paste into the wrong window or a subscriber showing
    what they typed does. Without it such a message was kept as typed, away from the
    address questions. A capitalised word ("Windows10!") is not one.
    """
    token = text.strip()
    if not 8 <= len(token) <= 64 or not token.isascii() or not token.isprintable():
        return False
    if " " in token or not _NAMING_MARKS.isdisjoint(token) or _ordinary(token):
        return False
    return (
        any(c.isdigit() for c in token)
        and any(c.islower() for c in token)
        and any(c.isupper() for c in token[1:])
        and any(c.lower() not in _ACCOUNT_CHARACTERS for c in token)
    )


def names_a_password(
    text: str, *, accounts: Collection[str] = (), named_before: bool = False
) -> bool:
    """Whether `text` ends naming a password with none after it: 「パスワードは」, "my password is".

    Subscribers send in pieces, pressing Enter where the sentence pauses; the next message is
    then the password (`redact`'s `named_before`). So with `accounts` (`own_accounts`):
    「taro /」「taro:」, the login's name and what joins its password to it, then the password.
    `named_before`: the message before `text` named one; a hedge or a filler alone
    (「たしか」「えーと」'um', `_HEDGE_ALONE`) leaves it named: 「パスワードは」「たしか」
    「すみれです」 kept 「すみれ」 as typed (privacy3).
    """
    if not text:
        # A pressed button (most turns) says nothing, so names nothing: every pattern below
        # needs at least one character (tests/dialogs/test_names_a_password_empty.py), and
        # reading "" through them cost 9-25 µs a turn.
        return False
    reading = _Reading.of(text).text.rstrip()
    if named_before and _HEDGE_ALONE.fullmatch(reading.strip()):
        return True
    if accounts and _account_named_last(reading, tuple(sorted(set(accounts)))):
        return True
    if _WORD_ALONE.fullmatch(reading.strip()):
        return True

    def opens(sep: str) -> bool:
        # A lone straight quote after the word closes a quotation as often as it opens one:
        # a pasted 'Check your password"' names none; 'password "' opens the password.
        mark = sep.strip()
        return bool(mark) and (mark not in ('"', "'") or reading.count(mark) % 2 == 1)

    def said_of_it(match: re.Match[str]) -> bool:
        # 「問題はパスワードです」: the word is what the sentence is about, said in full; the
        # next message was masked as the password (a user name, 「taro1975」).
        return match.group("sep").strip() == "です" and bool(
            _TOPIC_BEFORE.search(reading, 0, match.start())
        )

    return (
        any(
            match.end() == len(reading) and opens(match.group("sep")) and not said_of_it(match)
            for match in _NAMED_LAST.finditer(reading)
        )
        or any(match.end() == len(reading) for match in _ANNOUNCED.finditer(reading))
        or _FIELD_OR_WHAT_IT_IS_LAST.search(reading) is not None
        or _FOREIGN_NAMED_LAST.search(reading.strip()) is not None
    )


# 「パスワードの欄に」「パスワード欄に」, 「パスワードは孫の名前で」「…犬の名前の」: the field, or
# what the password is, ends the message and the password comes next (review: kept as typed).
_FIELD_OR_WHAT_IT_IS_LAST: Final = re.compile(
    rf"(?:{_LABEL})(?:の?(?:入力)?欄(?:に|には)"
    rf"|\s*(?:は|が)[、,\s]*{_DESCRIBED.removesuffix('?')})\s*$",
    re.IGNORECASE,
)


# A hedge or a filler sent alone while the password is being typed: 「パスワードは」「たしか」
# 「すみれです」, 'my password is' 'um' 'Tt4sdfgh9'. It says nothing of its own, so what the
# message before it named still comes next (`keeps_it_named`).
_HEDGE_ALONE: Final = re.compile(
    r"(?:たしか|確か|たぶん|多分|おそらく|恐らく|えっと|えーと|ええと|えー|えーっと|うーん|うーんと"
    r"|あの|あのー|あのう|んー|んーと|ちょっと(?:待って)?|まって|待って|少々お待ちください)"
    r"[、。,.…・ー〜~!！?？\s]*"
    r"|(?:um+|uh+|er+m*|hmm+|well|maybe|probably|i\s+think|let\s+me\s+see|wait|hold\s+on"
    r"|one\s+(?:sec|second|moment))[,.…!?\s]*",
    re.IGNORECASE,
)


# Not a comma: 「私の名前はtaro、」 is a person's name, and no pair begun.
_NAME_JOINED_LAST: Final = r"\s*(?:[/:;=|]|→|->)$"
# Only the run before the joiner that ends the message can be the name: compiled once, its
# `label` compared (`_AFTER_A_NAME`'s reason).
_A_NAME_LAST: Final = re.compile(
    rf"(?<![{_NAME_CHARS}])(?P<label>[{_NAME_CHARS}]+){_NAME_JOINED_LAST}", re.IGNORECASE
)


def _account_named_last(reading: str, accounts: tuple[str, ...]) -> bool:
    if all(_A_NAME.fullmatch(name) for name in accounts):
        match = _A_NAME_LAST.search(reading)
        names = {name.casefold() for name in accounts}
        return match is not None and match.group("label").casefold() in names
    return _name_joined_last(accounts).search(reading) is not None


@lru_cache(maxsize=64)
def _name_joined_last(accounts: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(map(re.escape, sorted(accounts, key=len, reverse=True)))
    return re.compile(rf"(?<![{_NAME_CHARS}])(?:{names}){_NAME_JOINED_LAST}", re.IGNORECASE)


def _continues(token: str) -> bool:
    """Whether `token`, a message alone after one that named a password, can be the password.

    A password holds a digit or a symbol ("sakura2008", "kq7-xyz"); a word ("Thunderbird",
    "same"), a product, a host, a piece of an address or an error code is an answer or a
    question.
    """
    if _ordinary(token) or "@" in token:
        # 「taro@」「@vp.117.ne.jp」: the address, sent in pieces too.
        return False
    # A word with the mark that ends it is a word ("Yes!", "Sure?"), however short: only a
    # word of four letters or more had its mark read apart (`_CONTINUED`). Marks alone
    # ("????") are no password either.
    word = token.rstrip("?!.")
    return any(not c.isalpha() for c in word)


def redact(
    text: str,
    *,
    alone: bool = False,
    named_before: bool = False,
    announced: bool = False,
    corrected_next: bool = False,
    accounts: Collection[str] = (),
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
    hidden: Collection[str] = (),
) -> tuple[str, bool]:
    r"""`text` with anything that looks like a typed password masked, and whether any was.

    `alone`: where the address was asked for, a message that is only a password-like token
    (`looks_like_a_password`) is a password too, typed into the wrong box. Anywhere, one
    that is `unmistakably_a_password`.

    `named_before`: the message before this one ended naming a password (`names_a_password`):
    a token alone with a digit or a symbol in it is that password (「パスワードは」 sent, then
    「sakura2008」, which alone says nothing of being one).

    `announced`: that message was the subscriber's own (「パスワードは」, 'my password is', not
    the login check's link): this one is the password whatever it is, words of letters alone
    too ('dragon', 'tama the cat', 「桜です」), unless it is an answer, a program, a sentence
    about the password (`_told_next`).

    `hidden`: words the sender hid from view in `text` (a Telegram spoiler,
    `Inbound.hidden`): masked whole wherever they stand, a password word beside them or not
    (「これです ||Zk2mWq9p||」 was stored as typed).

    `corrected_next`: the message before spoke of a password (`password_spoken`): a correction
    alone (「じゃなくてabd123です」, 'no wait, hanako78') is that password put right.

    `accounts`: the subscriber's own login names (`own_accounts`): a password-like token
    right after one (「taro:Kq7xyz99」「taro / Kq7xyz99」) is that login's password.

    `domains`: the profile's mail domains: an address on one given in `text` names an account
    too (「taro@vp.117.ne.jp です。taro / Kq7xyz99 で設定しています」).

    `analyser`: the runtime's morphological analyser: with it, kana alone after the word
    (「パスワードはさくらです」) is the password unless it is a predicate or a word said of
    one (「…はわかりません」「…はそのままです」, `_kana_said_of_it`).

    The patterns read the text folded (`_Reading`); what is returned is the subscriber's own
    text with only the password's characters masked. Agents read it and the subscriber sees
    it in their history: returned folded, 「月額￥300」 read 「月額\300」, 「①」 「1」 and a
    full-width word came back in ASCII.
    """
    spans = _password_spans(
        text,
        alone=alone,
        named_before=named_before or announced,
        announced=announced,
        corrected_next=corrected_next,
        accounts=accounts,
        domains=domains,
        analyser=analyser,
    )
    if hidden:
        spans = _with_hidden(text, spans, hidden)
    return (_masked(text, spans), True) if spans else (text, False)


def _with_hidden(
    text: str, spans: list[tuple[int, int]], hidden: Collection[str]
) -> list[tuple[int, int]]:
    """`spans` with every place in `text` of each of `hidden`, in order and apart."""
    found = list(spans)
    for words in {words.strip() for words in hidden}:
        if not words:
            continue
        start = text.find(words)
        while start != -1:
            found.append((start, start + len(words)))
            start = text.find(words, start + len(words))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# A hedge set apart before the rest: 「たしか、」「ええと　」 (not 「たしかそうです」).
_HEDGE_BEFORE: Final = re.compile(
    r"\s*(?:たしか|確か|たぶん|多分|おそらく|恐らく|えっと|えーと|ええと|えーっと|うーん"
    r"|あのう|あのー|あの)"
    r"(?:[、,…\s]+|(?=[「『]))"
)


def _after_a_hedge(text: str) -> int:
    """Where the kana sent after 「パスワードは」 begins: past 「たしか、」「ええと、」.

    「たしか、はなこ77です」 was kept as typed (review); the ASCII readings already take one.
    """
    hedge = _HEDGE_BEFORE.match(text)
    return hedge.end() if hedge else 0


def _kana_digits_continued(text: str) -> re.Match[str] | None:
    """Kana with digits sent after 「パスワードは」: the whole message, or its first clause.

    「もみじ55、いや、もみじ56です」 was kept as typed (review): read whole it is no password,
    and `_CORRECTED` reads the second only after the first is masked.
    """
    start = _after_a_hedge(text)
    whole = _KANA_DIGITS_CONTINUED.fullmatch(text, start)
    if whole is not None:
        return whole
    first = _KANA_DIGITS_CONTINUED.match(text, start)
    if first is None:
        return None
    return first if _CLAUSE_GOES_ON.match(text[first.end("secret") :].lstrip("」』")) else None


# Letters and digits first, English words after it: 'hanako77 but it fails', sent after 'my
# password is' (`_CONTINUED` wants the token alone, `_CONTINUED_IN_WORDS` Japanese after it).
_MIXED_THEN_WORDS: Final = re.compile(
    r"\s*[\"'“‘(]?(?P<secret>(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{6,64}?)[\"'”’),.]?\s+[a-z]",
    re.IGNORECASE,
)
# After kana and digits sent after the word, what shows the token ended: a mark, or a
# particle or copula (「はなこ77なんですが」「…にしました」「…と入れました」, review: kept as
# typed). Not a kanji (「あと10分」 is a count).
_CLAUSE_GOES_ON: Final = re.compile(r"[、,。!！?？]|な[のん]|で|に|と|が|を|も|って|かも|かな|だ")


def _password_spans(
    text: str,
    *,
    alone: bool = False,
    named_before: bool = False,
    announced: bool = False,
    corrected_next: bool = False,
    accounts: Collection[str] = (),
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
    typed: bool = True,
) -> list[tuple[int, int]]:
    """Where in `text` `redact` masks a password: spans of the typed text, in order, apart.

    `typed`: a subscriber's message, where a whole message is read as a pair or a correction
    too (「taro / sakura2009」, 'sorry I meant hanako78'); not an agent's (`gives_a_password`).
    """
    reading = _Reading.of(text)
    if domains and "@" in reading.text:
        given = dict.fromkeys(_named_in(reading.text, domains))
        accounts = (*accounts, *list(given)[:_ADDRESSES_NAMING])
    if (
        alone and (looks_like_a_password(reading.text) or perhaps_a_password(reading.text))
    ) or unmistakably_a_password(reading.text):
        return [(0, len(text))]
    continued = (
        (_CONTINUED.fullmatch(reading.text) or _CONTINUED_IN_WORDS.match(reading.text))
        if named_before
        else None
    )
    if continued and _continues(continued.group("secret")):
        reading = reading.masked([continued.span("secret")])
    elif named_before and (spelt_alone := _SPELT_ALONE.fullmatch(reading.text)):
        # 「パスワードは」, then 「Ｑ ｘ ７ １ ６ ｚ ９ ９」: spelt out a character at a time.
        reading = reading.masked([spelt_alone.span("secret")])
    elif (
        named_before
        and (in_words := _WORDS_CONTINUED.fullmatch(reading.text))
        and _words_continue(in_words.group("secret").split(), analyser)
    ):
        # 'my password is', then 'purple monkey' (privacy4: kept as typed).
        reading = reading.masked([in_words.span("secret")])
    elif (
        named_before
        and (phrase_next := _PHRASE_CONTINUED.fullmatch(reading.text))
        and not any(word.lower() in _FUNCTION_WORDS for word in phrase_next["secret"].split())
        and _a_pass_phrase(phrase_next["secret"].split(), analyser)
    ):
        # 「パスワードは」, then 'correct horse battery staple' (attacker12: kept as typed).
        reading = reading.masked([phrase_next.span("secret")])
    elif (
        named_before
        and (script_next := _SCRIPT_CONTINUED.fullmatch(reading.text))
        and not _ordinary(script_next["secret"])
    ):
        # 「パスワードは」, then 「Пароль123」 (attacker12: kept as typed).
        reading = reading.masked([script_next.span("secret")])
    elif (
        named_before
        and (in_pieces := _PIECES_CONTINUED.fullmatch(reading.text))
        # 「パスワードは」, then 「Kq7 xyz99」: the password in pieces (`_SPLIT_SECRET`), one of
        # them letters and digits mixed ('port 995', 'win 10', 'taro 1965' are answers).
        # Not words of letters alone ('hunter two'): sent alone they are as often an answer
        # ('mostly webmail', 'wakaranai desu': 30 lines of the corpus and the catalogs).
        # Else read on: 'hanako77 but it fails' is a token and words (`_MIXED_THEN_WORDS`).
        and _split_pieces(words := in_pieces.group("secret").split())
        and any(_MIXED.search(word) for word in words)
    ):
        reading = reading.masked([in_pieces.span("secret")])
    elif (
        named_before
        and (alone_kana := _KANA_CONTINUED.fullmatch(reading.text, _after_a_hedge(reading.text)))
        and (
            _KANA_DIGITS.fullmatch(alone_kana.group("secret"))
            or (analyser is not None and not _kana_said_of_it(analyser(alone_kana.group("secret"))))
            or (
                analyser is not None
                and _said_to_be_a_name(alone_kana)
                and _a_name(analyser(alone_kana.group("secret")))
            )
        )
    ):
        # 「パスワードは」, then 「さくら」: kana alone, a name-like word (`_BARE_KANA`).
        reading = reading.masked([alone_kana.span("secret")])
    elif named_before and (kana_digits := _kana_digits_continued(reading.text)):
        reading = reading.masked([kana_digits.span("secret")])
    elif (
        named_before
        and (told_on := _MIXED_THEN_WORDS.match(reading.text))
        and _continues(told_on.group("secret"))
    ):
        # 'my password is', then 'hanako77 but it fails' (review: kept as typed).
        reading = reading.masked([told_on.span("secret")])
    elif announced and (told_next := _told_next(reading.text, analyser)):
        # 'my password is', then 'dragon', 'purple monkey 77', 'tama the cat', 「桜です」
        # (subscriber18: kept as typed, as one word alone is as often an answer). The message
        # the subscriber announced is the password: an ordinary word masked there costs a
        # line of the transcript, a password kept costs the account.
        reading = reading.masked([told_next])
    elif (
        typed
        and (
            before_word := _WORD_AFTER_IT.fullmatch(reading.text)
            or _WORD_ASKED_OF_IT.fullmatch(reading.text)
        )
        and _names_it(before_word.group("secret"))
    ):
        # 'hanako is my password' (subscriber18: letters before the word were kept), 'is
        # hanako77 the right password?' (subscriber19).
        reading = reading.masked([before_word.span("secret")])
    elif (
        typed
        and analyser is not None
        and (kana_first := _KANA_BEFORE_IT.fullmatch(reading.text))
        and not _kana_said_of_it(analyser(kana_first.group("secret")))
    ):
        # 「はなこがパスワードです」 (subscriber19: kept as typed).
        reading = reading.masked([kana_first.span("secret")])
    elif (
        typed
        and not accounts
        and (pair := _NAME_AND_PASSWORD.fullmatch(reading.text))
        and _a_pair(pair)
    ):
        # 「taro / sakura2009」 before the address is known (subscriber18: kept as typed);
        # once it is, `_after_own_account` reads the pair by the name.
        reading = reading.masked([pair.span("secret")])
    elif (
        typed
        and not accounts
        and (pair := _NAME_SPACE_PASSWORD.fullmatch(reading.text))
        and _a_spaced_pair(pair)
    ):
        # 'taro 77hanako' before the address is known (subscriber21).
        reading = reading.masked([pair.span("secret")])
    elif (
        typed
        and not alone
        and (corrected := _CORRECTED_ALONE.fullmatch(reading.text))
        and _continues(corrected.group("secret"))
        and not _ordinary(corrected.group("secret"))
    ):
        # 'my password is hanako77', then 'sorry I meant hanako78' (subscriber18: kept as
        # typed; `_CORRECTED` reads a correction only after a mask in the same message).
        # Not where the address is asked for: a local part corrected there is the address.
        reading = reading.masked([corrected.span("secret")])
    elif (
        typed
        and corrected_next
        and not alone
        and (put_right := _CORRECTED_AFTER_IT.fullmatch(reading.text))
        and _corrects(put_right.group("secret"))
    ):
        # 「パスワードはabc」, then 「じゃなくてabd123です」 (attacker11: kept as typed; the
        # correction's words alone are read only after a mask, or with a digit and a letter).
        reading = reading.masked([put_right.span("secret")])

    def after(match: re.Match[str]) -> tuple[int, int] | None:
        # Read after the token in place: a slice of the rest for each match was quadratic in a
        # long message of many password words.
        secret, end = match.group("secret"), match.end("secret")
        if secret.isalpha() and _COMPARED.match(match.string, end):
            return None
        if secret.casefold() in _NUMBER_WORDS and _COUNTED.match(match.string, end):
            return None
        if _ordinary(secret) and not (secret.isalpha() and _handed_over_in_japanese(match, end)):
            return None
        return _bare(match.string, *match.span("secret"))

    def named(match: re.Match[str]) -> tuple[int, int] | None:
        # Right after a password word a dotted token is the password (「パスワードは
        # my.pass.99 です」 was kept as typed, read as a host name), unless it is one of the
        # profile's hosts: masking a host there costs a line, keeping a password the account.
        if _dotted_secret(match.group("secret"), domains):
            return _bare(match.string, *match.span("secret"))
        return after(match)

    def foreign(match: re.Match[str]) -> tuple[int, int] | None:
        if not _foreign_value(match):
            return None
        return _bare(match.string, *match.span("secret"))

    def kana(match: re.Match[str]) -> tuple[int, int] | None:
        # Kana run into the ASCII: the whole of it is the password, as typed.
        return match.span("secret")

    def pieces(match: re.Match[str]) -> tuple[int, int] | None:
        # In a Japanese frame (「パスワードは ab cd ef です」) letters alone are handed over too,
        # and in English after a colon or "is" ('password: sakura mochi').
        handed_over = _handed_over_in_japanese(match, match.end("secret"))
        words = match.group("secret").split()
        told = bool(_TOLD.search(match.group("sep")))
        return (
            match.span("secret")
            if _split_pieces(words, handed_over=handed_over, told=told)
            else None
        )

    def spelt(match: re.Match[str]) -> tuple[int, int] | None:
        # A character at a time: nothing of it is a word ('password: a b c d' is one too).
        return match.span("secret")

    def phrase(match: re.Match[str]) -> tuple[int, int] | None:
        words = match.group("secret").split()
        if any(word.lower().strip("'\"") in _PHRASE_WORDS for word in words):
            return None
        if len(words) == 1:
            return named(match)
        return match.span("secret")

    def one_of_two(match: re.Match[str]) -> tuple[int, int] | None:
        group = next(
            name
            for name in ("secret", "english", "changed", "then", "was", "from")
            if match.group(name)
        )
        secret = match.group(group)
        if _ordinary(secret) or "@" in secret:
            return None
        return _bare(match.string, *match.span(group))

    def name_given(match: re.Match[str]) -> tuple[int, int] | None:
        # "my password is my dog's name: pochi": not a word said of it ('…name is unknown').
        secret = match.group("secret")
        if _ordinary(secret) or _english_word(secret) or secret.lower() in _COMMON_WORDS:
            return None
        return match.span("secret")

    def kanji_name(match: re.Match[str]) -> tuple[int, int] | None:
        morphemes = analyser(match.group("secret")) if analyser is not None else ()
        if morphemes and all(m.pos == "名詞" and m.subpos == "固有名詞" for m in morphemes):
            return match.span("secret")
        if len(morphemes) == 1 and _names_a_thing(morphemes[0]) and analyser is not None:
            # 「パスワードは桜です」 (privacy4: kept as typed, read as 「半角です」 is). Read with
            # what follows, a word of its own: 「パスワードは書かないでください」's 「書」 is a
            # verb's.
            start, end = match.span("secret")
            following = analyser(match.string[start : end + _KANJI_CONTEXT])
            if following and following[0].surface == match.group("secret"):
                return start, end
        return None

    def bare_kana(match: re.Match[str]) -> tuple[int, int] | None:
        secret = match.group("secret")
        if _KANA_DIGITS.fullmatch(secret):
            return match.span("secret")
        if analyser is None:
            return None
        if not _kana_said_of_it(analyser(secret)):
            return match.span("secret")
        if _said_to_be_a_name(match) and _a_name(analyser(secret)):
            return match.span("secret")
        # 「パスワード　はなこ」: after a space, the name's own first kana was read as the
        # particle and 「なこ」, a verb to the analyser, kept the whole as typed (privacy4).
        sep = match.group("sep")
        if (
            match.end("sep") == match.start("secret")
            and len(sep) > 1
            and sep[-1] in _PARTICLE_KANA
            and sep[-2].isspace()
            and not _kana_said_of_it(analyser(sep[-1] + secret))
        ):
            return match.start("secret") - 1, match.end("secret")
        return None

    def groups(match: re.Match[str]) -> tuple[int, int] | None:
        # "app password: what does this mean" is four words, not four groups.
        if any(_ordinary(group) for group in match.group("secret").split()):
            return None
        return after(match)

    # A pasted trace's or URL's password first: no password word names it.
    reading = reading.masked(_trace_spans(reading.text))
    # Nine patterns find only a token with an ASCII digit (`(?=[!-~]*[0-9])`), which a
    # mask does not add: without one they are not run. 「パスワード 」 × 400 cost 3 ms of the
    # turn in them (`_NEAR_LABEL` tries its 30 separators after each word), for nothing.
    digits = _ASCII_DIGIT.search(reading.text) is not None
    # Letters of another script (`_OTHER_SCRIPT`): most messages have none.
    other_letters = _ANY_OTHER_LETTER.search(reading.text) is not None
    # In this order, each reading what the ones before it masked (a mask is no secret).
    for pattern, secret in (
        (_APP_PASSWORD, groups),
        (_PASS_PHRASE, phrase),
        (_PASS_WORDS, lambda match: _pass_words(match, analyser)),
        (_BEFORE_THE_WORD, lambda match: _pass_words_before(match, analyser)),
        *(((_OTHER_SCRIPT, _other_script),) if other_letters else ()),
        (_BOTH_WORDS, named),
        (_SPELT_OUT, spelt),
        (_SPELT_BEFORE, spelt),
        (_QUOTED_WORDS, pieces),
        (_SPLIT_SECRET, pieces),
        (_SPLIT_AFTER_COLON, pieces),
        (_AFTER_LABEL, named),
        (_FOREIGN_AFTER_LABEL, foreign),
        (_DESCRIBED_ASCII, named),
        (_TYPED_IN_ASCII, named),
        (_NAME_GIVEN_EN, name_given),
        *(((_KANA_SECRET, kana),) if digits else ()),
        *(((_KANJI_DIGITS, lambda match: match.span("secret")),) if digits else ()),
        (_QUOTED_KANA, kana),
        # Read only when it can tell (with the analyser) and can find (a digit) anything: the
        # corpus's short answers paid for both passes.
        *(((_BARE_KANA, bare_kana), (_KANJI_NAME, kanji_name)) if analyser is not None else ()),
        *(((_NUMBER_NAMED, kana),) if digits else ()),
        *(
            (
                (_BEFORE_LABEL, after),
                (_KANA_BEFORE_LABEL, kana),
                (_BEFORE_BARE_LABEL, after),
                (_ONE_OF_TWO, one_of_two),
            )
            if digits
            else ()
        ),
        (_AFTER_ADDRESS, after),
        *(((_KANA_AFTER_ADDRESS, kana),) if digits else ()),
        *(((_AFTER_ACCOUNT, after),) if digits else ()),
        *(((_after_own_account(tuple(sorted(set(accounts)))), after),) if accounts else ()),
        *(
            (
                (_NEAR_LABEL, after),
                (_NEAR_LABEL_EN, after),
                (_TYPED_BEFORE_LABEL, after),
                (_TYPED_BEFORE_LABEL_EN, after),
            )
            if digits
            else ()
        ),
        (_AFTER_LENGTH, after),
    ):
        spans = [span for match in pattern.finditer(reading.text) if (span := secret(match))]
        reading = reading.masked(spans)
    if any(opener in reading.text for opener in _NOTE_OPENERS):
        # Only where a bracket is: most messages have none, and each pass costs a long one.
        noted = _AFTER_NOTED_LABEL.finditer(reading.text)
        reading = reading.masked([span for match in noted if (span := named(match))])
    for _ in range(_ALTERNATIVES_IN_A_ROW):
        if MASK not in reading.text:
            break
        found = sorted(
            span
            for pattern in (_ALTERNATIVE, _BESIDE, _CORRECTED)
            for match in pattern.finditer(reading.text)
            if (span := after(match))
        )
        # In order and apart, as `masked` takes them: the two patterns may find one token.
        more: list[tuple[int, int]] = []
        for span in found:
            if not more or span[0] >= more[-1][1]:
                more.append(span)
        if not more:
            break
        reading = reading.masked(more)
    return reading.typed_spans()


def _said_to_be_a_name(match: re.Match[str]) -> bool:
    """Whether the kana `match` found is said to be a name (「娘の名前の、ゆきです」).

    「「ゆうと」と申します」, 「ゆうとといいます」 too. The analyser cuts a name into a verb
    or a particle (ゆき: 行き, ゆうと: ゆう and と), a sentence to `_kana_said_of_it`; said
    to be a name, it is one unless it conjugates.
    """
    text, start, end = match.string, match.start("secret"), match.end("secret")
    described = "described" in match.re.groupindex and match.group("described") is not None
    quoted = start > 0 and text[start - 1] in "「『\"'“‘"
    return described or quoted or _INTRODUCED.match(text, end) is not None


# 「…と申します」「…といいます」「…って言います」 after it: a name introduced.
_INTRODUCED: Final = re.compile(
    r"[」』\"'”’]?\s*(?:と(?:申|もう)し(?:ます|まして)|と(?:いい|言い)ます|って(?:いい|言い)ます)"
)


def _a_name(morphemes: Sequence[Morpheme]) -> bool:
    """Whether kana said to be a name (`_said_to_be_a_name`) is one.

    Nothing conjugates in it (「わかりません」「しらない」), and it is no word said of a
    password (「ひらがな」).
    """
    if not morphemes or "".join(m.surface for m in morphemes) in _KANA_STATES:
        return False
    return not any(
        m.lemma in _KANA_STATES or m.pos in {"助動詞", "形容詞", "代名詞", "感動詞"}
        for m in morphemes
    )


# The message after one that announced the password, read when nothing above found it in it:
# ASCII words alone ('dragon', 'purple monkey 77', 'tama the cat'), "it's" or quotes around
# them, or a kanji noun alone with its copula (「桜です」).
_TOLD_NEXT_ASCII: Final = re.compile(
    r"\s*(?:(?:it['’]?s|it\s+(?:is|was))\s+)?[「『\"'“‘]?"
    r"(?P<secret>[!-~]{1,32}?(?:[ ]+[!-~]{1,32}?){0,3})[」』\"'”’]?"
    r"(?:\s*(?:です|でした|だよ))?[.!。！]*\s*",
    re.IGNORECASE,
)
_TOLD_NEXT_KANJI: Final = re.compile(
    r"\s*[「『]?(?P<secret>[\u4e00-\u9fff々]{1,8})[」』]?(?:\s*(?:です|でした|だよ))?[。！!]*\s*"
)
# Words that only join the words of a password said as a phrase ('tama the cat'): they make no
# sentence of it alone.
_JOINING: Final = frozenset({"the", "a", "an", "and", "of", "&", "+", "-"})


def _told_next(text: str, analyser: Analyser | None) -> tuple[int, int] | None:
    """Where the password is in `text`, sent after a message that announced it.

    Read when the other readings found none: words of no list (answers, chat, mail, what
    is said of a password, a mail program and its version), or a kanji noun that names a
    thing.
    """
    ascii_words = _TOLD_NEXT_ASCII.fullmatch(text)
    if ascii_words is not None:
        words = ascii_words.group("secret").split()
        lowered = [word.lower().strip(".,!?") for word in words]
        kept = [word for word in lowered if word not in _JOINING]
        if not kept or any(
            not word
            or _ordinary(word)
            or _english_word(word)
            or word in _COMMON_WORDS
            or word in _PHRASE_WORDS
            or word in _SAID_IN_CHAT
            or "@" in word
            for word in kept
        ):
            return None
        if len("".join(lowered)) < _TOLD_NEXT_LENGTH or recognise_program(" ".join(lowered)):
            # 'vs', 'thunderbrd', 'Tbird', 'Mac': a piece of a server's name, a program's
            # name however typed (the corpus read after 「パスワードは」 masked them).
            return None
        # 'win 10', 'Outlook 2019': a program and its version.
        if any(_PRODUCT.fullmatch(a + b) for a, b in itertools.pairwise(lowered)):
            return None
        kana = in_kana(" ".join(lowered))
        if kana is not None and (analyser is None or _romaji_sentence(kana, analyser(kana))):
            # Romaji read as a sentence ('wakaranai desu', 'hai'), not a name ('hanako').
            return None
        return ascii_words.span("secret")
    kanji = _TOLD_NEXT_KANJI.fullmatch(text)
    if kanji is None or analyser is None:
        return None
    morphemes = analyser(kanji.group("secret"))
    if morphemes and all(m.pos == "名詞" and m.subpos == "固有名詞" for m in morphemes):
        return kanji.span("secret")
    if len(morphemes) == 1 and _names_a_thing(morphemes[0]) and morphemes[0].surface not in _PLACES:
        return kanji.span("secret")
    return None


# Where the mail is read, as the network question is answered (「自宅です」): no password.
_PLACES: Final = frozenset({"自宅", "職場", "実家", "事務所", "学校", "店", "外", "外出先", "出先"})
# Fewer characters than a password has: 'vs', 「2です」, 'ok'.
_TOLD_NEXT_LENGTH: Final = 4


def _romaji_sentence(kana: str, morphemes: Sequence[Morpheme]) -> bool:
    """Whether romaji, read as `kana`, says something: 'wakaranai desu', 'hai', 'mada', 'dame'.

    Looser than `_kana_said_of_it`, which reads kana typed as such: English words spell kana
    too, and read so 'sunshine' (すんしね) is a verb and two particles, 'taro' (たろ) 「だろ」.
    Only an interjection, a word that conjugates after another, an adverb or an adjectival
    noun alone, or a word said of a password is a sentence.
    """
    if not morphemes or kana in _KANA_STATES:
        return True
    if any(m.pos == "感動詞" or m.lemma in _KANA_STATES for m in morphemes):
        return True
    if len(morphemes) == 1:
        return morphemes[0].pos in {"副詞", "形状詞", "代名詞"}
    return any(m.pos == "助動詞" for m in morphemes[1:])


# A word of letters, then the word for a password: 'hanako is my password', "'dragon' is
# the password". The whole message, so that a sentence ('this is my password') is read by
# the word's own list (`_names_it`).
_WORD_AFTER_IT: Final = re.compile(
    r"\s*[「『\"'“‘]?(?P<secret>[a-z][a-z0-9]{2,31})[」』\"'”’]?\s+(?:is|was|=)\s+"
    r"(?:my|the|our)\s+(?:(?:new|old|current|e-?mail|mail|real|correct|right)\s+)?"
    r"(?:password|passwd|pass\s?word|pw|passcode|pin)\b[.!]*\s*",
    re.IGNORECASE,
)
# The same asked: 'is hanako77 the right password?', 'was "sakura" my old password' (kept as
# typed: the word comes after the token, which `_WORD_AFTER_IT` wants before it). A digit
# first too ('is 77hanako the right password?'); the whole message, a word said of the
# account after it at most ('… for my account').
_WORD_ASKED_OF_IT: Final = re.compile(
    r"\s*(?:is|was)\s+[「『\"'“‘]?(?P<secret>[a-z0-9][!-~]{2,31}?)[」』\"'”’]?\s+"
    r"(?:my|the|our)\s+(?:(?:new|old|current|e-?mail|mail|real|correct|right)\s+)?"
    r"(?:password|passwd|pass\s?word|pw|passcode|pin)\b"
    r"(?:\s+(?:for|of|on)\s+(?:my|the|this)\s+[a-z0-9. ]{1,30}?)?(?:\s+or\s+not)?[?.!]*\s*",
    re.IGNORECASE,
)
# 「はなこがパスワードです」「さくらってパスワードでした」: kana alone before the word, the whole
# message (kept as typed: `_KANA_BEFORE_LABEL` wants digits in it). A word said of a password
# (「ひらがながパスワードです」「これがパスワードです」, `_kana_said_of_it`) is no password.
_KANA_BEFORE_IT: Final = re.compile(
    rf"\s*[「『]?(?P<secret>{_KANA}{{2,30}})[」』]?\s*(?:が|って|と(?:いう|言う)の(?:が|は))\s*"
    r"(?:(?:私|わたし|僕|ぼく|自分)の\s*)?(?:新しい|今の|いまの)?\s*"
    rf"(?:{_LABEL})(?:です|でした|だよ|だと思います|です(?:か|よね)|か)?[。.!！?？]*\s*",
    re.IGNORECASE,
)
_POINTING: Final = frozenset(
    {"this", "that", "what", "which", "where", "here", "there", "mine", "it", "who", "how",
     "nothing", "everything", "something", "anything", "none", "same", "email", "mail"}
)  # fmt: skip


def _names_it(word: str) -> bool:
    """Whether `word`, before 'is my password', is the password and not a word pointing at it."""
    lowered = word.lower()
    return not (
        lowered in _POINTING
        or _ordinary(lowered)
        or _english_word(lowered)
        or lowered in _COMMON_WORDS
        or lowered in _PHRASE_WORDS
        or lowered in _SAID_IN_CHAT
    )


# A login's name and a password joined by a slash or a colon, the whole message: 「taro /
# sakura2009」, 'taro: hanako77' before the address is known (`_after_own_account` reads them
# once it is). The password holds a letter and a digit, or is kana with its digits.
_NAME_AND_PASSWORD: Final = re.compile(
    r"\s*(?P<name>[a-z][a-z0-9._-]{1,31})\s*(?:/|:|\|)\s*[「『\"'“‘]?"
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])[!-~]{{2,30}}"
    r"|(?=[!-~]*[0-9])[a-z][!-~]{5,63}?"
    # A digit first ('taro: 1a2b3c', 'taro / 77hanako': subscriber19, kept as typed), but not
    # an error's code ('taro: 800CCC0F', '0x800CCC0E', eight hex digits), a size ('1920x1080')
    # or a time ('10:30am').
    r"|(?!0x)(?![0-9a-f]{8}(?![!-~]))(?!\d+x\d+(?![!-~]))(?!\d{1,2}:\d{2})"
    r"(?=[!-~]*[a-z])[0-9][!-~]{5,63}?)"
    r"[」』\"'”’]?(?:\s*(?:です|でした|だよ))?[.!。！]*\s*",
    re.IGNORECASE,
)


def _a_pair(match: re.Match[str]) -> bool:
    """Whether `_NAME_AND_PASSWORD` found a login's name and its password.

    Not a program, a protocol or a word and a version ('Outlook / Office2019', 'SMTP:
    port587', 'iPhone / iOS17').
    """
    name, secret = match.group("name").lower(), match.group("secret").lower()
    if _PROTOCOL.fullmatch(name) or _names_it(name) is False:
        return False
    if re.fullmatch(_PRODUCT_NAME, name):
        # A product and its version ('office: 365solo', 'ios: 17beta').
        return False
    if _PRODUCT.fullmatch(secret) or _ordinary(secret) or re.match(r"(?:port|ver|v|no)\d", secret):
        return False
    if "/" in secret or "." in secret:
        # A web address ('https://…') or a host and its port ('vpop.117.ne.jp:995').
        return False
    return _continues(secret)


# The same with a space alone between them, a password starting with a digit: 'taro 77hanako'
# before the address is known (subscriber19 and subscriber20: kept as typed). A space joins a
# program and its version as readily ('office 2019pro', 'firefox 115esr'), so only a digit
# first, six characters at least, and none of the things a number names (`_NUMBER_NAMES`).
_NAME_SPACE_PASSWORD: Final = re.compile(
    r"\s*(?P<name>[a-z][a-z0-9._-]{1,31})[ \t\u3000]+[「『\"'“‘]?"
    r"(?P<secret>(?!0x)(?![0-9a-f]{8}(?![!-~]))(?!\d+x\d+)(?!\d{1,2}:\d{2})"
    r"(?=[!-~]*[a-z])[0-9][!-~]{5,63}?)"
    r"[」』\"'”’]?(?:\s*(?:です|でした|だよ))?[.!。！]*\s*",
    re.IGNORECASE,
)
# Words that say what the number after them is: 'code 550relay', 'version 2402build'.
_NUMBER_LABELS: Final = frozenset(
    {
        "version", "ver", "build", "code", "error", "err", "size", "port", "model", "room",
        "tel", "phone", "fax", "zip", "no", "number", "id", "plan", "type", "step", "page",
    }
)  # fmt: skip
# A number and what it counts or which edition it is: a size, a speed, a model's edition
# ('2019pro', '115esr', '128gb', '15promax'), the provider's own name ('117net').
_NUMBER_NAMES: Final = re.compile(
    r"[0-9][0-9,]*(?:st|nd|rd|th)?[-_]?(?:(?:gb|mb|kb|tb|ghz|mhz|hz|mm|cm|px|dpi|fps|mah|bits?"
    r"|inch(?:es)?|pro|max|plus|mini|air|home|beta|esr|lite|ultra|se|edition|premium|business"
    r"|professional|enterprise|personal|standard|solo|apps|net|gen|series|model|version|ver"
    r"|build|plan|g|lte)"
    r"[-_ ]?)+[0-9]*",
    re.IGNORECASE,
)


def _a_spaced_pair(match: re.Match[str]) -> bool:
    """Whether `_NAME_SPACE_PASSWORD` found a login's name and its password.

    As `_a_pair`, and not a word saying what the number is ('version 2402build') nor a number
    naming what it counts or its edition ('firefox 115esr', 'storage 128gb', 'taro 117net').
    """
    name = match.group("name").lower()
    if (
        name in _NUMBER_LABELS
        or _english_word(name)
        or _NUMBER_NAMES.fullmatch(match.group("secret"))
    ):
        return False
    return _a_pair(match)


# A correction sent as a message of its own, the password before it masked in the message
# before: 'sorry I meant hanako78', 「あ、違った、hanako78でした」, 「いや、はなこ78です」. The
# word of correcting first; a token holding a letter and a digit, or kana with its digits.
_CORRECTED_ALONE: Final = re.compile(
    r"\s*(?:(?:あ|あっ|いや|いえ|すみません|すいません|ごめんなさい)[、,]?\s*)?"
    r"(?:違った|ちがった|違いました|ちがいました|間違えました|まちがえました|間違えた|まちがえた"
    r"|正しくは|訂正(?:します)?|sorry[,.!\s]*(?:i\s+meant?|it['’]?s|it\s+is)"
    r"|oops[,.!\s]*(?:i\s+meant?|it['’]?s|it\s+is)|i\s+meant|no\s+wait[,.!\s]*(?:it['’]?s|it\s+is)?"
    r"|(?:sorry|oops)[,.!\s]+(?:the\s+)?(?:right|correct)\s+one\s+is)"
    r"[、,.。!！…:\s]*[「『\"'“‘]?"
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])[!-~]{{2,30}}|(?=[!-~]*[0-9])(?=[!-~]*[a-z])[!-~]{{4,64}}?)"
    r"[」』\"'”’]?(?:\s*(?:です|でした|だよ|だった))?[.!。！]*\s*",
    re.IGNORECASE,
)


# A correction in its own message right after one that spoke of a password
# (`password_spoken`): 「パスワードはabc」, then 「じゃなくてabd123です」, 'no wait, hanako78'.
# The words that take the last one back are those `_CORRECTED` reads after a mask in the same
# message; alone, without that message before, 「じゃなくて117netです」 is an answer corrected.
_CORRECTED_AFTER_IT: Final = re.compile(
    r"\s*(?:(?:あ|あっ|いや|いえ|すみません|すいません|ごめんなさい|sorry|oops)[、,.!！\s]*)?"
    r"(?:じゃなくて|ではなくて|じゃなかった(?:です)?|ではなかった(?:です)?|じゃない(?:です)?"
    r"|違った|ちがった|違いました|ちがいました|違う|ちがう|違います|ちがいます|間違えました"
    r"|まちがえました|間違えた|まちがえた|間違い(?:です|でした)?|正しくは|訂正(?:します)?|いや|いえ"
    r"|no\s+wait|i\s+mean|i\s+meant)"
    r"[、,.。!！…:\s]*(?:(?:it['’]?s|it\s+is)\s+)?[「『\"'“‘]?"
    rf"(?P<secret>{_KANA}{{1,30}}(?=[!-~]*[0-9])[!-~]{{2,30}}|[!-~]{{4,64}}?)"
    r"[」』\"'”’]?(?:\s*(?:です|でした|だよ|だった|かも|かな))?[.!。！]*\s*",
    re.IGNORECASE,
)
# A password word anywhere in a message (`password_spoken`).
_SPOKEN: Final = re.compile(rf"{_LABEL}|{_FOREIGN_WORD}", re.IGNORECASE)


def password_spoken(text: str) -> bool:
    """Whether the subscriber's message spoke of a password: a password word in it.

    The next message, a correction alone (「じゃなくてabd123です」), is then the password
    corrected (`redact`'s `corrected_next`). 「パスワードはabc」 (three letters: no password is
    masked so short) counts as much as 「パスワードはsakura2008です」.
    """
    return bool(text) and _SPOKEN.search(_Reading.of(text).text) is not None


# What an agent writes to ask a subscriber for their password (desk7): the password word,
# then in the same clause (no other object between: 「パスワードは再発行になりますので、お電話
# 番号を教えて」 asks for the number) a verb of telling, typing or sending, or a question
# word; or a question whose clause holds the word (not 「パスポート」). In English a verb of
# telling before the word, or a question after it.
_ASKS_VERB_JA: Final = (
    r"(?:教え|おしえ|入力|にゅうりょく|書い|書き|かい|送っ|送り|送信|記入|お知らせ|おしらせ|伺|うかが"
    r"|聞かせ|きかせ|打っ|打ち|貼っ|貼り|貼付|入れ|いれ|何|なに|なん|どれ|どちら|どんな|ご確認|確認させ)"
)
_ASKS: Final = re.compile(
    rf"(?:{_LABEL})(?![ァ-ヺー])\s*(?:(?:を|も|は)\s*)?(?:[、,]\s*)?"
    rf"[^。.！!？?\n、,をはが]{{0,16}}?{_ASKS_VERB_JA}"
    rf"|(?:{_LABEL})(?![ァ-ヺー])[^。.！!？?\n、,]{{0,24}}[？?]"
    r"|\b(?:tell|send|give|type|enter|write|share|provide|paste|confirm|spell|read\s+out"
    r"|let\s+(?:me|us)\s+know|what(?:['’]s|\s+is|\s+was))\b[^.?!\n]{0,40}?"
    rf"(?:{_LABEL})",
    re.IGNORECASE,
)


def asks_for_a_password(text: str) -> bool:
    """Whether `text`, an agent's words to a subscriber, asks them for their password.

    The chat never asks (DESIGN §3), but an agent may: 「念のため、パスワードを教えていただけます
    か？」, 'Could you tell me your password?'. The subscriber's answer then comes alone
    (「Zk2mWq9p」, 「sakura123です」), with no password word before it, and was kept as typed in
    the transcript, the console, the Slack thread and the Chatwoot mirror. After such words the
    next message is read as after 「パスワードは」 (`DialogState.password_named`): a token alone is
    masked, a sentence (「忘れました」「え、書いていいんですか？」) is kept.
    """
    return bool(text) and _ASKS.search(_Reading.of(text).text) is not None


def _corrects(secret: str) -> bool:
    """Whether `secret`, after a correction's words, is the password put right."""
    if _ordinary(secret) or "@" in secret or recognise_program(secret.lower()) is not None:
        return False
    word = secret.rstrip("?!.")
    if any(not c.isalpha() for c in word):
        return True
    # Letters alone: a made-up word, not one said of a password ('no wait, incorrect').
    return (
        word.isascii()
        and len(word) >= 4
        and not _english_word(word)
        and word.lower() not in _COMMON_WORDS
    )


# Words of letters alone sent after a message that named a password: 'my password is', then
# 'purple monkey' or "it's sakura mochi" (privacy4: kept as typed, for two such words sent
# alone are as often an answer). Read only right after the password was named
# (`names_a_password`), and only words no list of answers, English said of passwords, chat or
# mail has (`_words_continue`).
_WORDS_CONTINUED: Final = re.compile(
    r"\s*(?:(?:it['’]?s|it\s+(?:is|was))\s+)?[\"'“‘]?"
    r"(?P<secret>[a-z]{2,32}(?:[ ]+[a-z]{1,32}){1,3})[\"'”’]?[.!]*\s*",
    re.IGNORECASE,
)
# Words of answers and of the chat said in a few words ('yes please', 'ok thanks', 'bye bye',
# 'take care'), and of mail and this chat ('mostly webmail', 'eM Client', 'Incoming server').
_SAID_IN_CHAT: Final = frozenset(
    {
        "yes", "yeah", "yep", "yup", "yse", "yess", "no", "nope", "nah", "ok", "okay", "okey",
        "dokey", "hi", "hello", "hey", "hiya", "bye", "goodbye", "cya", "cheers", "mate",
        "dear", "sir", "madam", "thx", "thanx", "ty", "idk", "dunno", "skip", "english",
        "japanese", "menu", "agent", "person", "human", "staff", "operator", "great", "cool",
        "awesome", "perfect", "nice", "lol", "haha", "hmm", "oops", "wait", "take", "care",
        "love", "happy", "merry", "christmas", "night", "evening", "afternoon", "bless",
        "god", "brilliant", "wonderful", "excellent", "fantastic", "amazing", "alright",
        "done", "finished", "ready", "started", "start", "stop", "quit", "exit", "cancel",
        "webmail", "server", "servers", "port", "ports", "encryption", "address", "addresses",
        "chat", "web", "console", "token", "conversation", "closed", "host", "name",
        "migration", "steps", "step", "support", "desk", "hours", "password", "passwords",
        "show", "incoming", "outgoing", "checked", "certificate", "untrusted", "normal", "id",
        "mostly", "client", "express", "live", "notebook", "apparently", "only",
    }
)  # fmt: skip


def _words_continue(words: list[str], analyser: Analyser | None) -> bool:
    """Whether `words`, letters alone sent after the password was named, are that password.

    Not when any is an English word the lists know (said of a password, an answer, the chat,
    mail), nor Japanese in romaji that the analyser reads as a sentence ('wakaranai desu',
    'iie chigaimasu'); romaji read as a name ('sakura mochi') is the password.
    """
    lowered = [word.lower() for word in words]
    if any(
        _ordinary(word)
        or _english_word(word)
        or word in _COMMON_WORDS
        or word in _PHRASE_WORDS
        or word in _SAID_IN_CHAT
        for word in lowered
    ):
        return False
    kana = in_kana(" ".join(lowered))
    if kana is None:
        return True
    return analyser is not None and not _kana_said_of_it(analyser(kana))


def _split_pieces(pieces: list[str], *, handed_over: bool = False, told: bool = False) -> bool:
    """Whether `pieces`, the words after a password word, are one password typed in pieces.

    Together they hold a letter and a digit (or a Japanese sentence hands them over as the
    value, `handed_over`), and none is a word ('my password is not working', 'password is 8
    characters', 'is abc123 now'). `told`: an English colon or "is" put them where the value
    goes ('password: sakura mochi', 'my password is hunter two'): words of letters alone,
    none an English word the lists know, are the password as one word of them was (only
    'sakura' was masked, 'mochi' kept).
    """
    joined = "".join(pieces)
    lettered = told and all(_LETTERS.fullmatch(piece.strip(_QUOTES)) for piece in pieces)
    if lettered and any(piece.strip(_QUOTES).lower() in _COMMON_WORDS for piece in pieces):
        return False
    pieces = [piece.strip(_QUOTES) for piece in pieces] if lettered else pieces
    return (
        (handed_over or lettered or any(c.isdigit() for c in joined))
        and any(c.isalpha() for c in joined)
        and not any(
            (
                piece.lower() in _STATES_SAID_IN_JAPANESE or bool(_PROTOCOL.fullmatch(piece))
                if handed_over
                else _ordinary(piece) or _english_word(piece.lower())
            )
            or piece.lower() in _PHRASE_WORDS
            for piece in pieces
        )
    )


# An English frame that puts the value after it: 'password: …', 'password is …'.
_TOLD: Final = re.compile(r"[:=]|\b(?:is|was)\b", re.IGNORECASE)
_LETTERS: Final = re.compile(r"[a-z]{2,32}", re.IGNORECASE)
_QUOTES: Final = "\"'“”‘’"
# Words of a sentence about the password that no list above has, read only where words of
# letters alone after 'password is' would be its value: 'my password is all lowercase',
# 'password: see below'.
_COMMON_WORDS: Final = frozenset(
    {
        "all", "any", "at", "by", "as", "if", "yet", "up", "down", "out", "who", "why", "he",
        "she", "we", "they", "you", "him", "her", "them", "us", "our", "its", "his", "give",
        "let", "see", "try", "know", "think", "guess", "sure", "idea", "lowercase",
        "uppercase", "capital", "capitals", "caps", "kinda", "sorta", "weird", "broken",
        "strange", "odd", "funny", "stuck", "gone", "here", "there", "something", "written",
        "somewhere", "still", "well", "now", "then", "again", "anyway",
    }
)  # fmt: skip


# A pass phrase of words after the password's word, as password managers and the advice to
# use "correct horse battery staple" make them: 「パスワードは correct horse battery staple
# です」, 'my password is correct horse battery staple', 'password: purple monkey dishwasher
# river tiger' (attacker12: kept as typed, for 'correct' is a state said in Japanese and a
# word of English, and only 'purple' of five words was masked). Three to eight words of
# letters after the word and what hands a value over (a colon, は, 'is'), up to the
# sentence's end; `_pass_words` cuts them at the first function word ('… but it fails') and
# tells them from a sentence about the password.
_FUNCTION_WORDS: Final = _PHRASE_WORDS | _COMMON_WORDS | frozenset(
    {
        "maybe", "probably", "perhaps", "possibly", "just", "actually", "currently", "always",
        "like", "simply", "really", "usually", "normally", "definitely", "certainly", "either",
        "every", "each", "some", "many", "much", "only", "also", "even", "never", "ever",
        "sometimes", "often", "after", "before", "since", "until", "from", "with", "without",
        "about", "when", "where", "which", "who", "because", "though", "although", "however",
        "than", "same", "different", "other", "another", "last", "next", "first", "ago",
        "today", "yesterday", "tomorrow", "time", "times", "day", "days", "week", "weeks",
        "month", "months", "year", "years", "anymore", "already", "yet", "both", "none",
        "been", "being", "has", "have", "had", "will", "would", "should", "could", "must",
        "may", "might", "get", "gets", "got", "getting", "keep", "keeps", "kept", "seems",
        "seem", "case", "sensitive", "letters", "characters", "digits", "numbers", "symbols",
        "lower", "upper", "long", "short", "while", "via", "into",
    }
)  # fmt: skip
# A word, a hyphen inside it or not ('correct-horse battery staple' kept 'battery staple').
_PHRASE_PIECE: Final = (
    r"(?=[0-9-]*[a-z\u00c0-\u024f])[a-z0-9\u00c0-\u024f](?:[a-z0-9\u00c0-\u024f-]{0,30}"
    r"[a-z0-9\u00c0-\u024f])?"
)
# Spaces between the words, or a middle dot or a comma ('correct・horse・battery・staple',
# 'correct, horse, battery, staple': attacker13, kept as typed).
_PHRASE_GAP: Final = r"(?:[ \t]*[・·][ \t]*|,[ \t]*|[ \t]+)"
_PHRASE_RUN: Final = rf"(?P<secret>{_PHRASE_PIECE}(?:{_PHRASE_GAP}{_PHRASE_PIECE}){{2,7}})"
_PASS_WORDS: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY})"
    # A note on the field ('パスワード（半角）: …'), then what hands the value over.
    r"(?P<sep>(?:\s*[(\[【][^()\[\]【】\n]{1,24}[)\]】])?"
    r"\s*(?:\b(?:(?:is|was|has\s+been)\s+)?(?:(?:re)?set|changed)\s+to\b"
    r"|[:=→]|->|は|を|に|って|\bis(?:\s+now)?\b|\bwas\b)"
    r"\s*(?:(?:maybe|probably|perhaps|just|still|actually|currently|definitely)\s+)?"
    r"[「『\"'“‘]?)"
    rf"{_PHRASE_RUN}(?![a-z0-9\u00c0-\u024f-])"
    # A note in brackets after it ('… staple (all lowercase)') ends it too.
    r"(?=[」』\"'”’]?\s*(?:です|でした|だよ|だと|[。.!！?？,、;(\[【]|\n|$"
    # 「パスワードを … にしました」「パスワードに … と入れました」.
    r"|に(?:しました|した|変更|変え|設定)|と(?:入れ|いれ|入力|打)|で(?:ログイン|設定|入れ))"
    r"|[ \t]+[a-z])",
    re.IGNORECASE,
)
# The same words before it ('correct horse battery staple is my password'): found from the
# word back (`_pass_words_before`), for a run tried at every word of a long message cost
# 100 ms in 2,000 characters.
_BEFORE_THE_WORD: Final = re.compile(
    # From the end of a word only: tried at each of a run of blanks, each read the run on.
    rf"(?<!\s)[」』\"'”’]?\s*(?:(?:is|was)\s+(?:my|the|our)\s+|(?:が|は|って)\s*)(?:{_LABEL})",
    re.IGNORECASE,
)
_PIECE_ALONE: Final = re.compile(_PHRASE_PIECE, re.IGNORECASE)
_PIECE_OPENING: Final = re.compile(
    rf"(?<![!-~\u00c0-\u024f])[「『\"'“‘]?({_PHRASE_PIECE})\Z", re.IGNORECASE
)
_BLANKS: Final = re.compile(r"([ \t]+)")
# How far back from the word the run is looked for: eight words of 24 letters and spaces.
_RUN_REACH: Final = 8 * 26


def _said_of_it(word: str) -> bool:
    """Whether `word` is one a sentence about a password is made of, not a pass phrase's."""
    lowered = word.lower()
    return (
        _english_word(word)
        or _ordinary(word)
        or lowered in _STATES_SAID_IN_JAPANESE
        or _PROTOCOL.fullmatch(lowered) is not None
        or recognise_program(lowered) is not None
    )


def _a_pass_phrase(words: list[str], analyser: Analyser | None) -> bool:
    """Whether `words` (no function word among them) are a pass phrase.

    A sentence about the password has its words ('is rejected every time', 'was changed
    last week', 'is incorrect user name'): of three words none may be one of them
    (`_said_of_it`), of four or more one ('correct' of 'correct horse battery staple').
    Japanese in romaji is one when the analyser reads it as a name, not a sentence
    ('wakaranai desu yo', 'iie chigaimasu yo'), as `_words_continue` reads it.
    """
    said = sum(1 for word in words if _said_of_it(word))
    if len(words) < 3 or said > (1 if len(words) >= 4 else 0):
        return False
    kana = in_kana(" ".join(word.lower() for word in words))
    return kana is None or (analyser is not None and not _kana_said_of_it(analyser(kana)))


_PHRASE_WORD: Final = re.compile(r"[^\s・·,]+")


def _pass_words(match: re.Match[str], analyser: Analyser | None) -> tuple[int, int] | None:
    """The words `_PASS_WORDS` found, up to the first function word, when a pass phrase."""
    start = match.start("secret")
    words = list(_PHRASE_WORD.finditer(match.group("secret")))
    kept = next(
        (i for i, word in enumerate(words) if word.group().lower() in _FUNCTION_WORDS),
        len(words),
    )
    if not _a_pass_phrase([word.group() for word in words[:kept]], analyser):
        return None
    return start, start + words[kept - 1].end()


def _pass_words_before(match: re.Match[str], analyser: Analyser | None) -> tuple[int, int] | None:
    """The words just before the password's word `_BEFORE_THE_WORD` found, when a pass phrase.

    Read back from the word, a word at a time, to the first that is no piece of one (or a
    function word): a run searched for at each place before it cost 100 ms in 2,000
    characters.
    """
    end = match.start()
    parts = _BLANKS.split(match.string[max(0, end - _RUN_REACH) : end])
    words: list[tuple[int, int]] = []
    after = end
    for index in range(len(parts) - 1, -1, -2):
        part, start = parts[index], after - len(parts[index])
        if len(words) == 8 or not part:
            break
        alone = _PIECE_ALONE.fullmatch(part)
        piece = alone or _PIECE_OPENING.search(part)
        if piece is None or piece.group().lower() in _FUNCTION_WORDS:
            break
        words.append((start + piece.start(0 if alone else 1), after))
        if alone is None:
            break
        after = start - (len(parts[index - 1]) if index else 0)
    words.reverse()
    if not _a_pass_phrase([match.string[a:b] for a, b in words], analyser):
        return None
    return words[0][0], words[-1][1]


# The same words as a message of their own after 「パスワードは」 or 'my password is'.
_PHRASE_CONTINUED: Final = re.compile(
    rf"\s*[「『\"'“‘]?{_PHRASE_RUN}[」』\"'”’]?(?:\s*(?:です|でした|だよ|かも|[。.!！]))*\s*",
    re.IGNORECASE,
)


# A password in another script than Latin, Japanese or Chinese, after the password's word:
# 「パスワードは пароль です」, 'password Пароль123', 'password: κωδικός' (attacker12: kept
# as typed, as every pattern above reads a run of ASCII). Letters alone only where a colon,
# a particle or 'is' hands them over ('password: κωδικός', not 「Το password μου δεν
# λειτουργεί」, Greek's own sentence); a digit or a mark anywhere ('password Пароль123');
# after another language's word only with a digit ('пароль: Соколик77', not 'пароль:
# неверный' nor 'contraseña: olvidé', that language's own words).
_OTHER_LETTER: Final = (
    r"\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0900-\u097f"
    r"\u0e00-\u0e7f\u10a0-\u10ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
)
_ACCENTED: Final = r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_SCRIPT_TOKEN: Final = (
    # Case-sensitive: folded, 'i' and 's' are the dotless 'ı' and the long 'ſ' of Latin's range.
    rf"(?P<secret>(?-i:(?=[!-~{_ACCENTED}{_OTHER_LETTER}\u0300-\u036f]*[{_ACCENTED}{_OTHER_LETTER}]))"
    rf"[!-~{_ACCENTED}{_OTHER_LETTER}\u0300-\u036f]{{2,64}})"
    rf"(?![!-~{_ACCENTED}{_OTHER_LETTER}\u0300-\u036f])"
)
_OTHER_SCRIPT: Final = re.compile(
    rf"(?P<label>{_LABEL_WITH_KEY}|{_FOREIGN_WORD})(?P<sep>{_BETWEEN}|\s+){_SCRIPT_TOKEN}",
    re.IGNORECASE,
)
# A token of another script as a message of its own after 「パスワードは」: handed over.
_SCRIPT_CONTINUED: Final = re.compile(
    rf"\s*[「『\"'“‘]?{_SCRIPT_TOKEN}[」』\"'”’]?(?:\s*(?:です|でした|だよ|かも|[。.!！]))*\s*",
    re.IGNORECASE,
)
_HANDED_OVER: Final = re.compile(r"[:=：]|は|って|\b(?:is|was)\b", re.IGNORECASE)
_ANY_OTHER_LETTER: Final = re.compile(rf"[{_ACCENTED}{_OTHER_LETTER}]")


def _other_script(match: re.Match[str]) -> tuple[int, int] | None:
    """The token `_OTHER_SCRIPT` found, when it is a password rather than a word."""
    secret = match.group("secret")
    core = secret.strip(_AFTER_A_VALUE) or secret
    if "@" in core or _ordinary(core):
        return None
    marked = any(c.isdigit() for c in core) or any(
        not c.isalnum() and not unicodedata.combining(c) for c in core
    )
    foreign = re.fullmatch(_FOREIGN_WORD, match.group("label"), re.IGNORECASE) is not None
    if foreign:
        # A digit: 「비번/패스워드/암호」 is a list of that language's words.
        digit = any(c.isdigit() for c in core)
        return _bare(match.string, *match.span("secret")) if digit else None
    # Letters alone only handed over (a colon, a particle, 'is'): 「Το password μου δεν
    # λειτουργεί」 is Greek's own sentence, 'password: oublié' a value.
    if not (marked or _HANDED_OVER.search(match.group("sep"))):
        return None
    start, end = _bare(match.string, *match.span("secret"))
    # More words of it up to the value's end: 「パスワードは crème brûlée です」 kept 'brûlée'.
    more = _SCRIPT_WORDS_ON.match(match.string, end)
    if more is not None and not any(
        _said_of_it(word) or word.lower() in _FUNCTION_WORDS for word in more.group().split()
    ):
        end = more.end()
    return start, end


_SCRIPT_WORDS_ON: Final = re.compile(
    rf"(?:[ \t]+[!-~{_ACCENTED}{_OTHER_LETTER}\u0300-\u036f]{{1,32}}){{1,3}}"
    r"(?=[」』\"'”’]?\s*(?:です|でした|だよ|だと|[。.!！]|\n|$|[(\[【]))"
)


# A protocol named where a value would stand: 「パスワードは SMTP AUTH です」 says which login.
_PROTOCOL: Final = re.compile(
    r"smtp|auth|smtp-?auth|pop3?|imap4?|apop|ssl|tls|starttls|cram-md5", re.IGNORECASE
)


# What is said of a password in kana where its value would stand: 「パスワードはそのままです」,
# 「…はなしです」「…はひらがなです」「…はエラーです」. Nouns to the analyser, as a name is.
_KANA_STATES: Final = frozenset(
    {
        "そのまま", "このまま", "まま", "なし", "ない", "いっしょ", "おなじ", "おんなじ", "べつ",
        "ひみつ", "ふめい", "みせってい", "みにゅうりょく", "から", "まえ", "いま", "つぎ",
        "ひらがな", "かたかな", "カタカナ", "ローマじ", "ろーまじ", "えいご", "すうじ", "きごう",
        "なに", "なん", "どれ", "どこ", "これ", "それ", "あれ", "ぜんぶ", "みんな",
        "エラー", "メール", "メールアドレス", "アドレス", "ユーザー", "ユーザーめい", "ログイン",
        "サーバー", "アカウント", "パスワード", "パス", "セキュリティ", "ブランク", "リセット",
        "ひつよう", "ふよう", "いらない", "わからない", "しらない", "むずかしい", "ながい",
        "みじかい", "だめ", "ダメ", "むり", "ちがう", "まちがい", "おおもじ", "こもじ", "はんかく",
        "ぜんかく", "ほんとう", "ほんと", "うそ",
        # What a complaint says of it before 「なんです」 (「パスワードがへんなんです」), which
        # the analyser reads as nouns (privacy3).
        "へん", "いや", "きらい", "ふくざつ", "かんたん", "たいへん", "ふあん", "しんぱい",
        "もんだい", "なぞ", "ナゾ", "ネック", "ぎもん", "ふしぎ", "ふつう", "めんどう",
        "めんどくさい", "にがて", "やっかい", "くせもの", "むこう", "ゆうこう", "きれ",
        "きげんぎれ",
        # When, asked of it (「パスワードはあとでいいですか」: privacy4's 「…でいいですか」).
        "あと", "さき", "あした", "あす", "きょう", "こんど", "らいしゅう", "のちほど", "いつ",
        "とりあえず", "いったん", "ひとまず",
    }
)  # fmt: skip
# Parts of speech that make the kana a sentence, not a name: a verb, an adjective, a pronoun,
# a particle (「…はまえとおなじ」)…
_PREDICATE_PARTS: Final = frozenset(
    {"動詞", "形容詞", "形状詞", "代名詞", "連体詞", "接続詞", "感動詞", "助詞"}
)
# …or an ending that conjugates one (「…はかわりません」 read as a noun then ます).
_CONJUGATING: Final = frozenset(
    {"ます", "ない", "ぬ", "た", "です", "う", "よう", "れる", "られる"}
)


# Digits said in kana, as a password of digits is read out (「いちにさんし」「ごーろくななはち」):
# the analyser cuts them into particles and verbs (に, し), a sentence to it. Three or more in
# a row and nothing else is a number; 「にさん」 (two or three) is two.
_KANA_DIGIT: Final = (
    r"(?:ぜろ|ぜろー|れい|まる|いち|いっ|にい|にー|に|さん|よん|よー|よ|し|ごお|ごー|ご|ろく"
    r"|なな|しち|はち|はっ|きゅう|きゅー|きゅ|く|じゅう)"
)
_KANA_DIGITS: Final = re.compile(rf"(?:{_KANA_DIGIT}[ \u3000・、,-]?){{2,15}}{_KANA_DIGIT}")


def _kana_said_of_it(morphemes: Sequence[Morpheme]) -> bool:
    """Whether kana after 「パスワードは」, cut into `morphemes`, say something of the password.

    A name-like word is the password: 「さくら」「さくらもち」, and 「たろう」 the analyser takes
    for 「だろう」. A predicate (「わかりません」「忘れました」), an adverb alone (「まだ」), a
    pronoun, or a word said of one (`_KANA_STATES`) is a sentence about it.
    """
    if not morphemes:
        return True
    if "".join(m.surface for m in morphemes) in _KANA_STATES:
        return True
    if any(m.pos in _PREDICATE_PARTS or m.lemma in _KANA_STATES for m in morphemes):
        return True
    if len(morphemes) == 1 and morphemes[0].pos == "副詞":
        return True
    last = morphemes[-1]
    return len(morphemes) > 1 and last.pos == "助動詞" and last.lemma in _CONJUGATING


def _masked(typed: str, spans: list[tuple[int, int]]) -> str:
    """`typed` with each of `spans` masked, every other character as typed."""
    pieces: list[str] = []
    done = 0
    for start, end in spans:
        pieces += [typed[done:start], MASK]
        done = end
    pieces.append(typed[done:])
    return "".join(pieces)


def gives_a_password(
    text: str,
    *,
    names: Collection[str] = (),
    accounts: Collection[str] = (),
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
) -> bool:
    """Whether `text`, an agent's words to a subscriber, hands them a password.

    Agents write about passwords all day, and read as a subscriber's words ordinary English
    is masked after the word ('The password is case-sensitive.', 'Do not type your password
    anywhere.'), which refused those messages. A password an agent gives (a temporary one,
    one reset for the subscriber) is an issued one: of what `redact` masks, a part with a
    digit, a symbol other than a hyphen or an apostrophe, or a capital after its first letter;
    or one of letters alone that the sentence hands over (`_given`).

    `names`: the provider's names (the profile's), which agents write beside the word
    (「パスワードは117netのマイページで再設定できます」 was refused for 「117net」).
    `accounts`, `domains`: the subscriber's login names and the profile's domains, as
    `redact` takes them. `analyser`: the runtime's, as `redact` takes it: a password of kana
    alone, 「パスワードはさくらもちですね」, is found only with it.
    """
    return bool(
        _given_spans(text, names=names, accounts=accounts, domains=domains, analyser=analyser)
    )


def mask_given(
    text: str,
    *,
    names: Collection[str] = (),
    accounts: Collection[str] = (),
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
) -> str:
    """`text`, an agent's words a help desk delivered itself, with what it gives masked.

    The spans `gives_a_password` would refuse, as its arguments read them: a Chatwoot
    agent's reply was masked by a subscriber's rules, so her ordinary advice ('The password
    is case-sensitive.', 「パスワードは mail.google.com では使えません」) was kept as
    「…is ********.」 for the other desks and the transcript, which the console refuses none of.
    """
    spans = _given_spans(text, names=names, accounts=accounts, domains=domains, analyser=analyser)
    return _masked(text, spans) if spans else text


def _given_spans(
    text: str,
    *,
    names: Collection[str],
    accounts: Collection[str],
    domains: Collection[str],
    analyser: Analyser | None,
) -> list[tuple[int, int]]:
    """The spans of `text`, an agent's words, that hand over a password (`gives_a_password`)."""
    ordinary = {name.casefold() for name in names}
    # The masked spans themselves: found by diffing the text against its masked copy, they
    # took time cubic in their number (an agent's 4,000 characters of 「パスワード：abc 」
    # held the event loop 14 s; Slack's and Chatwoot's 40,000, hours).
    return [
        (start, end)
        for start, end in _password_spans(
            text, accounts=accounts, domains=domains, analyser=analyser, typed=False
        )
        if text[start:end].strip(_AROUND_WORDS).casefold() not in ordinary
        and not _PLACEHOLDER.fullmatch(text[start:end].strip(_AROUND_WORDS))
        and not _host_placed(text, start, end)
        and (_issued(text[start:end]) or _given(text, start, end))
    ]


# What stands for a password an agent does not give, writing the settings out by hand
# (desk7): 「パスワード: ****」「パスワード：xxxxxxxx」「Password: ＊＊＊＊＊」, one mark repeated.
# They were refused as issued passwords (a symbol, or a capital after the first letter).
_PLACEHOLDER: Final = re.compile(r"([*＊xXｘＸ●○〇◯•・])\1{2,63}")


def _host_placed(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is a host the sentence goes on to place: where, what for.

    「パスワードは mail.google.com では使えません」「…Gmail.com 用とは別です」: an agent telling
    where the password works, not what it is (its dots read as an issued password's
    symbols). A host-shaped password handed over (「…sakura.mochi.jp です」「…に変更しました」
    「…でログインしてください」) is followed by words that give it, and stays refused.
    """
    word = text[start:end].strip(_AROUND_WORDS + "“”‘’")
    return bool(_HOST_NAME.fullmatch(word)) and bool(_PLACED_AFTER.match(text, end))


def _issued(masked: str) -> bool:
    part = masked.strip(_AROUND_WORDS)
    if _WEB_ADDRESS.match(part):
        return False  # where to set one: 「パスワードはマイページ(https://…)から再設定できます」
    return any(
        char.isdigit()
        or (not char.isalpha() and not char.isspace() and char not in _IN_WORDS)
        or (char.isupper() and index > 0 and part[index - 1].isalpha())
        for index, char in enumerate(part)
    )


# Marks inside ordinary words ('case-sensitive', "don't"), which alone make no password.
_IN_WORDS: Final = frozenset("-'\u2019")
# Brackets and punctuation the masking took with a word: '(set it first …)'; the full-width
# colon too (「パスワード：https://www.117.ne.jp/mypage/ で再設定できます」 was refused).
_AROUND_WORDS: Final = "()[]{}<>「」『』（）\"'.,;:!?、。："
_WEB_ADDRESS: Final = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


def _given(text: str, start: int, end: int) -> bool:
    """Whether the letters-only word `text[start:end]` is a password the sentence gives.

    A password of letters alone (「仮パスワードは sakuraabc です」) has nothing `_issued`
    sees, and agents' English puts ordinary words in the same place ('The password is
    required.'). So it counts only where the sentence hands it over: after a Japanese
    password word, with a copula or a verb of setting after it or nothing (「…は X です」
    「…を X に変更しました」「仮パスワード：X」: Japanese puts no English word there), or after
    an issued password named so in English ('temporary password is', 'reset your password
    to', 'password is now') with the sentence ending at it and the word no English one.
    """
    word = text[start:end].strip(_AROUND_WORDS + "“”‘’")
    before, after = text[max(0, start - _GIVING_REACH) : start], text[end:]
    if _JAPANESE_WORDS.fullmatch(word):
        # 「パスワードは「さくら」ですね？」「仮パスワードは「さくら」です」: kana (or a name in
        # kanji) the masking found after a Japanese password word, a copula after it or the
        # sentence ending, is the password said or handed over (privacy3: sent as written).
        return (
            word not in _KANA_STATES
            and bool(_JAPANESE_LABEL.search(before))
            and bool(_SENTENCE_ENDS.match(after) or _KANA_GIVEN.match(after))
        )
    if not (word.isascii() and word.isalpha()):
        return False
    if text[start:end].endswith(("(", "（")):
        # Folded to '(', a bracket right after the password went with it: 「sakura（小文字）」.
        after = text[end - 1 :]
    ends = bool(_SENTENCE_ENDS.match(after))
    if _JAPANESE_LABEL.search(before):
        if word.lower() in _STATES_SAID_IN_JAPANESE:
            return False
        return ends or bool(_GIVEN_IN_JAPANESE.match(after))
    return ends and bool(_GIVEN_IN_ENGLISH.search(before)) and not _english_word(word)


def _english_word(word: str) -> bool:
    """Whether `word` reads as English ('ready', 'attached'), not as a password made up."""
    lowered = word.lower()
    return (
        lowered in _NOT_SECRETS
        or lowered in _PREDICATES
        or lowered.removeprefix("un") in _DONE_TO_IT
        or lowered in _GOING_ON
        or lowered in _COMPARED_FORMS
        or lowered in _STATES
    )


# How far before a word its giving frame is looked for (「初期ログインパスワードは」).
_GIVING_REACH: Final = 60
_QUOTE_OPENED: Final = r"\s*[「『\"'“‘(（]?\s*$"
_QUOTE_CLOSED: Final = r"[\s」』\"'”’)）]*"
# A note in brackets after the password ('sakura (all lower case).', 「sakura（小文字）です」): the
# sentence still ends at it.
# The spaces after it are the note's own, and those before it `_QUOTE_CLOSED`'s: with a run of
# spaces allowed before the note, inside it and after it, each run was shared between the
# three every way ('sakura', 10,000 spaces and a letter: 18 s).
_NOTE: Final = r"(?:[(（][^()（）\n]{0,40}[)）]\s*)?"
_JAPANESE_LABEL: Final = re.compile(
    # A comma after the particle, as the subscriber's own words have one (「新しいパスワードは、
    # ひまわりです」 from an agent was masked in the transcript and sent as written).
    rf"(?:パスワ[ー\-]?ド|暗証番号|パスコード)\s*(?:は|を|:|：)[、,，]?{_QUOTE_OPENED}"
)
_GIVEN_IN_JAPANESE: Final = re.compile(
    rf"{_QUOTE_CLOSED}{_NOTE}(?:です|でございます|となります|になります|で(?:ログイン|お試し)"
    r"|に(?:変更|設定|再設定|リセット|変え|し(?:ました|てあります|ております)))"
)
_SENTENCE_ENDS: Final = re.compile(rf"{_QUOTE_CLOSED}{_NOTE}(?:[.。!！]|\n|$)")
# A host's name: dotted labels of letters, digits and inner hyphens, the last letters alone
# (a top-level domain: 'my.pass.99' and 'Pass.word.77' are no host).
_HOST_NAME: Final = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}", re.IGNORECASE
)
# What places a host named after the password's word: a particle of place, means, source,
# comparison or a list (「gmail.comやyahoo.co.jpとは別です」), or 「用」; not 「です」,
# 「で(ログイン|お試し)」「になります」「となります」「に変更」, which give it
# (`_GIVEN_IN_JAPANESE`). で and の only as they place (では, で使…, の画面, のもの): a bare
# で or の, and と or に before a verb of being or entering, let 「…sakura.mochi.jp で、ログイン
# できます」「…のままです」「…に変わりました」「…となっております」「…と入力してください」
# 「…でお願いします」 through, unmasked (reviewer27).
_PLACED_AFTER: Final = re.compile(
    rf"{_QUOTE_CLOSED}\s*(?:では|でも|で\s*(?:使|つか)|から|へ(?!\s*(?:変|な))"
    r"|の\s*(?:画面|サイト|ページ|もの|物|パスワード|アカウント|設定|サーバー|ログイン|方|ほう)|用"
    r"|と(?!\s*(?:なり|なっ|なる|し|入力|入れ|いれ|打|書|設定|変更|いう|言|お))"
    r"|に(?!\s*(?:変更|設定|再設定|リセット|変え|変わ|かわ|し|な))|や|以外|など|宛)"
)
# A password of kana as an agent says it: words of kana (「さくら もち」) or a name in kanji,
# then a copula, asked or not (「…ですね？」), or a verb of setting it.
_JAPANESE_WORDS: Final = re.compile(
    rf"(?:{_KANA}|[\u4e00-\u9fff々])+(?:[ \u3000](?:{_KANA}|[\u4e00-\u9fff々])+)*"
)
_KANA_GIVEN: Final = re.compile(
    rf"{_QUOTE_CLOSED}{_NOTE}\s*(?:です|でした|でございます|となります|になります|だよ|だね"
    r"|に(?:変更|設定|再設定|リセット|変え|し(?:ました|てあります|ております))"
    # 「パスワードははなこで合っていますか？」: the subscriber's password said back, asked.
    + _ASKED_ABOUT
    + r")"
)
_GIVEN_IN_ENGLISH: Final = re.compile(
    r"(?:\b(?:temporary|temp|new|initial|one-time|provisional|interim)\s+password"
    r"(?:\s+(?:is|will\s+be)|\s*[:=])|\byour\s+password\s+is"
    r"|\bpassword\s+(?:is\s+now|(?:has\s+been|was|is)\s+(?:re)?set\s+to"
    r"|(?:has\s+been|was)\s+changed\s+to)"
    r"|\b(?:re)?set\s+(?:your|the)\s+password\s+to|\bchanged\s+(?:your|the)\s+password\s+to)"
    + _QUOTE_OPENED,
    re.IGNORECASE,
)
# English words an agent's sentence may end on after 'new password is' that no list above
# has: 'Your temporary password is below.'
_PREDICATES: Final = frozenset(
    {
        "ready", "below", "above", "yours", "ours", "secure", "strong", "weak", "short", "long",
        "simple", "optional", "private", "secret", "personal", "important", "temporary",
        "permanent", "unique", "set", "on", "off", "good", "bad", "now", "available", "here",
        "inside", "enclosed", "attached", "sent", "shown", "written", "posted", "mailed",
        "safe", "too", "enough", "one", "it", "unchanged", "ok",
    }
)  # fmt: skip
# What is done to a password, said of it ('Your new password is activated.'): a participle
# only from this list, for any word ending in '-ed' was taken for one, and a password of
# letters alone ('blessed', 'wicked') was sent.
_DONE_TO_IT: Final = frozenset(
    {
        "accepted", "activated", "blocked", "changed", "compromised", "confirmed", "created",
        "deactivated", "disabled", "emailed", "enabled", "encrypted", "expired", "generated",
        "hashed", "hidden", "included", "issued", "leaked", "locked", "masked", "needed",
        "printed", "protected", "received", "registered", "rejected", "removed", "required",
        "restricted", "saved", "shared", "stored", "suspended", "updated", "used", "verified",
        "deleted", "displayed", "listed", "recorded", "provided", "expected",
        # States agents write that were refused as passwords ('Your password is renewed.').
        "outdated", "limited", "refused", "cached", "synced", "synchronized", "mismatched",
        "misspelled", "mistyped", "truncated", "corrupted", "exposed", "guessed", "detected",
        "recognized", "related", "affected", "reused", "recycled", "revoked", "reactivated",
        "renewed", "refreshed", "regenerated", "reissued", "replaced", "retained", "preserved",
        "autofilled", "prefilled", "handled", "managed", "stolen", "forgotten",
    }
)  # fmt: skip
# What a password can be said to be doing ('Your new password is pending.'): '-ing' only from
# this list, as '-ed' ('Your new password is sparkling.' was sent).
_GOING_ON: Final = frozenset(
    {
        "pending", "expiring", "missing", "working", "changing", "processing", "loading",
        "coming", "failing", "waiting", "resetting", "matching", "existing", "outstanding",
    }
)  # fmt: skip


# How a new password compares with the old one ('Your new password is longer.', refused as a
# password of letters alone while 'long' was sent): the comparatives and superlatives of the
# adjectives agents write of a password, spelt out, for any word ending in '-er' or '-est'
# ('tiger', 'silverest') may be a password.
def _compared(*adjectives: str) -> frozenset[str]:
    forms = {"better", "best", "worse", "worst", "more", "most", "less", "least"}
    for adjective in adjectives:
        if adjective.endswith("e"):
            stem = adjective[:-1]
        elif adjective.endswith("y"):
            stem = adjective[:-1] + "i"
        elif adjective in {"big", "fat", "thin"}:
            stem = adjective + adjective[-1]
        else:
            stem = adjective
        forms |= {stem + "er", stem + "est"}
    return frozenset(forms)


_COMPARED_FORMS: Final = _compared(
    "long", "short", "strong", "weak", "safe", "secure", "simple", "easy", "hard", "tough",
    "big", "small", "large", "new", "old", "complex", "tight", "loose", "plain", "clean",
    "quick", "fast", "slow", "late", "early", "few", "great", "high", "low", "fine", "nice",
    "close", "wide", "tidy",
)  # fmt: skip

# What a password can be said to be ('Your new password is active.'): adjectives only from
# this list, as '-ed' and '-ing'. Any word ending as an adjective ('-ive', '-ful', '-ous',
# '-less', '-able', '-ent', '-ant', '-ary') was taken for one, and a password of letters alone
# ('wonderful', 'elegant') was sent. A word-frequency lexicon would not help: 'wonderful' and
# 'sunshine' are as common English as 'active'; what tells them apart is what the sentence
# says of a password, so the list holds the states agents write.
_STATES: Final = frozenset(
    {
        "active", "inactive", "different", "invalid", "valid", "sensitive", "case-sensitive",
        "available", "unavailable", "visible", "invisible", "usable", "unusable", "reusable",
        "permanent", "important", "necessary", "temporary", "mandatory", "optional",
        "current", "incorrect", "correct", "useless", "effective", "ineffective", "present",
        "absent", "insecure", "confidential", "editable", "changeable", "recoverable",
        "expirable", "identical", "consistent", "inconsistent", "successful", "unsuccessful",
        "compatible", "incompatible", "acceptable", "unacceptable", "independent",
        "dependent", "irrelevant", "relevant", "obsolete", "unchangeable", "unique",
        "sufficient", "insufficient", "secret", "private", "case-insensitive", "insensitive",
        "legible", "readable", "unreadable", "memorable", "typeable", "guessable",
        "unguessable", "predictable", "unpredictable", "responsible", "applicable",
        "inapplicable", "pending", "urgent", "excessive", "descriptive", "exclusive",
        "expensive", "intuitive", "negative", "positive", "meaningless", "harmless",
        "careless", "pointless", "helpful", "useful", "careful", "dangerous", "obvious",
        "previous", "various", "ambiguous", "vulnerable", "reliable", "unreliable",
        "preliminary", "primary", "secondary", "ordinary", "arbitrary", "voluntary",
        "elementary", "redundant", "dormant", "constant", "distinct",
    }
)  # fmt: skip


# After a password, what ends the sentence or the clause: 'pass: Kq7xyz99, the fee' kept
# ', the fee' but not its comma. Not "!" or "?", which end many passwords.
_SENTENCE_MARKS: Final = frozenset(",.;:")
# The quote or bracket opened before a password, and what closes it: 'パスワード"zx8-vvvv"です'.
_CLOSERS: Final = {'"': '"', "'": "'", "(": ")"}
_PRINTABLE: Final = frozenset(map(chr, range(0x21, 0x7F)))


def _bare(text: str, start: int, end: int) -> tuple[int, int]:
    """The password in `text[start:end]`, a secret's run of ASCII, without the marks around it.

    A run that goes on after `end` (a secret is at most 64 characters) is all password.
    A mark inside the password, or all of it marks, stays in it.
    """
    if end < len(text) and text[end] in _PRINTABLE:
        return start, end
    first, last = start, end
    # The opening mark is the secret's first character ('"Kq7xyz99" is my password') or the
    # one before it (the separator's: 'password "Kq7xyz99"'); only a closed one is left.
    opened = text[start] in _CLOSERS
    opener = text[start] if opened else text[start - 1] if start else ""
    closer = _CLOSERS.get(opener, "")
    while last - first > 1:
        if text[last - 1] in _SENTENCE_MARKS:
            last -= 1
        elif text[last - 1] in _NOTE_OPENERS and last == end:
            # A note's bracket opened right after it, read folded: 「Kq7xyz99（小文字）」 was
            # stored 「********小文字）」, the note's 「（」 taken for the password's last mark.
            last -= 1
        elif closer and text[last - 1] == closer:
            last -= 1
            first += 1 if opened else 0
            closer = ""
        else:
            break
    own = text[first:last]
    return (first, last) if own.strip(",.;:\"')(") else (start, end)


@quick_init
@dataclass(frozen=True, slots=True)
class _Reading:
    """The text as the patterns read it, and where in the typed text each character came from.

    `text`: NFKC (full-width letters and digits), no invisibles, the yen sign a backslash.
    An invisible format character (a zero-width space, joiner or word joiner, a byte-order
    mark, a soft hyphen, a direction mark: Unicode's Cf) is carried by a copy from a web
    page or a PDF and shows as nothing. Left in, it ended a password's run of ASCII: of
    「Zq9x<ZWSP>K2pw77」 only 「Zq9x」 was masked and 「K2pw77」 stored; inside 「pass<ZWSP>word」
    it hid the word. A full-width password typed alone was no password either. A yen sign
    (NFKC's of 「￥」) is the backslash a Japanese keyboard's ¥ key stands for: 「Sakura¥2008」
    kept 「¥2008」.

    `starts`, `ends`: the span of the typed text each character of `text` was read from (a
    character and the marks NFKC joins to it, 「ﾊﾟ」, give one span to all they fold to).
    `masks`: for each character, 0, or the number of the mask it is part of.
    """

    text: str
    starts: list[int]
    ends: list[int]
    masks: list[int]

    @classmethod
    def of(cls, typed: str) -> _Reading:
        if typed.isascii():
            # NFKC leaves ASCII as it is, and none of it is invisible.
            return cls(
                typed, list(range(len(typed))), list(range(1, len(typed) + 1)), [0] * len(typed)
            )
        # Each character read once, not each place it stands: a character-by-character walk
        # of 2,000 characters of Japanese was 2-3 ms of every such message. Where no character
        # joins the one before it and each folds to one character (kana, kanji, full-width
        # letters: nearly every message), every cluster is one character read alone.
        folds = {char: _fold(char) for char in set(typed)}
        if all(
            len(fold) == 1 and (char.isascii() or not _joins(char)) for char, fold in folds.items()
        ):
            return cls(
                "".join(map(folds.__getitem__, typed)),
                list(range(len(typed))),
                list(range(1, len(typed) + 1)),
                [0] * len(typed),
            )
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for start, end in _clusters(typed):
            piece = _fold(typed[start:end])
            pieces.append(piece)
            starts += [start] * len(piece)
            ends += [end] * len(piece)
        return cls("".join(pieces), starts, ends, [0] * len(starts))

    def masked(self, spans: list[tuple[int, int]]) -> _Reading:
        """The reading with each of `spans` (in order, apart) read as the mask."""
        if not spans:
            return self
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        masks: list[int] = []
        done = 0
        number = max(self.masks, default=0)
        for first, last in spans:
            number += 1
            pieces += [self.text[done:first], MASK]
            starts += self.starts[done:first] + [self.starts[first]] * len(MASK)
            ends += self.ends[done:first] + [self.ends[last - 1]] * len(MASK)
            masks += self.masks[done:first] + [number] * len(MASK)
            done = last
        pieces.append(self.text[done:])
        starts += self.starts[done:]
        ends += self.ends[done:]
        masks += self.masks[done:]
        return _Reading("".join(pieces), starts, ends, masks)

    def typed_spans(self) -> list[tuple[int, int]]:
        """The spans of the typed text the masks stand for, in order, apart."""
        spans: list[tuple[int, int]] = []
        previous = 0
        for index, number in enumerate(self.masks):
            if number == previous:
                continue
            previous = number
            if not number:
                continue
            start, end = self.starts[index], self.ends[index]
            if spans and start < spans[-1][1]:
                # Two masks of one character NFKC folds to several ("⑽"): one mask.
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans


# What a cluster is kept to: past it, a combining mark starts a cluster of its own, so that a
# long run of marks is not read as one (NFKC orders a cluster's marks).
_CLUSTER_LIMIT: Final = 32
# Characters NFKC joins to the one before them though they are no combining mark: the
# second halves of Unicode's canonical pairs whose combining class is 0 (Bengali, Oriya,
# Tamil, Kannada, Malayalam, Sinhala, Myanmar, Balinese and later vowel signs and length
# marks), and the Korean vowel and final consonant jamo.
_JOINING_STARTERS: Final = frozenset(
    "\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0cc2\u0cd5\u0cd6\u0d3e\u0d57\u0dcf\u0ddf"
    "\u102e\u1b35\U00011127\U0001133e\U00011357\U000114b0\U000114ba\U000114bd"
    "\U000115af\U00011930"
)


@lru_cache(maxsize=4096)
def _joins(char: str) -> bool:
    """Whether NFKC may join `char`, not ASCII, to the character before it (「ﾊ」 and 「ﾟ」)."""
    first = unicodedata.normalize("NFKD", char)[:1]
    return (
        unicodedata.combining(first) != 0
        or char in _JOINING_STARTERS
        or "\u1160" <= char <= "\u11ff"
    )


# Cyrillic, Greek and IPA letters that look like Latin ones, read as those: "pаssword" with
# a Cyrillic 「а」 or "ΡASSWORD" with a Greek 「Ρ」 named no password, and the password after it
# was kept; a Cyrillic 「х」 inside a password cut it in two and kept a part. NFKC folds none
# of them. Only the letters that look the same in common fonts (Unicode's confusables.txt
# for Latin letters, single letters only); the bot speaks Japanese and English, so a whole
# Russian or Greek sentence is rare and, read so, still names no password. A library
# (confusable-homoglyphs) would load all of Unicode's confusables for these 61 letters.
_LOOK_ALIKES: Final = str.maketrans(
    dict(
        zip(
            # Cyrillic small, Cyrillic capital, Greek small, Greek capital, Latin (IPA).
            "аеорсухѕіјԁһԛԝӏүАВЕКМНОРСТХУЅІЈԚԜҮӀαορνικυχγΑΒΕΖΗΙΚΜΝΟΡΤΥΧıɑɡ",
            "aeopcyxsijdhqwlyABEKMHOPCTXYSIJQWYIaopvikuxyABEZHIKMNOPTYXiag",
            strict=True,
        )
    )
)


@lru_cache(maxsize=4096)
def _fold(cluster: str) -> str:
    """NFKC of `cluster`, without invisibles, the yen sign read as a backslash.

    A letter that looks like a Latin one (`_LOOK_ALIKES`) is read as that letter.
    """
    normal = unicodedata.normalize("NFKC", cluster).replace("¥", "\\")
    if normal.isascii():
        return normal
    return "".join(
        char for char in normal.translate(_LOOK_ALIKES) if unicodedata.category(char) != "Cf"
    )


def _clusters(typed: str) -> Iterator[tuple[int, int]]:
    """Spans of `typed` that NFKC reads alone: a character and the marks it joins to it.

    「ﾊﾟ」 (a half-width kana and its sound mark) is 「パ」, an "e" and a combining accent one
    "é": NFKC of the whole text is NFKC of these spans, one after another. An ASCII
    character joins to nothing before it.
    """
    start = 0
    for index, char in enumerate(typed):
        if index and not char.isascii() and index - start < _CLUSTER_LIMIT and _joins(char):
            continue
        if index:
            yield start, index
        start = index
    if typed:
        yield start, len(typed)


def _ordinary(token: str) -> bool:
    """Whether `token` is a word of an ordinary sentence rather than a secret."""
    if re.fullmatch(r"\([a-z]\):?", token.lower()):
        # The access key alone: 「パスワード(P): ●●●●」, the password shown as dots.
        return True
    # Quotes either side: the iPhone's 「"vpop.117.ne.jp"のユーザ名またはパスワードが正しく
    # ありません」 quotes the host it names.
    # And a colon before it: read folded, 「エラー：0x800CCC92」 puts one right before the code
    # (「パスワード入力画面が出ます。エラー：0x800CCC92」 was stored with the code masked).
    word = token.lower().rstrip("?.!,;:)」』\"'”’").lstrip("\"'“‘「『(:")
    if word in _NOT_SECRETS or word == MASK or _PRODUCT.fullmatch(word):
        return True
    if word.endswith("s") and word[:-1] in _NOT_SECRETS:
        # "password requirements", "password attempts", "password hints".
        return True
    if _CONTRACTION.fullmatch(word.replace("’", "'")):
        return True
    # An e-mail address or a host name is not a password ("pass: taro@vp.117.ne.jp" is the
    # account), nor a web page's address (where a password is reset: an agent's 「パスワードの
    # 再発行は https://www.117.ne.jp/support/ から」 was refused) unless a login is in it
    # (`_TRACES`). Nor is an error code pasted beside it ("0x800CCC92").
    return bool(
        re.fullmatch(r"[\w.+-]+@[\w.-]+|[a-z0-9-]+(?:\.[a-z0-9-]+){2,}|0x[0-9a-f]{4,}", word)
        or _WEB_PAGE.fullmatch(word)
    )


# A run of dotted names, as a host is written ('vpop.117.ne.jp'): `_ordinary` reads one as
# no secret, and so would a password written so ('my.pass.99').
_DOTTED: Final = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+){2,}")


class ProviderDomains(tuple[str, ...]):
    """The profile's login domains (`domains` wherever a password is read), with its own hosts.

    A tuple of the domains, read as any `domains` is (an address on one names an account);
    `hosts` beside them: the mail domains and servers the profile names and the provider's
    sites ('117.ne.jp', `MigrationProfile.sites`, from the Public Suffix List), under which
    a host named after a password's word is the provider's, not a password.
    """

    hosts: tuple[str, ...]

    def __new__(cls, domains: Iterable[str], hosts: Iterable[str] = ()) -> ProviderDomains:
        """`domains`, with `hosts` (lower-cased) beside them."""
        made = super().__new__(cls, domains)
        made.hosts = tuple(host.lower() for host in hosts)
        return made


def _dotted_secret(token: str, domains: Collection[str]) -> bool:
    """Whether `token`, right after a password word, is a password written as a host is.

    Not an address or a web page's (`_ordinary` keeps those), nor a host of the profile's:
    one of `domains`, or of their `ProviderDomains.hosts`, or under one ('vpop.117.ne.jp'
    under the site '117.ne.jp'), which a subscriber asking about the servers names after the
    word (「パスワードは vpop.117.ne.jp と同じですか」). Which parent is the provider's own is
    the Public Suffix List's to say (attacker9: a pattern took 'abc.de', a company's, for a
    registry's and 'tokyo.jp', a registry's, for the provider's). With no `domains` known,
    any such token.
    """
    word = token.lower().rstrip("?.!,;:)」』\"'”’").lstrip("\"'“‘「『(")
    if not _DOTTED.fullmatch(word) or _WEB_PAGE.fullmatch(word):
        return False
    hosts = domains.hosts if isinstance(domains, ProviderDomains) else ()
    names = {*(domain.lower() for domain in domains), *hosts}
    return not any(word == name or word.endswith("." + name) for name in names)


# A web page's address, with its scheme or from its host's 「www.」, and no login before its
# host (an @ there is `_TRACES`' URL with a password).
_WEB_PAGE: Final = re.compile(r"(?:https?://[^\s/@]+|www(?:\.[a-z0-9-]+){2,})(?:[/?#][!-~]*)?")
