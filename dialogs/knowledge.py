"""What the bot can explain at any point, and how its date-dependent answers are chosen.

`today` always comes in as an argument: the dialog never reads a clock, so tests can stand
before, inside or after the settings-change window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Final

from dialogs.profile import LoginName, MigrationProfile, Protocol, Security
from dialogs.texts import N_


class Topic(enum.StrEnum):
    """A question about the migration the bot answers from the notice."""

    WHY = "why"
    OP25B = "op25b"
    SMTP_AUTH = "smtp_auth"
    POP_BEFORE_SMTP = "pop_before_smtp"
    OLD_MAIL = "old_mail"
    SCHEDULE = "schedule"
    PASSWORD = "password"  # noqa: S105 - the topic, not a secret
    # Forgotten: the bot cannot help, the desk can (it answers, then routes to people).
    FORGOTTEN_PASSWORD = "forgotten_password"  # noqa: S105 - the topic, not a secret
    WEBMAIL = "webmail"
    STEPS = "steps"
    ACCOUNT = "account"
    # "Does my address change?": no, the account does (not a menu item; asked in words).
    ADDRESS = "address"
    # "What are the new server names?" (not a menu item; the settings are, with the card).
    SERVERS = "servers"
    # What a helpdesk is asked that the notice answers only by what it does not say (not
    # menu items; asked in words): "what if I do nothing?", "does it cost?", "is it a scam?".
    DO_NOTHING = "do_nothing"
    FEES = "fees"
    SCAM = "scam"
    # 「SSLはオンにしますか」「暗号化は？」: the encryption of each server, from the profile.
    SECURITY = "security"
    # 「営業時間は？」: the desk's contact and hours, from the profile (the turn words it).
    DESK_HOURS = "desk_hours"
    # 「迷惑メールが増えた」: the notice says nothing of the spam a subscriber receives (only
    # that authenticated sending stops spoofed mail going out), so: what this chat is for,
    # and the desk. Never a spam-filter fact.
    SPAM = "spam"
    # 「これで終わりですか」: where the conversation stands decides the answer (the turn words it).
    WHAT_IS_LEFT = "what_is_left"
    # 「IMAPって何？」「POPとIMAPの違いは？」: the receiving protocol, and whether the profile
    # changes it (not a menu item; asked in words).
    PROTOCOL = "protocol"
    # 「解約したい」「ウイルスに感染したかも」: not this chat's business; what it is for, and
    # the desk.
    OTHER_MATTERS = "other_matters"
    # 「息子にやってもらってもいいですか」 'can my grandson do it for me?': yes, shown the
    # steps; the password typed into the program, never here (not a menu item).
    SOMEONE_ELSE = "someone_else"
    # 「アドレスを2つ持っています」 'I have two addresses': each address's account changes,
    # one at a time here (not a menu item).
    SEVERAL_ADDRESSES = "several_addresses"


# 「アドレス」 alone is the e-mail address, not a server's (「サーバーのアドレスは変わりますか」,
# the servers' question, whose names change) nor an IP address.
_NOT_A_SERVERS: Final = r"(?<!サーバー)(?<!サーバ)(?<!サーバーの)(?<!サーバの)(?<!ip)"
# "my old address", as people name the address a change of domain leaves behind.
_OLD: Final = r"(?:old|previous|former|current)"
_THE_OLD_ADDRESS: Final = rf"(?:my|the|our) {_OLD} (?:e-?mail )?address"

# Who may do the change for them, as they name them: 「息子」「孫」「主人」, "my grandson".
_HELPER: Final = (
    r"(?:息子|むすこ|娘|むすめ|孫|まご|主人|しゅじん|夫|妻|嫁|家族|かぞく|子供|子ども|こども|親戚"
    r"|知り合い|知人|友人|友達|ともだち|業者|詳しい(?:人|ひと|方)|ほかの(?:人|ひと|方)|他の(?:人|方)"
    r"|別の(?:人|方))"
)
_HELPER_EN: Final = (
    r"(?:my|a) (?:son|daughter|grand(?:son|daughter|child|kid)|wife|husband|partner|child|kid"
    r"|friend|neighbou?r|relative|family member|nephew|niece)|someone else|somebody else"
)

# Order matters: the more specific phrase wins ("POP before SMTP" before "SMTP").
_TOPIC_PATTERNS: Final[tuple[tuple[Topic, re.Pattern[str]], ...]] = (
    (
        # Asked, not told: 「息子にやってもらいます」 is a wait, 「息子に設定してもらったので
        # わからない」 an answer.
        Topic.SOMEONE_ELSE,
        re.compile(
            rf"{_HELPER}(?:に|が|で)[^。?？]{{0,14}}?(?:やって|設定して|せっていして|変えて|かえて"
            r"|変更して|直して|なおして|頼んで|たのんで|任せて|まかせて|お願いして|おねがいして|やっ)"
            r"[^。?？]{0,10}?(?:いい|良い|よい|大丈夫|だいじょうぶ|構わない|構いません|かまいません"
            r"|問題(?:は)?(?:ない|ありません))(?:です|でしょう)?(?:か|の)"
            rf"|\b(?:can|could|may|should|will) {_HELPER_EN} (?:do|change|set|fix|make)\b"
            rf"|\bis it (?:ok|okay|alright|all right|fine)(?: if| for)? {_HELPER_EN}\b"
            rf"|\b(?:ok|okay|alright|all right|fine) (?:if|for) {_HELPER_EN} (?:to )?"
            r"(?:do|does|change|changes|set|sets)\b"
        ),
    ),
    (
        # 「アドレスを2つ持っています」「メールアドレスが二つある」「複数のアドレス」. Before the
        # account's and the address's own questions.
        Topic.SEVERAL_ADDRESSES,
        re.compile(
            r"(?:アドレス|メアド|アカウント)(?:が|を|は|も)?\s*(?:2|3|4|二|三|ふた|みっ|複数|いくつか)"
            r"(?:つ|個|こ|ある|あり|持)"
            r"|(?:2|3|4|二|三|ふた|みっ|複数|いくつか)(?:つ|個)?の\s*(?:メール)?(?:アドレス|メアド|アカウント)"
            r"|\b(?:two|2|three|3|several|multiple|more than one) (?:e-?mail |mail )?(?:addresses"
            r"|accounts)\b"
        ),
    ),
    (
        Topic.DESK_HOURS,
        re.compile(
            r"営業時間|受付時間|対応時間|窓口の時間|何時(?:まで|から)(?:対応|受付|営業|やって|開いて|あいて)"
            # 「窓口は何時までですか」: the desk's hour, not the old servers' (follow15).
            r"|(?:窓口|サポート|受付|電話|担当者?|問い?合わせ|問合せ)(?:は|って|の)?\s*(?:何時|なんじ)"
            r"|土日(?:も|は)?(?:対応|営業|やって)|business hours|opening hours|office hours"
            r"|what time (?:do|are) you (?:open|close)|when are you open"
        ),
    ),
    # 「POPビフォアSMTP」「ＰＯＰビフォアーＳＭＴＰ」: the letters with the word in katakana.
    (
        Topic.POP_BEFORE_SMTP,
        re.compile(r"pop\s*(?:before|ビフォア|ビフォー)ー?\s*smtp|ポップビフォア|pbs"),
    ),
    (
        # What POP3 or IMAP is, and which one: not a server's name (「imap.x.jp」, "the new
        # imap server"), which the servers' answer gives.
        Topic.PROTOCOL,
        re.compile(
            r"(?<![a-z.])(?:imap|pop3?)(?![a-z.])\s*(?:って|とは|は何|はなに|の意味)"
            r"|(?<![a-z.])(?:imap|pop3?)\s*(?:と|や|・|/|か)\s*(?:imap|pop3?)(?![a-z.])"
            r"|(?<![a-z.])(?:imap|pop3?)\s*(?:との|の)\s*(?:違い|ちがい)"
            r"|(?<![a-z.])imap\s*に\s*(?:しない|する必要|変える必要|変えない|しなければ|なるの)"
            r"|\bwhat(?:'s| is| does) (?:an? )?(?:imap|pop3?)\b(?! server)"
            r"|\bdifference between (?:imap|pop3?) and (?:imap|pop3?)\b"
            r"|\b(?:imap|pop3?) (?:vs\.?|versus|or) (?:imap|pop3?)\b|\bwhy imap\b"
        ),
    ),
    (
        # Before OP25B: whether port 25 or an old server name may stay is answered by the new
        # servers and ports (「ポート25のままで大丈夫ですか」「vs.117.ne.jpのままでいいですか」
        # "Can I keep port 25?"), not by what OP25B is.
        Topic.SERVERS,
        re.compile(
            # The host from where a run of host characters starts (linear in 「smtp.smtp.…」).
            r"(?:ポート\s*25|25\s*番|(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,})\s*の\s*まま"
            r"|\b(?:keep|stay (?:on|with)|still use|leave)\b (?:using )?(?:the |my )?"
            r"(?:port 25\b|(?:[a-z0-9-]+\.)+[a-z]{2,})"
            r"|\bport 25\b[^.?!]{0,15}\b(?:ok|okay|fine|alright|all right)\b"
        ),
    ),
    (
        Topic.OP25B,
        re.compile(
            r"op25b|port\s*25|ポート\s*25|25番|outbound|ブロッキング|blocking"
            # Spelt as heard: 「オーピーにじゅうごびーってなに」「ポートにじゅうごばん」
            # 「アウトバウンド」 (subscriber20: kept as half a sentence at a question).
            r"|(?:オーピー|おーぴー|op)\s*(?:にじゅうご|ニジュウゴ|25)\s*(?:びー|ビー|b)"
            r"|(?:ポート|ぽーと)\s*(?:にじゅうご|ニジュウゴ)|(?:にじゅうご|ニジュウゴ)\s*(?:ばん|バン|番)"
            r"|アウトバウンド|あうとばうんど"
            # 「会社から送信できなくなりますか」 "Will I still be able to send from work?": the
            # notice's third merit, port 587 with authentication from networks that block 25.
            r"|(?:会社|職場|勤務先|外出先|出先|ほかの回線|他の回線|別の回線|ホテル)(?:から|で)"
            r"[^。]{0,12}?(?:送信|送れ|送る|おくれ)[^。]*(?:か|[?？])\s*$"
            r"|\bsend\w*\b[^.?!]{0,30}\b(?:from|at) (?:work|the office|my office|another network"
            r"|other networks|a hotel)\b[^.!]*\?"
        ),
    ),
    (
        Topic.SMTP_AUTH,
        re.compile(
            r"smtp[\s-]*auth|smtp認証|送信者認証|送信認証|認証とは|what is auth"
            # 「認証方式は何ですか」 "What authentication method do I use?" (a program's message
            # naming the method it was refused is read as a problem first).
            r"|認証(?:の)?(?:方式|方法)|\bauthentication (?:method|type|mechanism)"
            # 「認証しないと送れなくなりますか」 "Can I send without authentication?"
            r"|認証(?:を)?(?:しない|せず|しなかった)|\bwithout (?:smtp )?auth"
            # Whether it is needed: 「送信するときに認証が必要ですか」 "Is authentication required
            # for sending?" (the server's own 「認証が必要です」 pasted is read as its 530 first).
            r"|認証(?:は|が|って|も)?(?:必要|必須|いる|要る|いり|要り)"
            r"|\bauthentication\b[^.?!]{0,30}\b(?:required|needed|necessary|mandatory)"
            r"|\brequires? authentication|\bneed (?:to )?authenticat"
        ),
    ),
    (
        Topic.SECURITY,
        re.compile(r"(?<![a-z])(?:ssl|tls|starttls)(?![a-z])|暗号化|あんごうか|encrypt"),
    ),
    (
        Topic.FORGOTTEN_PASSWORD,
        re.compile(
            # 「パスワードが分かりません」「わかんない」 too (subscriber23: the password's
            # question, or 'not sure' of the question on screen).
            r"(?:パスワード|暗証).{0,12}(?:忘れ|わすれ|わから|分から|わかりませ|分かりませ|わかんな"
            r"|分かんな|不明|思い出せ)"
            r"|forg[eo]t.{0,20}(?:password|passcode)|(?:password|passcode).{0,20}forg[eo]t"
            r"|lost my password|don'?t (?:know|remember) my password"
        ),
    ),
    (
        # Before the password: 「詐欺メールでパスワードを聞かれた」 asks whether it is real.
        Topic.SCAM,
        re.compile(
            r"詐欺|さぎ(?:です|めーる|メール|じゃ|では)|フィッシング|ふぃっしんぐ|怪し|あやし"
            r"|(?:本物|ほんもの|本当のメール|正規のメール|偽物|にせもの|偽の?メール)"
            # 「本当に117netからのお知らせですか」「このメール本当に117netから来たの？」 (words10:
            # not understood).
            r"|(?:本当|ほんと(?:う)?)に[^。?？]{0,20}?から(?:の|来|き|届)"
            r"|\bscam|\bphishing|\blegit|\bgenuine\b|\bfake\b|\bfraud"
            # "Is this email from 117net real?"
            r"|\bis (?:this|that|it|the) (?:e-?mail|message|letter|notice)\b[^.?!]{0,30}\breal\b"
        ),
    ),
    (
        # Not the notice's 「迷惑メール対策」 (what OP25B is): that is asked about OP25B.
        Topic.SPAM,
        re.compile(
            r"迷惑\s*(?:メール|めーる)(?!\s*対策)|めいわく\s*(?:メール|めーる)|スパム|すぱむ"
            r"|\bspam(?!\s*(?:protection|prevention|measures?|counter))|\bjunk (?:e-?)?mail"
        ),
    ),
    (
        Topic.OTHER_MATTERS,
        re.compile(
            r"解約|退会|かいやく|ウイルスに(?:感染|かかっ)|ウィルスに(?:感染|かかっ)"
            r"|\bcancel (?:my |the )?(?:contract|subscription|service|account)\b"
            r"|\b(?:infected|a virus)\b"
        ),
    ),
    (
        Topic.FEES,
        re.compile(
            r"お金|おかね|料金|費用|有料|無料|課金|手数料|いくら(?:です|かか|くらい|ぐらい|になり)"
            r"|\bcosts?\b|\bfees?\b|\bcharged?\b|\bcharges\b|\bpay\b|\bpaid\b|\bfor free\b"
            r"|\bis it free\b|\bfree of charge\b"
            # "is this free?" "is the change free?" (subscriber23: not answered).
            r"|\bis (?:this|that|the (?:change|service|support|migration))(?: all)? free\b"
        ),
    ),
    (Topic.PASSWORD, re.compile(r"パスワード|暗証|password|passcode")),
    (
        Topic.ADDRESS,
        re.compile(
            rf"{_NOT_A_SERVERS}(?:(?:メール)?アドレス|メアド)(?:は|が|も|って)?"
            r"(?:変わ|かわ|変更にな|変更され)"
            r"|address (?:change|be changed|changing|stay)|(?:change|changing) (?:my |the )?"
            r"(?:e-?mail )?address"
            # Where the domain changes, what becomes of the old address and whether there is
            # a new one ("what happens to mail sent to my old address?", 「古いアドレスあての
            # メールは」): the answer says both. Mail already there (「前のアドレスに届いた
            # メール」) is the old-mail question, "until when" the dates: both say it too.
            rf"|\b(?:mail|e-?mails?|messages?)\b[^.?!]{{0,30}}\b(?:to|at|on) {_THE_OLD_ADDRESS}"
            rf"|\b(?:e-?mail|write to) {_THE_OLD_ADDRESS}"
            rf"|\bhow long (?:will|does|do|can|is) {_THE_OLD_ADDRESS}"
            rf"|\b{_OLD} (?:e-?mail )?address (?:still )?(?:valid|working|active|usable)\b"
            rf"|\b(?:is|does|will) {_THE_OLD_ADDRESS} still\b"
            r"|\b(?:get|have|need|receive) a new (?:e-?mail )?address\b"
            r"|\baddress (?:going to be|be|is|will be) different\b"
            r"|\b(?:tell|inform|notify|let)\b[^.?!]{0,30}\bmy new (?:e-?mail )?address"
            r"|(?:古い|ふるい|前の|まえの|旧|以前の|元の|もとの|今の|いまの|今までの|いままでの"
            r"|これまでの)(?:メール)?アドレス"
            r"(?:あて|宛て?|へ|に送(?:られ|っ)(?:た|て|る)|に(?:来|く)る|に(?:来|き)たら"
            r"|に(?:メール|めーる)が(?:来|き|届)(?:たら|る|ます))"
            rf"|{_NOT_A_SERVERS}(?:メール)?アドレス(?:は|も)?(?:今の|いまの|この|その)まま"
            r"|新しい(?:メール)?アドレスに(?:なる|変わる|かわる)"
            r"|新しい(?:メール)?アドレス[^。?？]{0,10}(?:知らせ|しらせ|教え|おしえ|伝え|つたえ|連絡)"
            # Keeping it, or losing it: "Can I keep my old address?" "Will my address still
            # work?" 「今のアドレスは使えますか」「アドレスは使えなくなりますか」「今のアドレスの
            # ままですか」「メールアドレスはどうなりますか」 (first messages not answered before).
            # Asked, not told: 「アドレスが使えなくなった」 reports a fault.
            r"|\b(?:keep|still use|lose)\b[^.?!]{0,10}\b(?:my|the|our) (?:(?:old|previous|current)"
            r" )?(?:e-?mail )?address\b"
            r"|\b(?:will|does|is|can|would) (?:my|the|our) (?:e-?mail )?address (?:still )?"
            r"(?:work|be valid|stay|remain)"
            rf"|{_NOT_A_SERVERS}(?:メール)?アドレス(?:は|が|も|って)?\s*(?:(?:使え|つかえ)(?:なくなり|なくなる|ます|る)[^。]*?(?:か|の|[?？])\s*$"
            r"|どう(?:なり|なる|なっ))"
            r"|(?:今の|いまの|この|その|現在の)(?:メール)?アドレスの?まま"
            # 「今のメールは使えますか」「今のメール、使えなくなるの？」 'can I keep my mail?', the
            # address (words11: not understood). Not 「今のメールソフトは…」: the program.
            r"|(?:今の|いまの|現在の)(?:メール|めーる)(?:は|が|も|って|、)?\s*(?:使え|つかえ)"
            r"(?:なくなり|なくなる|なくなっちゃう|ます|る)[^。]*?(?:か|の|[?？])\s*$"
            # Sending from it: 「古いアドレスから送信できますか」「差出人は前のアドレスのままで
            # いいですか」 "Can I still send from my old address?" (profile3: not answered, where
            # the answer names old_sender_until).
            r"|(?:古い|ふるい|前の|まえの|旧|以前の|元の|もとの|今までの|いままでの|これまでの)"
            r"(?:メール)?アドレス(?:から|で|のまま(?:で)?)\s*(?:メールを)?"
            r"(?:送信|そうしん|送れ|送っ|送る|送り|おくれ|おくっ|おくる)"
            r"|差出人[^。?？]{0,12}(?:古い|ふるい|前の|まえの|旧|以前の|元の|もとの)(?:メール)?アドレス"
            rf"|\bsend\b[^.?!]{{0,20}}\b(?:from|with|as|using) {_THE_OLD_ADDRESS}"
            rf"|\b{_THE_OLD_ADDRESS} as (?:the |my )?sender\b"
        ),
    ),
    (Topic.WEBMAIL, re.compile(r"web\s*メール|ウェブメール|webmail|web mail|ブラウザ")),
    (
        Topic.OLD_MAIL,
        re.compile(
            r"古いメール|以前のメール|前のメール|過去のメール|今までのメール|昔のメール|メールボックス"
            r"|消え|移行され|引き継|old mail|old e-?mails?|old messages|existing mail|my mail be"
            # Not "I'm lost", "I'm a bit lost": the reader is, not the mail (it was told what
            # happens to old mail).
            r"|(?<!i'm )(?<!im )(?<!i am )(?<!bit )(?<!little )(?<!totally )(?<!completely )lost"
            r"|mailbox"
            # In hiragana, as a phone offers it: 「いままでのメールはきえませんか」.
            r"|いままでの(?:めーる|メール)|きえ(?:る|ます|ない|ません|て|ちゃ)"
            # 「移行後のメールはどこに届きますか」 "Where does mail sent after the migration go?"
            r"|移行(?:前|後|まえ|あと)(?:に|の)[^。]{0,12}?(?:メール|めーる)"
            r"|\b(?:mail|e-?mails?|messages)\b[^.?!]{0,30}\b(?:before|after) the"
            r" (?:migration|switch|move|change)"
            # 「古いアドレスに来たメールはどうなりますか」: mail that came, as 「届いた」.
            r"|(?:古い|ふるい|前の|まえの|旧|以前の|今までの|いままでの|これまでの)(?:メール)?"
            r"アドレスに(?:来|き)た(?:メール|めーる)"
            # 「古いサーバーに残ってたメールはどうなりますか」 (was "could not answer that").
            r"|残って(?:い)?(?:た|る)\s*(?:メール|めーる)"
            # 「今のメールはどうなる？」「届いてるメールは残りますか」 (words10: not understood).
            r"|(?:今|いま|届いて(?:い)?る|受信した|保存して(?:い)?る)の?\s*(?:メール|めーる)(?:は|って)\s*"
            r"(?:どう|消|なくな|残|見られ|みられ)"
        ),
    ),
    (
        Topic.DO_NOTHING,
        re.compile(
            r"(?:何|なに)もし(?:ない|なかった|ません|なくて)|ほっと(?:い|く)|放って(?:お|い)|放置"
            # 「まだ何もしていませんが大丈夫ですか」 (subscriber18: 'could not answer').
            # Asked whether it is all right, not 「いいえ、まだ何もしていません」 said.
            r"|(?:何|なに)もして(?:い)?(?:ない|ません|なくて|なかった)[^。]*?"
            r"(?:大丈夫|だいじょうぶ|いい|よい|平気|へいき|問題|[?？]|ですか|ますか|でしょうか)"
            r"|\bi (?:haven'?t|have not|didn'?t|did not) (?:done|changed|do|change) anything\b"
            r"[^.!]*?(?:\?|\b(?:ok|okay|fine|alright|all right|problem)\b)"
            r"|このまま(?:だと|にしておく|にしたら|で(?:いる|いた)と|放って)"
            # Not 「変更しないといけませんか」 (whether to change: the questions answer it).
            r"|(?:変え|変更し|かえ|設定し)(?:なかったら|ないまま|ないでいると|ない場合|ないとどう)"
            r"|\bdo nothing\b|\bdon'?t do anything\b|\bwhat if i (?:don'?t|do not|never)\b"
            r"|\bif i (?:don'?t|do not|never) (?:change|do)\b|\bif i (?:just )?ignore\b"
            # 「メールが使えなくなるって本当？」, as "Will my email stop working?": what doing
            # nothing comes to (asked, not reported; it was a question it could not answer).
            r"|(?:メール|めーる)(?:が|は)?\s*(?:使え|つかえ)なく(?:なる|なります|なっちゃう)"
            r"(?:って|の|んですか|のですか|んでしょうか|か|[?？])"
            # 「メールが届かなくなっちゃうの？」「メール来なくなるの？」「移行したらメール
            # 届かなくなる？」「メールが受け取れなくなるんですか」: mail to stop arriving, asked
            # ahead (words12: not understood, or mail not arriving now). Not 「届かなくなった」
            # 「届かない」, which report it, nor 「…なるので困ります」.
            r"|(?:メール|めーる)(?:が|は|も|、)?\s*(?:届か|とどか|来|こ|受け取れ|受けとれ|うけとれ"
            r"|受信でき|受信出来|じゅしんでき)なく(?:なる|なります|なっちゃう|なったり(?:します|する))"
            r"(?:って|の\s*(?:[?？]|$|です|でしょう)|ん(?:です|でしょう)か|のですか|でしょうか|か"
            r"|\s*[?？]|\s*$)"
            # 「メールが送れなくなると聞いて心配です」: heard of, and worried (not asked).
            r"|(?:メール|めーる)(?:が|は)?\s*(?:使え|つかえ|送れ|おくれ|受け取れ|うけとれ|受信でき"
            r"|送信でき|見れ|見られ|届か)なく(?:なる|なります|なっちゃう)\s*(?:と|って)\s*"
            r"(?:聞|きい|きき|言われ|いわれ|書い|かい|知らせ|しらせ|案内|手紙|連絡)"
            # Whether the current settings still receive or send (「今の設定のままで受信できますか」
            # 「6月1日以降も今の設定で受信できますか」): what doing nothing comes to. The dates
            # alone (「…6月20日(金)までご利用いただけます」) read as a yes, while mail sent after
            # the switch waits on the new server.
            # Asked, not told: 「今の設定で受信できました」 after the card is a success.
            r"|(?:(?:今|いま|現在)の(?:設定|せってい)?(?:の?まま)?(?:で|でも)[^。?？]{0,20}?"
            r"|(?:今まで|いままで|これまで)(?:通り|どおり)[^。?？]{0,10}?)"
            r"(?:受信|送信|送受信|受け取|受けと|うけと|送れ|おくれ)[^。!！]*?(?:か|[?？])\s*$"
            # 「今まで通り受信できますか」 "Can I keep receiving mail the way I do now?"
            r"|\b(?:will|would|do|does|can|could|is|are)\b[^.?!]{0,20}\b(?:current|present"
            r"|existing|old) settings (?:still )?work"
            r"|\b(?:can|could|will|may) i\b[^.?!]{0,20}\bkeep (?:receiving|sending|getting)\b"
            r"[^.?!]{0,30}\b(?:the way|as|like) (?:i do )?(?:now|before|today|always)\b"
            r"|\b(?:can|could|will|may) i\b[^.?!]{0,30}\b(?:receive|send|get)\b[^.?!]{0,30}"
            r"\bwith (?:my |the )?(?:current|present|existing|old) settings\b"
        ),
    ),
    (
        # Before the schedule, whose 「切り替わ」 it holds: 「切り替わった後、最初に受信するときは
        # どうすればいいですか」 asks the notice's STEP 1 / STEP 2, not the dates.
        Topic.STEPS,
        re.compile(r"(?:最初|初めて|はじめて)(?:に|の)?\s*(?:メールを)?(?:受信|じゅしん)"),
    ),
    (
        Topic.SCHEDULE,
        re.compile(
            # Not the 「いつ」 of 「はいつかってます」, a yes run into the next word as voice input
            # writes it (at the network question it was answered with the dates).
            r"(?<!^は)(?<![\s、,。]は)いつ(?!も)|期限|期間|日程|スケジュール|締め切り|しめきり|何日"
            # Not the "when" of where they are: "I use docomo when I'm out" (subscriber19).
            r"|いつまで|\bwhen\b(?!\s+(?:i'?m|i am|we'?re|we are)\s+(?:out|away|outside|at\b"
            r"|travel|on the (?:go|road)))|deadline"
            r"|schedule|\bdate|until"
            r"|今すぐ|すぐに?変更|急(?:いで|ぎ)|早めに"
            # 「今日から変わる？」「まだ旧サーバーで大丈夫？」: whether the day has come.
            r"|(?:今日|明日|きょう|あした|来月|今月)から|切り?替わ|きりかわ|切替"
            r"|まだ(?:旧|古い|前の|従来の|今の)|まだ使え(?!ない|ません|なく|なかっ)|今のままで(?:まだ|大丈夫|いい)"
            # 「まだ変えなくていいんですね？」「まだ変更しなくて大丈夫ですか」: whether it is time;
            # also with what is changed named between (「まだ設定を変えなくていいの？」 was
            # whether to change at all, words30).
            r"|まだ\s*(?:(?:メールの|めーるの)?(?:設定|せってい|サーバー?|さーばー?|メールソフト)"
            r"(?:を|は|の)?\s*)?(?:変え|かえ|変更し|へんこうし|設定し|いじら|触ら|さわら)な(?:くて|い)"
            r"|\bstill use\b|\bfrom today\b|\bstarting today\b|\bswitch over\b"
            # "how long can I use my current settings?", not "how long does it take?"
            r"|\bhow long (?:can|may|will) i\b"
            r"|\bchange (?:it |them )?(?:right )?now\b|\bhurry\b"
            # "should I change my settings now?", "do I need to do it yet?" (subscriber18: 'Sorry,
            # I could not answer that question', where 「今すぐ変更したほうがいいですか」 had the
            # dates).
            # Asked whether to, not 'If I change the settings now, will I lose any emails?'.
            r"|\b(?:should|must|do|shall) (?:i|we) (?:need to |have to )?change (?:my |the )?"
            r"(?:mail )?settings (?:right )?now\b"
            r"|\b(?:should|must|do|shall) (?:i|we) (?:need to |have to )?(?:change|do) (?:it|them"
            r"|anything|this|my settings|the settings) yet\b"
            # 「今日で終わり？」 asks whether today is the last day, not how many questions are
            # left; 「もう変更できますか」「間に合わなかったら」 whether it is time, or too late.
            # A question that names the day ("is anything changing today?"); a problem
            # report that names it (「今日から届かない」) is read as a problem first.
            r"|(?:今日|明日|きょう|あした)(?:で|まで)"
            r"|(?:今日|明日|きょう|あした)[^。！!?？]*(?:変|かわ|かえ|切り?替|きりかわ|終わ|おわ"
            r"|使え|つかえ|止ま|とま|締め|しめきり|期限)[^。！!]*[?？]"
            r"|(?:もう|今日|明日|きょう|あした|今|いま)(?:すぐ)?(?:変更|変え|かえ|設定を?(?:変更|変え))"
            r"(?:でき|し?ても|し?て(?:いい|よい|大丈夫|だいじょうぶ))|間に合|まにあ"
            # 「6月20日を過ぎたらどうなりますか」「今日が最終日ですか」: the day named, or the last.
            r"|(?:\d|[０-９])\s*(?:月|日)[^。！!]*(?:過ぎ|すぎ|以降|以後|になったら|より前|よりまえ)|最終日"
            # 「まだ変更できますか」 'Can I still change my settings?' 「昨日までだったんですか」:
            # whether it is too late (words8: not understood). Asked only: 「まだ変更できません」
            # is a trouble, not the dates.
            r"|まだ\s*(?:(?:メールの)?(?:設定|せってい)\s*(?:を|は)?\s*)?(?:変更|へんこう|変え|かえ)"
            r"(?:でき|出来|られ)(?:ます|る)[^。！!]*(?:か|[?？])\s*$"
            r"|(?:昨日|きのう|おととい|一昨日|先週|せんしゅう|先月|せんげつ)まで(?:だった|でした)"
            r"[^。！!]*(?:か|の|[?？])\s*$"
            r"|\b(?:can|could|may) i still (?:change|update|switch|do)\b"
            # 「6月1日から変わるのですか」「6月から何か変わるんですか」「6月1日からですか」: the
            # day named as the change's (a report of what fails from it is a problem, read first).
            r"|(?:\d|[０-９])\s*(?:月|日)\s*(?:から|に|より)\s*(?:は)?\s*(?:何か|なにか|何が|なにが)?\s*"
            r"(?:変わ|かわ|変更|切り?替|きりかわ|始ま|はじま|(?:です|でしょう)か|なの)"
            r"|\b(?:change|changes|changing|switch\w*|stop\w*|end|ends|ending|happen\w*"
            r"|start\w*|begin\w*)\b[^.!?]*\b(?:today|tomorrow|tonight)\b[^.!]*[?？]"
            r"|\btoo late\b|\blast day\b"
            # 「移行はもう終わりましたか」 'Is the migration over?' 'Is tomorrow still OK?': where
            # today stands in the schedule, as 'too late?' asks (a question, not a report).
            r"|(?:移行|引っ越し|切り?替え)(?:作業|期間)?(?:は|って|が)?\s*(?:もう)?\s*"
            r"(?:終わ|おわ|終了|完了|済|す[んみ]|始ま|はじま)[^。！!\n]{0,12}?(?:[?？]|か\s*$)"
            r"|\b(?:is|has|was|did) the (?:mail )?(?:server )?(?:migration|move|switch(?:over)?"
            r"|change ?over)\b[^.!?]{0,30}\b(?:over|done|finished|completed?|ended|happen(?:ed)?"
            r"|start(?:ed)?|begun)\b"
            r"|\bthe (?:migration|move|switch(?:over)?)\b[^.!?]{0,20}\b(?:was|ended|happened)\b"
            r"[^.!?]{0,20}\b(?:ago|already)\b"
            r"|\b(?:tomorrow|next (?:week|month)|(?:this|the) weekend)\b[^.!?]{0,20}"
            r"\b(?:ok|okay|fine|alright|all right|in time)\b|\b(?:am i|are we) (?:still )?in time\b"
            r"|\b(?:do|change) (?:it|them|this|that|my settings) tomorrow\b"
            # 「今日中にやらないとだめですか」 'Do I have to do it today?': whether today is the
            # day (a statement, 「今日中にやります」, is not asked).
            r"|(?:今日|本日|きょう|明日|あした|今夜|今晩|こんや|こんばん)中に?[^。！!\n]{0,20}?"
            r"(?:[?？]|か\s*$)"
            # 「何時まで使えますか」: the hour of the last day (not the desk's, read before).
            r"|(?:何時|なんじ)(?:まで|頃|ごろ)[^。！!\n]{0,12}?(?:使え|つかえ|使用|利用|送れ|送信"
            r"|受信|受け取|でき|変更|変え|かえ|設定|間に合|まにあ)"
            # 「今日の何時までですか」「夜でも変更できますか」「深夜0時を過ぎたらどうなりますか」
            # 「急がないとだめですか」「今日が最後の日ですか」, 'What happens at midnight?': the
            # hour of the last day, or whether it is time (not 「急いでいます」's report).
            r"|(?:今日|本日|きょう|明日|あした|今夜)の?\s*(?:何時|なんじ)"
            r"|(?:夜|よる|夜中|深夜|夜遅く)(?:でも|に|の?うち)[^。！!\n]{0,10}?(?:変更|変え|かえ|設定)"
            r"[^。！!\n]{0,8}?(?:でき|いい|よい|大丈夫|[?？]|か\s*$)"
            r"|(?:(?:0|０|12|１２|零)\s*時\s*(?:を)?(?:過ぎ|すぎ|以降|になったら|になると)|日付が変わ"
            r"|(?:最後|さいご)の日)[^。！!\n]{0,15}?(?:[?？]|か\s*$)|急が(?:ない|なく)|いそが(?:ない|なく)"
            r"|\b(?:at|after|past|before|by) midnight\b[^.!]*\?"
            # "Can I change my settings now?" (any day: too early, in time, or still possible).
            r"|\b(?:can|could|may) (?:i|we) (?:already )?(?:change|update|do) (?:it|them|this"
            r"|that|my (?:mail )?settings|the (?:mail )?settings) (?:right )?(?:now|yet|today)\b"
            r"|\b(?:do|change|finish) (?:it|them|this|that|my settings) (?:today|tonight)\b[^.!]*\?"
            # 「来週でも大丈夫ですか」「旧サーバーはもう止まりましたか」, 'Has the old server
            # stopped?': where today stands too.
            r"|(?:来週|再来週|週末|週明け|来月|あさって|明後日)(?:中|の?うち)?(?:でも|で|に|まで)?\s*"
            r"(?:大丈夫|だいじょうぶ|いい|よい|良い|構いません|かまいません|間に合)"
            r"|(?:旧|古い|前の|従来の)\s*(?:メール)?\s*サーバー?(?:は|って|が)?\s*(?:もう)?\s*"
            r"(?:止ま|とま|停止|終了|終わ|使えな|つかえな)[^。！!\n]{0,12}?(?:[?？]|か\s*$)"
            r"|\b(?:old|previous) (?:mail |incoming |outgoing )?servers?\b[^.!?]{0,30}"
            r"\b(?:stopped|closed|gone|shut down|turned off|switched off)\b[^.!]*\?"
            # 「もう遅いですか」「今からでは手遅れですか」, as "too late?".
            r"|(?:もう|今から(?:では|だと|でも)?|いまから(?:では|だと|でも)?)\s*(?:遅い|おそい)"
            r"(?:です|でしょう)?(?:か|の)|手遅れ|ておくれ"
            # "Will the old server still work tomorrow?" "Is the old server still available?"
            r"|\b(?:old|previous|current) (?:mail |incoming |outgoing )?servers?\b[^.!?]{0,40}"
            r"\b(?:still|work|available|stop|shut|close|until|tomorrow)\b[^.!]*\?"
            # "What happens after June 20?": a day named, as 「6月20日を過ぎたら」 is. A month's
            # name or its usual short form only: not "maybe 2" or "decided 2".
            r"|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
            r"|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \d{1,2}"
            r"(?:st|nd|rd|th)?\b(?![:.]?\d)"
            r"|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:january|february|march|april|may|june|july"
            r"|august|september|october|november|december)\b"
            r"|\b(?:can|may|should) i (?:change|do) (?:it|them|this|that|my settings) already\b"
        ),
    ),
    (
        Topic.STEPS,
        re.compile(
            r"手順|流れ|順番|何をすれば|どうすれば|何から(?:始め|はじめ|やれ|すれ)|steps"
            # 「どうしたらいいですか」「設定変更って何をするの？」 as elderly subscribers ask it.
            r"|(?:どう|何を|なにを|何|なに)(?:したら|すれば)(?:いい|良い|よい)"
            r"|(?:何|なに)を(?:する|やる)(?:の|ん|のですか|んですか)"
            r"|what do i do|procedure|where do i (?:start|begin)"
            # "What should I do?", "what now?", "now what?" (words: a question the bot could
            # not answer, where 「どうすればいいですか」 had its answer).
            # Alone: 'I got a notice… What should I do?' asks whether to change at all.
            r"|^(?:so |ok(?:ay)?,? |and )?(?:what now|now what"
            r"|what (?:should|shall|must|can) i do(?: now)?)[?.!\s]*$"
            # 「設定の変え方を教えてください」「変更のしかた」 as "How do I change my settings?".
            r"|(?:変え|かえ|変更し|設定し|せっていし)(?:方|かた)|(?:変更|設定|せってい)の(?:仕方|しかた|やり方|やりかた)"
        ),
    ),
    (
        Topic.SERVERS,
        re.compile(
            r"新しい(?:メール)?\s*(?:受信|送信)?\s*サーバー?"
            r"|サーバー?(?:名|の名前|のなまえ)?(?:は|を|って)(?:何|なん|なに|教え|おしえ|どれ)"
            # 「受信サーバーは？」, the whole question.
            r"|^(?:新しい)?(?:(?:受信|送信|smtp|pop3?)\s*)?(?:\(\w+\)\s*)?サーバー?(?:名)?(?:は|って)\s*\??$"
            r"|new (?:mail |incoming |outgoing |pop3? |smtp )?servers?\b|server names?\b"
            # 「サーバー名は変わりますか」: whether they change is answered by what they become.
            r"|サーバー?(?:名|の名前)(?:は|が|も)?(?:変わ|かわ|変更)"
            # 「送信サーバーは変わりますか」「受信サーバーも変わるんですか」 "Does the outgoing
            # server change?" "What is the incoming server?": one server, by its side.
            # 「受信サーバーはどうなりますか」 "what becomes of it" too (words5: not understood).
            r"|(?:受信|送信|smtp|pop3?)\s*(?:\(\w+\)\s*)?サーバー?(?:は|が|も|って|を)?"
            r"(?:変わ|かわ|変更|変え|かえ|どうな[らりるっ])"
            r"|\b(?:change|changing) (?:the |my )?(?:incoming|outgoing|pop3?|smtp|mail)"
            r" (?:mail )?servers?\b"
            # 「受信の設定も変わるんですか」「POPの設定は変えますか」 "Do I need to change my
            # incoming settings?": one side's settings, answered with what each side becomes
            # (a sending-only migration: receiving stays as it is).
            r"|(?:受信|送信|smtp|pop3?)\s*の?\s*(?:設定|せってい)(?:は|が|も)?\s*"
            r"(?:変わ|かわ|変更し|変え|かえ)[^。]*?(?:か|の|[?？])\s*$"
            r"|\bchange (?:the |my )?(?:incoming|outgoing|receiving|sending) settings\b"
            # 「メールサーバーが変わるんですか」「何が変わるんですか」 "What is changing?" as a
            # first message: what changes is the servers (and the account name, said with them).
            r"|メール\s*サーバー?(?:は|が|も|って)?(?:変わ|かわ|変更)"
            r"|(?:何|なに)が(?:変わ|かわ)(?:る|り)"
            r"|\bwhat(?:'s| is| will| does)? (?:be )?chang(?:e|es|ing)\b"
            r"|\bwhat (?:are )?(?:the )?(?:new )?settings\b"
            # 「ポートを変える必要がありますか」「受信にはどのサーバーを使えばいいですか」 "Do I
            # need to change the port?" "Which server do I use for incoming mail?"
            r"|ポート(?:番号)?(?:は|が|も|を)?(?:変わ|かわ|変更|変え|かえ)|どの(?:受信|送信)?\s*サーバー?"
            r"|\b(?:change|changing) (?:the |my )?(?:port|ports|port number)\b"
            r"|\bwhich (?:(?:incoming|outgoing|pop3?|smtp|mail) )?servers?\b"
            # Asked, not told ("a letter about the mail server change").
            r"|\b(?:does|do|will|is|are)(?: the| my)?(?: new)?"
            r" (?:incoming|outgoing|pop3?|smtp|mail) (?:mail )?servers?(?: also| too)?"
            r" (?:change|changing|be changed|be different|different)\b"
            r"|\bwhat(?:'s| is| are) (?:the |my )?(?:new )?(?:incoming|outgoing|sending|pop3?|smtp)"
            r" (?:mail )?servers?\b"
            r"|サーバー?の?\s*アドレス(?:は|が|も|って)?(?:変わ|かわ|変更|今の|いまの|この|その)"
            # The ports are in the same answer: 「ポート番号は？」「送信のポート番号は何番ですか」.
            r"|ポート番号|何番ポート|(?<!サ)ポート(?:は|って)|port numbers?\b|(?:which|what) port\b"
        ),
    ),
    (
        Topic.ACCOUNT,
        re.compile(
            r"アカウント|ユーザー?名|ユーザー?\s*id|ログイン\s*id|account|user\s*name"
            # 「@の前だけ入れています」 "only the part before the @": the account's question.
            r"|(?:@|＠|アットマーク)\s*(?:の|より)\s*(?:前|まえ)|\bbefore the @"
            # 「IDは変わりますか」: the login ID, asked about alone.
            r"|(?<![a-z])id(?:は|が|も|って)|\b(?:login|user) ?id\b"
        ),
    ),
    (
        # After the schedule: 「期間はいつ終わりますか」 asks a date.
        Topic.WHAT_IS_LEFT,
        re.compile(
            r"これで(?:全部|ぜんぶ)?(?:終わり|おわり|終了|完了|おしまい)"
            r"|(?:もう|全部|ぜんぶ)?(?:終わり|おわり|おしまい|終了|完了)(?:です|でしょう)?(?:か|[?？])"
            r"|^(?:以上|全部|ぜんぶ)(?:です|でしょう)?か|あと(?:何問|なんもん|いくつ|どのくらい|どれくらい)"
            r"|^(?:質問は)?まだ(?:続き|つづき)(?:ます|ますか|そう)"
            r"|質問(?:は|って)(?:いくつ|何問|なんもん|何個|なんこ)|あと(?:何個|なんこ)"
            r"|\bis (?:that|this) (?:all|it|the end)\b|\b(?:are we|am i) (?:done|finished)\b"
            r"|\bthat'?s (?:all|it)\s*[?？]|\bhow many (?:more )?questions\b"
            r"|\banything else (?:to do|i (?:need|have) to do)\b"
        ),
    ),
    (
        Topic.WHY,
        # 「何で」 but not the 「何で」 of 「何ですか」 ("what is it?").
        re.compile(
            # Not 「なんでもない」 (never mind) nor 「なんです」; not 「どうしても」 (no matter
            # what): 「送信だけどうしてもできません」 reports a failure.
            r"なぜ|なんで(?!す|も)|何で(?!す|も)|どうして(?!も)|理由|目的|メリット|\bwhy\b|reason|purpose|benefit"
            # The notice's 「迷惑メール対策」 is what the change is for (its three merits).
            r"|迷惑\s*メール\s*対策|anti-?spam|spam (?:protection|prevention|measures?)"
        ),
    ),
)


def recognise_topic(normalised_text: str) -> Topic | None:
    """The topic a normalised free-text question is about, or None."""
    for topic, pattern in _TOPIC_PATTERNS:
        if pattern.search(normalised_text):
            return topic
    return None


TOPIC_LABEL_KEYS: Final[dict[Topic, str]] = {
    Topic.WHY: N_("topic.why.label"),
    Topic.OP25B: N_("topic.op25b.label"),
    Topic.SMTP_AUTH: N_("topic.smtp_auth.label"),
    Topic.POP_BEFORE_SMTP: N_("topic.pop_before_smtp.label"),
    Topic.OLD_MAIL: N_("topic.old_mail.label"),
    Topic.SCHEDULE: N_("topic.schedule.label"),
    Topic.PASSWORD: N_("topic.password.label"),
    Topic.FORGOTTEN_PASSWORD: N_("topic.forgotten_password.label"),
    Topic.WEBMAIL: N_("topic.webmail.label"),
    Topic.STEPS: N_("topic.steps.label"),
    Topic.ACCOUNT: N_("topic.account.label"),
    Topic.ADDRESS: N_("topic.address.label"),
    Topic.SERVERS: N_("topic.servers.label"),
    Topic.DO_NOTHING: N_("topic.do_nothing.label"),
    Topic.FEES: N_("topic.fees.label"),
    Topic.SCAM: N_("topic.scam.label"),
    Topic.SECURITY: N_("topic.security.label"),
    Topic.DESK_HOURS: N_("topic.desk_hours.label"),
    Topic.SPAM: N_("topic.spam.label"),
    Topic.WHAT_IS_LEFT: N_("topic.what_is_left.label"),
    Topic.OTHER_MATTERS: N_("topic.other_matters.label"),
    Topic.PROTOCOL: N_("topic.protocol.label"),
    Topic.SOMEONE_ELSE: N_("topic.someone_else.label"),
    Topic.SEVERAL_ADDRESSES: N_("topic.several_addresses.label"),
}

# Topics whose answer does not depend on the date.
_ANSWER_KEYS: Final[dict[Topic, str]] = {
    Topic.WHY: N_("topic.why.answer"),
    Topic.OP25B: N_("topic.op25b.answer"),
    Topic.SMTP_AUTH: N_("topic.smtp_auth.answer"),
    Topic.POP_BEFORE_SMTP: N_("topic.pop_before_smtp.answer"),
    Topic.PASSWORD: N_("topic.password.answer"),
    Topic.FORGOTTEN_PASSWORD: N_("topic.forgotten_password.answer"),
    Topic.WEBMAIL: N_("topic.webmail.answer"),
    Topic.STEPS: N_("topic.steps.answer"),
    Topic.ACCOUNT: N_("topic.account.answer"),
    Topic.ADDRESS: N_("topic.address.answer"),
    Topic.SERVERS: N_("topic.servers.answer"),
    Topic.FEES: N_("topic.fees.answer"),
    Topic.SCAM: N_("topic.scam.answer"),
    Topic.SPAM: N_("topic.spam.answer"),
    Topic.OTHER_MATTERS: N_("topic.other_matters.answer"),
    Topic.SECURITY: N_("topic.security.answer"),
    Topic.SOMEONE_ELSE: N_("topic.someone_else.answer"),
    Topic.SEVERAL_ADDRESSES: N_("topic.several_addresses.answer"),
}


class Window(enum.Enum):
    """Where today stands against the settings-change window."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


