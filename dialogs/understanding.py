"""Turning what a subscriber typed or pressed into one intent the dialog can act on.

Subscribers type the way they talk: full-width digits, katakana brand names, "はい、使ってます",
"not sure". Everything is NFKC-normalised and casefolded first, so 「ＹＥＳ」 and "yes" and
「１」 and "1" are the same answer.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz, process

from dialogs.frozen import quick_init
from dialogs.knowledge import Topic, recognise_topic
from dialogs.pattern_search import search
from dialogs.redaction import PASSWORD_MISSPELLINGS
from dialogs.vocabulary import (
    EDITED_CHOICE,
    EMOJI_CHOICE,
    FORWARDED_CHOICE,
    LOCATION_CHOICE,
    MEDIA_CHOICE,
    STICKER_CHOICE,
)


class Kind(enum.Enum):
    """What the subscriber meant, before the current question gives it a meaning."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    BACK = "back"
    RESTART = "restart"
    MENU = "menu"
    HUMAN = "human"
    LANGUAGE = "language"
    SKIP = "skip"
    TOPIC = "topic"
    ADDRESS = "address"
    # Only the start of an address ("taro", "taro@vp117"): value is the full form to show.
    PARTIAL_ADDRESS = "partial_address"
    CHOICE = "choice"
    START_CHECK = "start_check"
    SHOW_SETTINGS = "show_settings"
    SECRET_TYPED = "secret_typed"  # noqa: S105 - a name, not a secret
    # 「さっきのはパスワードです」 "that was my password": the message before was the password.
    PASSWORD_TAKEN_BACK = "password_taken_back"  # noqa: S105 - a name, not a secret
    PROBLEM = "problem"  # a symptom or an error text: value is a `Problem`
    SMALL_TALK = "small_talk"  # greetings, thanks, "it works!": value is a `SmallTalk`
    PROGRAM = "program"  # a program named while another question stands: value is its id
    PHONE = "phone"  # "a smartphone" without saying which one
    QUESTION = "question"  # a question the bot has no answer for: never read as an answer
    MEDIA = "media"  # a photo, sticker or file: the bot cannot read it
    UNKNOWN = "unknown"


@quick_init
@dataclass(frozen=True, slots=True)
class Intent:
    """One understood message: its kind, and a value where the kind needs one."""

    kind: Kind
    value: str = ""
    # Said in the same message, beside what it is mainly about: an address of ours and a
    # mail program ("送信ができない、アドレスは taro@…、iPhoneです"), remembered before
    # the intent is acted on, so neither is asked for again.
    address: str = ""
    program: str = ""
    # A PROGRAM said to replace the one named before (「間違えました、Outlookです」).
    corrects: bool = False
    # The answer to the question on screen, said in a sentence of its own beside a PROBLEM
    # (「はい、会社からも送ります。でも0x800CCC0Eが出ます」): "yes", "no" or "unsure".
    answer: str = ""
    # A PROBLEM the subscriber says came after they typed `address` as the account, as the
    # fix tells them to (「ユーザー名をtaro@…にしたのにパスワードが違うと出ます」).
    tried_address: bool = False
    # A "yes" to the question that follows, said in the same message in that question's own
    # words (「はい、会社からも送ります」 at the mail-program question): taken, and said back.
    yes_ahead: bool = False
    # The old outgoing server named in a "yes" to the question whether the provider's server
    # sends (「はい、vs.117.ne.jpです」): the outgoing server's name is not asked again.
    old_smtp_named: bool = False
    # A refused login (PROBLEM) that names the sending side (「送信 (SMTP) サーバー … の認証に
    # 失敗しました」, a 535): where the program keeps the sending login is said with the fix.
    sending_side: bool = False
    # An AUTH_MISSING said of the program's own box (「SMTP認証にチェックしていません」), no
    # server's 530 seen: its answer says what to switch on without presuming that error.
    box_said_off: bool = False
    # A PARTIAL_ADDRESS whose domain was typed whole and is near one of ours, not cut short
    # (「hanako@117.ne.jp」 for @vp.117.ne.jp): the domain they typed, to be told it looks
    # different. "Type everything after the @" told them to do what they had done.
    near_miss: str = ""
    # A second TOPIC asked in a sentence of its own (「パスワードは変わりますか？いつまでで
    # すか？」): answered after the first (only the first was, the second left unsaid).
    also_asked: str = ""


# Button ids that mean the same as a typed command, shared by every stage.
_COMMAND_CHOICES: Final[dict[str, Kind]] = {
    "yes": Kind.YES,
    "no": Kind.NO,
    "unsure": Kind.UNSURE,
    "back": Kind.BACK,
    "restart": Kind.RESTART,
    "menu": Kind.MENU,
    "human": Kind.HUMAN,
    "skip": Kind.SKIP,
    "start": Kind.START_CHECK,
    "settings": Kind.SHOW_SETTINGS,
    MEDIA_CHOICE: Kind.MEDIA,
}

