"""Mail programs named with typos, in any script: rapidfuzz in front of `mail_programs`.

`mail_programs.recognise_mail_program` knows the exact spellings (romaji, katakana,
hiragana, full width). People also type "thunderbrd", 「サンダバード」 or "outlok": each word
that is close enough to a known name is replaced by it, and the exact recogniser reads the
result, so both agree on what a name means.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from typing import Final, Literal

from rapidfuzz import fuzz, process

from dialogs.kana import katakana
from dialogs.mail_programs import MailProgram, recognise_mail_program
from dialogs.texts import N_

# The names a typo is corrected to; each is one the exact recogniser knows.
_NAMES: Final = (
    "thunderbird",
    "outlook",
    "becky",
    "iphone",
    "android",
    "windows",
    "サンダーバード",
    "アウトルック",
    "ベッキー",
    "アイフォーン",
    "アンドロイド",
)
# Below this similarity (0-100) a word is left as typed: "thunder" is not Thunderbird's typo
# but "thunderbrd" (95) and "outlok" (92) are; "output" (62) is not Outlook.
_CUTOFF: Final = 82
_WORD: Final = re.compile(r"[a-z]{5,}|[\u30a1-\u30fc]{4,}")
# A program is named in a few words; a long message is a story or a pasted error, and
# reading every name in it would cost milliseconds for nothing.
_NAMING_LENGTH: Final = 200
_PHONE: Final = re.compile(
    r"スマホ|スマートフォン|携帯|ケータイ|けいたい|すまほ"
    r"|smart ?phone|\bphone\b|\bmobile\b|\bcell\b"
    # The built-in mail app by its icon, as it is found on the screen: 「封筒のマークのやつ」.
    r"|(?:封筒|ふうとう|フウトウ)\s*の?\s*(?:マーク|まーく|アイコン|絵|え|形)"
)

Recognised = MailProgram | Literal["outlook_ambiguous"]


class NoGuide(enum.StrEnum):
    """Something named where a program was asked for that no one guide fits."""

    # "iPhone and Outlook on my PC": one guide at a time, the first chosen by the subscriber.
    TWO_PROGRAMS = "two_programs"
    # 「Outlookも使っています」 once a program is chosen: the other one comes after it.
    ANOTHER_PROGRAM = "another_program"
    # ガラケー, らくらくホン: the carrier's own mail is not ours, and each model differs.
    FEATURE_PHONE = "feature_phone"
    # ドコモメール, auメール: the carrier's own mail app and address, not the provider's.
    CARRIER_MAIL = "carrier_mail"
    # Yahoo!メール, Outlook.com: another company's webmail, which may fetch our mail.
    OTHER_WEBMAIL = "other_webmail"
    # Gmail in a browser collecting our mail (「他のアカウントのメールを確認」), not the app.
    GMAIL_WEB = "gmail_web"


# What each gets: (a POP profile's words, an IMAP profile's words). Gmail collects other
# accounts' mail by POP only, so an IMAP-only move cannot be collected that way.
NO_GUIDE_KEYS: Final[dict[str, tuple[str, str]]] = {
    NoGuide.TWO_PROGRAMS: (N_("program.one_at_a_time"), N_("program.one_at_a_time")),
    NoGuide.ANOTHER_PROGRAM: (N_("program.another_later"), N_("program.another_later")),
    NoGuide.FEATURE_PHONE: (N_("program.feature_phone"), N_("program.feature_phone")),
    NoGuide.CARRIER_MAIL: (N_("program.carrier_mail"), N_("program.carrier_mail")),
    NoGuide.OTHER_WEBMAIL: (N_("program.other_webmail"), N_("program.other_webmail")),
    NoGuide.GMAIL_WEB: (N_("program.gmail_web"), N_("program.gmail_web.imap")),
}
# Google announced in September 2025 that Gmail on the web stops collecting other accounts'
# mail by POP ("Check mail from other accounts") from January 2026, for existing users
# later in 2026: from then on the POP answer first says the setting may be gone.
GMAIL_POP_FETCH_ENDING: Final = dt.date(2026, 1, 1)
GMAIL_POP_FETCH_ENDING_KEY: Final = N_("program.gmail_web.ending")
_FEATURE_PHONE: Final = re.compile(
    r"ガラケー|がらけー|ガラホ|がらほ|らくらく\s*(?:ホン|フォン|スマ)|楽々\s*(?:ホン|フォン)"
    r"|フィーチャー\s*フォン|feature ?phone|flip ?phone|i-?mode|iモード|ezweb"
)
# A mobile carrier's own mail named where the program is asked: 「ドコモメール」「auメール」
# 「ソフトバンクのメール」「キャリアメール」 (words11: 「はい。続きをどうぞ。」 or not read).
_CARRIER_MAIL: Final = re.compile(
    r"(?:ドコモ|どこも|docomo|(?<![a-z])au(?![a-z])|エーユー|ソフトバンク|そふとばんく|softbank"
    r"|ワイモバイル|y!?mobile|楽天モバイル|rakuten mobile)\s*の?\s*(?:メール|めーる|mail|e-?mail)"
    r"|キャリア\s*メール|きゃりあめーる|携帯(?:電話)?会社の\s*メール|s!\s*メール"
)
_OTHER_WEBMAIL: Final = re.compile(
    r"yahoo|ヤフー|やふー|hotmail|ホットメール|outlook\.com|(?:ウェブ|web)\s*(?:版の)?\s*outlook"
)
# Gmail named as the web page or as collecting mail, never as the app: 「Gmailで受信している」,
# 「Gmailに取り込んでいる」, "gmail.com", "check mail from other accounts".
_GMAIL: Final = re.compile(r"(?<![a-z@.])g\s?mail(?![a-z])|ジーメール|gメール|グーグル\s*メール")
_GMAIL_COLLECTS: Final = re.compile(
    r"(?:で|に)(?:受信|受け取|うけと|取り込|とりこ|読み込|集め|まとめ)|gmail\.com|ブラウザ|browser"
    # 「Gmailで117のメールを受信していますが…」: the provider's mail named between.
    r"|(?:で|に)[^。\n、]{0,10}?の(?:メール|めーる)を\s*(?:受信|受け取|うけと|取り込|とりこ|読|見)"
    r"|ウェブ|\bweb\b|他のアカウント|ほかのアカウント|アカウントとインポート"
    # "Only gmail website", "gmail web page" (the Android app's guide was given).
    r"|\bweb ?(?:site|page)s?\b"
    r"|check (?:mail|email) from other|other accounts|\bfetch|\bimport"
)
_APP: Final = re.compile(r"アプリ|\bapp\b|android|アンドロイド|スマホ|スマートフォン|phone")
# Two names joined: 「iPhoneとパソコンのOutlook」, "Thunderbird and my iPhone", 「MacとiPhone」.
_JOINED: Final = re.compile(r"と|や|も|、|,|&|/|・|\+|\band\b|\bor\b|および|及び|それから")


def recognise_program(text: str) -> Recognised | None:
    """The program named in normalised `text`, typos forgiven; None when none or several."""
    if len(text) > _NAMING_LENGTH:
        return None
    found = _recognise(text)
    if found is not None and names_two_programs(text):
        # 「iPhoneとパソコンのOutlook」 is two programs, not the Outlook app on an iPhone.
        return None
    if found is not None and _only_taken_back(text):
        # 「iPhoneじゃなくてパソコンです」「アイフォンじゃないです」 "not the iPhone, my PC": the
        # one program named is the one not used (words: it was taken as the iPhone's guide).
        return None
    return found


# 「iPhoneじゃなくて」「iPhoneではありません」: a name taken back (not a bare 「で」, which ends
# 「読んでない」 as well).
_TAKEN_BACK: Final = re.compile(
    r"(?:じゃ|では|でわ)\s*(?:なく(?:て)?|ない(?:です)?(?:よ|ね)?(?:[、,。.!！\s]|$)"
    r"|ありません|なかった)"
)


def _only_taken_back(text: str) -> bool:
    """Whether the only program `text` names is one it says is not meant."""
    for pattern in (_TAKEN_BACK, _NOT_NAME):
        found = pattern.search(text)
        if found is None:
            continue
        if pattern is _TAKEN_BACK:
            taken_back, meant = text[: found.start()], text[found.end() :]
        else:
            taken_back, meant = found.group(0), text[: found.start()] + text[found.end() :]
        if _recognise(taken_back) is not None and _recognise(meant) is None:
            return True
    return False


def _recognise(text: str) -> Recognised | None:
    exact = recognise_mail_program(text)
    if exact is not None:
        return exact
    corrected = _WORD.sub(_closest, katakana(text))
    return recognise_mail_program(corrected) if corrected != text else None


def names_no_guide(text: str) -> NoGuide | None:
    """What in `text` (normalised) no one guide fits: two programs, a feature phone, webmail."""
    if len(text) > _NAMING_LENGTH:
        return None
    if _FEATURE_PHONE.search(text):
        return NoGuide.FEATURE_PHONE
    if _CARRIER_MAIL.search(text) and _recognise(text) is None:
        # 「ドコモのスマホでGmailアプリ」 names the program our guides are for: that is read.
        return NoGuide.CARRIER_MAIL
    if _OTHER_WEBMAIL.search(text) and _recognise(text) is None:
        # 「Yahoo!メールとOutlookです」 names the program our guides are for: that is read.
        return NoGuide.OTHER_WEBMAIL
    if _GMAIL.search(text) and _GMAIL_COLLECTS.search(text) and not _APP.search(text):
        return NoGuide.GMAIL_WEB
    return NoGuide.TWO_PROGRAMS if names_two_programs(text) else None


def names_another_program(text: str) -> bool:
    """Whether `text` says a program is used too: 「Outlookも使っています」, "I also use it"."""
    return bool(_ALSO.search(text)) and recognise_program(text) is not None


_ALSO: Final = re.compile(r"も\s*(?:使|つか|利用|設定|入れ|あり)|\balso\b|\btoo\b|as well")


# 「iPhoneじゃなくてThunderbirdでした」「iPhoneではありません。Outlookです」: the name before
# the words is taken back, the name after them is meant.
_NOT_THAT: Final = re.compile(
    r"(?:じゃ|では|でわ|で)\s*(?:なく(?:て)?|ない(?:です)?(?:よ|ね)?[、,。.!！\s])"
    r"|(?:じゃ|では)\s*ありません(?:でした)?[、,。.!！\s]"
    r"|(?:じゃ|では)\s*なかった(?:です)?[、,。.!！\s]"
)
# "Thunderbird, not the iPhone", "not iPhone but Thunderbird": the name after "not" is taken back.
_NOT_NAME: Final = re.compile(r"\bnot (?:the |my |an? )?[a-z\u30a1-\u30fc.!-]+(?: ?mail| app)?")
# Words that take back what was said before: with one program named, that program is meant
# instead of the one held. 「設定を間違えた」 is a problem, read before this (problems.py).
_CORRECTING: Final = re.compile(
    r"(?:間違|まちが)(?:え|い)(?:ました|た|です|でした)|訂正|勘違い|かんちがい"
    # 「さっきのは間違いで、iPhoneでした」: the noun, joined to what is meant (not 間違いなく).
    r"|(?:間違|まちが)いで[、,\s]"
    r"|(?:違|ちが)(?:いました|ってました|ってた)|やっぱり|やっぱ|やはり"
    r"|\bi meant\b|\bi mean\b|\bmeant to (?:say|write|type)\b|\bcorrection\b|\bmy mistake\b"
    r"|\bmy bad\b|\bsorry\b|\bactually\b|\bno wait\b|\bi was wrong\b"
)

# 「いや、Androidです」 after 「iPhoneです」: nothing but a "no" and a name (one word, not "no, I
# use gmail's smtp"). Taken as a "no" at the server question, it lowered the change needed.
_NO_THEN_A_NAME: Final = re.compile(
    r"(?:いや|いえ|いいえ|ちがう|違う|ちがいます|違います|no)[、,。.!！\s]*"
    r"(?P<name>(?:the |my |an? )?[^、,。.！\s]{2,24}?)"
    r"\s*(?:です|でした|だよ|だ|のほう|の方)?(?:です)?[。.!！]*"
)

# A verb said not to happen after the name: 「gmailは使っていません」「gmailじゃない」.
_NAME_NEGATED: Final = re.compile(r"(?:ませ|な)(?:ん|い|かった)|じゃな|ではな|\bnot\b|n't\b")


def corrected_program(text: str) -> Recognised | None:
    """The program `text` (normalised) says is meant instead of one named before, if any.

    「間違えました、Outlookです」, 「iPhoneじゃなくてThunderbirdでした」, "Sorry, I meant
    Thunderbird", "Thunderbird, not the iPhone". A program used too (「Outlookも使っています」)
    is no correction, and neither is a name with nothing taking the other back.
    """
    if len(text) > _NAMING_LENGTH or _ALSO.search(text):
        return None
    for pattern in (_NOT_THAT, _NOT_NAME):
        found = pattern.search(text)
        if found is None:
            continue
        if pattern is _NOT_THAT:
            taken_back, meant = text[: found.start()], text[found.end() :]
        else:
            taken_back, meant = found.group(0), text[: found.start()] + text[found.end() :]
        if _recognise(taken_back) is not None:
            program = recognise_program(meant)
            if program is not None:
                return program
    bare = _NO_THEN_A_NAME.fullmatch(text)
    if bare is not None and (
        _NAME_NEGATED.search(bare.group("name")) or recognise_program(text) is None
    ):
        # 「いいえ、gmailは使っていません」: the no, and the program not used, not put right;
        # "no office" names none (the whole message says Office is not there).
        bare = None
    if bare is not None or _CORRECTING.search(text):
        return recognise_program(text if bare is None else bare.group("name"))
    return None


# Cached: a turn asks it of the same text from several readers (each `recognise_program`).
@functools.lru_cache(maxsize=256)
def names_two_programs(text: str) -> bool:
    """Whether `text` names two programs side by side ("iPhoneとパソコンのOutlook").

    Only names joined by と, や, "and", a comma...: 「iPhoneのOutlook」 is one program (the
    Outlook app on an iPhone), and so is 「Outlook、新しい方です」.
    """
    if len(text) > _NAMING_LENGTH or not _JOINED.search(text):
        return False
    named = {_recognise(part) for part in _JOINED.split(text)}
    named.discard(None)
    return len(named) > 1 and not _one_outlook(named)


def _one_outlook(named: set[Recognised | None]) -> bool:
    # 「Outlook、新しい方です」 says which Outlook, not a second program.
    outlooks = {"outlook_ambiguous", MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC}
    return named <= outlooks and "outlook_ambiguous" in named


def names_a_phone(text: str) -> bool:
    """Whether `text` says "my phone" without which phone (iPhone or Android)."""
    if len(text) > _NAMING_LENGTH:
        return False
    return bool(_PHONE.search(text)) and recognise_program(text) is None


# Ordinary words a name's typo would otherwise claim: "phone" is 91 % "iphone".
_NOT_NAMES: Final = frozenset({"phone", "phones", "mobile", "smartphone", "windows"})


def _closest(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _NOT_NAMES:
        return word
    found = process.extractOne(word, _NAMES, scorer=fuzz.ratio, score_cutoff=_CUTOFF)
    return f" {found[0]} " if found else word