@dataclass(frozen=True, slots=True)
class Timing:
    """Today against the profile's schedule, and whether the notice's receiving words fit."""

    window: Window
    old_pop_up: bool
    old_smtp_up: bool
    # An old server whose last day is not decided yet answers for now (it is never "gone").
    old_pop_undecided: bool = False
    old_smtp_undecided: bool = False
    # The seed notice's sentences say 「受信（POP）」 and that the account becomes the whole
    # address: true only of a POP3 profile whose login name changes to the full address.
    # Any other profile is told with its own placeholders ({login}, {pop_protocol}...).
    as_notice: bool = True
    # The profile's policy: the notice keeps POP before SMTP for a while and plans OP25B.
    pop_before_smtp_kept: bool = True
    op25b_planned: bool = True
    # The block has a first day ([schedule] op25b_from): named before it comes; from it on
    # the block is in force, never "planned" again.
    op25b_dated: bool = False
    op25b_started: bool = False
    # The profile names its webmail's address ([webmail] url): the webmail answer gives it.
    webmail_named: bool = False
    # The provider copies the mailboxes: nothing is left on the old server to collect.
    old_mail_copied: bool = False
    # A window of one day (a single cut-over date): named as that day, never "1 to 1 April".
    one_day: bool = False
    # Today is the window's last day: "please change soon" would hide that it ends today.
    last_day: bool = False
    # The window opens tomorrow: "once it has begun" would hide that it is tomorrow.
    window_tomorrow: bool = False
    # Today is the window's first day, or the day after its last: "under way now" and "is
    # over" leave the subscriber to count that it began today, or ended yesterday.
    first_day: bool = False
    ended_yesterday: bool = False
    # The old receiving and sending servers stop on one day (the seed's): once both are
    # gone, one date says when; otherwise each is named with its own.
    old_servers_same_day: bool = True
    # Today is the last day of both old servers (one day): what is left there must be
    # received today, if anything is.
    old_servers_last_day: bool = False
    # Today is the old outgoing server's last day: the current settings send until today
    # only, not "for the time being".
    old_smtp_last_day: bool = False
    # Today is the old receiving server's last day, the sending one's is another: what is
    # left there must be received today, if anything is.
    old_pop_last_day: bool = False
    # The host names stay (only ports or TLS change): the mailbox stays where it is, and
    # what stops on the old servers' last days is the old connection, not a server.
    hosts_kept: bool = False
    # The old server speaks IMAP and its mail is not copied: receiving it keeps nothing in
    # the program (it stays on the server), so what to keep is moved or copied instead.
    old_mail_on_imap: bool = False
    # The guide adds an account beside the current one (another protocol, or mail left on an
    # old IMAP server): "the steps" say so, not "change your settings" (the current account).
    adds_account: bool = False
    # The address domain changes ([provider] new_domain): the address itself is news, and
    # mail to the old address arrives (forwarded) until `old_address_until`, if decided.
    domain_changes: bool = False
    old_address_receives: bool = True
    old_address_undecided: bool = True
    # Only the login moves at first: the old address may stay the sender until
    # `old_sender_until` (None: no such day, the address field changes with the rest).
    old_sender_allowed: bool | None = None
    # Subscribers set a new mail password on the provider's page first ([password]).
    password_reset: bool = False
    # Subscribers send on port 25 today (the notice's): Outbound Port25 Blocking can be why
    # an outgoing server is not reached. Where they send on 587 or 465 it cannot.
    old_smtp_on_port_25: bool = True
    # Subscribers log in when they send today ([outgoing] old_smtp_auth): SMTP AUTH is no
    # news to them, so neither is the notice's reason for it (spoofed sending stopped).
    old_sending_authenticated: bool = False
    # The outgoing port changes away from 25: "port 25 is blocked elsewhere" is a reason.
    leaves_port_25: bool = True
    # A connection without encryption today becomes an encrypted one, and none is left
    # unencrypted: part of why.
    encryption_added: bool = False
    # The receiving protocol, today's and the new one's: "what is IMAP?" says which changes.
    receiving_imap: bool = False
    old_receiving_imap: bool = False
    # The login becomes the whole address (from the part before @), the domain staying: the
    # notice's warning about the part before @ holds on any protocol (`_WHOLE_ADDRESS_KEYS`).
    login_becomes_address: bool = False
    # The receiving port or its encryption changes: the notice's 「受信サーバー名とアカウント名の
    # 変更」 would leave it out.
    receiving_connection_changes: bool = False
    # Receiving stays exactly as it is (a sending-only migration: Outbound Port 25 Blocking,
    # 465 → 587): nothing is said to change or stop on the receiving side, and a receiving
    # problem is not put down to the migration (`_SENDING_ONLY_KEYS`).
    receiving_unchanged: bool = False
    # The outgoing host name stays (only its port, TLS or login changes); false where the
    # outgoing server moves to a new name.
    sending_host_kept: bool = False
    # Sending stays exactly as it is (a receiving-only migration: the POP/IMAP server moves,
    # SMTP untouched): nothing is said to change or stop on the sending side, and a sending
    # problem is not put down to the migration (`_RECEIVING_ONLY_KEYS`).
    sending_unchanged: bool = False
    # The receiving host name stays (only its port, TLS or login changes): the mailbox stays
    # where it is, and what stops on old_pop_until is the old connection, not a server.
    receiving_host_kept: bool = False

    @property
    def old_mail_to_collect(self) -> bool:
        """Whether subscribers should receive once from the old server before changing."""
        return (
            self.old_pop_up
            and not self.old_mail_copied
            and not self.hosts_kept
            and not self.receiving_host_kept
        )