# RFC 5321 (4.5.3.1): a local part of 64 octets at most. The one limit the chat's grammar,
# the configuration files and the check page all read an address with.
LONGEST_LOCAL_PART: Final = 64
# The one address grammar, in its parts: a whole address and the start of one are read
# with the same local part, so they cannot disagree on what an address may contain.
# At least one letter or digit: 「.@vp.117.ne.jp」 names no mailbox (and made a configuration file).
# At most LONGEST_LOCAL_PART characters, as the check page and the files take an address.
_LOCAL_PART: Final = rf"(?=[._%+\-]*[a-z0-9])[a-z0-9._%+\-]{{1,{LONGEST_LOCAL_PART}}}"
_LABEL: Final = r"[a-z0-9\-]+"
# Letters of other alphabets as normalise leaves them (accented Latin, IPA, combining marks,
# Greek, Cyrillic): no address holds one, so a run of address characters touching one is part
# of a word that is no address. Without this, 「tаro@vp.117.ne.jp」 typed with a Cyrillic 「а」
# (a look-alike) was read as 「ro@vp.117.ne.jp」, and "jürgen@…" as "rgen@…": an address
# nobody typed, shown back, put into the settings and handed to the desk as theirs.
_OTHER_ALPHABETS: Final = "\u00c0-\u02af\u0300-\u036f\u0370-\u052f\u1e00-\u1fff"
# Starts only where a run of address characters starts: tried from every position inside a
# long run, the pattern took time quadratic in its length. Ends where the domain ends: not
# inside a label, nor before another one (「….jpа」 names another domain, not a shorter one).
# Nor after a mark that RFC 5322 allows in a local part but this grammar does not, inside a
# word: 「o'brien&xyz@vp.117.ne.jp」 was read, and confirmed, as 「xyz@vp.117.ne.jp」. Such a
# mark at a word's start (「*taro@…*」, a quote) is punctuation around the address.
_ADDRESS_RE: Final = re.compile(
    rf"(?<![a-z0-9._%+\-{_OTHER_ALPHABETS}])(?<![a-z0-9][!#$&'*?^`{{|}}~])"
    rf"{_LOCAL_PART}@{_LABEL}(?:\.{_LABEL})+"
    rf"(?!\.?[a-z0-9\-{_OTHER_ALPHABETS}])"
)
# A message that is nothing but the start of an address: "taro", "yamada.taro", "taro@",
# "taro@vp117", quoted or followed by 「です」. Only a lone token: a sentence that merely
# contains a word (「わかりません」, "not sure") is never one.
_PARTIAL_ADDRESS_RE: Final = re.compile(
    rf"[「『\"'<(]?(?P<local>{_LOCAL_PART})?(?:@(?P<domain>[a-z0-9.\-]*))?[」』\"'>)]?\s*"
    r"(?:です|だよ)?[。.!！]?"
)
_HAS_LETTER: Final = re.compile(r"[a-z]")
# RFC 5321's limit on a path: anything longer is a paste, not an address being typed.
_LONGEST_ADDRESS: Final = 256
# A Japanese full stop typed between address characters (「taro@vp。117。ne。jp」) is a dot:
# NFKC folds 「．」 and 「＠」 but leaves 「。」 as it is.
_FULL_STOP_IN_ADDRESS: Final = re.compile(r"(?<=[a-z0-9])。(?=[a-z0-9])")
# Phones put a space after a typed 「@」 and some people one before: 「taro @ vp.117.ne.jp」.
# Not after a word of a sentence: "will my @vp.117.ne.jp address change?", "an @vp.117.ne.jp
# address" named the domain, and "my@vp.117.ne.jp" was noted as the subscriber's address.
_WORD_BEFORE_DOMAIN: Final = "".join(
    rf"(?<!\b{word})"
    for word in (
        "my", "a", "an", "the", "your", "our", "his", "her", "their", "at", "to", "for", "in",
        "on", "with", "of", "and", "or", "use", "using", "uses", "is", "any", "same",
        # "i have mail @vp.117.ne.jp" (an address at the domain) was noted as
        # mail@vp.117.ne.jp and the settings filled with it.
        "mail", "email", "address", "account", "have", "has", "from", "about", "domain",
    )
)  # fmt: skip
_SPACED_AT: Final = re.compile(
    r"(?<=[a-z0-9._%+\-])@ ?(?=[a-z0-9\-])"
    rf"|(?<=[a-z0-9._%+\-]){_WORD_BEFORE_DOMAIN} @ ?(?=[a-z0-9\-])"
    r"|(?<=[a-z0-9._%+\-]) @$"
)
# The @ spelled out so robots cannot read it: 「taro[at]vp.117.ne.jp」「taro あっと vp…」, and
# "taro at vp.117.ne.jp" when that is the whole message (inside a sentence "looked at
# vp.117.ne.jp" is no address).
_SPELLED_AT: Final = re.compile(
    r"(?<=[a-z0-9._%+\-])\s*(?:\[at\]|\(at\)|あっと(?:まーく)?|アット(?:マーク)?)\s*(?=[a-z0-9\-]+\.)"
    # "my mail is taro at vp.117.ne.jp": the same after a lead-in that says it is the address.
    r"|^(?:(?:my )?(?:e-?mail|mail)?\s?(?:address )?is |it'?s |it is )?"
    r"(?P<local>[a-z0-9._%+\-]+) at (?=[a-z0-9\-]+(?:\.[a-z0-9\-]+)+$)"
)
# How close a typed domain must be to a migrating one to be read as a typo of it
# ("vp.117.ne", "vp117.ne.jp", "vp.117.co.jp" score 82-96; "gmail.com", "docomo.ne.jp" ≤ 52).
_TYPO_SCORE: Final = 80.0

_BACK: Final = re.compile(
    # 「ごめんなさい、前の質問に戻りたい」: an apology may come first.
    # "sorry, go back" too (it was "did not catch that").
    r"^(?:(?:すみません|すいません|ごめんなさい|ごめん|あ|あっ|sorry|oops)[、,.!\s]*)?(?:"
    r"戻る|もどる|戻って|ひとつ前|一つ前|前の質問|前に戻|back|go back|previous"
    # 「戻ります」「戻りたいです」: the bot's 「戻る」 typed as a sentence, and nothing more.
    r"|(?:戻|もど)(?:ります|りたい(?:です)?)[。.!！\s]*$"
    # 「さっきの質問、やっぱりはいです」「あ、さっきの間違えた」 (alone: 「間違えました、
    # iPhoneです」 names the program meant instead).
    r"|(?:さっき|先ほど|さきほど)の(?:質問|しつもん|答え|こたえ|回答)"
    r"|(?:(?:さっき|先ほど|さきほど|前|今)の(?:は)?)?(?:間違え|まちがえ)(?:ました|た|ちゃった|ちゃいました)"
    r"[。.!！\s]*$"
    # 「さっきのはまちがいです」「さっきのなしで」「間違えて押しました」 "I pressed the wrong
    # button": the answer just given said to be a mistake, and nothing more (each was 「うまく
    # 読み取れませんでした」, the answer kept and no way back found).
    r"|(?:さっき|先ほど|さきほど|今|いま)の(?:は|答えは|こたえは)?[、,\s]*"
    r"(?:(?:間違い|まちがい|うそ|嘘)(?:です|でした)?|(?:なし|無し)(?:で|です|にして(?:ください)?)?"
    r"|(?:取り消|取消|とりけ)(?:し|して(?:ください)?|します))[。.!！\s]*$"
    r"|(?:ボタンを)?(?:(?:間違えて|まちがえて)(?:押|お)|(?:押|お)し(?:間違え|まちがえ))"
    r"(?:しました|した|ました|た|ちゃった|ちゃいました)[。.!！\s]*$"
    r"|(?:(?:sorry|oops|wait|oh|ah)[,!.\s]*)*(?:"
    r"(?:that|that one|my answer) (?:was|is) (?:wrong|a mistake|incorrect)|i made a mistake"
    r"|(?:i )?(?:pressed|clicked|tapped|hit|chose|picked) the wrong (?:button|one|answer)"
    r"|wrong (?:button|one|answer))[.!\s]*$)"
)
# 「それはパスワードでした」「さっきのはパスワードです」「間違えてパスワードを入力しました」
# "sorry, that was my password": the message before was the password (typed where the
# address was asked, a token passes as its local part). Said, not asked (「それはパスワード
# ですか」), and not the password named (「前のパスワードでログインできません」: 「前の」 with
# no particle is "the old password"; 「パスワードが違うと出ます」 names none of the messages).
_PASSWORD_TAKEN_BACK: Final = re.compile(
    r"(?:^|[、,。.!！\s]|(?<=[^ぁ-ん]))"
    r"(?:(?:それ|あれ|これ)(?:は|って|が)?"
    r"|(?:さっき|先ほど|さきほど|先程|今|いま|前|まえ|最初|上)"
    r"(?:(?:に|で)?(?:送った|おくった|入れた|いれた|書いた|かいた|入力した|打った|うった)?の"
    # 「前のメッセージはパスワードです」: the message named.
    r"|の(?:メッセージ|めっせーじ|書き込み|投稿))(?:は|って|が))"
    r"[、,\s]*(?:私の|わたしの)?(?:パスワード|ぱすわーど)"
    # The sentence ends there, or an apology or a request follows: not 「これはパスワード画面
    # です」 or 「それはパスワードですか」.
    r"(?:でした|です|だった|だ|なんです|なんだ)?"
    r"(?=\s*(?:$|[。.!！、,]|よ|ね|ごめん|すみません|申し訳|失礼|消して|けして|削除))"
    r"|(?:間違え|まちがえ|誤っ|あやまっ|うっかり)(?:て)?[、,\s]*(?:パスワード|ぱすわーど)を"
    r"(?:入力|にゅうりょく|入れ|いれ|打|う|書|か|送|おく)"
    r"[^?？か]{0,12}(?:ました|た|ちゃった|ちゃいました)[。.!！\s]*(?:すみません|ごめんなさい)?[。.!！\s]*$"
    r"|\b(?:that|this|it|the last one|(?:the|my) (?:last|previous) message|what i (?:just )?"
    r"(?:typed|sent|wrote))(?:'s| was| is| were)(?: actually)? (?:my|the|a) (?:password|pw)"
    # The sentence ends there, or an apology or a request follows: not "this is the password
    # screen", "it's my password that fails".
    r"(?=[\s.,!]*(?:$|sorry|oops|please|can you|could you|delete|remove|lol|haha|by mistake))"
    r"|\b(?:accidentally|mistakenly) (?:typed|entered|sent|put|wrote|gave) (?:you )?(?:in )?"
    r"(?:my|the) password\b"
    # 'I sent you my password by accident': to the bot, here.
    r"|\b(?:typed|entered|sent|put|wrote|gave) (?:you )?(?:in )?(?:my|the) password\b[^?]{0,20}"
    r"\b(?:by mistake|by accident|accidentally|instead)\b"
)
# An earlier answer taken back in words, the question named or not: 「さっきの、やっぱりいいえ
# でした」 "my last answer was wrong" (back one question; they were not understood);
# 「最初の質問、やっぱりいいえです」 "I got the first question wrong" (back to that question).
_TAKEN_BACK: Final = re.compile(
    r"^(?:(?:すみません|すいません|ごめんなさい|ごめん|あ|あっ)[、,\s]*)?"
    r"(?:さっき|先ほど|さきほど|前)の(?:は|こと|件)?[、,\s]*(?:やっぱり|やはり|やっぱ|実は|じつは)"
    # An answer word after it: not 「さっきのやっぱりダメでした」 (the settings still fail).
    r"[、,\s]*(?:はい|いいえ|いえ|いや|違|ちが|わから|分から|yes|no\b)"
    # 「やっぱりさっきのはいいえです」: the taking back said first (not read).
    r"|^(?:やっぱり|やはり|やっぱ|実は|じつは)[、,\s]*(?:さっき|先ほど|さきほど|前)の(?:は|答えは|こたえは|回答は)"
    r"[、,\s]*(?:はい|いいえ|いえ|違|ちが|わから|分から)"
    r"|\b(?:my |the |that )?(?:last|previous) (?:answer|one|question)\b[^.?!]{0,30}?"
    r"\b(?:was|is) (?:wrong|incorrect|a mistake)\b"
    r"|\b(?:answered|got) (?:the |that |my )?(?:last|previous) (?:one|question|answer) wrong\b"
    # "Sorry, I meant yes for the last one", "Can I change my previous answer?",
    # 「前の答えを変えたいです」.
    r"|\bi meant (?:yes|no) (?:for|to|on) (?:the |that )?(?:last|previous) (?:one|question)\b"
    r"|\bchange (?:my|the) (?:last|previous) answer\b"
    # Changed, not said to be right: 「前の答えで合っています」 keeps it.
    r"|^(?:前|まえ)の(?:答え|こたえ|回答)(?=.*(?:変え|かえ|変更|直し|なおし|訂正|間違|まちが|違い|ちがい|取り消|とりけ))"
    r"|\bi (?:made a mistake|was wrong) (?:on|in|with|about) (?:the |my |that )?(?:last|previous) "
    r"(?:one|question|answer)\b"
)
# Not 「間違いなく」 (certainly) nor 「違いが分かりません」 (the difference between two questions).
_CORRECTION_WORDS: Final = (
    r"(?:やっぱり|やはり|やっぱ|実は|じつは|間違(?!いなく)|まちが(?!いなく)"
    r"|違(?:い(?:ます|ました)|う|った)|ちが(?:い(?:ます|ました)|う|った)|訂正|直し|なおし)"
)
_ORDINALS: Final[dict[str, int]] = {
    "最初": 1, "いちばん最初": 1, "一番最初": 1, "はじめ": 1, "初め": 1, "1番目": 1, "一番目": 1,
    "2番目": 2, "二番目": 2, "3番目": 3, "三番目": 3, "4番目": 4, "四番目": 4,
    "first": 1, "second": 2, "third": 3, "fourth": 4,
}  # fmt: skip
_NTH_QUESTION: Final = re.compile(
    r"(?P<ja>いちばん最初|一番最初|最初|はじめ|初め|[1-4]番目|[一二三四]番目)の(?:質問|しつもん|答え|こたえ|回答)"
    rf"(?=.*{_CORRECTION_WORDS})"
    r"|\bthe (?P<en>first|second|third|fourth) (?:question|answer)\b"
    r"(?=.*\b(?:wrong|mistake|incorrect|meant|actually|change)\b)"
    # "The first one is Outlook, and I actually also use Thunderbird": "one" may be a program
    # or a computer, so only a mistake said outright takes it back.
    r"|\bthe (?P<en_one>first|second|third|fourth) one\b(?=.*\b(?:wrong|mistake|incorrect)\b)"
)
_RESTART: Final = re.compile(
    # Not 「iPhoneの最初から入ってるメール」 (the built-in app).
    r"(?:最初|はじめ|初め)から(?!\s*(?:入|はい|ある|あっ|付|つい|いれ|インストール))"
    # Not 「もう一度最初から設定を見せてもらえますか」: the settings card again.
    r"(?!\s*(?:設定|せってい)?\s*(?:を|は)?\s*(?:見せ|みせ|表示|教え|おしえ))"
    r"|やり直|やりなお|リセット|\brestart\b|\bstart over\b|\breset\b"
)
_MENU: Final = re.compile(r"^(メニュー|めにゅー|menu|help|ヘルプ|使い方|\?menu)$")
_HUMAN: Final = re.compile(
    # 「人間の方がいいです」 (words: not read).
    r"人と話|人間と|人間(?:の方|のほう)?が(?:いい|良い)|担当者|担当の(?:方|人)|係の(?:方|人)|オペレーター|オペレータ|有人|スタッフ|サポートの人|窓口"
    r"|電話したい|(?:詳しい|くわしい)(?:人|ひと|方(?!法))|直接(?:聞き|きき|話し|はなし|相談し)たい"
    r"|(?:設定|内容)?を?(?:メール|めーる)で(?:送|おく)っ(?:て(?:ほしい|欲しい|ください|下さい|もらえ|いただけ))"
    r"|\bhuman\b|\bagent\b|\bperson\b|\boperator\b|\brepresentative\b|\bstaff\b"
    r"|\breal person\b|\bsomeone\b"
    # A call asked for: 「電話で教えてほしい」「お電話いただけますか」, not 「携帯電話で見ています」
    # nor 「電話番号は…」 (the contact, or a number given for an address).
    r"|(?<!携帯)(?<!けいたい)(?:電話|でんわ)(?:で|にて)の?(?:説明|教え|おしえ|相談|問い?合わせ|お願い"
    r"|話|はな|聞|き[きけ]|対応|サポート|案内)"
    # A check by phone wanted (「電話で確認したいです」), not one they make themselves
    # (「会社に電話で確認してみます」「…電話で確認したら、止めていないそうです」).
    r"|(?<!に)(?<!携帯)(?<!けいたい)(?:電話|でんわ)(?:で|にて)の?(?:確認|かくにん)(?:を)?\s*"
    r"(?:したい|して(?:ほしい|欲しい|もら[えい]|いただ[けき]|頂[けき]|くだ|下さ)|お願い|おねがい"
    r"|でき(?:ます|ません|ない)か)"
    r"|(?:電話|でんわ)(?:を|が)?(?:して|ください|下さい|ほしい|欲しい|もらえ|いただけ|頂け|くれ|希望)"
    r"|お電話(?!番号)"
    # A call back asked for (「折り返しお願いします」「折り返しご連絡ください」「折り返し電話を
    # お願いします」), not 「折り返し返信したら」 (a reply) nor 「折り返し届きません」.
    r"|(?:折り返し|折返し|おりかえし)(?:の)?\s*(?:お|ご)?(?:電話|でんわ|連絡|れんらく)?(?:を|が)?\s*"
    r"(?:ください|下さい|お願い|おねがい|ほしい|欲しい|いただけ|頂け|もらえ|くれ|希望)"
    r"|\bcall me\b|\bphone call\b|\b(?:on|over) the phone\b|\bby phone\b|\bcall (?:you|back)\b"
    # A visit, remote help, another way to ask: only the desk can (the settings by post are
    # `_BY_POST`).
    r"|訪問|出張サポート|遠隔(?:で)?(?:操作|サポート)"
    # 「代わりに設定してもらえますか」 asks; 「親の代わりにやっています」 says who is typing.
    r"|リモート(?:操作|サポート)|設定(?:を)?代行|(?:メール|電話)で(?:の)?問い?合わせ"
    r"|代わりに(?:やって|設定して|操作して|設定|操作)(?:を)?\s*(?:ほしい|欲しい|ください|下さい|くれ|もらえ"
    r"|いただけ|頂け|お願い)"
    # 「そちらで変えてもらうことはできますか」: the provider asked to change it (not understood).
    r"|(?:そちら|そっち|おたく|お宅|御社|貴社)(?:で|の方で|のほうで|側で)\s*(?:変えて|変更して|設定して|やって"
    r"|直して)(?:もら|いただ|頂|くれ|ほし|欲し)"
    # 「誰か人に聞きたい」, not 「主人に聞いてみます」 (someone at home) nor 「本人に聞かないと」;
    # 「ひとにききたい」「誰かと話したい」「誰かに電話で」 as typed before the kanji conversion.
    r"|(?:(?<![\u4e00-\u9fff])人|ひと|誰か)に(?:聞きたい|ききたい|相談したい|そうだんしたい|代わって"
    r"|かわって|つないで|繋いで)"
    r"|(?:(?<![\u4e00-\u9fff])人|ひと|誰か)と(?:話|はな)し(?:たい|てください|て下さい|てほしい)|誰かに電話"
    # After a hand-back, the agent asked for again by name (「もう一度佐藤さんと話したい」), and a
    # check by someone (「誰かに確認してもらいたい」「だれかにみてほしい」), not one made alone.
    r"|さんと(?:もう一度|もういちど)?(?:話|はな)し(?:たい|てください|て下さい|てほしい)"
    r"|(?:誰か|だれか)に(?:確認|かくにん|見|み|チェック)(?:して|て)?(?:もらいたい|ほしい|欲しい|ください"
    r"|下さい|いただきたい|頂きたい|もらえ)"
    r"|\bdo it for me\b"
    # "can you do setting for me?": the article left out, the setting asked to be done.
    r"|\b(?:do|make) (?:the |my )?(?:settings?|set-?up|configuration) for me\b"
    r"|\b(?:change|set|fix|update) (?:it|this|that|them|everything|(?:the|my) settings)"
    r"(?: up)? for me\b"
    r"|\bremote (?:support|access|help|control)\b|\bhome visit\b"
)
# The settings on paper, sent to them: 「郵送してもらえますか」「紙で欲しい」「印刷したものを
# 送ってほしい」 'could you post it to me?'. Only a person could arrange it (the notice offers
# nothing on paper): with a desk, handed over as a person asked for; with none, the chat says
# it cannot post and how to print (words12: it said no one could take the chat and offered
# to take a message, a person's call promised). 「印刷したい」 alone is printing (`ON_PAPER`).
# What came by post, not a request: 「郵便でお知らせが届きました」「お知らせが郵送で届いたの
# ですが」「郵送されてきた案内」「郵送の案内を見ています」 (they were read as the post asked for:
# with a desk, a handover nobody asked for).
_CAME_BY_POST: Final = (
    r"(?![^。？?\n]{0,15}?(?:届(?:い|き)|とど(?:い|き)|来(?:た|まし|て)|き(?:た|まし)"
    r"|受け?取(?:った|りまし)|もらった|もらいまし|され))"
    r"(?!の(?:お知らせ|案内|通知|書類|手紙|はがき|ハガキ))"
)
_BY_POST: Final = re.compile(
    rf"(?:郵送|ゆうそう|郵便で|ゆうびんで){_CAME_BY_POST}"
    r"|紙で(?:送|おく|欲|ほし|もら|いただ|頂|くだ|下さ|お願い|おねがい)"
    r"|紙(?:に(?:して|印刷して))\s*(?:送|おく)"
    r"|(?:印刷|いんさつ|プリント)(?:した|して)(?:もの|物|の|紙|やつ)?(?:を|で)?\s*(?:送|おく)"
    r"|(?:書類|説明書|資料|手順書)(?:を|で)\s*(?:送|おく)っ"
    r"|\bby (?:post|snail ?mail|postal mail|regular mail)\b"
    r"|\bpost (?:it|them|this|that|the settings|the instructions|a copy|me a copy)\b"
    r"|\b(?:send|mail|post)\b[^.?!]{0,20}\b(?:paper|printed|hard) ?copy\b"
)
BY_POST: Final = "by_post"
"""The value of a `Kind.HUMAN` intent that asks for the settings on paper by post."""
_SETTINGS: Final = re.compile(
    # Not what followed the new settings once set (「新しい設定にしたら送れなくなりました」):
    # a problem report, which the card alone left unanswered. Nor a check made with them
    # (「新しい設定でテストしたい」「新しい設定を試したい」): the login check, which the card sent
    # again with 「ありがとうございます」 never offered (words30).
    # Nor the change said done (「新しい設定にしました」, words9: the card sent again).
    r"^(新しい設定(?![^。]{0,12}?(?:たら|てから|たのに|たけど|たけれど|たが|たところ))"
    r"(?!\s*に\s*(?:し|変え|かえ|変更し)(?:ました|ておきました|てあります|ています|てます))"
    r"(?!\s*(?:で(?:の)?|を使って|をつかって)\s*[^。]{0,12}?"
    # 「ちぇっく」 as normalise leaves it too: small vowels folded, 「ちえっく」.
    r"(?:テスト|試|ため|確認|かくにん|確かめ|たしかめ|チェック|ち[ぇえ]っく))"
    r"(?!\s*を\s*(?:テスト|試|ため|チェック|ち[ぇえ]っく))"
    r"|設定を(見せ|見たい|教え|表示)|設定内容|設定だけ|settings$"
    r"|show (me )?the (new )?settings|new settings"
    # 'tell me the settings, I can't send' (subscriber24: the problem alone was read).
    r"|(?:tell|give|send) me (?:the |my )?settings\b"
    # 「設定方法を教えて」「せっていのしかたをおしえて」: how to set it up, asked at once.
    r"|(?:設定|せってい)(?:方法|の(?:仕方|しかた|やり方|やりかた|方法))を?\s*(?:教え|おしえ|知りたい)"
    # 「メールの設定を教えてください」 'I need to set up my email' (a new computer): the
    # settings asked for (subscriber23: not read). Not 「メールの設定がわからない」, at a
    # question its "not sure".
    r"|(?:メール|メールソフト)の\s*(?:新しい)?\s*(?:設定|せってい)を\s*(?:見せ|教え|おしえ|知りたい)"
    r"|[^.?!。]{0,40}?\b(?:(?:need|want|have) to|how (?:do|can|should) i|help me) set ?up"
    r" (?:my |the )?(?:e-?mail|mail)\b"
    # The notice's 「手動による設定変更の解説ページ」 asked for: the bot's own steps are it.
    r"|[^。]{0,15}?(?:(?:解説|説明)(?:ページ|書)|マニュアル|手順書)(?:は|って|が)?\s*(?:あり|ある|どこ)"
    r"|(?:is there|do you have|where (?:is|are|can i find)) (?:a |an |the )?(?:setup |settings? )?"
    r"(?:manual|guide|instructions|how-?to)\b)"
)
# The whole message asks for the language: 「英語でお願いします」, "English please", "can you
# speak English?" (anchored, so "I got an English error" switches nothing).
_POLITE_TAIL: Final = (
    r"(?:で|に)?(?:(?:お願い|おねがい)(?:します|いたします)?|話して(?:ください)?|してください)?"
)
_PLEASE: Final = r"(?:,?\s*(?:please|pls|plz))?"
# "Sorry, can we continue in English?": a courtesy may come first.
_COURTESY: Final = r"^(?:(?:sorry|excuse me|hi|hello|um+|please)[,!.]?\s*)?"
_TO_ENGLISH: Final = re.compile(
    rf"^(?:(?:in )?english{_PLEASE}|英語{_POLITE_TAIL}|en)[.!?。！？]*$"
    rf"|{_COURTESY}(?:can|could|do) (?:you|we|i) (?:speak|talk|write|chat|continue)"
    r"(?: in)? english\b"
    rf"|{_COURTESY}(?:please )?(?:switch|change)(?: the language)? (?:to|into) english\b"
    # "I don't understand Japanese": whatever was asked, it is the language.
    rf"|{_COURTESY}(?:i )?(?:don'?t|do not|can'?t|cannot) (?:understand|speak|read) japanese\b"
    # 「英語で話せますか」「英語でもいいですか」
    r"|^英語(?:で|に)(?:も)?(?:話せ|はなせ|対応|でき|いい|良い|大丈夫|やりとり)"
    # As non-native speakers ask it: "English OK?", "is English possible?", "can you English?",
    # "Sorry, I am not good at Japanese" (a Japanese chat answered "I could not answer that").
    r"|^(?:(?:in )?english)\s*(?:is )?(?:ok|okay|possible|fine|available|can)\b[.!?\s]*$"
    r"|\bis (?:english|in english) (?:ok|okay|possible|fine|available)\b"
    r"|\b(?:can|could|do) you (?:speak |do |use )?english\b"
    r"|\b(?:i'?m|i am) not (?:so |very )?good (?:at|in|with) japanese\b"
    r"|\bmy japanese (?:is )?(?:not (?:so |very )?good|bad|poor|weak|very little)\b"
    # "no, english please": the question's no word before the language asked for.
    rf"|^(?:no|sorry)[,.!\s]+(?:in )?english{_PLEASE}[.!?]*$"
    r"|\bjapanese is (?:too )?(?:difficult|hard) for me\b"
    r"|\b(?:don'?t|do not|can'?t|cannot) (?:understand|speak|read) japanese"
    r" (?:well|much|very well)\b"
    r"|^(?:sorry,? )?(?:no japanese|english only|only english)[.!\s]*$"
)
# 「すみません、日本語でお願いします」: the apology before it left the chat in English, every
# Japanese message after it told to type 「日本語」.
_JA_COURTESY: Final = r"(?:(?:すみません|すいません|ごめんなさい|あのう?|えっと|sorry)[、,!.\s]*)?"
_TO_JAPANESE: Final = re.compile(
    rf"^{_JA_COURTESY}(?:(?:in )?japanese{_PLEASE}|(?:日本語|にほんご){_POLITE_TAIL}"
    r"|(?:日本語|にほんご)(?:が|で)(?:いい|良い)(?:です)?|nihongo|ja)[.!?。！？]*$"
    r"|^(?:can|could|do) (?:you|we|i) (?:speak|talk|write|chat|continue)(?: in)? japanese\b"
    r"|^(?:please )?(?:switch|change)(?: the language)? (?:to|into) japanese\b"
)
_SKIP: Final = re.compile(
    r"スキップ|飛ばす|とばす|飛ばし|とばし|省略|後で|あとで|入力しない|入力しません|教えない|教えたくない"
    r"|(?:入れ|いれ|書き|かき|言い|いい)たくない|^(?:もう)?いいです[。.!！]*$"
    r"|やめ|止め|結構|いらない|いりません|要りません|不要|^(?:パス|ぱす|pass)(?:で|します|です)?$|すきっぷ"
    r"|\bskip\b|\blater\b|\bcancel\b|no thanks|never ?mind"
    # "i will not tell", "no need": the address declined, as non-native speakers put it.
    r"|\b(?:will not|won'?t|do not|don'?t) tell\b|^no need\b"
    r"|\b(?:rather|prefer) not\b|\bdon'?t want to (?:say|give|tell|share)\b"
    # The button's own words typed: "Continue without it".
    r"|\b(?:continue|carry on|go on|proceed) without\b"
    # 「入力せずに進む」, the Japanese button's words (it was not understood).
    r"|入力せず|にゅうりょくせず"
)