# The notice's sentences that name POP or the account's change, and the same facts worded
# from the profile's placeholders for any other profile (`Timing.as_notice`).
_ANY_PROFILE_KEYS: Final[dict[str, str]] = {
    N_("verdict.receiving_required"): N_("verdict.receiving_required.any"),
    N_("old_server.up"): N_("old_server.up.any"),
    N_("old_server.up.same_day"): N_("old_server.up.same_day.any"),
    N_("old_server.pop_only"): N_("old_server.pop_only.any"),
    N_("old_server.pop_last_day"): N_("old_server.pop_last_day.any"),
    N_("old_server.pop_last_day.smtp_gone"): N_("old_server.pop_last_day.smtp_gone.any"),
    N_("old_server.smtp_only"): N_("old_server.smtp_only.any"),
    N_("old_server.gone.separate"): N_("old_server.gone.separate.any"),
    N_("topic.smtp_auth.answer"): N_("topic.smtp_auth.answer.any"),
    N_("topic.account.answer"): N_("topic.account.answer.any"),
    N_("topic.address.answer"): N_("topic.address.answer.any"),
    N_("problem.auth_missing"): N_("problem.auth_missing.any"),
    N_("problem.login_failed"): N_("problem.login_failed.any"),
    N_("problem.receive_connect.old_up"): N_("problem.receive_connect.old_up.any"),
    N_("problem.receive_connect.old_gone"): N_("problem.receive_connect.old_gone.any"),
    N_("problem.cant_receive"): N_("problem.cant_receive.any"),
    # The live check's lines (dialogs.check_words).
    N_("check.pop.ok"): N_("check.pop.ok.any"),
    N_("check.pop.auth_failed"): N_("check.pop.auth_failed.any"),
    N_("check.pop.unreachable"): N_("check.pop.unreachable.any"),
    N_("check.pop.timeout"): N_("check.pop.timeout.any"),
    N_("check.pop.tls_error"): N_("check.pop.tls_error.any"),
    N_("check.pop.untrusted_certificate"): N_("check.pop.untrusted_certificate.any"),
    N_("check.pop.not_verified"): N_("check.pop.not_verified.any"),
    N_("check.pop.auth_not_offered"): N_("check.pop.auth_not_offered.any"),
    N_("check.pop.temporary_failure"): N_("check.pop.temporary_failure.any"),
    N_("check.pop.unreachable.brief"): N_("check.pop.unreachable.brief.any"),
    N_("check.pop.timeout.brief"): N_("check.pop.timeout.brief.any"),
    N_("check.pop.temporary_failure.brief"): N_("check.pop.temporary_failure.brief.any"),
    N_("check.pop.mailbox_in_use"): N_("check.pop.mailbox_in_use.any"),
    N_("check.pop.account_refused"): N_("check.pop.account_refused.any"),
    N_("check.smtp.auth_failed"): N_("check.smtp.auth_failed.any"),
    # The Apple file's note on the old account: the notice's is about a POP account.
    N_("config.apple.old_account"): N_("config.apple.old_account.any"),
}