# Invisible format characters a phone or a copied web page can slip in (soft hyphen,
# zero-width space and joiners, direction marks, word joiner, byte-order mark): 「はい\u200b」
# is 「はい」.
_INVISIBLE: Final = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


# Small hiragana vowels written for a softer tone (「送れなぃ」「ぁりがとう」) are the full-size
# ones. Only hiragana: small katakana spell loanwords (ファイル, ティ).
_SMALL_HIRAGANA: Final = str.maketrans("ぁぃぅぇぉ", "あいうえお")
# Typographic apostrophes are the ASCII one (NFKC keeps them): iPhones and Macs type 「’」 by
# default, and "I don’t know" at a question was its no, lowering the change needed; "I can’t
# send emails" was not read (subscriber23).
_APOSTROPHES: Final = str.maketrans("\u2018\u2019\u02bc", "'''")


# The words the bot knows, typed in hiragana (phones offer the kana before the conversion)
# or in an unusual katakana:
# 「ぱすわーど」「ぷろばいだ」「そうしんできない」. Folded to their usual spelling, so every
# pattern and the analyser read one spelling. Keys are as `_SMALL_HIRAGANA` leaves them
# (「うぇぶ」 is 「うえぶ」); longer words first, so 「めーるそふと」 is one word, not two.
_KANA_WORDS: Final[dict[str, str]] = {
    "ぱすわーど": "パスワード",
    "ぷろばいだー": "プロバイダー",
    "ぷろばいだ": "プロバイダ",
    "うえぶめーる": "ウェブメール",
    "めーるあどれす": "メールアドレス",
    # An error's words as kana-only typing has them: 「めーるぼっくすがいっぱい」
    # 「めいわくめーるとはんていされて」「あてさきふめい」「てんぷふぁいるがおおきすぎます」
    # (its small ぁ folded before these are read).
    "めーるぼっくす": "メールボックス",
    "めいわくめーる": "迷惑メール",
    "はんてい": "判定",
    "あてさき": "宛先",
    "ふめい": "不明",
    "てんぷふあいる": "添付ファイル",
    "おおきすぎ": "大きすぎ",
    "めーるそふと": "メールソフト",
    "めーる": "メール",
    "うえぶ": "ウェブ",
    "さーばー": "サーバー",
    "さーば": "サーバ",
    "あかうんと": "アカウント",
    "あどれす": "アドレス",
    "ゆーざーめい": "ユーザー名",
    "ゆーざー": "ユーザー",
    "えらー": "エラー",
    "ぽーと": "ポート",
    "そふと": "ソフト",
    "ぱそこん": "パソコン",
    "いんたーねっと": "インターネット",
    "ろぐいん": "ログイン",
    "せってい": "設定",
    "へんこう": "変更",
    "そうしん": "送信",
    "じゅしん": "受信",
    "にんしょう": "認証",
    "せつぞく": "接続",
    "しょうめいしょ": "証明書",
    "たんとうしゃ": "担当者",
    # 「たんとーしゃ」「えいごで」「ほーむぺーじ」, as kana-only typing has them.
    "たんとーしゃ": "担当者",
    "えいご": "英語",
    "ほーむぺーじ": "ホームページ",
    "ひつよう": "必要",
    "でんわ": "電話",
    "だれか": "誰か",
    "たんとう": "担当",
    "さいしょから": "最初から",
    "ぶらうざー": "ブラウザー",
    "ぶらうざ": "ブラウザ",
    "あいでいー": "id",
    "がいしゅつさき": "外出先",
    "がいしゅつ": "外出",
    # 「ぶろっくってなに」 at the blocking question (subscriber23: not read, taken for a
    # sentence still being typed).
    "ぶろっきんぐ": "ブロッキング",
    "ぶろっく": "ブロック",
    # A katakana spelling the patterns do not know: 「ウエブメール」 is 「ウェブメール」.
    "ウエブ": "ウェブ",
    # Kana-kanji conversion's and voice input's slips, and the slang for a server: 「受診
    # サーバー」 (受信), 「送信者バー」 (送信サーバー), 「送信鯖」; each was not understood.
    "受診": "受信",
    "送信者バー": "送信サーバー",
    "受信者バー": "受信サーバー",
    "鯖": "サーバー",
}
_KANA_WORD: Final = re.compile("|".join(sorted(_KANA_WORDS, key=len, reverse=True)))
# English key words as they are mistyped ("it keeps asking for my pasword", "only at hoem",
# "cant sned", "not shure"), each unread before. A list, not a fuzzy match: beside nearly every
# key word stands a real word (sending/spending, thanks/thinks, works/words, server/served,
# sure/sore), which a fuzzy match would turn into what the subscriber did not say.
_ENGLISH_TYPOS: Final[dict[str, str]] = {
    **dict.fromkeys(PASSWORD_MISSPELLINGS, "password"),
    "yse": "yes", "sned": "send", "sedn": "send", "paswords": "passwords", "hoem": "home",
    "hmoe": "home", "wrok": "work", "wokr": "work",
    "ony": "only", "onyl": "only", "olny": "only", "shure": "sure", "suer": "sure",
    "thanx": "thanks", "thnx": "thanks", "thnks": "thanks", "thakns": "thanks",
    "thankyou": "thank you", "webmial": "webmail", "wbmail": "webmail", "blcoked": "blocked",
    "bloked": "blocked", "blokced": "blocked", "emial": "email", "emials": "emails",
    "recive": "receive", "reciving": "receiving", "yestreday": "yesterday",
    "yesterdy": "yesterday",
    # 'whats smtp' (subscriber23: not read, where "what's smtp" is the question explained).
    "whats": "what's",
}  # fmt: skip
# A whole word only, never part of an address or a host ("hoem@vp.117.ne.jp" stays as typed);
# "sever" only after the word that makes it a server.
_ENGLISH_TYPO: Final = re.compile(
    r"(?<![\w@.\-])(?:" + "|".join(sorted(_ENGLISH_TYPOS, key=len, reverse=True)) + r")"
    r"(?![\w@\-]|\.\w)"
)
_SEVER: Final = re.compile(r"\b(pop3?|smtp|mail|incoming|outgoing|new|old) sever(s?)\b")
# A dash typed for the long vowel mark after katakana: 「サーバ―」 (U+2015), 「サーバ－」 (the
# full-width hyphen, '-' after NFKC), 「メ‐ル」; each was not read (words5).
_DASH_FOR_LONG_VOWEL: Final = re.compile(r"(?<=[ァ-ヺ])[\-\u2010-\u2015\u2212]")


# What `normalise` gave for the texts of the step under way. One message is read by several
# readers (the stage's, told answers, a program named, the address form): 「はい」 was folded
# five times in its step, an address three, each fold the same 10-30 us again. Forgotten when
# a step ends (`forget_normalised`): typed words are kept no longer than the step that reads
# them; what is folded outside a step (the runtime's look for 「さっきのはパスワードです」 before
# it) until the next step ends, and never more than _NORMALISED_LIMIT texts.
_NORMALISED: Final[dict[str, str]] = {}
_NORMALISED_LIMIT: Final = 16


def normalise(text: str) -> str:
    """Fold width, case and small hiragana vowels, drop invisible marks, squeeze whitespace.

    What the matchers see. Known words typed in hiragana get their usual spelling.
    """
    known = _NORMALISED.get(text)
    if known is None:
        known = _fold(text)
        if len(_NORMALISED) < _NORMALISED_LIMIT:
            _NORMALISED[text] = known
    return known


def forget_normalised() -> None:
    """Drop what `normalise` remembers: the step that read those words is over."""
    _NORMALISED.clear()


def _fold(text: str) -> str:
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    squeezed = " ".join(folded.translate(_SMALL_HIRAGANA).translate(_APOSTROPHES).split())
    spelt = _ENGLISH_TYPO.sub(lambda m: _ENGLISH_TYPOS[m.group(0)], squeezed)
    long_vowels = _DASH_FOR_LONG_VOWEL.sub("ー", spelt)
    return _KANA_WORD.sub(_usual_spelling, _SEVER.sub(_server, long_vowels))