# The notice's sentences that warn about the part before @ and name no protocol: true of any
# profile whose login becomes the whole address (`Timing.login_becomes_address`), so they are
# said there too instead of the plainer 「アカウントは…です」.
_WHOLE_ADDRESS_KEYS: Final = frozenset(
    {
        N_("topic.account.answer"),
        N_("problem.login_failed"),
        N_("check.smtp.auth_failed"),
    }
)


# The check's refused receiving login says 「受信（POP）」 as the notice words it: where the
# login becomes the whole address on another protocol, its twin names that protocol and
# still warns about the part before @ (the any-profile one says only 「アカウント名は…です」).
_WHOLE_ADDRESS_OTHER_PROTOCOL_KEYS: Final[dict[str, str]] = {
    N_("check.pop.auth_failed"): N_("check.pop.auth_failed.whole_address"),
}


# The notice's sentences about port 25, which only its OP25B plan makes a concern, and what
# a profile without that plan says instead.
_NO_OP25B_KEYS: Final[dict[str, str]] = {
    # The check cannot know whether the subscriber's line reaches the port it sends on.
    N_("check.port25_note"): N_("check.port_note"),
}


# What is said of receiving alone where its server name and mailbox stay: the hosts-kept
# wording, shared by a migration that keeps both names and one that keeps the receiving one.
_RECEIVING_HOSTS_KEPT: Final[dict[str, str]] = {
    **{
        key: N_("verdict.receiving_required.hosts_kept")
        for key in (N_("verdict.receiving_required"), N_("verdict.receiving_required.any"))
    },
    **{
        key: N_("problem.receive_connect.old_up.hosts_kept")
        for key in (N_("problem.receive_connect.old_up"), N_("problem.receive_connect.old_up.any"))
    },
    **{
        key: N_("problem.receive_connect.old_gone.hosts_kept")
        for key in (
            N_("problem.receive_connect.old_gone"),
            N_("problem.receive_connect.old_gone.any"),
        )
    },
    **{
        key: N_("problem.cant_receive.hosts_kept")
        for key in (N_("problem.cant_receive"), N_("problem.cant_receive.any"))
    },
}