def _usual_spelling(match: re.Match[str]) -> str:
    return _KANA_WORDS[match.group(0)]


def _server(match: re.Match[str]) -> str:
    # "pop sever" -> "pop server". A function, not the template r"\1 server\2": Python 3.11's
    # `sub` hands a template to the `re` module's Python code at every call (an import, a
    # cache lookup that hashes the pattern), even when nothing matches.
    return f"{match.group(1)} server{match.group(2)}"


def _address_form(text: str) -> str:
    """`text` normalised, with the ways people mistype an address's marks put right."""
    folded = _SPACED_AT.sub("@", _FULL_STOP_IN_ADDRESS.sub(".", normalise(text)))
    folded = _SPELLED_AT.sub(lambda m: f"{m.group('local') or ''}@", folded)
    alone = _COMMA_ADDRESS.fullmatch(folded)
    if alone is not None:
        address = alone.group("address")
        return address.replace(",", ".").replace("、", ".") + folded[alone.end("address") :]
    return folded


# A comma typed for a dot in an address that is the whole message (「taro@vp,117.ne.jp」):
# only then, as in a sentence a comma may follow an address.
_COMMA_ADDRESS: Final = re.compile(
    rf"(?P<address>{_LOCAL_PART}@{_LABEL}(?:[.,、]{_LABEL})*[,、]{_LABEL}(?:[.,、]{_LABEL})*)"
    r"\s*(?:です)?[。.]?"
)


def find_address(text: str) -> str | None:
    """The first e-mail address anywhere in `text`, lower-cased, or None."""
    match = _ADDRESS_RE.search(_address_form(text))
    return match.group(0).strip(".") if match else None


def without_addresses(text: str) -> str:
    """`text` with every address taken out (as `find_address` reads them, typos put right)."""
    return _ADDRESS_RE.sub(" ", _address_form(text))


def partial_address(text: str) -> str | None:
    """The local part of a message that is only part of an address, or None.

    "taro", "yamada.taro", "taro@", "taro@vp117" (a domain with no dot, so `find_address`
    finds nothing) give "taro" or "yamada.taro"; "@vp.117.ne.jp", with nothing before the
    @, gives "". Call it only where nothing else read the message: a lone English word
    ("hello") looks like a local part too.
    """
    folded = _address_form(text)
    if len(folded) > _LONGEST_ADDRESS or find_address(folded) is not None:
        return None
    match = _PARTIAL_ADDRESS_RE.fullmatch(folded)
    if match is None:
        return None
    local = (match.group("local") or "").strip(".")
    if not local:
        return "" if _HAS_LETTER.search(match.group("domain") or "") else None
    return local if _HAS_LETTER.search(local) else None


def misspelt_domain(address: str, domains: Sequence[str]) -> str | None:
    """The one of `domains` that `address`'s domain is a typo of ("taro@vp.117.ne"), or None.

    An address at another provider ("taro@gmail.com") is none: it is told it is not
    concerned, not to correct its domain. Of several close ones, the closest.
    """
    domain = address.rsplit("@", 1)[-1]
    if domain in domains:
        return None
    started = [whole for whole in domains if whole.startswith(f"{domain}.")]
    if started:
        # 「taro@vp.117」: typed only so far (too short for a typo's score).
        return started[0]
    best = process.extractOne(domain, domains, scorer=fuzz.ratio, score_cutoff=_TYPO_SCORE)
    return best[0] if best else None