# What a migration that keeps its host names says instead of the words of a move ("the
# new server", "the old server stops", "change smtp.a to smtp.a"): the same mailbox, and
# the old connection (port, encryption) that stops (`Timing.hosts_kept`).
_HOSTS_KEPT_KEYS: Final[dict[str, str]] = {
    # The Apple file adds a second account on the same mailbox: what the server keeps shows
    # twice, and editing the current account (port, SSL) is the simpler way.
    N_("config.apple.old_account"): N_("config.apple.old_account.hosts_kept"),
    # A certificate warning (the move to TLS brings them): the same names on the new
    # connection, not "change smtp.x to smtp.x" or "is pop.x still the old name?".
    N_("problem.certificate"): N_("problem.certificate.hosts_kept"),
    # Gmail collecting the mail: the same names, a new port and its SSL box.
    N_("program.gmail_web"): N_("program.gmail_web.hosts_kept"),
    N_("program.other_webmail"): N_("program.other_webmail.hosts_kept"),
    **_RECEIVING_HOSTS_KEPT,
    **{
        key: N_("problem.auth_missing.hosts_kept")
        for key in (N_("problem.auth_missing"), N_("problem.auth_missing.any"))
    },
    **{
        key: N_("topic.smtp_auth.answer.hosts_kept")
        for key in (N_("topic.smtp_auth.answer"), N_("topic.smtp_auth.answer.any"))
    },
    N_("problem.before_window"): N_("problem.before_window.hosts_kept"),
    N_("problem.before_window.one_day"): N_("problem.before_window.one_day.hosts_kept"),
    N_("problem.send_connect"): N_("problem.send_connect.hosts_kept"),
    N_("problem.send_connect.old_up"): N_("problem.send_connect.old_up.hosts_kept"),
    N_("problem.relay_denied"): N_("problem.relay_denied.hosts_kept"),
    N_("problem.connect"): N_("problem.connect.hosts_kept"),
    N_("problem.cant_send"): N_("problem.cant_send.hosts_kept"),
    N_("problem.cant_send.old_gone"): N_("problem.cant_send.old_gone.hosts_kept"),
    N_("topic.servers.answer"): N_("topic.servers.answer.hosts_kept"),
    N_("topic.pop_before_smtp.answer_after"): N_("topic.pop_before_smtp.answer_after.hosts_kept"),
    N_("topic.pop_before_smtp.answer_not_kept"): N_(
        "topic.pop_before_smtp.answer_not_kept.hosts_kept"
    ),
    N_("verdict.sending_required_old_gone"): N_("verdict.sending_required_old_gone.hosts_kept"),
    N_("verdict.sending_recommended_last_day"): N_(
        "verdict.sending_recommended_last_day.hosts_kept"
    ),
    N_("verdict.sending_not_needed_cannot_send"): N_(
        "verdict.sending_not_needed_cannot_send.hosts_kept"
    ),
    # The old server's days, said of the old connection.
    **{
        key: N_("old_server.up.hosts_kept")
        for key in (N_("old_server.up"), N_("old_server.up.any"))
    },
    **{
        key: N_("old_server.up.same_day.hosts_kept")
        for key in (N_("old_server.up.same_day"), N_("old_server.up.same_day.any"))
    },
    **{
        key: N_("old_server.pop_only.hosts_kept")
        for key in (N_("old_server.pop_only"), N_("old_server.pop_only.any"))
    },
    **{
        key: N_("old_server.smtp_only.hosts_kept")
        for key in (N_("old_server.smtp_only"), N_("old_server.smtp_only.any"))
    },
    # old_server.gone is said only of servers that stopped on one day: that day once.
    N_("old_server.gone"): N_("old_server.gone.same_day.hosts_kept"),
    N_("old_server.gone.separate"): N_("old_server.gone.hosts_kept"),
    N_("old_server.up.undecided"): N_("old_server.up.undecided.hosts_kept"),
    N_("old_server.up.pop_undecided"): N_("old_server.up.pop_undecided.hosts_kept"),
    N_("old_server.pop_only.undecided"): N_("old_server.pop_only.undecided.hosts_kept"),
    N_("old_server.up.smtp_undecided"): N_("old_server.up.smtp_undecided.hosts_kept"),
    N_("old_server.smtp_only.undecided"): N_("old_server.smtp_only.undecided.hosts_kept"),
    # Doing nothing: mail keeps arriving in the same mailbox, the old connection stops.
    N_("topic.do_nothing.answer"): N_("topic.do_nothing.answer.hosts_kept"),
    N_("topic.do_nothing.answer_smtp_gone"): N_("topic.do_nothing.answer_smtp_gone.hosts_kept"),
    N_("topic.do_nothing.answer_after"): N_("topic.do_nothing.answer_after.hosts_kept"),
    N_("topic.do_nothing.answer_after_smtp_gone"): N_(
        "topic.do_nothing.answer_after_smtp_gone.hosts_kept"
    ),
}
HOSTS_KEPT_KEYS: Final = frozenset(_HOSTS_KEPT_KEYS.values()) | {
    # Said by `answer_keys` itself rather than instead of one of the notice's keys.
    N_("topic.old_mail.answer.hosts_kept"),
    N_("topic.why.answer.hosts_kept"),
    N_("problem.send_connect.old_up.hosts_kept"),
    N_("problem.send_connect.old_up.hosts_kept.undecided"),
    N_("apple_profile.description.hosts_kept"),
}
"""The keys said instead where the host names stay (for tests that read every variant)."""


# Where the old server's mail stays on an old IMAP server (`Timing.old_mail_on_imap`).
_OLD_MAIL_ON_IMAP_KEYS: Final[dict[str, str]] = {
    N_("config.apple.receive_first"): N_("config.apple.receive_first.imap"),
}


# What a sending-only migration says instead of the words that would have receiving change
# too (`Timing.receiving_unchanged`): receiving as it is, its problems not the migration's.
_SENDING_ONLY_KEYS: Final[dict[str, str]] = {
    N_("problem.cant_receive"): N_("problem.cant_receive.sending_only"),
    N_("problem.receive_connect.old_up"): N_("problem.cant_receive.sending_only"),
    N_("problem.receive_connect.old_gone"): N_("problem.cant_receive.sending_only"),
    N_("problem.connect"): N_("problem.connect.sending_only"),
    N_("topic.servers.answer"): N_("topic.servers.answer.sending_only"),
    # Another webmail collecting the mail: its receiving settings stay, its sending ones not.
    N_("program.gmail_web"): N_("program.gmail_web.sending_only"),
    N_("program.other_webmail"): N_("program.other_webmail.sending_only"),
}
# The sending-only texts that name today's connection or "the server name stays", and their
# twins where the outgoing server moves to a new name (`_moved`).
_SENDING_ONLY_MOVED: Final = frozenset(
    {
        N_("problem.connect.sending_only"),
        N_("topic.servers.answer.sending_only"),
        N_("topic.why.answer.sending_only"),
        N_("topic.do_nothing.answer.sending_only"),
        N_("topic.do_nothing.answer_smtp_gone.sending_only"),
        N_("old_server.sending_only.up"),
        N_("old_server.sending_only.undecided"),
        N_("old_server.sending_only.gone"),
    }
)


# What a receiving-only migration says instead of the words that would have sending change
# too (`Timing.sending_unchanged`): sending as it is, its problems not the migration's. The
# twins are `key.receiving_only`, so `mailmove serve`'s catalogs (the profile's text
# variant) say them on every surface too.
_RECEIVING_ONLY_KEYS: Final[dict[str, str]] = {
    **{
        key: N_("problem.cant_send.receiving_only")
        for key in (
            N_("problem.cant_send"),
            N_("problem.cant_send.old_gone"),
            N_("problem.send_connect"),
            N_("problem.send_connect.old_up"),
            N_("problem.relay_denied"),
        )
    },
    **{
        key: N_("problem.auth_missing.receiving_only")
        for key in (N_("problem.auth_missing"), N_("problem.auth_missing.any"))
    },
    **{
        key: N_("topic.smtp_auth.answer.receiving_only")
        for key in (N_("topic.smtp_auth.answer"), N_("topic.smtp_auth.answer.any"))
    },
    **{
        key: N_("topic.pop_before_smtp.answer.receiving_only")
        for key in (
            N_("topic.pop_before_smtp.answer"),
            N_("topic.pop_before_smtp.answer_after"),
            N_("topic.pop_before_smtp.answer_last_day"),
            N_("topic.pop_before_smtp.answer_not_kept"),
        )
    },
    N_("problem.connect"): N_("problem.connect.receiving_only"),
    N_("problem.certificate"): N_("problem.certificate.receiving_only"),
    N_("topic.servers.answer"): N_("topic.servers.answer.receiving_only"),
    # Gmail collecting the mail: its receiving settings change, its sending ones not
    # (turn._ENCRYPTED_WEBMAIL names the SSL box for this twin too).
    N_("program.gmail_web"): N_("program.gmail_web.receiving_only"),
    N_("verdict.sending_not_needed_cannot_send"): N_(
        "verdict.sending_not_needed_cannot_send.receiving_only"
    ),
}
# The receiving-only texts that name a receiving server that moves, and their `.kept` twins
# where its name stays and only the connection changes (POP `pop.x` on 110 → `pop.x` on 995).
_KEPT_NAME: Final = frozenset(
    {
        N_("problem.certificate.receiving_only"),
        N_("topic.servers.answer.receiving_only"),
        N_("program.gmail_web.receiving_only"),
        N_("program.gmail_web.encrypted.receiving_only"),
        N_("topic.why.answer.receiving_only"),
        N_("topic.why.encrypted.receiving_only"),
        N_("topic.do_nothing.answer.receiving_only"),
        N_("topic.do_nothing.answer_after.receiving_only"),
        N_("old_server.receiving_only.up"),
        N_("old_server.receiving_only.undecided"),
        N_("old_server.receiving_only.gone"),
    }
)


def _kept_name(key: str, when: Timing) -> str:
    """`key`, or its `.kept` twin where the receiving name stays as well as sending."""
    return f"{key}.kept" if when.receiving_host_kept and key in _KEPT_NAME else key


RECEIVING_ONLY_KEYS: Final = frozenset(_RECEIVING_ONLY_KEYS.values()) | {
    # Said by `answer_keys`, `old_server_key`, the leaf and the check themselves.
    N_("verdict.sending_unchanged"),
    N_("topic.why.answer.receiving_only"),
    N_("topic.why.encrypted.receiving_only"),
    N_("topic.do_nothing.answer.receiving_only"),
    N_("topic.do_nothing.answer_after.receiving_only"),
    N_("old_server.receiving_only.up"),
    N_("old_server.receiving_only.undecided"),
    N_("old_server.receiving_only.last_day"),
    N_("old_server.receiving_only.gone"),
    N_("program.gmail_web.encrypted.receiving_only"),
    N_("check.passed.receiving_only"),
    N_("check_page.lead.receiving_only"),
}
"""The keys said instead where only receiving changes (for tests that read every variant)."""
RECEIVING_ONLY_KEPT_KEYS: Final = frozenset(f"{key}.kept" for key in _KEPT_NAME)


def _moved(key: str, when: Timing) -> str:
    """`key`, or its `.moved` twin where the outgoing server moves to a new name."""
    return f"{key}.moved" if key in _SENDING_ONLY_MOVED and not when.sending_host_kept else key


SENDING_ONLY_KEYS: Final = frozenset(_SENDING_ONLY_KEYS.values()) | {
    # Said by `answer_keys`, `old_server_key` and the verdict themselves.
    N_("topic.why.answer.sending_only"),
    N_("topic.why.authentication.sending_only"),
    N_("topic.why.op25b.sending_only"),
    N_("topic.why.op25b_dated.sending_only"),
    N_("topic.why.op25b_started.sending_only"),
    N_("verdict.receiving_unchanged"),
    N_("topic.steps.answer.sending_only"),
    N_("topic.old_mail.answer.sending_only"),
    N_("topic.do_nothing.answer.sending_only"),
    N_("topic.do_nothing.answer_smtp_gone.sending_only"),
    N_("old_server.sending_only.up"),
    N_("old_server.sending_only.undecided"),
    N_("old_server.sending_only.gone"),
}
"""The keys said instead where only sending changes (for tests that read every variant)."""
SENDING_ONLY_KEYS_MOVED: Final = frozenset(f"{key}.moved" for key in _SENDING_ONLY_MOVED)


# One host name kept, one moved, the common Japanese way round (`Timing.sending_host_kept`
# beside a receiving server that moves: `mail.x` on 25 → `mail.x` on 587, POP `mail.x` →
# `pop.x`). What is said of sending alone takes the kept-hosts wording (its name stays, its
# old connection stops); what names both servers has a twin of its own (smtp_kept.po).
_SMTP_KEPT_AS_HOSTS_KEPT: Final[dict[str, str]] = {
    N_("problem.send_connect"): N_("problem.send_connect.hosts_kept"),
    N_("problem.cant_send"): N_("problem.cant_send.hosts_kept"),
    N_("problem.cant_send.old_gone"): N_("problem.cant_send.old_gone.hosts_kept"),
    N_("problem.auth_missing"): N_("problem.auth_missing.hosts_kept"),
    N_("problem.auth_missing.any"): N_("problem.auth_missing.hosts_kept"),
    N_("problem.relay_denied"): N_("problem.relay_denied.hosts_kept"),
    N_("verdict.sending_required_old_gone"): N_("verdict.sending_required_old_gone.hosts_kept"),
    N_("verdict.sending_recommended_last_day"): N_(
        "verdict.sending_recommended_last_day.hosts_kept"
    ),
    N_("verdict.sending_not_needed_cannot_send"): N_(
        "verdict.sending_not_needed_cannot_send.hosts_kept"
    ),
    N_("topic.smtp_auth.answer"): N_("topic.smtp_auth.answer.hosts_kept"),
    N_("topic.smtp_auth.answer.any"): N_("topic.smtp_auth.answer.hosts_kept"),
    N_("topic.pop_before_smtp.answer_after"): N_("topic.pop_before_smtp.answer_after.hosts_kept"),
    N_("topic.pop_before_smtp.answer_not_kept"): N_(
        "topic.pop_before_smtp.answer_not_kept.hosts_kept"
    ),
}
_SMTP_KEPT_KEYS: Final[dict[str, str]] = {
    key: f"{key}.smtp_kept"
    for key in (
        N_("old_server.up"),
        N_("old_server.up.same_day"),
        N_("old_server.pop_only"),
        N_("old_server.pop_last_day"),
        N_("old_server.pop_last_day.smtp_gone"),
        N_("old_server.smtp_only"),
        N_("old_server.gone.separate"),
        N_("old_server.gone"),
        N_("old_server.up.last_day"),
        N_("old_server.up.undecided"),
        N_("old_server.up.pop_undecided"),
        N_("old_server.pop_only.undecided"),
        N_("old_server.up.smtp_undecided"),
        N_("old_server.smtp_only.undecided"),
        N_("problem.connect"),
        N_("topic.servers.answer"),
        N_("topic.do_nothing.answer"),
        N_("topic.do_nothing.answer_smtp_gone"),
        N_("topic.do_nothing.answer_after_smtp_gone"),
        N_("topic.old_mail.answer_after"),
    )
}
SMTP_KEPT_KEYS: Final = frozenset(_SMTP_KEPT_KEYS.values())
"""The keys said instead where only the outgoing name stays (for tests that read them)."""


def _smtp_kept(key: str, when: Timing) -> str | None:
    """`key`'s wording where the outgoing name stays and the receiving server moves."""
    if (
        not when.sending_host_kept
        or when.hosts_kept
        or when.receiving_unchanged
        or when.sending_unchanged
    ):
        return None
    if key == N_("problem.send_connect.old_up") or (
        key == N_("problem.send_connect") and when.old_smtp_up
    ):
        # Today's connection still answers: it is not why the server cannot be reached.
        return _old_connection_up(when)
    return _SMTP_KEPT_AS_HOSTS_KEPT.get(key) or _SMTP_KEPT_KEYS.get(key)


# The mirror: a kept receiving name (its old connection stopping: POP `mail.x` on 110 →
# `mail.x` on 995) beside an outgoing server that moves (`mail.x` on 25 → `smtp.x` on 587).
# What is said of receiving alone takes the kept-hosts wording (its name and mailbox stay);
# what names both servers has a twin of its own (pop_kept.po).
_POP_KEPT_AS_HOSTS_KEPT: Final[dict[str, str]] = _RECEIVING_HOSTS_KEPT
_POP_KEPT_KEYS: Final[dict[str, str]] = {
    **{
        key: f"{key}.pop_kept"
        for key in (
            N_("old_server.up"),
            N_("old_server.up.same_day"),
            N_("old_server.pop_only"),
            N_("old_server.smtp_only"),
            N_("old_server.gone.separate"),
            N_("old_server.gone"),
            N_("old_server.up.undecided"),
            N_("old_server.up.pop_undecided"),
            N_("old_server.pop_only.undecided"),
            N_("old_server.up.smtp_undecided"),
            N_("old_server.smtp_only.undecided"),
            N_("topic.servers.answer"),
            N_("topic.why.answer.moved"),
            N_("problem.certificate"),
            N_("program.gmail_web"),
            N_("topic.do_nothing.answer"),
            N_("topic.do_nothing.answer_smtp_gone"),
            N_("topic.do_nothing.answer_after"),
            N_("topic.do_nothing.answer_after_smtp_gone"),
        )
    },
    # The Apple file adds a second account on the same mailbox, as where both names stay;
    # the outgoing server moves, so not "only the connection changes".
    N_("config.apple.old_account"): N_("config.apple.old_account.pop_kept"),
    N_("config.apple.old_account.any"): N_("config.apple.old_account.pop_kept"),
}
POP_KEPT_KEYS: Final = frozenset(
    key for key in _POP_KEPT_KEYS.values() if key.endswith(".pop_kept")
)
"""The keys said instead where only the receiving name stays (for tests that read them)."""


def _pop_kept(key: str, when: Timing) -> str | None:
    """`key`'s wording where the receiving name stays and the outgoing server moves."""
    if not when.receiving_host_kept or when.hosts_kept or when.sending_unchanged:
        return None
    return _POP_KEPT_AS_HOSTS_KEPT.get(key) or _POP_KEPT_KEYS.get(key)


def _old_connection_up(when: Timing) -> str:
    """What says today's connection still works: with its last day where one is decided."""
    if when.old_smtp_undecided:
        # No day to name: 「{old_smtp_until}まで」 could not be filled.
        return N_("problem.send_connect.old_up.hosts_kept.undecided")
    return N_("problem.send_connect.old_up.hosts_kept")


def for_profile(key: str, when: Timing) -> str:
    """`key` as the notice words it, or its wording for a profile the notice does not fit."""
    if when.receiving_unchanged and key in _SENDING_ONLY_KEYS:
        return _moved(_SENDING_ONLY_KEYS[key], when)
    if when.sending_unchanged and key in _RECEIVING_ONLY_KEYS:
        only = _RECEIVING_ONLY_KEYS[key]
        # The receiving name kept too (only its port or TLS changes): the same mailbox.
        return f"{only}.kept" if when.receiving_host_kept and only in _KEPT_NAME else only
    if not when.op25b_planned:
        key = _NO_OP25B_KEYS.get(key, key)
    if when.old_mail_on_imap and key in _OLD_MAIL_ON_IMAP_KEYS:
        return _OLD_MAIL_ON_IMAP_KEYS[key]
    if when.hosts_kept:
        if key == N_("problem.send_connect.old_up") or (
            key == N_("problem.send_connect") and when.old_smtp_up
        ):
            # Today's connection still answers: it is not why the server cannot be reached.
            return _old_connection_up(when)
        # Before the "any profile" wording: each of its keys has a kept-hosts twin too.
        kept = _HOSTS_KEPT_KEYS.get(key)
        if kept is not None:
            return kept
    smtp_kept = _smtp_kept(key, when)
    if smtp_kept is not None:
        return smtp_kept
    pop_kept = _pop_kept(key, when)
    if pop_kept is not None:
        return pop_kept
    if key == N_("verdict.receiving_required") and when.receiving_connection_changes:
        # 「受信サーバー名とアカウント名の変更が必要です」 was all the notice changed; a new port
        # and encryption are more, and the card lists them: "the receiving settings".
        return N_("verdict.receiving_required.any")
    if when.as_notice or (when.login_becomes_address and key in _WHOLE_ADDRESS_KEYS):
        return key
    if when.login_becomes_address and key in _WHOLE_ADDRESS_OTHER_PROTOCOL_KEYS:
        return _WHOLE_ADDRESS_OTHER_PROTOCOL_KEYS[key]
    return _ANY_PROFILE_KEYS.get(key, key)


def _as_notice(profile: MigrationProfile) -> bool:
    incoming = profile.incoming
    return (
        incoming.protocol is Protocol.POP3
        and incoming.old_protocol is Protocol.POP3
        and incoming.login_name is LoginName.ADDRESS
        # The notice's 「@より前だけではなく」: of a login that was the part before @.
        and incoming.old_login_name is LoginName.LOCAL_PART
    )


# Timings worked out, by profile and day: a profile or two and a day or two are in use at a
# time, so a bounded few.
_TIMINGS_LIMIT: Final = 64
_timings: dict[tuple[int, dt.date], tuple[MigrationProfile, Timing]] = {}


def timing(profile: MigrationProfile, today: dt.date) -> Timing:
    """Classify `today` against the schedule; the window's end day is still inside it.

    Worked out once per profile and day: a turn asks for it at every question and answer
    (one and a half times a turn on the questionnaire's way), and each time read about forty
    of the profile's facts, several of them computed: about 100,000 instructions, a
    twentieth of a web chat turn. Both are immutable, so the same `Timing` is handed back
    (the profile itself is the key's guard: an equal profile made anew gets its own).
    """
    key = (id(profile), today)
    known = _timings.get(key)
    if known is not None and known[0] is profile:
        return known[1]
    made = _timing(profile, today)
    if len(_timings) >= _TIMINGS_LIMIT:
        del _timings[next(iter(_timings))]  # the oldest
    _timings[key] = (profile, made)
    return made