def understand_choice(choice_id: str) -> Intent:
    """A pressed button. Unknown ids come back as CHOICE for the stage to judge."""
    if choice_id in _COMMAND_CHOICES:
        return Intent(_COMMAND_CHOICES[choice_id])
    if choice_id in (
        EDITED_CHOICE,
        FORWARDED_CHOICE,
        STICKER_CHOICE,
        LOCATION_CHOICE,
        EMOJI_CHOICE,
    ):
        # Answered as a photo is, but in its own words.
        return Intent(Kind.MEDIA, choice_id)
    prefix, _, value = choice_id.partition(":")
    if prefix == "lang" and value in ("ja", "en"):
        return Intent(Kind.LANGUAGE, value)
    if prefix == "topic":
        return Intent(Kind.TOPIC, value)
    return Intent(Kind.CHOICE, choice_id)


def understand_command(text: str) -> Intent | None:
    """Commands that mean the same at every stage, or None."""
    if _PASSWORD_TAKEN_BACK.search(text):
        # Before 「さっきの…間違えました」 (back): the message withdrawn, then the answer undone.
        return Intent(Kind.PASSWORD_TAKEN_BACK)
    nth = _NTH_QUESTION.search(text)
    if nth is not None:
        named = nth.group("ja") or nth.group("en") or nth.group("en_one")
        return Intent(Kind.BACK, str(_ORDINALS[named]))
    if _BACK.search(text) or _TAKEN_BACK.search(text):
        return Intent(Kind.BACK)
    if _RESTART.search(text):
        return Intent(Kind.RESTART)
    if _MENU.search(text):
        return Intent(Kind.MENU)
    if _TO_ENGLISH.search(text):
        return Intent(Kind.LANGUAGE, "en")
    if _TO_JAPANESE.search(text):
        return Intent(Kind.LANGUAGE, "ja")
    if search(_BY_POST, text):
        return Intent(Kind.HUMAN, BY_POST)
    if search(_HUMAN, text):
        return Intent(Kind.HUMAN)
    if _SETTINGS.search(text):
        return Intent(Kind.SHOW_SETTINGS)
    return None


def takes_the_password_back(text: str) -> bool:
    """Whether `text` says the message before was the password (「さっきのはパスワードです」).

    For the runtime while a person has the conversation (the dialog does not run then): the
    copy relayed to their desk is taken back all the same.
    """
    return bool(_PASSWORD_TAKEN_BACK.search(normalise(text)))


def asks_for_person(text: str) -> bool:
    """Whether `text` asks for a person (anywhere in it, however long)."""
    return bool(search(_HUMAN, text)) or asks_by_post(text)


def asks_by_post(text: str) -> bool:
    """Whether `text` asks for the settings on paper by post (anywhere in it)."""
    return bool(search(_BY_POST, text))


def understand_skip(text: str) -> bool:
    """Whether the words decline to give what was asked ("スキップ", "later").

    A "no" or "not sure" to the question declines too: `dialogs.reading` reads those with
    the question's own answer reader, which never takes a problem report for a "no".
    """
    return bool(_SKIP.search(text))


def understand_topic(text: str) -> Intent | None:
    """A question about the migration itself ("パスワードは変わる?"), or None."""
    topic: Topic | None = recognise_topic(text)
    return Intent(Kind.TOPIC, topic.value) if topic else None


_NUMBER_PICKED: Final = re.compile(
    r"(\d{1,2})\s*(?:番|番目|つ目|\.)?\s*(?:です|でお願いします|で)?[。.!！]?"
)


def pick_offered(text: str, offered: tuple[str, ...]) -> str | None:
    """A typed number ("2", 「２」, "2番") picks from the buttons last offered."""
    # 「1番です」「2です」「3番目でお願いします」: the number in a short sentence.
    match = _NUMBER_PICKED.fullmatch(text)
    if not match:
        return None
    index = int(match.group(1)) - 1
    return offered[index] if 0 <= index < len(offered) else None