def _timing(profile: MigrationProfile, today: dt.date) -> Timing:
    schedule = profile.schedule
    if today < schedule.window_start:
        window = Window.BEFORE
    elif today <= schedule.window_end:
        window = Window.DURING
    else:
        window = Window.AFTER
    return Timing(
        window=window,
        old_pop_up=schedule.old_pop_until is None or today <= schedule.old_pop_until,
        old_smtp_up=schedule.old_smtp_until is None or today <= schedule.old_smtp_until,
        old_pop_undecided=schedule.old_pop_until is None,
        old_smtp_undecided=schedule.old_smtp_until is None,
        as_notice=_as_notice(profile),
        pop_before_smtp_kept=profile.pop_before_smtp_kept,
        op25b_planned=profile.op25b_planned,
        op25b_dated=schedule.op25b_from is not None,
        webmail_named=profile.webmail is not None,
        op25b_started=schedule.op25b_from is not None and today >= schedule.op25b_from,
        old_mail_copied=profile.old_mail_copied,
        one_day=schedule.window_start == schedule.window_end,
        last_day=today == schedule.window_end,
        window_tomorrow=today + dt.timedelta(days=1) == schedule.window_start,
        first_day=today == schedule.window_start,
        ended_yesterday=today - dt.timedelta(days=1) == schedule.window_end,
        old_servers_same_day=schedule.old_pop_until == schedule.old_smtp_until,
        old_servers_last_day=today == schedule.old_pop_until == schedule.old_smtp_until,
        old_smtp_last_day=today == schedule.old_smtp_until,
        old_pop_last_day=today == schedule.old_pop_until,
        hosts_kept=profile.incoming.host_kept and profile.outgoing.host_kept,
        old_mail_on_imap=profile.incoming.old_protocol is Protocol.IMAP
        and not profile.old_mail_copied
        and not profile.incoming.host_kept,
        # As dialogs.guide_text.server_changes decides its new_account.
        adds_account=profile.incoming.protocol is not profile.incoming.old_protocol
        or (
            profile.incoming.old_protocol is Protocol.IMAP
            and not profile.old_mail_copied
            and not profile.incoming.host_kept
        ),
        domain_changes=profile.domain_changes,
        old_address_receives=schedule.old_address_until is None
        or today <= schedule.old_address_until,
        old_address_undecided=schedule.old_address_until is None,
        old_sender_allowed=None
        if schedule.old_sender_until is None
        else today <= schedule.old_sender_until,
        password_reset=profile.password_reset is not None,
        old_smtp_on_port_25=profile.outgoing.old_port == 25,
        old_sending_authenticated=profile.outgoing.old_authenticated,
        leaves_port_25=profile.outgoing.old_port == 25 and profile.outgoing.port != 25,
        # "Nobody can read your password on the way" holds only if no new connection is
        # left unencrypted: IMAP on 993 beside sending on 587 in the clear sends the
        # password unencrypted at every send.
        encryption_added=any(
            server.old_security is Security.NONE for server in (profile.incoming, profile.outgoing)
        )
        and all(
            server.security is not Security.NONE for server in (profile.incoming, profile.outgoing)
        ),
        receiving_imap=profile.incoming.protocol is Protocol.IMAP,
        old_receiving_imap=profile.incoming.old_protocol is Protocol.IMAP,
        receiving_connection_changes=profile.incoming.connection_changes,
        receiving_unchanged=profile.incoming.unchanged,
        sending_host_kept=profile.outgoing.host_kept,
        sending_unchanged=profile.outgoing.unchanged,
        receiving_host_kept=profile.incoming.host_kept,
        login_becomes_address=profile.incoming.login_name is LoginName.ADDRESS
        and profile.incoming.old_login_name is LoginName.LOCAL_PART
        and profile.outgoing.login_name is LoginName.ADDRESS
        and not profile.domain_changes,
    )


def password_reset_keys(when: Timing) -> tuple[str, ...]:
    """Before the card, where a new password is set first: the page, and why it comes first.

    Every password the mail program is given must be the new one, so the page comes before
    any field; nothing where the password stays.
    """
    return (N_("password_reset.before"),) if when.password_reset else ()


def address_fate_keys(when: Timing) -> tuple[str, ...]:
    """What happens to mail sent to the old address today; nothing where the domain stays."""
    return address_change_keys(when)[-1:]


def address_sender_keys(when: Timing) -> tuple[str, ...]:
    """The old address's day as the sender, said among the dates; nothing without that day.

    「古いアドレスはいつまで使えますか」 asks about sending from it too: the dates said only
    until when mail to it arrives. Worded without the card's 「ただし」, which answers the
    sentence that the address changes.
    """
    return {
        None: (),
        True: (N_("address_change.sender_until.dates"),),
        False: (N_("address_change.sender_stopped"),),
    }[when.old_sender_allowed if when.domain_changes else None]


def address_change_keys(when: Timing) -> tuple[str, ...]:
    """What the bot says of a new address domain today: the new address and the old one's fate.

    Nothing where the domain stays. Mail to the old address arrives until its last day (or
    for now, the day not decided); after it, it no longer does, and contacts who were not
    told write in vain.
    """
    if not when.domain_changes:
        return ()
    if not when.old_address_receives:
        fate = N_("address_change.old_stopped")
    elif when.old_address_undecided:
        fate = N_("address_change.forwarded_undecided")
    else:
        fate = N_("address_change.forwarded_until")
    # The sender's address may lag behind the login until its day, then no more.
    sender = {
        None: (),
        True: (N_("address_change.sender_until"),),
        False: (N_("address_change.sender_stopped"),),
    }[when.old_sender_allowed]
    return (N_("address_change.head"), *sender, fate)


# The sentences that name the window as "from … to …", and how a one-day window says them.
_ONE_DAY_KEYS: Final[dict[str, str]] = {
    N_("schedule.before"): N_("schedule.before.one_day"),
    N_("schedule.during"): N_("schedule.during.one_day"),
    N_("schedule.after"): N_("schedule.after.one_day"),
    N_("topic.scam.answer"): N_("topic.scam.answer.one_day"),
    N_("settings.wait_for_window"): N_("settings.wait_for_window.one_day"),
    N_("settings.wait_for_window.cannot_send"): N_("settings.wait_for_window.cannot_send.one_day"),
    N_("problem.before_window"): N_("problem.before_window.one_day"),
    N_("problem.before_window.changed_early"): N_("problem.before_window.changed_early.one_day"),
}


# The sentences that say to wait for the window, and how the day before it says them:
# 「期間が始まりましたら」 on the eve of its first day left the subscriber to work out that
# it was tomorrow (window_tomorrow.po).
_TOMORROW_KEYS: Final[dict[str, str]] = {
    key: f"{key}.tomorrow"
    for key in (
        N_("schedule.before"),
        N_("schedule.before.one_day"),
        N_("settings.wait_for_window"),
        N_("settings.wait_for_window.one_day"),
        N_("settings.wait_for_window.cannot_send"),
        N_("settings.wait_for_window.cannot_send.one_day"),
    )
}


def for_window(key: str, when: Timing) -> str:
    """`key`, or its wording for a window of one day (the same date twice reads as a slip).

    On the window's eve, the wording that says it opens tomorrow.
    """
    key = _ONE_DAY_KEYS.get(key, key) if when.one_day else key
    return _TOMORROW_KEYS.get(key, key) if when.window_tomorrow else key


_SCHEDULE_KEYS: Final[dict[Window, str]] = {
    Window.BEFORE: N_("schedule.before"),
    Window.DURING: N_("schedule.during"),
    Window.AFTER: N_("schedule.after"),
}


def schedule_key(when: Timing) -> str:
    """The catalog key of the schedule sentence for today."""
    if when.last_day and not when.one_day:
        # A one-day window's own sentence already says "today is the day".
        return N_("schedule.during.last_day")
    if when.first_day and not when.one_day:
        # 「今日から変更できますか」 on the first day: it began today (window_days.po).
        return N_("schedule.during.first_day")
    key = for_window(_SCHEDULE_KEYS[when.window], when)
    # The day after: it ended yesterday, not at some time past (window_days.po).
    return f"{key}.yesterday" if when.ended_yesterday else key


# (receiving undecided, sending undecided, receiving up, sending up): an old server whose
# last day is not decided answers for now, and the day is announced when it is.
_UNDECIDED_KEYS: Final[dict[tuple[bool, bool, bool, bool], str]] = {
    (True, True, True, True): N_("old_server.up.undecided"),
    (True, False, True, True): N_("old_server.up.pop_undecided"),
    (True, False, True, False): N_("old_server.pop_only.undecided"),
    (False, True, True, True): N_("old_server.up.smtp_undecided"),
    (False, True, False, True): N_("old_server.smtp_only.undecided"),
}


# The old sending server's line on its own last day, 「本日（…）まで」 as every last day is
# said (dates_said_once.po): receiving gone, receiving on a later day, or not changing.
_SMTP_LAST_DAY: Final[dict[str, str]] = {
    key: f"{key}.smtp_last_day"
    for key in (
        N_("old_server.up"),
        N_("old_server.up.any"),
        N_("old_server.up.hosts_kept"),
        N_("old_server.up.pop_kept"),
        N_("old_server.up.smtp_kept"),
        N_("old_server.sending_only.up"),
        N_("old_server.sending_only.up.moved"),
        N_("old_server.smtp_only"),
        N_("old_server.smtp_only.any"),
        N_("old_server.smtp_only.hosts_kept"),
        N_("old_server.smtp_only.pop_kept"),
        N_("old_server.smtp_only.smtp_kept"),
    )
}


def _on_smtp_last_day(key: str, when: Timing) -> str:
    """`key`, or its twin saying 「本日（…）まで」 on the old sending server's last day."""
    return _SMTP_LAST_DAY.get(key, key) if when.old_smtp_last_day else key


def old_server_key(when: Timing) -> str:
    """The catalog key saying whether the old servers still answer, each on its own date."""
    if when.receiving_unchanged:
        # Only today's sending connection stops; receiving has no day to name.
        if when.old_smtp_undecided:
            return _moved(N_("old_server.sending_only.undecided"), when)
        if when.old_smtp_up:
            return _on_smtp_last_day(_moved(N_("old_server.sending_only.up"), when), when)
        return _moved(N_("old_server.sending_only.gone"), when)
    if when.sending_unchanged:
        # Only the old receiving server (or its connection) stops; sending has no day.
        if when.old_pop_undecided:
            return _kept_name(N_("old_server.receiving_only.undecided"), when)
        if when.old_pop_last_day and when.old_mail_to_collect and not when.old_mail_on_imap:
            # Mail left on the old server is out of reach tomorrow.
            return N_("old_server.receiving_only.last_day")
        if when.old_pop_up:
            return _kept_name(N_("old_server.receiving_only.up"), when)
        return _kept_name(N_("old_server.receiving_only.gone"), when)
    undecided = _UNDECIDED_KEYS.get(
        (when.old_pop_undecided, when.old_smtp_undecided, when.old_pop_up, when.old_smtp_up)
    )
    if undecided is not None:
        return for_profile(undecided, when)
    if when.old_servers_last_day and when.old_mail_to_collect and not when.old_mail_on_imap:
        # Mail left on the old server is out of reach tomorrow: "until <today>" hides it.
        return for_profile(N_("old_server.up.last_day"), when)
    if when.old_pop_last_day and when.old_mail_to_collect and not when.old_mail_on_imap:
        # The same, on the receiving server's own last day (the sending one's is another):
        # 「受信（POP）が12月31日(金)まで」 on 12-31 hid that tomorrow its mail is out of reach.
        key = (
            N_("old_server.pop_last_day")
            if when.old_smtp_up
            else N_("old_server.pop_last_day.smtp_gone")
        )
        return for_profile(key, when)
    if when.old_pop_up and when.old_smtp_up:
        if when.old_servers_same_day:
            # 「受信（POP）が6月20日(金)まで、送信（SMTP）が6月20日(金)まで」 said one day twice.
            return for_profile(N_("old_server.up.same_day"), when)
        return _on_smtp_last_day(for_profile(N_("old_server.up"), when), when)
    if when.old_pop_up:
        # A profile whose old sending server stops first: its date is past, not to come.
        return for_profile(N_("old_server.pop_only"), when)
    if when.old_smtp_up:
        # Receiving is over, sending still works: "gone" alone would be wrong for a while.
        return _on_smtp_last_day(for_profile(N_("old_server.smtp_only"), when), when)
    if not when.old_servers_same_day:
        # "Gone since the POP server's day" would date the SMTP server's end wrongly.
        return for_profile(N_("old_server.gone.separate"), when)
    return for_profile(N_("old_server.gone"), when)


# The old servers' lines once the old receiving server is gone, each with a twin naming the
# days alone (old_server_day.po). Their 「新しいサーバーに届いたメールは、設定を変更すると受信で
# きます」 is said twice beside an answer that says it itself (「何もしないと？」: change now to
# receive again), and is untrue for who has just changed to the new settings and cannot receive.
_DAY_ONLY: Final[dict[str, str]] = {
    key: f"{key}.day_only"
    for key in (
        N_("old_server.gone"),
        N_("old_server.gone.hosts_kept"),
        N_("old_server.gone.pop_kept"),
        N_("old_server.gone.same_day.hosts_kept"),
        N_("old_server.gone.separate"),
        N_("old_server.gone.separate.any"),
        N_("old_server.gone.separate.pop_kept"),
        N_("old_server.gone.separate.smtp_kept"),
        N_("old_server.gone.smtp_kept"),
        N_("old_server.receiving_only.gone"),
        N_("old_server.receiving_only.gone.kept"),
        N_("old_server.smtp_only"),
        N_("old_server.smtp_only.any"),
        N_("old_server.smtp_only.any.smtp_last_day"),
        N_("old_server.smtp_only.hosts_kept"),
        N_("old_server.smtp_only.hosts_kept.smtp_last_day"),
        N_("old_server.smtp_only.pop_kept"),
        N_("old_server.smtp_only.pop_kept.smtp_last_day"),
        N_("old_server.smtp_only.smtp_kept"),
        N_("old_server.smtp_only.smtp_kept.smtp_last_day"),
        N_("old_server.smtp_only.smtp_last_day"),
        N_("old_server.smtp_only.undecided"),
        N_("old_server.smtp_only.undecided.hosts_kept"),
        N_("old_server.smtp_only.undecided.pop_kept"),
        N_("old_server.smtp_only.undecided.smtp_kept"),
    )
}


def days_alone(key: str) -> str:
    """`key`, or its twin naming the old servers' days without how the mail is received."""
    return _DAY_ONLY.get(key, key)


# (IMAP today, IMAP from now on): what the receiving protocol is, and whether it changes.
_PROTOCOL_KEYS: Final[dict[tuple[bool, bool], str]] = {
    (False, True): N_("topic.protocol.answer.to_imap"),
    (True, True): N_("topic.protocol.answer.imap"),
    (False, False): N_("topic.protocol.answer.pop"),
    (True, False): N_("topic.protocol.answer.to_pop"),
}


# (old receiving server up, old sending server up): what doing nothing comes to today.
_DO_NOTHING_KEYS: Final[dict[tuple[bool, bool], str]] = {
    (True, True): N_("topic.do_nothing.answer"),
    (True, False): N_("topic.do_nothing.answer_smtp_gone"),
    (False, True): N_("topic.do_nothing.answer_after"),
    (False, False): N_("topic.do_nothing.answer_after_smtp_gone"),
}


_SENDING_ONLY_TOPICS: Final = frozenset({Topic.WHY, Topic.STEPS, Topic.OLD_MAIL, Topic.DO_NOTHING})


def _sending_only_answer(topic: Topic, when: Timing) -> tuple[str, ...]:
    """A sending-only migration's answer: what changes in sending, receiving as it is."""
    if topic is Topic.WHY:
        return (
            _moved(N_("topic.why.answer.sending_only"), when),
            *(
                ()
                if when.old_sending_authenticated
                else (N_("topic.why.authentication.sending_only"),)
            ),
            *((N_("topic.why.port_25"),) if when.leaves_port_25 else ()),
            # The notice's second reason, where the provider plans the block itself.
            *(
                (_op25b_dated(N_("topic.why.op25b.sending_only"), when),)
                if when.op25b_planned
                else ()
            ),
        )
    if topic is Topic.STEPS:
        return (N_("topic.steps.answer.sending_only"),)
    if topic is Topic.OLD_MAIL:
        return (N_("topic.old_mail.answer.sending_only"),)
    doing_nothing = (
        N_("topic.do_nothing.answer.sending_only")
        if when.old_smtp_up
        else N_("topic.do_nothing.answer_smtp_gone.sending_only")
    )
    return (_moved(doing_nothing, when), old_server_key(when))


_RECEIVING_ONLY_TOPICS: Final = frozenset({Topic.WHY, Topic.DO_NOTHING, Topic.POP_BEFORE_SMTP})


def _receiving_only_answer(topic: Topic, when: Timing) -> tuple[str, ...]:
    """A receiving-only migration's answer: what changes in receiving, sending as it is."""
    if topic is Topic.WHY:
        # The notice's reasons (SMTP authentication, port 25) are about sending: none holds.
        return (
            _kept_name(N_("topic.why.answer.receiving_only"), when),
            *(
                (_kept_name(N_("topic.why.encrypted.receiving_only"), when),)
                if when.encryption_added
                else ()
            ),
        )
    if topic is Topic.POP_BEFORE_SMTP:
        # Sending is not touched: whatever the old servers' days, it sends as today.
        return (N_("topic.pop_before_smtp.answer.receiving_only"),)
    doing_nothing = (
        N_("topic.do_nothing.answer.receiving_only")
        if when.old_pop_up
        else N_("topic.do_nothing.answer_after.receiving_only")
    )
    return (_kept_name(doing_nothing, when), days_alone(old_server_key(when)))


# Where the block has a day ([schedule] op25b_from): what says it is planned, said with the
# day before it comes and as in force from it on.
_OP25B_DATED_KEYS: Final[dict[str, tuple[str, str]]] = {
    N_("topic.op25b.answer"): (
        N_("topic.op25b.answer.op25b_dated"),
        N_("topic.op25b.answer.op25b_started"),
    ),
    N_("topic.why.answer"): (
        N_("topic.why.answer.op25b_dated"),
        N_("topic.why.answer.op25b_started"),
    ),
    N_("topic.why.op25b.sending_only"): (
        N_("topic.why.op25b_dated.sending_only"),
        N_("topic.why.op25b_started.sending_only"),
    ),
}


# The notice's "why?" (dated or not) with the encryption as a fourth reason.
_WHY_ENCRYPTED: Final[dict[str, str]] = {
    N_("topic.why.answer"): N_("topic.why.answer.encrypted"),
    N_("topic.why.answer.op25b_dated"): N_("topic.why.answer.op25b_dated.encrypted"),
    N_("topic.why.answer.op25b_started"): N_("topic.why.answer.op25b_started.encrypted"),
}


def _op25b_dated(key: str, when: Timing) -> str:
    """`key`, or its twin naming the block's first day (before it, or from it on)."""
    dated = _OP25B_DATED_KEYS.get(key)
    if dated is None or not when.op25b_dated:
        return key
    return dated[1] if when.op25b_started else dated[0]


def answer_keys(topic: Topic, when: Timing) -> tuple[str, ...]:
    """The catalog keys that answer `topic` today, in order."""
    if topic is Topic.SCHEDULE:
        # 「古いアドレスはいつまで使えますか」 is a question about dates too.
        return (
            schedule_key(when),
            old_server_key(when),
            *address_fate_keys(when),
            *address_sender_keys(when),
        )
    if topic is Topic.ADDRESS and when.domain_changes:
        # "Your address does not change" would be false: it does, and the account with it.
        return (*address_change_keys(when), N_("address_change.login"))
    if topic is Topic.PROTOCOL:
        return (_PROTOCOL_KEYS[(when.old_receiving_imap, when.receiving_imap)],)
    if topic in (Topic.DESK_HOURS, Topic.WHAT_IS_LEFT):
        # The turn says these: the desk's contact and hours (from the profile's support
        # table), what is left (from where the conversation stands).
        return ()
    if when.receiving_unchanged and topic in _SENDING_ONLY_TOPICS:
        return _sending_only_answer(topic, when)
    if when.sending_unchanged and topic in _RECEIVING_ONLY_TOPICS:
        return _receiving_only_answer(topic, when)
    if topic is Topic.WEBMAIL and when.domain_changes:
        # 「そのままご利用いただけます」 is true of the mail program alone: the address moves to
        # the new domain for webmail users too, and mail to the old one stops on its day.
        url = (N_("topic.webmail.url"),) if when.webmail_named else ()
        return (N_("topic.webmail.answer.new_domain"), *url, *address_fate_keys(when))
    if topic is Topic.WEBMAIL and when.webmail_named:
        # 「Webメールは？」: where it is, not only that it needs no change.
        return (for_window(for_profile(_ANSWER_KEYS[topic], when), when), N_("topic.webmail.url"))
    if topic is Topic.DO_NOTHING:
        # Once the old server is gone, new mail waits on the new one: not "from the day
        # it stops"; once the old SMTP server is gone, the current settings cannot send
        # now, not "once it stops". Either way, the day the old servers stop (or stopped)
        # follows; once stopped, alone: the answer says to change now to receive again.
        doing_nothing = _DO_NOTHING_KEYS[(when.old_pop_up, when.old_smtp_up)]
        return (for_profile(doing_nothing, when), days_alone(old_server_key(when)))
    if topic is Topic.OLD_MAIL and when.domain_changes:
        # 「前のアドレスに届いたメールは？」: the mail on the old server, and mail sent to the
        # old address from now on.
        return (
            *answer_keys(topic, dataclasses.replace(when, domain_changes=False)),
            *address_fate_keys(when),
        )
    if topic is Topic.OLD_MAIL:
        if when.hosts_kept or when.receiving_host_kept:
            # The mailbox stays where it is: nothing to collect, nothing copied.
            return (N_("topic.old_mail.answer.hosts_kept"),)
        if when.old_mail_copied:
            # The provider copied the mailboxes: the old mail is on the new server too.
            # IMAP before and after: nothing was "received and left on the server" to show
            # twice (a POP3 account's copies on the server do: the new account shows them).
            if when.old_receiving_imap and when.receiving_imap:
                return (N_("topic.old_mail.answer_copied.imap"),)
            return (N_("topic.old_mail.answer_copied"),)
        if not when.old_pop_up:
            # "Receive once before changing" is impossible once the old server is gone.
            return (for_profile(N_("topic.old_mail.answer_after"), when),)
        if when.old_mail_on_imap:
            return (N_("topic.old_mail.answer.imap"), old_server_key(when))
        return (N_("topic.old_mail.answer"), old_server_key(when))
    if topic is Topic.POP_BEFORE_SMTP and not when.pop_before_smtp_kept:
        # The new servers never had it: "当面は継続" would promise what the profile does not.
        key = for_profile(N_("topic.pop_before_smtp.answer_not_kept"), when)
        if when.old_sending_authenticated:
            # They send with SMTP AUTH today: it was never their way either.
            key = f"{key}.authenticated"
        return (key,)
    if topic is Topic.WHY and when.hosts_kept:
        # A provider that keeps its names: its unencrypted connection stops. Where sending
        # also leaves port 25 (OP25B with TLS on receiving at the same time), the notice's
        # reasons hold too wherever they are news: the login, port 25, its own block.
        return (
            N_("topic.why.answer.hosts_kept"),
            *(
                ()
                if when.old_sending_authenticated
                else (N_("topic.why.authentication.sending_only"),)
            ),
            *(
                (
                    N_("topic.why.port_25"),
                    *(
                        (_op25b_dated(N_("topic.why.op25b.sending_only"), when),)
                        if when.op25b_planned
                        else ()
                    ),
                )
                if when.leaves_port_25
                else ()
            ),
        )
    if topic is Topic.WHY and (when.old_sending_authenticated or not when.old_smtp_on_port_25):
        # The notice's reasons are SMTP authentication against spoofing and port 25 blocked
        # elsewhere; each holds only where it is news. The move always does, and the
        # encryption and the address where they change.
        return (
            # A kept receiving name beside it: the outgoing server moves, not both.
            for_profile(N_("topic.why.answer.moved"), when),
            *(() if when.old_sending_authenticated else (N_("topic.why.authentication"),)),
            *((N_("topic.why.port_25"),) if when.leaves_port_25 else ()),
            *((N_("topic.why.encrypted"),) if when.encryption_added else ()),
            *address_change_keys(when)[:1],
        )
    if topic is Topic.WHY and not when.op25b_planned:
        # The notice's second reason is the provider's OP25B plan; this profile has none.
        # A connection encrypted from now on is a reason too (Hoshizora's IMAP on 143
        # without TLS to 993): the notice named none, the profile does.
        if when.encryption_added:
            return (N_("topic.why.answer_no_op25b.encrypted"),)
        return (N_("topic.why.answer_no_op25b"),)
    if topic is Topic.OP25B and not when.op25b_planned:
        # What OP25B is, without "{provider} plans it too": this profile plans none.
        return (N_("topic.op25b.answer_not_planned"),)
    if topic is Topic.POP_BEFORE_SMTP and not when.old_smtp_up:
        # "当面は継続" held while the old servers answered; it is over with them.
        return (for_profile(N_("topic.pop_before_smtp.answer_after"), when),)
    if topic is Topic.POP_BEFORE_SMTP and when.old_smtp_last_day and not when.hosts_kept:
        # The old servers' last day: "for the time being" is until today.
        return (N_("topic.pop_before_smtp.answer_last_day"),)
    if topic is Topic.POP_BEFORE_SMTP and not when.hosts_kept:
        # 「POP before SMTPはいつまで使えますか」: 「当面は」 alone named no day; it lasts as long
        # as the old outgoing server, whose day follows.
        return (
            _op25b_dated(for_window(for_profile(_ANSWER_KEYS[topic], when), when), when),
            old_server_key(when),
        )
    if topic is Topic.STEPS and not when.old_mail_to_collect:
        # Nothing is left to collect from the old server once it is gone, or when the
        # provider copied the mailboxes to the new one. Where the guide adds an account,
        # editing the current one is what it warns against.
        if when.adds_account:
            return (N_("topic.steps.answer_after.new_account"),)
        return (N_("topic.steps.answer_after"),)
    if topic is Topic.STEPS and when.old_mail_on_imap:
        # A new account beside the current one, then what to keep moved over.
        return (N_("topic.steps.answer.imap"),)
    if topic is Topic.WHY and when.encryption_added:
        # The notice's three reasons hold (its own block planned, port 25 left without a
        # login); a connection encrypted from now on (Minato Cable's POP3 on 110 to IMAP on
        # 993 with TLS) is a fourth.
        return (_WHY_ENCRYPTED[_op25b_dated(N_("topic.why.answer"), when)],)
    return (_op25b_dated(for_window(for_profile(_ANSWER_KEYS[topic], when), when), when),)
