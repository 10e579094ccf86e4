"""Reading typed words in the light of the current stage: one `Intent` per message.

The order is the design's (DESIGN.md, "What people type"): a secret first (so it is never
echoed), a number picking a button, a command, an address; then an error message or a
symptom, a question about the migration, an answer to the question on screen, a mail
program, small talk. A problem report comes before answers, so 「メールが送れない」 is
never the "no" that would tell a subscriber to change nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection, Sequence
from typing import Final

from dialogs import feedback, understanding
from dialogs.desk_message import CARRY_ON, LEAVE_MESSAGE, answer_to_offer, phone_in
from dialogs.flowchart import Question, Reading
from dialogs.kana import hiragana
from dialogs.knowledge import Topic, recognise_topic
from dialogs.mail_programs import GMAIL_ON_APPLE, MailProgram, gmail_on_apple, gmail_on_mac
from dialogs.pattern_search import search
from dialogs.profile import MigrationProfile, Protocol
from dialogs.questionnaire import QUESTIONS, Position, Stage
from dialogs.reading.answers import (
    ALL_KATAKANA,
    READ,
    OwnNames,
    affirmed_ahead,
    clauses,
    names_the_provider,
    names_webmail_alone,
    read_answer,
    says_not_used,
)
from dialogs.reading.device_count import devices_answer
from dialogs.reading.morphemes import Analyser, Morpheme
from dialogs.reading.problems import (
    FAILING_ALONE,
    Problem,
    describes_a_refused_login,
    names_the_sending_side,
    recognise_problem,
)
from dialogs.reading.program_names import (
    NoGuide,
    corrected_program,
    names_a_phone,
    names_another_program,
    names_no_guide,
    recognise_program,
)
from dialogs.reading.romaji import in_kana
from dialogs.reading.said_settings import typed_settings
from dialogs.reading.small_talk import SmallTalk, recognise_small_talk
from dialogs.reading.spoken_address import dictated_address, dictated_host, spelt_label
from dialogs.redaction import ProviderDomains, own_accounts, redact
from dialogs.state import DialogState
from dialogs.understanding import Intent, Kind

# 「まだダメかと思ったけど送れました」: what they feared, not what happened.
_NOT_FEARED: Final = r"(?!\s*(?:じゃ|では|かと|かな[とっ]))"
# Said after the settings were given: the bot is not helping, so a person should.
_STILL_BROKEN: Final = re.compile(
    # Not 「まだ心配でしたが送れました」: the words after 「まだ」 say it fails.
    r"まだ.*でき(ない|ません)|まだ.*(?:(?:送れ|おくれ)(?:な[いくか]|ません|ず|ん|へん)|届か|とどか"
    r"|受信でき(?:な[いくか]|ません|ず))"
    r"|うまくいか|うまく行か|直らな|なおらな|解決しな"
    # 「うまくいきません」 (not read: only 「うまくいかない」 was).
    r"|(?:うまく|上手く)(?:いき|行き)ません"
    r"|解決して(?:い)?(?:ない|ません)"
    # Not 「変えたらダメですか」, which asks ahead (words9: handed to a person).
    r"|(?:全然|まだ|やっぱり)?(?:だめ|ダメ|駄目)(?:です|でした|みたい|だった)(?![かの]|\s*[?？])"
    # 「言われた通りにしたのにダメ」「変えたのにやっぱりダメ」: done as told, and no better.
    r"|のに[、,\s]*(?:全然|ぜんぜん|まだ|やっぱり)?\s*(?:だめ|ダメ|駄目|あかん)"
    # 「設定を変えたけど送信だけまだだめ」.
    rf"|(?:まだ|やっぱり)\s*(?:だめ|ダメ|駄目){_NOT_FEARED}"
    r"|(?:全然|まだ|やっぱり)\s*あかん|^あかん"
    rf"|^(?:全然|ぜんぜん|まったく|やっぱり)\s*(?:だめ|ダメ|駄目){_NOT_FEARED}"
    r"|still (does ?n.?t|do ?n.?t|can.?t|cannot|not)|does ?n.?t work"
    # "not really working", "not quite working" (words: kept as a sentence begun, 'Yes,
    # please go on.' under the card).
    r"|not (?:really |quite |fully )?working"
    # As 「わかりません」 after the guide: "I don't understand", "no idea", "I'm lost" (each was
    # "Sorry, I did not catch that"; "I'm lost" told what happens to old mail).
    r"|^(?:sorry[,.!\s]*)?(?:i )?(?:do ?n.?t|do not) (?:know|understand|get it)"
    r"(?: (?:this|it|that))?[.!…\s]*$|^no idea[.!…\s]*$"
    r"|^(?:sorry[,.!\s]*)?(?:i'?m|i am) (?:a bit |a little |so |totally |completely )?"
    r"(?:lost|confused)[.!…\s]*$"
    r"|\bstill (?:broken|failing|fails|the same)\b"
    # 「あきらめます」「もうお手上げです」 "I give up": a person may still help (words: not read).
    r"|(?:諦め|あきらめ)(?:ます|る|た|ました|そう)|お手上げ|おてあげ|\bi give up\b|\bgiving up\b"
    # "receiving works but sending doesn't".
    r"|\b(?:sending|receiving)(?: still)? (?:does ?n.?t|does not|is ?n.?t|is not)\b(?! matter)"
    # The whole answer, after the guide: 「できません」「やっぱりできなかった」「無理でした」.
    r"|^(?:やっぱり|全然|ぜんぜん|それでも)?[、,\s]*(?:でき|出来)(?:ない|ません|なかった|ませんでした)(?:です)?"
    r"[。.!！…\s]*$|^(?:無理|むり)(?:でした|です|だった)|^(?:無理|むり)[。.!！…\s]*$"
    # 「わかりません」「よくわからない」 as the whole answer after the guide: a person helps.
    r"|^(?:よく|さっぱり|全然|ぜんぜん|まったく|全く)?\s*(?:わから|分から)(?:ない|ん|へん)(?:です)?"
    r"[。.!！…\s]*$|^(?:よく|さっぱり)?\s*(?:わかり|分かり)ません(?:でした)?[。.!！…\s]*$"
    # 「受信はできたけど送信がまだ」, 「…受信がまだです」.
    r"|(?:送信|受信)(?:が|は)\s*まだ(?:です)?[。.!！…\s]*$"
    # 「受信だけできました」: the other side still not.
    r"|^(?:送信|受信)(?:は)?だけ(?:が|は)?\s*(?:でき|出来)(?:ました|た)(?:けど|が)?[。.!！…\s]*$"
    # The guide does not match what they see: 「やり方がわからない」「画面が違います」「その項目が
    # 見つかりません」「送信サーバーの欄がない」.
    r"|(?:やり方|やりかた|方法|手順)が(?:わから|分から)|画面が(?:違|ちが)"
    # 「途中でわからなくなりました」「目が悪くて字が小さくて読めません」 (not read).
    r"|(?:途中|とちゅう)で\s*(?:わから|分から|わかんな)|(?:字|文字)が\s*(?:小さ|ちいさ)くて"
    # 「むずかしくてわかりません」「どこをかえればいいのかわかりません」 (not read).
    r"|(?:むずかし|難し)くて\s*(?:わから|分から|わかり|分かり|でき)"
    # 「やってみたけどできない」「設定したのにできません」, 「わかりにくい」「むずかしい」 as the
    # whole answer (words: not read).
    r"|(?:(?:やって|試して|ためして)(?:み)?|やっ|設定し|せっていし|変え|かえ|変更し|言われた通りにし)た"
    r"(?:けど|けれど|のに|が)[、,\s]*+(?:(?:やっぱり|まだ|全然|ぜんぜん)\s*+)?(?:でき|出来)(?:ない|ません|なかった)"
    r"|^(?:ちょっと|すこし|少し|なんか)?\s*(?:わかりにくい|分かりにくい|わかりづらい|分かりづらい"
    r"|むずかしい|難しい|むずかしすぎ|難しすぎ)(?:です|ですね|かも|な)?[。.!！…\s]*$"
    r"|どこ(?:を|に)\s*(?:変え|かえ|入れ|いれ|入力)(?:れば|たら)[^。]{0,8}(?:わから|分から|わかり|分かり)"
    r"|\bscreen (?:looks|is|seems) different\b"
    r"|\b(?:can'?t|cannot|couldn'?t) (?:find|see) (?:that|the|this|any) (?:setting|menu|box|field"
    r"|button|tab|option)s?\b"
    # "My outlook doesn't have that menu": the program named is the one guided, not a choice.
    r"|\b(?:does ?n.?t|does not|do ?n.?t|do not) (?:have|show) (?:that|the|this|such an?|any) "
    r"(?:setting|menu|box|field|button|tab|option|item)s?\b"
    r"|\bthere(?:'s| is) no (?:such )?(?:setting|menu|box|field|button|tab|option|item)\b"
    r"|\bno such (?:setting|menu|box|field|button|tab|option|item)\b"
    # 「言われた通りにやったけど何も変わりません」: done, and nothing is different.
    r"|(?:何も|なにも|なんにも)\s*(?:変わ|かわ)(?:らない|りません|らなかった|りませんでした)(?:です)?[。.!！…\s]*$"
    r"|(?:項目|欄|ボタン|メニュー|タブ)が(?:見つか[らり]|みつか[らり]|見当た[らり]|みあた[らり]|ない|ありません"
    r"|出てこない|でてこない)"
    # 「見当たりません」 alone; not 「特に問題は見当たらない」 (no problem seen).
    r"|^(?:見当たら|みあたら)(?:ない|なかった)|^(?:見当たり|みあたり)ません"
    # 「何回やってもダメ」「何度試してもできない」.
    r"|(?:何回|何度|なんかい|なんど)(?:やって|試して|ためして)も[^。\n]{0,4}?(?:だめ|ダメ|駄目|無理|むり|でき)"
)
_CHECK_WORDS: Final = re.compile(
    r"ログイン.*確認|確認したい|テスト|試したい|試して|確かめ(?:たい|る)|たしかめ(?:たい|る)"
    # 「確認してほしい」「確認してもらえますか」 (words: not read).
    r"|(?:確認|かくにん)して(?:ほしい|欲しい|もらえ|もらい|いただけ|いただき|ください|下さい)"
    r"|(?:チェック|ち[ぇえ]っく)し(?:たい|て)|\bcheck\b|\btest\b|\btry\b"
    # After a check that failed: 「もう一度やってみたい」「再確認」.
    r"|(?:もう一度|もういちど|もう1回|もう一回|もういっかい|再度)\s*(?:やって|やり|試|ため|確認|かくにん|チェック)"
    r"|再確認"
)
# The check's link ran out or will not open, after the card: a new link. The expired page
# says to press 「ログインを確認する」, which on LINE or Telegram may be far up the chat, and
# subscribers type what happened instead: 「リンクの期限が切れました」 was the migration's
# deadline, 「新しいリンクをください」 not understood, "the link doesn't work" a handoff as
# settings that fail. Only a check's link expires; a settings file's link never does.
_LINK_RAN_OUT: Final = re.compile(
    r"(?:リンク|URL|ＵＲＬ|url)[^。?？!！]{0,12}?(?:期限|切れ|きれ|使えな|使えま|つかえな|無効|開かな|ひらかな)"
    r"|(?:新しい|あたらしい|別の|べつの)\s*(?:リンク|URL|ＵＲＬ)"
    r"|(?:リンク|URL|ＵＲＬ)[^。?？!！]{0,6}?(?:もう一度|もういちど|もう1回|もう一回|再発行|再送|送り直|おくりなお)"
    r"|\b(?:new|another|fresh) link\b"
    r"|\blink\b[^.?!]{0,30}?\b(?:expired?|invalid|(?:does|did|will|is)(?: ?n[o']?t)? (?:work|open)|"
    r"doesn'?t|won'?t|not working)\b"
)
# The page's own words for a link that ran out, said without naming the link: only where no
# password (「パスワードの期限切れ」) is named.
_RAN_OUT_ALONE: Final = re.compile(r"期限切れ|時間切れ|有効期限が(?:切れ|きれ|過ぎ|すぎ)")
# A settings file's link (the Apple profile) that will not open is not the check's.
_SETTINGS_FILE: Final = re.compile(
    r"ファイル|プロファイル|構成|\b(?:file|profile)\b", re.IGNORECASE
)


def _check_link_ran_out(text: str) -> bool:
    """Whether `text` says the login check's link ran out or will not open."""
    if _SETTINGS_FILE.search(text):
        return False
    if _LINK_RAN_OUT.search(text):
        return True
    return bool(_RAN_OUT_ALONE.search(text)) and not _PASSWORD_WORD.search(text)


# 「もういちどみせて」「何を入力すればいいの」 after the card: the card again.
_SETTINGS_AGAIN: Final = re.compile(
    r"(?:もう一度|もういちど|もう1回|もう一回|再度)\s*(?:設定(?:を)?)?\s*(?:見せ|みせ|見た|みた|表示|教え|おしえ)"
    r"|(?:何|なに)を(?:入力|にゅうりょく|入れ|いれ)"
    # Where one line of it goes (「ポートの587はどこに入れるの」): the card shows each line;
    # where the whole goes is `_WHERE_TO_TYPE`'s, read first.
    r"|どこに(?:入力|にゅうりょく|入れ|いれ)"
    # 「さっきの設定をもう一回」「設定もういっかい」「もう一度お願いします」
    r"|(?:設定|せってい)(?:を|は)?\s*(?:もう一度|もういちど|もう1回|もう一回|もういっかい|再度)"
    r"|(?:さっき|先ほど|さきほど)の(?:設定|せってい)"
    r"|(?:最初|はじめ)から\s*(?:設定|せってい)?\s*(?:を|は)?\s*(?:見せ|みせ|表示)"
    r"|^(?:もう一度|もういちど|もう1回|もう一回|もういっかい)\s*(?:お願い|おねがい)"
    r"|\bsettings\b.*\bagain\b|\bagain\b.*\bsettings\b"
    # One of its lines asked for again: 「送信サーバーの名前をもう一度」「サーバー名なんだっけ」
    # 「ポートは何番でしたっけ」 "What was the outgoing server again?" "can you repeat that?"
    # (not read, or the general answer); the card shows each where it was.
    r"|(?:サーバー?|ポート)[^。?？]{0,10}?(?:もう一度|もういちど|もう1回|もう一回|もういっかい|再度)"
    r"|(?:サーバー?|ポート)[^。?？]{0,10}?(?:なん|何|なに)(?:番)?(?:だっけ|でしたっけ|でしたか|だった)"
    r"|\bwhat was (?:the |my )?(?:new )?(?:(?:incoming|outgoing|sending|receiving|pop3?|smtp"
    r"|mail) )?(?:server|port)"
    r"|\b(?:server|port)\b.*\bagain\b"
    r"|\b(?:repeat|say) (?:that|it|this)(?: again)?\b|\bone more time\b"
)
# 「いいえ、大丈夫です」「特にないです」 "no, that's all": nothing else, to 「ほかにお手伝い
# できることはありますか？」 (after the card, or where the bot rests).
_NOTHING_ELSE: Final = re.compile(
    r"^(?:(?:いいえ|いえ|いや|ううん)[、,\s]*)?"
    # 「今のところ大丈夫です」「いえ、特には」「それだけです」 (words: each was not read, or
    # 「はい。続きをどうぞ。」 for a sentence begun).
    r"(?:(?:今のところ|いまのところ|今は|いまは)[、,\s]*)?"
    r"(?:大丈夫|だいじょうぶ|特に(?:ない|ありません|なし|無い|は)"
    r"|とくに(?:ない|ありません|なし|は)|もう(?:ない|ありません|大丈夫|だいじょうぶ)|結構|けっこう|以上"
    r"|ない|ありません|それだけ|それで全部|これで全部)"
    r"(?:です|でした)?(?:[、,。.\s]*(?:ありがとう(?:ございます|ございました)?))?[。.!！\s]*$"
    # "No thanks", "no thank you": declined, as 「いいえ、大丈夫です」 (not read).
    r"|^(?:no|nope|nah),? (?:thanks|thank you)(?: (?:very|so) much)?[.!\s]*$"
    r"|^(?:(?:no|nope|nah),? )?(?:(?:thanks|thank you),? )?(?:that'?s all|nothing (?:else|more)"
    # "not really", "that's it", "I am fine thanks" (words: "not really" was 'Sorry, I did
    # not catch that' at 「ほかにお手伝いできることはありますか？」; at 「解決しましたか？」 the
    # feedback reader takes it first, as not solved).
    r"|not really|that'?s it|that is (?:all|it)|(?:i'?m|i am) (?:good|fine|ok|okay|all set)"
    r"|all (?:good|set))"
    r"(?:,? (?:thanks?|thank you)(?: (?:very|so) much)?)?[.!\s]*$"
)
_FORGOTTEN: Final = re.compile(
    r"忘れ|わすれ|思い出せ|おもいだせ|覚えて(?:い)?(?:ない|ません)|おぼえて(?:い)?(?:ない|ません)"
    r"|forgot|can'?t remember"
)
# In kana too, as voice input and older phones write them: 「ふるいほうです」「あたらしいほう」
# were asked again until a button was found.
_NEW_OUTLOOK: Final = ("新しい", "新", "new", "ニュー", "あたらしい")
_CLASSIC_OUTLOOK: Final = (
    "クラシック", "従来", "古い", "classic", "old", "2016", "2019",
    "前から", "以前から", "昔から", "もとから", "元から",
    "ふるい", "じゅうらい", "むかしから", "まえから", "いぜんから",
)  # fmt: skip
# The tell-tale the question's hint names, described back: 「ファイルの中にアカウント設定が
# ある」 is the classic Outlook, 「アカウント設定はありません」 or the switch on the new one.
_OUTLOOK_TOLD_APART: Final = re.compile(
    r"(?P<new>アカウント設定.{0,6}(?:ない|ありません|なかった|見当たらな|見つからな)"
    r"|(?:スイッチ|switch).{0,8}(?:オン|on\b)|no account settings)"
    r"|(?P<classic>(?:ファイル|file).{0,10}(?:アカウント設定|account settings)"
    r".{0,6}(?:ある|あり|あった|が出|出て)"
    # "there is Account Settings under File", "File has Account Settings".
    r"|(?:there (?:is|are)|i (?:can )?see|it has)\s*(?:an? )?[\"“]?account settings[\"”]?.{0,12}"
    r"\b(?:under|in)\s*[\"“]?file\b|\bfile[\"”]?\s*(?:has|shows|contains)\s*[\"“]?account settings)"
)
_STILL_BROKEN_AFTER_SETTINGS: Final = frozenset(
    {Problem.CANT_SEND, Problem.CANT_RECEIVE, Problem.ERROR_WITHOUT_TEXT, Problem.UNKNOWN_CODE}
)
# Right after the card (「解決しましたか？」 open), 「送信できません」 gets the sending checks, as
# it does at any other stage, with the way to a person named after them: offered a person
# at once, the subscriber never heard which setting to look at (subscriber25). Said again
# once the checks were given (the question is no longer open), it is a person's.
_CHECKED_FIRST: Final = frozenset({Problem.CANT_SEND})
# A failure feared, not had: 「メールができないと困ります」「使えなくなったら困る」「届かなく
# なるのが心配です」, "I am worried I will not be able to send" (each got 'type the error
# message' as though mail had failed). Not 「できなくて困っています」 (it fails now), nor a
# failure dated (「昨日から」, "since Monday").
_WORRY: Final = re.compile(
    r"(?:(?:な|止ま|とま|止まら|とまら)(?:い|る|った|なる|なった)?(?:と|ら|ては|のは|のが|のも|か)?"
    r"|なくな(?:る|った|っ)(?:と|ら|ては|のは|のが|のも)?|ならない(?:か|かと))"
    r"[、,\s]*(?:(?:とても|すごく|非常に)\s*)?(?:困り|困る|こまり|こまる|心配|しんぱい|不安|ふあん|どうしよう)"
    r"|\b(?:i'?m|i am) (?:so |very |a bit |a little )?(?:worried|scared|anxious|nervous)\b"
    r"|\bi worry\b"
)
_FAILURE_DATED: Final = re.compile(
    r"昨日|きのう|今朝|けさ|今日|きょう|さっき|先ほど|ずっと|急に|突然|から[^。、,]{0,12}(?:でき|送れ|届か|使え)"
    r"|困って(?:い)?(?:ます|る)"
    r"|\b(?:since|yesterday|today|this morning|already|any ?more|suddenly)\b"
)
_CONTACT: Final = re.compile(
    r"電話番号|問い?合わ?せ先|連絡先|サポートセンター|phone number|contact (?:number|details)"
    # In kana, asked for (「でんわばんごうをおしえて」): 「でんわばんごうは」 alone may be the
    # start of their own number, and asks for no one.
    r"|(?:電話|でんわ)ばんごう(?!\s*(?:は|わ)?\s*$)"
    # "How can I contact support?" "Who do I contact?", as 「問い合わせ先は？」 asks it.
    r"|\bhow (?:can|do|should) i (?:contact|reach|call)\b"
    r"|\bwho (?:do|should|can) i (?:contact|call)\b"
    r"|\bcontact (?:support|the support|the help ?desk|customer (?:support|service))\b"
)
_WILL_IT_CHANGE: Final = re.compile(
    r"(?:何か|なにか)?(?:変更|設定)(?:は|が|って)?(?:必要|いる)(?:ですか|でしょうか|\?|？|$)"
    # 「設定の変更が必要かどうか教えていただけますでしょうか」: asked politely, at length.
    r"|(?:変更|設定)(?:は|が|って)?(?:必要|いる)(?:か(?:どうか)?|なのか)\s*(?:を)?\s*(?:教え|おしえ|知り|しり|確認|伺|うかが)"
    # 「設定を変更しないといけませんか」「変更しなきゃだめ？」
    r"|(?:設定を?)?変更(?:を)?し(?:ないと|なければ|なきゃ)(?:いけ|だめ|ダメ|なら)"
    r"|do i (?:still )?(?:need|have) to (?:change|do) (?:anything|something)"
    r"|what do i (?:need|have) to (?:change|do)|what (?:shall|do) i do\b"
    # The notice received, or told to change, as the whole reason they came: 「お知らせが届いた
    # のですが」「案内のハガキを見ました」 "I got a letter about the mail change", "I was told I
    # need to change my settings" (each was unread). Not 「案内」, the bot's own guide.
    r"|(?:お知らせ|おしらせ|通知|手紙|てがみ|ハガキ|はがき|葉書)(?:が|を|も)?\s*"
    r"(?:届|とど|来|き(?:た|ま)|もらい|もらっ|見|み(?:た|ま)|読|よ(?:ん|み))"
    # The article may be left out, as non-native speakers do: "I got letter from 117net".
    r"|\b(?:(?:got|received|saw|read) (?:(?:a|an|the|your|this) )?|have (?:a|an|the|your|this) )"
    r"(?:letter|notice|e-?mail|message"
    r"|mail|postcard|card)\b[^.?!]{0,40}\b(?:change|changes|changing|migration|move|switch|server)"
    # "I got letter from 117net": the notice, by whom it came from (not read).
    r"|\b(?:got|received) (?:(?:a|an|the) )?(?:letter|notice|postcard) from\b"
    r"|\b(?:was|were|been|am) told (?:that )?(?:i|we) (?:need|have|must|should) to"
    r" (?:change|update)\b"
    # 「お知らせが届いたのですが何をすれば…」 is STEPS; the English asks whether and what.
    r"|what (?:should|must) i do\b"
    # As non-native speakers ask it: "what i must do?", "do I need change something?", "Is my
    # mail change?", "I must change setting?" (each was "I could not answer that question").
    r"|\bwhat (?:i|we) (?:must|should|need to|have to) (?:do|change)\b|\bwhat to do\b"
    r"|\b(?:do|does) (?:i|we) (?:need|must|have) (?:to )?change\b|\bmust (?:i|we) change\b"
    r"|\bis my (?:mail|e-?mail|setting|settings|address) (?:change|changing|affected)\b"
    r"|^(?:i|we) (?:must|need to|have to|should) change(?: (?:my |the )?(?:settings?|something))?"
    r"\s*\?"
    # 「私も何かしないといけないのでしょうか」「メールの設定を変えてくださいと書いてあった」
    r"|(?:何か|なにか)(?:し|やら)(?:ないと|なければ|なきゃ)(?:いけ|だめ|ダメ|なら)"
    # The whole message: 「やらなきゃいけないの？」「しないとだめ？」「必ずやらないといけませんか」
    # (words10: 「そのご質問にはうまくお答えできませんでした」).
    r"|^(?:必ず|かならず|絶対(?:に)?|ぜったい(?:に)?|本当に|ほんと(?:う)?に|これ(?:は|って)?)?\s*"
    r"(?:し|やら)(?:ないと|なければ|なきゃ|なくちゃ)\s*(?:いけ|だめ|ダメ|なら|あかん)"
    r"|(?:変え|変更し|かえ)て(?:ください|くださいね|下さい)(?:と|って)"
    # 「設定を変えないとだめですか」「変えなくてもいいですか」
    r"|(?:変え|かえ|変更し)な(?:いと(?:だめ|ダメ|いけ)|くて(?:も)?(?:いい|良い|よい|大丈夫))"
    # 「メールの設定を変えたいです」「設定変更をしたいのですが」 "I want to change my mail
    # settings": why they came, at the first question (it was 「うまく読み取れませんでした」).
    r"|(?:設定|せってい)(?:を)?\s*(?:変え|かえ|変更し|へんこうし)たい"
    r"|(?:設定|せってい)(?:の)?変更(?:を)?(?:し)?たい"
    r"|\b(?:i|we) (?:want|would like|'d like) to (?:change|update) (?:my |our |the )?"
    r"(?:e-?mail |mail )?settings?\b"
)
# 「今の設定のままでいいですか」「このままで使えますか」 "can I keep my current settings?":
# whether anything must change, asked before a topic's words can claim it. Not when a time
# is asked (「いつまで今のままで使えますか」「まだ今のままで大丈夫？」 are the schedule's) or
# something else is named as staying (「パスワードはそのままでいいですか」 is the password's).
_KEEP_AS_IS: Final = re.compile(
    r"^(?!.*(?:いつ|何日|なんにち|何月|まだ|パスワード|アドレス|until|when|password|address))"
    r".*(?:"
    # 「昔の設定のままでも大丈夫ですか」: the settings of old, as the ones of now.
    r"(?:今|いま|昔|むかし|以前|前|古い|従来)の(?:設定の|せっていの)?まま(?:でも|で)?"
    r"|このまま(?:で)?|そのまま(?:で)?)"
    r"(?:いい|良い|よい|大丈夫|だいじょうぶ|問題(?:ない|ありません)|OK|ok|オッケー|構いません"
    r"|かまいません|使え(?:ます|る)|つかえ(?:ます|る))"
    # 「このままではダメですか」「今のままじゃダメなの？」, asked the other way round (words9:
    # a question not understood).
    r"|^(?!.*(?:いつ|何日|なんにち|何月|まだ|パスワード|アドレス))"
    r".*(?:(?:今|いま|昔|むかし|以前|前|古い|従来)の(?:設定の|せっていの)?まま|このまま|そのまま)"
    r"(?:では|じゃ|だと)?(?:だめ|ダメ|駄目)(?:ですか|でしょうか|なの|なん|か|\s*[?？])"
    r"|^(?!.*\b(?:until|when)\b).*\b(?:can|could|may) i (?:just )?(?:keep|leave) (?:my |the )?"
    r"(?:current |existing |old |present )?(?:settings|setup|configuration)\b"
    r"|\bis it (?:ok|okay|fine|alright|all right) (?:to|if i) (?:keep|leave|don'?t change)\b"
    r"|^(?!.*\b(?:until|when)\b).*\b(?:are|is) (?:my |the )?(?:current|existing|old|present) "
    r"(?:settings|setup|configuration) (?:still )?(?:ok|okay|fine|alright|all right|good)\b",
    re.IGNORECASE,
)
# The answer to "do I need to change anything?" (`Kind.CHOICE`): the questions find it out.
WHETHER_TO_CHANGE: Final = "whether_to_change"
# 「どこで確認できますか」 "where do I find it?": at a question its explanation (where to
# look, whom to ask), at the outgoing-server question where the server shows. Not
# 「どこを見ればいいかわからない」, which is an "I don't know" after the hint was shown.
_WHERE_IT_SHOWS: Final = re.compile(
    # Not 「わかりません」; 「どこを見ればわかりますか」 asks where, as 「どこで確認できますか」.
    r"^(?!.*(?:わか(?:ら|りませ|ん)|分か(?:ら|りませ|ん)|知らない|しらない|don'?t know|no idea))"
    r".*(?:どこ|どう(?:やって)?|どの(?:よう|様)に)(?:で|に|から|を)?(?:すれば|したら)?\s*"
    r"(?:確認|調べ|しらべ|見|み(?:れ|ら|る)|わか|分か)"
    r"|^(?!.*(?:don'?t know|no idea)).*\bwhere (?:can|do|would|should) i (?:find|see|check|look)\b"
    r"|^(?!.*(?:don'?t know|no idea)).*\bhow (?:can|do) i (?:find|see|check)\b",
    re.IGNORECASE,
)
# 「どこにありますか」, the whole message: where the server name is, at that question.
_WHERE_IS_IT: Final = re.compile(
    r"^(?:それ(?:は|って)?)?どこに(?:あり|ある)(?:ますか|の|か)?\s*\??$"
    r"|^(?:and |so |ok,? |okay,? )?where(?:'s| is) (?:that|it|this|the setting)\s*\??$"
    # 「どこに入力するんですか」 'where do I type it?' there (subscriber23: 'could not answer'):
    # nothing is typed yet; where the name shows is what they need.
    r"|^(?:それ(?:は|って)?)?どこに(?:入力|にゅうりょく|入れ|いれ|書|か[きけ]|打|う[ちて])"
    r"[^?？]{0,10}?(?:か|の)?\s*[?？]?$"
    r"|^(?:and |so |ok,? |okay,? )?where do i (?:type|enter|put|write) (?:it|that|this)\s*\??$"
)
# Its answer (`Kind.CHOICE`): the question again, which shows where for the program in use.
WHERE_SMTP_SHOWS: Final = "where_smtp_shows"
# Whether the phone's mail is what the first question means, asked: 「携帯のメールのことですか」
# 「スマホのメールも関係ありますか」. Read as the yes, it answered a question it asked.
_PHONE: Final = (
    r"(?:携帯|けいたい|ケータイ|ケイタイ|スマホ|すまほ|スマートフォン|iphone|アイフォン|android"
    r"|アンドロイド)(?:電話)?(?:の)?\s*(?:メール|めーる)"
)
_PHONE_MAIL_MEANT: Final = re.compile(
    rf"{_PHONE}(?:の)?(?:こと|話|はなし)(?:です|でしょう)?(?:か|[?？])"
    rf"|{_PHONE}(?:も|は)?\s*(?:関係|かんけい)(?:あり|ある|し)"
    r"|\b(?:is (?:this|it|that)|are you) (?:about|for) (?:my |the )?(?:mobile |cell )?phone(?:'s)?"
    r" (?:e-?mail|mail)"
    r"|\b(?:is (?:this|it|that)|are you) (?:about|for) (?:my |the )?(?:e-?mail|mail) on my"
    r" (?:mobile |cell |smart)?phone\b"
)
# 「メールソフトって何ですか」 "what is a mail program?" at the first question asks what the
# question asks: explained, and the question again (audit11; it was taken as 「わからない」 and
# the next question came, though the explanation says how to tell). 「メールソフトが何か
# わかりません」 too: the word is what they do not know, as 「質問の意味がわかりません」 below.
_WHAT_A_PROGRAM_IS: Final = re.compile(
    r"(?:メールソフト|めーるそふと|メーラー|メールアプリ|めーるあぷり)\s*"
    r"(?:って|とは|て|ってい?うの(?:は|って)?|が)\s*(?:何|なに|なん|どれ|どういう|どんな)"
    r"|\bwhat(?:'?s| is| are) (?:a |an )?(?:e-?mail |mail )(?:programs?|clients?|apps?|software)\b"
    r"|\bwhat do you mean by (?:a |an )?(?:e-?mail |mail )(?:programs?|clients?|apps?|software)\b"
)
# 「質問の意味がわかりません」「何を聞かれているのかわかりません」 "I don't understand the
# question": the question is what they do not understand, so it is explained and asked again
# (the explanation ends on 「わからない場合は「わからない」と」). Taken as "not sure", it answered a
# question its reader had not understood. 「わかりません」 alone stays "not sure".
_QUESTION_NOT_UNDERSTOOD: Final = re.compile(
    r"(?:質問|しつもん|意味|いみ)(?:の意味|のいみ)?(?:が|は)?\s*(?:よく|いまいち|ちょっと)?"
    r"(?:わから|分から|わかりませ|分かりませ|理解でき)"
    r"|(?:何|なに|なん)を(?:聞かれて|きかれて|聞いて|きいて)(?:いる|る)?(?:の|ん)?か(?:が)?"
    r"(?:よく)?(?:わから|分から|わかりませ|分かりませ)"
    r"|(?:言って|いって)(?:いる|る)?(?:こと|意味)が(?:よく)?(?:わから|分から|わかりませ|分かりませ)"
    r"|(?:どういう|どうゆう)(?:意味|いみ|こと)か(?:が)?(?:よく)?(?:わから|分から|わかりませ|分かりませ)"
    r"|\b(?:don'?t|do not) (?:really )?(?:understand|get) (?:the|your|this|that) question\b"
    r"|\bwhat do you mean\b|\bwhat (?:are you|is it) asking\b"
    r"|\b(?:not sure|don'?t know|do not know) what (?:that|this|it|the question) means\b"
    # "I'm afraid I don't really know what that means", "I have no idea what you mean" (its
    # "don't" was the no that ends the questions at the first one).
    r"|\b(?:(?:do ?n.?t|do not) (?:really |quite |even )?(?:know|understand)|no idea)"
    r" what (?:that|this|it|the question|you) (?:really )?(?:means?|is asking|are asking)\b"
)
# 「もう一回説明してください」「もう少しわかりやすく教えて」 'can you explain that again?' at a
# question: the whole message asks for the question again in other words (words5: not
# understood). Anchored: 「OP25Bをもう一度説明して」 asks about its word.
_EXPLAIN_AGAIN: Final = re.compile(
    r"^(?:すみません|すいません|あの[ー〜]*|えっと)?[、,\s]*"
    r"(?:(?:もう|も)\s*(?:一回|いっかい|一度|いちど|少し|すこし|ちょっと)\s*"
    r"(?:詳しく|くわしく|わかりやすく|分かりやすく|簡単に|かんたんに|やさしく|ゆっくり)?"
    r"|(?:詳しく|くわしく|わかりやすく|分かりやすく|簡単に|かんたんに|やさしく))\s*"
    r"(?:説明|せつめい|教え|おしえ|言|い)(?:して|って|て)?\s*"
    r"(?:ください|下さい|くれ(?:ますか|ませんか)?|もらえ(?:ますか|ませんか)|いただけ(?:ますか|ませんか)"
    r"|ほしい(?:です)?|欲しい(?:です)?)?\s*[。.!！?？]*$"
    r"|^(?:sorry,? |please,? )?(?:can|could|would) you (?:please )?(?:explain|say) "
    r"(?:that|it|this|the question) (?:again|more simply|in simpler (?:words|terms))\s*\??$"
    r"|^(?:please )?(?:explain|say) (?:that|it|this|the question) "
    r"(?:again|more simply|in simpler (?:words|terms))(?:,? please)?\s*[.!?]*$"
)
# 「それってどういう意味ですか」「LANってなに？」 "what does that mean?" at a question: asked,
# not said. Only the words the questions use: the migration's own terms (OP25B, SMTP認証,
# 「メールソフトって何」 at the first question) have answers of their own.
_WHAT_IT_MEANS: Final = re.compile(
    r"^(?!.*(?:わか[らりん]|分か[らりん]|理解でき|\bunderstand\b|don'?t know|not sure))(?:"
    r".*(?:どういう|どうゆう|どーいう)(?:意味|いみ|こと)|.*どゆこと|.*(?:何|なん)のこと"
    r"|(?:それ|これ|その質問|この質問)?(?:って)?(?:なにそれ|何それ|なんそれ|なにこれ|何これ"
    r"|なんやそれ|なんなんそれ|なんじゃそれ)"
    r"|.*接続先\s*(?:って|とは|て)\s*(?:何|なに|なん)"
    # 「それって何ですか」「これはなんですか？」: the question itself, asked back.
    r"|(?:それ|これ|その質問|この質問)\s*(?:って|は|とは)\s*(?:何|なに|なん)\s*(?:です|でしょう)?"
    r"\s*(?:か|の)?\s*[?？]?$"
    r"|.*\bwhat does (?:that|this|it|the question|this question) mean\b|what do you mean by\b"
    # "what is that?", "what's this?" alone: the question asked back, as 「なにそれ？」 is
    # (subscriber18: 'could not answer that question').
    # 'whats that', the apostrophe left out as phones type it (subscriber21: not understood).
    r"|(?:what(?:'?s| is) (?:that|this)|what)\s*[?？]*\s*$)",
)
# A word of the settings asked about: 「POPって何？」「SMTPってなに」 "what is a LAN?". At the
# question that uses the word, the question is explained instead.
_TERM_ASKED: Final = re.compile(
    # Asked, not said not to be known (「SMTPってなんですか、わかりません」 is a "not sure"),
    # nor what to type there (「サーバーってなんて入れればいいですか」 asks for the settings).
    r"^(?!.*(?:わか[らりん]|分か[らりん]|理解でき|don'?t know|not sure"
    r"|入れ|いれ|入力|にゅうりょく|書[きくけ]|設定す|せっていす))"
    # A filler before it: "wait, what is SMTP?", 「あの、SMTPって何？」 ("could not answer").
    r"(?:(?:wait|sorry|um+|uh+|hmm+|ok|okay|so|and|but)[,.!\s]+"
    r"|(?:あの[ー〜]*|えっと|えーと|すみません|すいません|ちょっと待って|待って)[、,\s]+)?(?:"
    # 「会社のLANってなんですか」, as the question names it (words: could not answer).
    r"(?:(?:その|この|あの)\s*)?(?:会社の|かいしゃの|社内)?[「『\"']?(?:"
    r"(?P<pop>pop3?|ポップ)|(?P<smtp>smtp|エスエムティーピー)|(?P<server>サーバー?|さーばー?)"
    r"|(?P<provider>プロバイダー?|isp)|(?P<lan>lan|ラン)|(?P<port>ポート|ぽーと)"
    r"|(?P<auth>認証|にんしょう))"
    # Not 「サーバーは？」, which asks for the servers' names.
    r"[」』\"']?\s*(?:サーバー?)?\s*(?:って|とは|て)\s*(?:何|なに|なん|どういう|\?|？|$)"
    # "What is the incoming server?" "What's the SMTP server?" ask which one, as 「受信
    # サーバーは何ですか」 does: the servers' names. "What is an outgoing server?" asks the word.
    r"|(?!what(?:'s| is) (?:the|my) (?:new )?(?:incoming|outgoing|sending|pop3?|smtp)"
    r" (?:mail )?server)"
    r"what(?:'s| is) (?:a |an |the )?(?:(?P<pop_en>pop3?|incoming (?:mail )?server)"
    r"|(?P<smtp_en>smtp|outgoing (?:mail )?server|sending server)|(?P<server_en>server)"
    r"|(?P<provider_en>provider|isp)|(?P<lan_en>lan)|(?P<port_en>port)"
    r"|(?P<auth_en>authentication))\b(?: server)?\s*\??$)"
)
# Its answer (`Kind.CHOICE` "term:<word>"): what the word means, then carry on.
TERM: Final = "term:"
# The words each question uses: asked there, the question is explained.
_OWN_TERMS: Final[dict[Reading, frozenset[str]]] = {
    Reading.OTHER_NETWORK: frozenset({"provider", "lan"}),
    Reading.OUR_SMTP: frozenset({"smtp", "server"}),
}


def _term_asked(text: str) -> str | None:
    """The word of the settings `text` asks the meaning of ("pop", "smtp", …), or None."""
    asked = _TERM_ASKED.search(text)
    if asked is None:
        return None
    named = next(name for name, value in asked.groupdict().items() if value)
    return named.removesuffix("_en")


# Why the address is asked: what it is used for, and that skipping it is fine.
_WHY_THE_ADDRESS: Final = re.compile(
    r"(?:なんで|なぜ|どうして|何で|何に|なにに).{0,8}(?:アドレス|メアド)"
    r"|(?:アドレス|メアド).{0,8}(?:必要|いる|要る|聞く|きく|使う|つかう)(?:の|ん)"
    r"|\bwhy (?:do|does|should) (?:you|it|the bot) (?:need|want|ask)"
    r"|\bwhat (?:is|do you need) my (?:e-?mail )?address (?:for|used for)\b"
)
# Why the question on screen is asked: 「どうしてそんなことをきくんですか」 'why do you need to
# know' were answered with the migration's three reasons, not what the question is for.
_WHY_ASKED: Final = re.compile(
    r"(?:なんで|なぜ|どうして|何で)\s*(?:そんな(?:こと)?|それ|その(?:こと|質問)|こんな(?:こと)?)\s*(?:を|が)?\s*"
    r"(?:聞|き|訊|必要|ひつよう|知りた|しりた)"
    r"|\bwhy (?:do|does|would) (?:you|it|the bot) (?:need|want) to know\b"
    r"|\bwhy (?:are|do) you (?:ask|asking)\b|\bwhy (?:ask|this question)\b"
)
# The login check asked for before the settings were given: 「ログインできるか確認したい」 at a
# question was "not sure" (its 「か確認」), an answer never given.
_CHECK_ASKED_EARLY: Final = re.compile(
    r"ログイン(?:でき(?:る)?か|が?でき(?:る)?かどうか|を)?\s*(?:確認|かくにん|チェック|テスト|試)し(?:たい|て)"
    r"|\b(?:can|could|may) (?:i|you|we) (?:test|check|try) (?:my |the )?"
    r"(?:login|log-?in|sign-?in)\b"
    r"|\b(?:i )?(?:want|would like|'d like) to (?:test|check|try) (?:my |the )?(?:login|log-?in)\b"
    # 「新しい設定でテストしたい」 at the first question was not understood: a test made with
    # the new settings is the login check (as after the card, words30), wished, not reported.
    r"|新しい(?:設定|せってい)\s*(?:で(?:の)?|を使って|をつかって|を)\s*"
    r"(?:テスト|試|ため|確認|かくにん|確かめ|たしかめ|チェック|ち[ぇえ]っく)[^。]{0,6}?"
    r"(?:たい|できますか|ほしい|ください|下さい)"
    r"|\b(?:want|like|can i|could i|let me) (?:to )?(?:test|check|try)(?: out)? (?:the |my )?"
    r"new settings\b"
)
# A person wished for now beside the desk's hours (「担当者と話したい、何時までですか」): the
# hand-over stays; the hours alone (「窓口は何時までですか」) are the desk's hours.
_PERSON_WANTED_NOW: Final = re.compile(
    r"話し?たい|はなし?たい|話せ|はなせ|つな|繋|代わ|かわって|電話したい|\b(?:talk|speak)\b"
)
# Its answer (`Kind.CHOICE`): the check comes with the settings; the question again.
CHECK_AFTER_THE_CARD: Final = "check_after_the_card"
# After the card, whether what was typed in is right: 「これでいいですか」 was 「そのご質問には
# うまくお答えできませんでした」, a dead end at the moment the settings were done.
_IS_IT_RIGHT: Final = re.compile(
    # At the end of anything: the card's values pasted back, then 「これでいいですか」.
    r"(?:^|[\s。、,.!！]|けど|ました|が)(?:これ|それ|こう|こんな(?:かんじ|感じ))\s*で\s*"
    r"(?:いい|良い|よい|よろしい|あって(?:い)?る|合って(?:い)?る|あって(?:い)?ます|合って(?:い)?ます"
    r"|大丈夫|だいじょうぶ|OK|ok)"
    # Asked, not said: 「これでいいです」 may be "that will do" (a goodbye).
    r"(?:(?:の|ん)?(?:です|でしょう)?(?:か|かな|かね)|[?？])[?？。.!！\s]*$"
    r"|^(?:is|are) (?:this|that|it|these|they) (?:right|correct|ok|okay)\b[?.!\s]*$"
    r"|^did i (?:do|get|set|type|put) (?:it|this|that|them|everything) (?:in )?"
    r"(?:right|correctly)\b"
)
# Its answer (`Kind.CHOICE`): how to tell (receive, then send), with the card's buttons.
IS_IT_RIGHT: Final = "is_it_right"
# After the card, where the settings are typed: 「この設定はどこに入れれば…」「どこに入力するん
# ですか」 'where do I put this?' (words10: read as the settings asked again, which at the card
# without an address went back to the address question). Into the mail program, by its steps.
_WHERE_TO_TYPE: Final = re.compile(
    # Not where one line goes (「ポートの587はどこに入れるの」 'where do I put the port
    # number?'): the card, or the servers' answer, shows it.
    r"^(?!.*(?:ポート|サーバ|\bport\b|\bservers?\b)).*(?:"
    r"(?:どこ|どの\s*(?:画面|がめん|ページ|場所|ばしょ|ところ|所|欄|らん|項目))\s*(?:に|へ|で|から|を)?\s*"
    r"(?:入力|にゅうりょく|入れ|いれ|書|か[きくけ]|打|う[ちつて]|設定|せってい|変更|へんこう|変え|かえ"
    r"|直|なお|貼|は[りるれ])"
    r"|\bwhere (?:do|should|can|would|shall) i (?:put|enter|type|write|paste|change|set)\b"
    r"|\bwhere (?:does|do) (?:this|it|that|these|they|the settings) go\b)"
)
# Its answer (`Kind.CHOICE`): the mail program's screen, and its steps again.
WHERE_TO_TYPE: Final = "where_to_type"
# The settings wanted on paper: 「印刷したいです」「紙に書き写したい」 'can I print this?'.
_ON_PAPER: Final = re.compile(
    r"(?:印刷|いんさつ|プリント(?:アウト)?|ぷりんと)\s*(?:を|が|は)?\s*"
    r"(?:し|でき|出来|する|お願い|おねがい|可能|方法|の(?:仕方|しかた|やり方|やりかた|方法))"
    r"|紙に\s*(?:し|書|か[きい]|残|のこ|出|だ|印刷|写|うつ|メモ)|書き写|かきうつ|書きうつ"
    # 「プリンターで出したい」 (words11: not understood).
    r"|(?:プリンター|プリンタ|ぷりんたー?)\s*(?:で|から|に)\s*(?:出|だ|印刷|刷|す[らり])"
    r"|\bprint(?:ed|ing)?\b(?!\s*(?:server|queue|spooler))|\bon paper\b|\bhard ?copy\b"
)
# Its answer (`Kind.CHOICE`): the print button under the card, or a screenshot or a copy.
ON_PAPER: Final = "on_paper"
# 'is this right?' at the end of the settings typed out (`_IS_IT_RIGHT` takes it alone).
_IS_IT_RIGHT_AFTER: Final = re.compile(
    r"\b(?:is|are) (?:this|that|it|these|they) (?:all )?(?:right|correct|ok|okay)\b[?.!\s]*$"
)
# What the card still needs asked, after the questionnaire.
_CARD_QUESTIONS: Final = frozenset(
    {Stage.ASK_ADDRESS, Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND, Stage.ASK_SMTP_HOST}
)
# 「？」 alone at a question asks what it means (it was "not sure", an answer never given).
# 「え？」「えっ？」 "huh?" too: the question not followed, as a lone 「？」 says (not 「はい？」,
# a question of its own).
_LONE_QUESTION_MARK: Final = re.compile(r"\s*(?:え|えっ|ええ|えー|huh|what)?\s*[?？]+\s*")
# Its answer (`Kind.CHOICE`): what the question on screen means, then the question again.
EXPLAIN_QUESTION: Final = "explain_question"
# Answers are short; a longer message is a pasted error or a story, read by patterns alone
# (the analyser takes about 2.4 µs a character: a 2,000-character paste would cost 5 ms).
_ANALYSED_LENGTH: Final = 200
# Romaji is typed as answers and short requests ('hai, sou desu', 'tantousha to hanashitai');
# a longer message is not read a second time as the kana it spells ('a ' 1,000 times, any
# 2,000 characters of short romaji words, cost 12.5 ms of a turn so).
_ROMAJI_LENGTH: Final = _ANALYSED_LENGTH
# Readings of the letters as typed that the kana they spell may better with a symptom, a
# request or small talk: a question ('dou sureba ii?'), a program named ('iPhone no meeru
# ga mirenai', the yes to the first question); a symptom in the kana betters any.
_ROMAJI_READ_AGAIN: Final = frozenset({Kind.QUESTION, Kind.PROGRAM, Kind.YES})
# A password, an address or a command read in the letters is what they are.
_ROMAJI_KEPT: Final = frozenset(
    {Kind.SECRET_TYPED, Kind.ADDRESS, Kind.PARTIAL_ADDRESS, Kind.CHOICE, Kind.LANGUAGE}
)
_ROMAJI_READ_FURTHER: Final = frozenset({Kind.PROBLEM, Kind.TOPIC, Kind.HUMAN, Kind.SMALL_TALK})
# The readers of `dialogs.reading.answers` are keyed by the seed's questions they were
# written for; a profile's question borrows one by its `reading`. A plain question gets the
# generic answers (the answers module reads a question it has no phrasings for with the
# outgoing server's).
_READERS: Final[dict[Reading, Stage]] = {
    Reading.PLAIN: Stage.START,
    Reading.MAIL_PROGRAM: Stage.Q1_MAIL_PROGRAM,
    Reading.OTHER_NETWORK: Stage.Q2_OTHER_NETWORK,
    Reading.OUR_SMTP: Stage.Q3_USES_OUR_SMTP,
    Reading.OP25B: Stage.Q4_OP25B,
    Reading.DEVICES: Stage.START,
}
# A host name as typed ("smtp.gmail.com"): two labels at least, a top-level one of letters.
_HOST: Final = re.compile(r"(?<![a-z0-9.@-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![a-z0-9.@-])")
# The value of a "no" at the outgoing-server question that named another provider's server.
FOREIGN_SMTP: Final = "foreign_smtp:"
_QUESTION_MARK: Final = re.compile(
    r"[?？]\s*$|(?:ですか|ますか|でしょうか|って何|とは)\s*$|^(?:what|how|why|when|where|which|who)\b"
    # 「…いつまでに何をすればよいのか教えてください」: a question put as a request.
    r"|(?:か|のか)\s*(?:教えて|おしえて)(?:ください|下さい|ほしい|もらえ)"
)


# Where the address was asked for: a password typed there by mistake comes alone.
ADDRESS_QUESTIONS: Final = frozenset({Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS})


def redact_at(raw: str, stage: Position, domains: Collection[str] = ()) -> tuple[str, bool]:
    """`redact`, knowing what was asked: at the address questions a lone password too.

    「Zq9xK2pw77」 typed where the address was asked for was kept in the transcript and
    said back as the address 「zq9xk2pw77@…」. `domains` (`login_domains`): the profile's
    hosts named after a password word (the iPhone's 「パスワードが"vpop.117.ne.jp"で正しく
    ありません」) are the servers, not a password.
    """
    return redact(raw, alone=stage in ADDRESS_QUESTIONS, domains=domains)


def login_domains(profile: MigrationProfile) -> ProviderDomains:
    """The domains of the profile's logins, old and new: an address on one names an account.

    With the provider's own hosts and sites beside them (`ProviderDomains.hosts`): a host
    under one, named after a password's word, is no password.
    """
    return ProviderDomains(
        (*profile.affected_domains, *(new for _, new in profile.new_domains)),
        (*profile.own_hosts, *profile.sites),
    )


def redact_typed(
    raw: str,
    before: DialogState,
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
    hidden: Collection[str] = (),
) -> tuple[str, bool]:
    """`redact` of a message typed in the state `before`: what the transcript keeps.

    Knowing what was asked (a lone password where the address was), what was said last
    (「パスワードは」, then the password alone) and whose account it is (「taro:Kq7xyz99」
    after the address 「taro@…」 was given, or beside an address on `domains`,
    `login_domains`). The turn reads the message for a password with this once, and the
    runtime stores its masked text (`StepResult.said`): reading it twice, the turn and the
    transcript each, cost the slowest message two passes of the patterns.
    `analyser`: the runtime's, which tells a password of kana alone (「パスワードはさくらです」)
    from a sentence about one; the turn and the runtime's transcript pass the same.
    """
    # A command after 「パスワード」 or 'my password is' (「担当者」「オペレーター」「メニュー」)
    # is that command, not the password: masked, a subscriber asking for a person was told
    # not to type passwords here, and handed to no one.
    told_next = (before.password_named or before.password_announced) and (
        understanding.understand_command(understanding.normalise(raw)) is None
    )
    return redact(
        raw,
        alone=before.stage in ADDRESS_QUESTIONS,
        named_before=before.password_named and told_next,
        announced=before.password_announced and told_next,
        corrected_next=before.password_spoken,
        accounts=own_accounts(before.address),
        domains=domains,
        analyser=analyser,
        hidden=hidden,
    )


def read_text(
    raw: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None = None,
    *,
    checked: bool = False,
) -> Intent:
    """What `raw` means at `stage`, given the buttons last `offered`.

    `analyser` (a morphological analyser, when the runtime has one) reads conjugation and
    negation in answers; without it the patterns read them alone.
    `checked`: the caller has read the whole message for a password (`redact_typed`) and
    found none; it is not read for one again.
    """
    try:
        return _with_a_second_question(
            _read_text(raw, stage, offered, profile, analyser, checked=checked), raw
        )
    finally:
        # The two caches serve one message, read for the question on screen and for the
        # rest; kept across messages, they held the last 256 and 64 texts subscribers typed
        # (a password among them) in the process's memory (subscriber19). Dropping them
        # cost 6 % more instructions per message read; emptying them here keeps that.
        _topic.cache_clear()
        _beside_the_problem.cache_clear()


# Topics answered in a way of their own (the desk's hours, what is left, a forgotten password
# handed over, the steps after a failed check): never the second of two questions.
_ANSWERED_ALONE: Final = frozenset(
    {
        Topic.DESK_HOURS.value,
        Topic.WHAT_IS_LEFT.value,
        Topic.FORGOTTEN_PASSWORD.value,
        Topic.STEPS.value,
    }
)


def _with_a_second_question(intent: Intent, raw: str) -> Intent:
    """`intent`, a topic asked, with a second topic asked in another sentence of `raw`.

    「パスワードは変わりますか？いつまでですか？」: the password was answered and the schedule
    left unsaid, the subscriber asking again (words9).
    """
    if intent.kind is not Kind.TOPIC or intent.value in _ANSWERED_ALONE:
        return intent
    if len(raw) > _ANALYSED_LENGTH:
        return intent
    for sentence in _SENTENCE_AND_END.findall(understanding.normalise(raw)):
        if not _asks(sentence):
            continue
        other = _topic(sentence.strip(" 。.!！?？"))
        if (
            other is not None
            and other.kind is Kind.TOPIC
            and other.value != intent.value
            and other.value not in _ANSWERED_ALONE
        ):
            return dataclasses.replace(intent, also_asked=other.value)
    return intent


def _read_text(
    raw: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
    *,
    checked: bool,
) -> Intent:
    intent = _read_typed(raw, stage, offered, profile, analyser, checked=checked)
    if (
        intent.kind not in _ROMAJI_KEPT
        and len(raw) <= _ROMAJI_LENGTH
        and (kana := in_kana(understanding.normalise(raw), names=True))
    ):
        # 'hai, sou desu', 'iie chigaimasu', 'tantousha to hanashitai': Japanese in the
        # alphabet, read as the Japanese it spells (each was 'Sorry, I did not catch that').
        # Only when the letters meant nothing as typed, so English stays English. A program
        # named among them stays as typed: 'iPhone no meeru ga mirenai' was the program
        # alone, its symptom unheard, and 'meeru okurenai. dou sureba ii?' a question the bot
        # could not answer; the kana's reading is taken when it finds more (words).
        again = _read_typed(kana, stage, offered, profile, analyser)
        if (
            intent.kind is Kind.UNKNOWN
            or again.kind is Kind.PROBLEM
            or (intent.kind in _ROMAJI_READ_AGAIN and again.kind in _ROMAJI_READ_FURTHER)
        ):
            return again
    text = understanding.normalise(raw)
    if (
        intent.kind is Kind.UNKNOWN
        and len(text) <= _ROMAJI_LENGTH
        and (ALL_KATAKANA.fullmatch(text) or _HALF_WIDTH_KANA.search(raw))
        and hiragana(text) != text
    ):
        # 「デキマシタ」, as some phones offer it: read again in hiragana, whose words the
        # readers know (problems were re-read so in `_problem_in`, answers were not). Only a
        # short one, as romaji: 2,000 characters of katakana were read twice (14 ms a turn).
        # Half-width kana typed beside hiragana (「ｲｴだけです」) is the same keyboard's
        # katakana, not a loan word: NFKC made it 「イエ」, which no reading knew.
        return _read_typed(hiragana(text), stage, offered, profile, analyser)
    if intent.kind is Kind.UNKNOWN and stage in QUESTIONS and _WORRY.search(text):
        # 「メールが止まったらどうしよう」 "I am worried I cannot use mail": reassured.
        return Intent(Kind.SMALL_TALK, SmallTalk.HELP.value)
    return intent


def _read_typed(
    raw: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None = None,
    *,
    checked: bool = False,
) -> Intent:
    text = understanding.normalise(raw)
    if not text:
        return Intent(Kind.UNKNOWN)
    if not checked and redact_at(raw, stage, login_domains(profile))[1]:
        return Intent(Kind.SECRET_TYPED)
    picked = understanding.pick_offered(text, offered)
    if picked is None and LEAVE_MESSAGE in offered:
        # Under the offer to take a message, 「はい」 or 「伝言お願いします」 presses its button.
        picked = answer_to_offer(text)
    if picked is not None:
        return understanding.understand_choice(picked)
    if LEAVE_MESSAGE in offered and phone_in(raw) is not None:
        # 「０９０－１２３４－５６７８」 "my number is 090 …" under the offer to take a message:
        # the message's way to call back (not read at all before, the number lost).
        return Intent(Kind.HUMAN)
    if len(text) <= _ANALYSED_LENGTH:
        command = understanding.understand_command(text)
        if command is not None and command.kind is Kind.RESTART and recognise_problem(text):
            # 「サーバー vp.117.ne.jp との接続がリセットされました」 (Thunderbird)
            # 「ルーターをリセットしたけど送れない」: the reset is the machine's, not the chat's.
            command = None
        if (
            command is not None
            and command.kind is Kind.HUMAN
            and recognise_topic(text) is Topic.SOMEONE_ELSE
        ):
            # 'can my grandson do it for me?': its "do it for me" asks whether a relative may,
            # not for the desk to (subscriber23: handed to the desk, the question unanswered).
            command = None
        if (
            command is not None
            and command.kind is Kind.HUMAN
            and recognise_topic(text) is Topic.DESK_HOURS
            and not _PERSON_WANTED_NOW.search(text)
        ):
            # 「窓口は何時までですか」「窓口は土日も対応していますか」 ask the desk's hours: its
            # 「窓口」 handed them over (「担当者におつなぎできません」), the hours never said.
            command = None
    else:
        # A long message is a story or a paste: 「最初から」 inside it restarts nothing, but
        # asking for a person still counts.
        command = (
            Intent(Kind.HUMAN, understanding.BY_POST if understanding.asks_by_post(text) else "")
            if understanding.asks_for_person(text)
            else None
        )
    if (
        command is not None
        and command.kind is Kind.SHOW_SETTINGS
        and (named := recognise_problem(text)) is not None
    ):
        # 「設定を教えてください、送信できません」: the settings asked for, and a problem named
        # beside them that the card alone never answered (subscriber24): carried with it.
        return Intent(Kind.SHOW_SETTINGS, named.value)
    if command is not None:
        return command
    if (
        stage is Stage.SETTINGS_DELIVERED
        and (_IS_IT_RIGHT.search(text) or _IS_IT_RIGHT_AFTER.search(text))
        and typed_settings(text, (profile.incoming.new_host, profile.outgoing.new_host))
    ):
        # The card's values typed back, then 「これでいいですか」: the address among them was
        # read as an address given and the whole guide sent again; they ask about them all.
        return Intent(Kind.CHOICE, IS_IT_RIGHT)
    rest = _NOT_THAT_SERVICE.fullmatch(text)
    question = profile.questionnaire.question(stage)
    if rest and question is not None and question.reading is Reading.OUR_SMTP:
        # 「gmailじゃなくて117netです」 'not gmail, 117net': the service named is the one not
        # used (it was taken for the Gmail app, and the question asked again); the rest
        # answers.
        return read_text(rest.group("rest"), stage, offered, profile, analyser)
    if question is not None and any(
        question.reading in readings and said.fullmatch(text)
        for readings, said in _EXPLAINED_WHERE_ASKED
    ):
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    dictated = dictated_address(text)
    if dictated is not None and " " not in dictated:
        # 「taro あっと ぶいぴー どっと …」: read as the address typed (and said back so).
        return read_text(dictated, stage, offered, profile, analyser, checked=True)
    if dictated is not None:
        # 「taro yamada あっと …」: how the two words are joined is asked, not guessed; at any
        # question (at the first, the reading below took it for yamada@…: review).
        return Intent(Kind.PARTIAL_ADDRESS, dictated)
    if (
        (question is not None and question.reading is Reading.OUR_SMTP)
        or stage is Stage.ASK_SMTP_HOST
    ) and (host := dictated_host(text)) is not None:
        # 「ぶいえす てん いちいちなな てん えぬいー てん じぇーぴー」 where the sending server is
        # asked: read as the name typed (it was not understood: subscriber20).
        return read_text(host, stage, offered, profile, analyser, checked=True)
    if (
        (
            (question is not None and question.reading is Reading.OUR_SMTP)
            or stage is Stage.ASK_SMTP_HOST
        )
        and (spelt := spelt_label(text)) is not None
        and spelt[0] in _outgoing_labels(profile)
    ):
        # 「ぶいえすです」「ぶいえすえむてぃーぴーだとおもう」: the server's first label spelt
        # as voice input writes it, read as typed (subscriber21: not understood, where
        # 「vsです」 is the yes). Only the profile's own labels: letters' names make words too.
        return read_text("".join(spelt), stage, offered, profile, analyser, checked=True)
    if stage not in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS) and _READ_OUT_ADDRESS.search(text):
        # 「アドレスはたろう の あっと ぶいぴー てん …」 elsewhere than at the address question,
        # a name in kana before it: how to type an address, then the question on screen (it
        # was 「うまく読み取れませんでした」).
        return Intent(Kind.PARTIAL_ADDRESS, SPOKEN_ADDRESS)
    if stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS) and (hint := _not_typed_out(text)):
        # Before the contact words: 「電話番号は03-…です」 here answers the address question.
        return Intent(Kind.PARTIAL_ADDRESS, hint)
    if search(_CONTACT, text):
        return Intent(Kind.HUMAN)
    address = understanding.find_address(text)
    # Read once: the address's own reading below asks again (36 rules: an address typed, all
    # ASCII, is a fifth of its turn's instructions each time).
    recognised = recognise_problem(text)
    if stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS) and FAILING_ALONE.fullmatch(text):
        # 「できません」「ダメです」 where the address is asked: the address not to be had, more
        # likely than mail failing (the error's text asked for there read as beside the point).
        recognised = None
    problem = _side_named(_problem_in(text, recognised), text, profile)
    if problem is Problem.LOGIN_FAILED and names_webmail_alone(text):
        # 「いいえ、ウェブメールです。でもログインできません」: the webmail's login, which no
        # program's setting fixes. Told to make a program's account the whole address, and at
        # the mail-program question its no overruled by the login's proof of a program
        # (subscriber24).
        problem = Problem.WEBMAIL_LOGIN
    if address is not None and problem in _ERROR_TEXTS and not _ours(address, profile):
        # 「550 5.7.1 <foo@example.com>... Relaying denied」: a pasted server reply names the
        # recipient, not the subscriber; the error is what the message says.
        address = None
    if address is not None:
        meant = understanding.misspelt_domain(address, profile.affected_domains)
        if meant is not None:
            # 「taro@vp.117.ne」: one of ours with a typo, not another provider's address.
            name, _, typed = address.rpartition("@")
            # Cut short (「taro@vp.117」) it is to be finished; typed whole but different
            # (「hanako@117.ne.jp」) it is to be told so (`Intent.near_miss`).
            near = "" if meant.startswith(f"{typed}.") else typed
            return Intent(Kind.PARTIAL_ADDRESS, f"{name}@{meant}", near_miss=near)
        return _address_and_the_rest(
            text, address, stage, offered, profile, analyser, recognised=recognised
        )
    if (
        problem in _STILL_BROKEN_AFTER_SETTINGS
        and stage is Stage.SETTINGS_DELIVERED
        and not (problem in _CHECKED_FIRST and feedback.is_asked(tuple(offered)))
    ):
        # 「やってみたけど送れない」 after the new settings: the fix did not help, a person should.
        return Intent(Kind.HUMAN, "still_broken")
    if (
        problem is not None
        and stage in QUESTIONS
        and _WORRY.search(text)
        and not _FAILURE_DATED.search(text)
    ):
        # Mail feared lost, not lost, at a question: reassured and asked again, or the answer
        # beside the worry read (「できないと困ります。使っています」).
        unworried = "、".join(part for part in clauses(text) if not _WORRY.search(part))
        beside = (
            _read_typed(unworried, stage, offered, profile, analyser) if unworried.strip() else None
        )
        if beside is not None and beside.kind is not Kind.UNKNOWN:
            return beside
        return Intent(Kind.SMALL_TALK, SmallTalk.HELP.value)
    if problem is not None:
        # 「送信ができない、iPhoneです」: the program is remembered for the guide.
        return Intent(
            Kind.PROBLEM,
            problem.value,
            program=_named_program(text) or "",
            answer=(answer := _answer_beside(text, stage, profile, analyser)),
            tried_address=problem is Problem.LOGIN_FAILED and _whole_address_said(text),
            sending_side=problem is Problem.LOGIN_FAILED and names_the_sending_side(text),
            yes_ahead=_yes_ahead_beside(text, stage, answer, profile),
        )
    corrected = _corrected_program(text, stage, profile)
    if corrected is not None:
        return corrected
    morphemes = analyser(text) if analyser and len(text) <= _ANALYSED_LENGTH else None
    at_stage = _read_for_stage(text, stage, profile, morphemes)
    if (at_stage is None or at_stage.kind in _ANSWERS) and (
        changed := _mind_changed(text, stage, offered, profile, analyser)
    ):
        # 「いいえ。。。やっぱりはい、会社でも使います」: the answer taken back is not the one.
        return changed
    if at_stage is not None and at_stage.kind is Kind.NO and LEAVE_MESSAGE in offered:
        # A no typed under the offer to take a message ("no, just continue") is the offer's:
        # read as the question's underneath, it lowered the change needed unasked.
        return understanding.understand_choice(CARRY_ON)
    if (
        at_stage is not None
        and at_stage.kind is Kind.UNSURE
        and _ASKED_TO_WAIT.search(text)
        and recognise_small_talk(text) is SmallTalk.WAIT
    ):
        # 「ちょっと待ってください、会社に聞いてみます」: asked to wait while they find out; the
        # check still to make was "not sure", and the question they went to answer was gone.
        return Intent(Kind.SMALL_TALK, SmallTalk.WAIT.value)
    if at_stage is None:
        at_stage = _after_the_yes_before(text, stage, profile, analyser)
    if at_stage is not None and _of_the_line_only(text, at_stage, question):
        # 「外ではドコモを使っています」 at the sending-server question: its 「使っています」
        # was that question's yes, though it speaks only of the line away from home (the
        # network question's, answered yes already), and the bot went on to the blocking
        # question (subscriber18). Not understood here, the turn says the earlier answer is
        # kept and asks this question again (`Turn._earlier_answer_told`).
        return Intent(Kind.UNKNOWN)
    if at_stage is not None and at_stage.kind is Kind.NO and _NOTHING_DONE.fullmatch(text):
        # 「まだ何もしていません」 "nothing done yet" at a question: about the change, not the
        # question (at the first one it was its no, "nothing to change", while the mail
        # program waits for new settings). Told what doing nothing comes to, then asked again
        # (subscriber18).
        return Intent(Kind.TOPIC, Topic.DO_NOTHING.value)
    if at_stage is not None and _blocking_denied_at_home_only(text, at_stage, question):
        # 「家ではブロックされていません」「うちは117netだからしていない」 at the blocking
        # question: that question is asked of the other line (work, away from home), for the
        # subscriber said they use one; home's 117net line says nothing of it. Taken as its
        # no, the change asked for sending was lowered from required to recommended
        # (subscriber18). The question is explained (whose blocking it asks about) and asked
        # again.
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    if (
        at_stage is not None
        and at_stage.kind is Kind.YES
        and question is not None
        and question.reading is Reading.MAIL_PROGRAM
        and names_a_phone(text)
        and _CAN_IT_BE_DONE.search(text)
    ):
        # 「スマホでもできますか」 'can I do this on my phone?' at the mail-program question
        # asks whether a phone will do: its 「できますか」 was taken for the question's yes
        # (「「はい」としてお答えを受け取りました」), and what was asked went unanswered
        # (subscriber24's leftover). Answered, then the question asked again.
        return Intent(Kind.PHONE, PHONE_ASKED)
    if (
        at_stage is not None
        and at_stage.kind is Kind.UNSURE
        and (term := _word_not_known(text, stage, offered, profile, analyser)) is not None
    ):
        # 'I'm not sure. What is SMTP?': not sure of the word, not of the answer. The word is
        # explained and the question asked again, as 「SMTPって何ですか」 alone is (the
        # "not sure" was taken and the word left unexplained).
        return term
    if (
        at_stage is not None
        and at_stage.kind in _ANSWERS
        and (asked := _asked_beside_an_answer(text, stage, offered, profile, analyser))
    ):
        # 「いいえ。パスワードは今のままですよね」: the no was taken, the question dropped.
        return _answered_beside_a_question(
            asked[0], text, stage, offered, profile, analyser, asked_in=asked[1]
        )
    if (
        at_stage is not None
        and stage in _CHOOSING_A_PROGRAM
        and at_stage.value.startswith("program:")
        and (beside := _asked_beside_what_was_asked(text, stage, offered, profile, analyser))
    ):
        # 「Outlookです。パスワードは変わりますか」: the program is the answer, and the question
        # is answered too (it was dropped for the program alone).
        return dataclasses.replace(beside, program=at_stage.value.removeprefix("program:"))
    if at_stage is not None:
        intent = _with_program_named(at_stage, text, stage, profile)
        if _yes_ahead(text, stage, intent, profile):
            # 「会社からも送るし、vs.117.ne.jpを使ってます」: the old server named ahead too.
            return dataclasses.replace(
                intent, yes_ahead=True, old_smtp_named=_names_an_old_smtp(text, profile)
            )
        return _program_beside_a_question(
            _answered_beside_a_question(intent, text, stage, offered, profile, analyser),
            text,
            stage,
            profile,
        )
    anywhere = _program_beside_a_question(
        _answered_beside_a_question(
            _read_anywhere(text, stage, profile), text, stage, offered, profile, analyser
        ),
        text,
        stage,
        profile,
    )
    if anywhere.kind is Kind.UNKNOWN and stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS):
        # Read last, so a greeting, a program, a question or a "yes"/"ok" is never taken
        # for a local part.
        local = understanding.partial_address(_ADDRESS_LEAD_IN.sub("", text))
        if local is not None and read_answer(text, Stage.ASK_ADDRESS, morphemes) is None:
            return _full_address_hint(local, profile, text)
    return anywhere


# A mind changed in the middle of a message: 「…やっぱり」 "…actually".
_MIND_CHANGED: Final = re.compile(
    r"(?:やっぱり|やっぱ|やはり|\bactually\b|\bon second thought\b)[、,。.\s]*"
)


def _mind_changed(
    text: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
) -> Intent | None:
    """The answer after 「やっぱり」 where the words before it gave another: the one meant.

    「いいえ。。。やっぱりはい、会社でも使います」 held both answers and was not understood.
    Only where both halves are answers to the question on screen, and they differ.
    """
    changed = _MIND_CHANGED.search(text)
    if changed is None or profile.questionnaire.question(stage) is None:
        return None
    before, after = text[: changed.start()], text[changed.end() :]
    if not before.strip() or not after.strip() or len(text) > _ANALYSED_LENGTH:
        return None
    first = _read_for_stage(before, stage, profile, analyser(before) if analyser else None)
    meant = _read_typed(after, stage, offered, profile, analyser, checked=True)
    if first is None or first.kind not in _ANSWERS or meant.kind not in _ANSWERS:
        return None
    if first.kind is meant.kind:
        return None
    # Said back as any answer read from a sentence, so 「戻る」 undoes it.
    return dataclasses.replace(meant, value=meant.value or READ)


# A sentence with what ends it (「。」「？」, a full stop before a space): 「vs.117.ne.jp」 is one.
_SENTENCE_AND_END: Final = re.compile(r"(?:[^。!！?？.]|\.(?=\S))+(?:[。!！?？]+|\.(?!\S)|$)")
# A clause that is a plain no and nothing else: 「いいえ、送信サーバーは何ですか」.
_PLAIN_NO: Final = re.compile(r"\s*(?:いいえ|いえ|no)[。.!！\s]*")
# A 「はい」 alone before a question: 「はい、いつまでですか」 "right, until when?".
_PLAIN_YES: Final = re.compile(r"\s*(?:はい|ええ|うん|yes|yeah|ok|okay)[。.!！、,\s]*")
# A yes that is a sentence of its own: 「はい。」 'Yes.' (not 「OK.」, which acknowledges).
_YES_OF_ITS_OWN: Final = re.compile(r"\s*(?:はい|ええ|うん|yes|yeah)\s*[。.!！]+\s*")
# A yes, then another thing asked: 「はい、あと…」 'yes, also …'.
_YES_THEN_ANOTHER_THING: Final = re.compile(
    r"\s*(?:はい|ええ|うん|yes|yeah)[。.!！、,\s]*(?:あと(?!で|何|なん|いくつ)|それと|それから|ついでに"
    r"|ちなみに|ところで|もう(?:一つ|1つ|ひとつ)|(?:and )?also\b|by the way|btw\b|one more thing)"
)
# Where a whole statement ends before a question: 「家だけですが、」「家だけやけど、」.
_STATEMENT_BEFORE: Final = re.compile(r"(?:けれども|けれど|けど|(?<=です)が|(?<=ます)が)[、,\s]*")
# A clause that ends as a whole statement does (「家だけです」 before its 「が、」).
_STATED: Final = re.compile(r"(?:です|ます|ません)\s*$")


def _asked_beside_an_answer(
    text: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
) -> tuple[Intent, str] | None:
    """A sentence of `text` that asks about the migration on its own, and what it asks.

    「いいえ。パスワードは今のままですよね」「いいえ、家だけです。送信サーバーを教えてください」
    read as the answer alone: the sentence asking holds no question mark (a tag 「よね」, a
    request). Only a sentence read as a topic by itself, never one read as an answer
    (「はい。送信サーバーはvs.117.ne.jpです」 at the sending-server question is its yes).
    """
    if len(text) > _ANALYSED_LENGTH:
        return None
    sentences = _SENTENCE_AND_END.findall(text)
    if len(sentences) < 2:
        # 「家だけですけど、もし何もしなかったらどうなるの」: one sentence, a whole statement
        # before its 「けど」 and the question after it, with no question mark (words10: the
        # no was taken and the question dropped).
        sentences = _STATEMENT_BEFORE.split(text, maxsplit=1)
        if len(sentences) < 2 or not _STATED.search(sentences[0]):
            return None
        sentences = sentences[1:]
    for sentence in sentences:
        if _topic(sentence.strip(" 。.!！")) is None:
            continue
        alone = _read_typed(sentence, stage, offered, profile, analyser, checked=True)
        if alone.kind is Kind.TOPIC:
            return alone, sentence
    return None


# Half-width katakana (U+FF66–U+FF9F), as older phones and some keyboards type kana.
_HALF_WIDTH_KANA: Final = re.compile(r"[\uff66-\uff9f]")


def _word_not_known(
    text: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
) -> Intent | None:
    """A part of `text`, after the "not sure", that asks what a word or the question means.

    'I'm not sure. What is SMTP?', 'I don't know, how do I check?': not sure of the word or
    of how to tell, so the word or the question is explained. A part is a sentence, or in
    one sentence a clause after its 「、」/','.
    """
    if len(text) > _ANALYSED_LENGTH:
        return None
    parts = _SENTENCE_AND_END.findall(text)
    if len(parts) < 2:
        parts = [c for c in _CLAUSE.split(text) if c.strip()]
    for part in parts[1:]:
        alone = _read_typed(part, stage, offered, profile, analyser, checked=True)
        if alone.kind is Kind.CHOICE and (
            alone.value == EXPLAIN_QUESTION or alone.value.startswith(TERM)
        ):
            return alone
        if alone.kind is Kind.TOPIC and (
            _term_asked(part.strip()) is not None or _old_host_asked(part, profile)
        ):
            return alone
    return None


# Where a mail program is what the bot asked for.
_CHOOSING_A_PROGRAM: Final = frozenset({Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND})
# A part of a message that says a program is not (or no longer) used: 「Outlookは使っていま
# せん」 'I don't use Outlook any more' names no program in use.
_NOT_USED: Final = re.compile(
    r"ません|ない|無い|なく|やめ|止め|以外|じゃなく|ではなく"
    r"|\b(?:not|no longer|never|stopped|instead of)\b|n't\b"
)


def _program_beside_a_question(
    intent: Intent, text: str, stage: Position, profile: MigrationProfile
) -> Intent:
    """`intent`, a question read, with the program in use that `text` names beside it.

    「Thunderbirdを使っています。新しい送信サーバーは何ですか？」 at the address question: the
    servers were told, the program dropped and asked for again later. At a question of the
    profile or of the card, before the program question (where the program is the answer,
    `_asked_beside_what_was_asked`), the program is kept, as beside a problem. Not a program
    said not to be used (「Outlookは使っていません」), nor a mail service's server
    (「gmailのsmtpは？」, which names no program).
    """
    asked = intent.kind is Kind.TOPIC or (
        intent.kind is Kind.CHOICE and intent.value.startswith(TERM)
    )
    if not asked or intent.program or stage in _CHOOSING_A_PROGRAM:
        return intent
    if profile.questionnaire.question(stage) is None and stage not in _CARD_QUESTIONS:
        return intent
    if _PROVIDERS_SERVER.search(text) or (
        _SERVICE_NAMED.search(text) and not _APP_WORDS.search(text)
    ):
        return intent
    named = _named_program(text)
    if named is None:
        return intent
    parts = [c for s in _SENTENCE_AND_END.findall(text) for c in _CLAUSE.split(s)]
    if any(_NOT_USED.search(part) for part in parts if _named_program(part) is not None):
        return intent
    return dataclasses.replace(intent, program=named)


def _asked_beside_what_was_asked(
    text: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
    *,
    answer_taken_out: bool = False,
) -> Intent | None:
    """A sentence of `text` that asks a topic or a word, beside the program or address given.

    「Outlookです。パスワードは変わりますか」「taro@…です。ポートは何番？」 at the settings'
    first questions: the answer was taken and the question dropped. Only a sentence of its
    own that asks (a question mark, or a word asked about) and is read alone as a topic or
    a word's meaning; the caller puts the answer beside it (`Intent.program`, `.address`).
    `answer_taken_out`: the answer is no longer in `text` (an address cut out), so its
    first sentence may be the question ('taro@… - does my password change?').
    """
    if len(text) > _ANALYSED_LENGTH:
        return None
    sentences = [s for s in _SENTENCE_AND_END.findall(text) if s.strip(" 。.!！、,")]
    if len(sentences) < 2:
        # 「iPhoneです、POPって何ですか」: one sentence, its clauses apart.
        sentences = [c for c in _CLAUSE.split(text) if c.strip()]
    for number, sentence in enumerate(sentences):
        if number == 0 and not (answer_taken_out and _asks(sentence)):
            continue
        if not (_asks(sentence) or _topic(sentence.strip(" 。.!！")) is not None):
            continue
        alone = _read_typed(sentence, stage, offered, profile, analyser, checked=True)
        if alone.kind is Kind.TOPIC or (alone.kind is Kind.CHOICE and alone.value.startswith(TERM)):
            return alone
    return None


def _answered_beside_a_question(
    intent: Intent,
    text: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
    *,
    asked_in: str = "",
) -> Intent:
    """`intent`, a question asked at a question, with the answer said beside it (`answer`).

    「いいえ、家だけです。それと送信サーバーは何にすればいいですか」 at the network question: the
    servers were told and the network question asked again, its no lost. The sentences that
    ask nothing are read as any answer typed at the question (a program named in them is
    kept too); without such a sentence, the clause before the question gives a yes or "not
    sure", or a no said plainly (「いいえ、…」): a no read from less would lower the change
    needed on less than the subscriber said, as beside a problem (`_answer_beside`).
    """
    # A word asked about, and "do I need to change anything?" (the questions decide it).
    asked_a_term = intent.kind is Kind.CHOICE and (
        intent.value.startswith(TERM) or intent.value == WHETHER_TO_CHANGE
    )
    if (
        (intent.kind is not Kind.TOPIC and not asked_a_term)
        or intent.answer
        # The sending-server question of the settings is answered yes or no as well.
        or (profile.questionnaire.question(stage) is None and stage is not Stage.ASK_SMTP_HOST)
        or len(text) > _ANALYSED_LENGTH
    ):
        return intent
    sentences = _SENTENCE_AND_END.findall(text)
    rest = "".join(s for s in sentences if s != asked_in and not _asks(s))
    kinds = _ANSWERS
    if not rest.strip() or len(rest) == len("".join(sentences)):
        # 「家だけですが、…」「家だけやけど、…」: a statement whole before its 「が」「けど」;
        # 「いいえ、…」 a plain no; another clause before a 「、」 half of one.
        first, *after = _STATEMENT_BEFORE.split(text, maxsplit=1)
        if not after:
            first, *after = _CLAUSE_BEFORE.split(text, maxsplit=1)
            if not (_PLAIN_NO.fullmatch(first) or _STATED.search(first)):
                kinds = _HALF_SAID
        if not after or _asks(first):
            return intent
        rest = first
    if _PLAIN_YES.fullmatch(rest) and not (
        _YES_OF_ITS_OWN.fullmatch(rest) or _YES_THEN_ANOTHER_THING.match(text)
    ):
        # 「はい、いつまでですか」: the 「はい」 of someone about to ask, not the question's yes.
        # A 「はい。」 that ends its sentence, or is followed by 「あと」 'also' (「はい。あと送信
        # サーバーは…？」), answers the question on screen (words10: the yes was dropped).
        return intent
    answer = _read_typed(rest, stage, offered, profile, analyser, checked=True)
    if answer.kind is Kind.PROGRAM and answer.answer and Kind.NO in kinds:
        # 「いいえ、Outlookを使ってます。パスワードは…」: the no, and the program named.
        answer = Intent(Kind.NO, READ, program=answer.value)
    if answer.kind not in kinds:
        return intent
    program = answer.program or answer.value.removeprefix("program:")
    return dataclasses.replace(
        intent,
        answer=_ANSWER_VALUES[answer.kind],
        program=intent.program or (program if program != READ else ""),
        yes_ahead=answer.yes_ahead,
        old_smtp_named=answer.old_smtp_named,
    )


def _asks(sentence: str) -> bool:
    """Whether `sentence` asks something: a question or a word asked about."""
    # 「…変更すればよいですか。」: a question ended with a full stop asks too (words9: read as
    # the answer beside the first question, it hid that answer).
    return (
        bool(_QUESTION_MARK.search(sentence.strip().rstrip("。.!！ ")))
        or _term_asked(sentence) is not None
    )


# The mail-program question's yes said again: its verb (「使ってます」 "I use it") or a program
# named, and nothing of the line the network question asks about.
_PROGRAM_USED: Final = re.compile(
    r"(?:(?:メールソフト|めーるそふと|ソフト)(?:は|を)?\s*)?(?:使|つか)(?:って(?:い|おり)?ます|ってる|います)"
    r"(?:よ|ね)?|(?:i )?(?:use|am using) (?:it|one|them|a mail program)|i do"
)
_LINE_WORDS: Final = re.compile(
    r"会社|職場|勤務先|家|自宅|うち|外|そと|出先|lan|プロバイダ|回線|wi-?fi|テザリング"
    r"|\b(?:home|work|office|provider|network|isp|line)\b"
)
_PART_BREAK: Final = re.compile(r"[、,。.!！;；\s]+")


def _after_the_yes_before(
    text: str, stage: Position, profile: MigrationProfile, analyser: Analyser | None
) -> Intent | None:
    """The network question's answer after the mail-program question's yes said again.

    「はい使ってます、あと家だけです」 'yes outlook. only from home': one part said yes (to the
    question before, already answered so) and the other no, and the question was asked
    again. Only where the yes repeated names the program or its use and nothing of the line
    or a negation; the rest is read as any answer at the question (said back, so undone).
    """
    question = profile.questionnaire.question(stage)
    leading = _SAYS_YES.match(text)
    if question is None or question.reading is not Reading.OTHER_NETWORK or leading is None:
        return None
    after = text[leading.end() :].lstrip("、,。.!！ ")
    for cut in _PART_BREAK.finditer(after):
        first, rest = after[: cut.start()], after[cut.end() :]
        if not rest.strip() or _LINE_WORDS.search(first) or _UNSAID.search(first):
            continue
        if not (_PROGRAM_USED.fullmatch(first) or (len(first) <= 24 and _named_program(first))):
            continue
        answer = _read_for_stage(rest, stage, profile, analyser(rest) if analyser else None)
        if answer is not None and answer.kind in _ANSWERS and answer.value == READ:
            return answer
    return None


def _yes_ahead(text: str, stage: Position, intent: Intent, profile: MigrationProfile) -> bool:
    """Whether `text`, read as `intent` at `stage`, also says yes to the question after it.

    Only an answer read from a sentence (a bare 「はい」 says nothing more), and only where the
    next question is one whose phrasings are known.
    """
    questionnaire = profile.questionnaire
    if (
        intent.kind not in _ANSWER_VALUES
        or not intent.value
        or questionnaire.question(stage) is None
    ):
        return False
    following = questionnaire.question(questionnaire.next(stage.value, _ANSWER_VALUES[intent.kind]))
    if following is None or following.reading is Reading.PLAIN:
        return False
    reader = _READERS[following.reading]
    if reader is Stage.Q3_USES_OUR_SMTP and _names_our_smtp(text, profile):
        # 「会社からも送るし、vs.117.ne.jpを使ってます」 at the network question.
        return not _UNSAID.search(text)
    return affirmed_ahead(text, reader, own_names(profile))


# A server named and then unsaid: 「vs.117.ne.jpは使ってない」.
_UNSAID: Final = re.compile(r"(?:ませ|な)(?:ん|い|かった)|\b(?:not|never|don'?t|no longer)\b")


_SENTENCE: Final = re.compile(r"[。!！?？]|\.(?!\S)")
_ANSWER_VALUES: Final[dict[Kind, str]] = {Kind.YES: "yes", Kind.NO: "no", Kind.UNSURE: "unsure"}


def _answer_beside(
    text: str, stage: Position, profile: MigrationProfile, analyser: Analyser | None
) -> str:
    """The answer to the question on screen in the sentences beside a problem report, or "".

    「はい、会社からも送ります。でも0x800CCC0Eが出ます」 answers the question and reports the
    error: the answer was dropped and the question asked again. Only sentences that report
    no problem are read, with the question's own phrasings.
    """
    if profile.questionnaire.question(stage) is None:
        return ""
    # An address beside an error is its recipient's or the account's, never an answer: a
    # bounce's 'Your message to hanako@gmail.com has been blocked.' was the sending question's
    # no ("another provider's server"), which leaves the sending settings as they are.
    text = understanding.without_addresses(text)
    # A sentence that asks (「パスワードは変わりますか？」) answers nothing: read with the
    # answer beside it, it hid that answer (「家だけです。送信できません。パスワードは…？」).
    rest = "。".join(s for s in _beside_the_problem(text).split("。") if s and not _asks(s))
    if rest:
        return _answer_in(rest, stage, profile, analyser, frozenset(_ANSWER_VALUES))
    # 「会社からは送れないので、してると思います」: the answer in the clause after the symptom,
    # one sentence. Half a sentence is read for a yes or a "not sure" only: a no there would
    # lower the change needed on less than the subscriber said.
    clauses = [c for c in _CLAUSE_AFTER.split(text) if c.strip()]
    if len(clauses) >= 2 and recognise_problem(clauses[-1]) is None:
        return _answer_in(clauses[-1], stage, profile, analyser, _HALF_SAID)
    # 「はい、会社でブロックされてるみたいで送れない」「vs.117.ne.jpですが送れません」 'yes at
    # work, and I get 0x800CCC0F there': the answer in the clause before the symptom (it was
    # dropped and the question asked again: subscriber23). A yes or a "not sure" only, as above.
    clauses = [c for c in _CLAUSE_BEFORE.split(text, maxsplit=1) if c.strip()]
    if len(clauses) < 2 or recognise_problem(clauses[0]) is not None:
        return ""
    # A clause that is a whole statement of its own before its 「、」 (「家だけです、送信
    # できませんと出ます」) says all of its answer, the no too. A bare 「いいえ、」 may deny
    # the problem's words (「いいえ、送れません」), and a clause cut short (「家から送ると」)
    # is half a sentence, whose words a problem's text often starts with: a yes at most.
    whole = bool(_STATED.search(clauses[0])) and text[len(clauses[0]) :].lstrip().startswith(
        ("、", ",")
    )
    return _answer_in(
        clauses[0], stage, profile, analyser, frozenset(_ANSWER_VALUES) if whole else _HALF_SAID
    )


def _yes_ahead_beside(text: str, stage: Position, answer: str, profile: MigrationProfile) -> bool:
    """Whether the sentences beside a problem say yes to the question after the one on screen.

    「昨日から急に送れなくなりました。Outlookです。会社からも使ってます。」: the problem proves
    the first question (a mail program), and the network question was asked anyway. Only a yes
    (the answer that asks for more change), only after a yes or a problem that proves one, and
    only in the question's own plain words (`affirmed_ahead`).
    """
    questionnaire = profile.questionnaire
    if questionnaire.question(stage) is None or answer not in ("", "yes"):
        return False
    following = questionnaire.question(questionnaire.next(stage.value, "yes"))
    if following is None or following.reading is Reading.PLAIN:
        return False
    # The sentences beside it, or else the clauses (「送信できません、会社のLANからです」) of
    # a message short enough to be an answer (a paste's clauses are all error text).
    rest = _beside_the_problem(text)
    if not rest and len(text) <= _ANALYSED_LENGTH:
        rest = _beside_the_problem(text, _CLAUSE)
    return bool(rest) and affirmed_ahead(rest, _READERS[following.reading], own_names(profile))


# Where a clause of one sentence ends: 「送信できません、会社のLANからです」.
_CLAUSE: Final = re.compile(r"[、,]\s*")


@functools.lru_cache(maxsize=8)
def _beside_the_problem(text: str, parts: re.Pattern[str] = _SENTENCE) -> str:
    """The parts of `text` (its sentences, or `parts`) that report no problem, joined; "" if none.

    Cached for one message (`read_text` empties it): the answer on screen and the yes ahead
    both read them, and each part is read for a problem (a 2,000-character paste: about 80
    sentences).
    """
    pieces = [piece for piece in parts.split(text) if piece.strip()]
    return "。".join(piece for piece in pieces if recognise_problem(piece) is None)


# Where a clause ends and the next begins: 「送れないので」「送れないから、」「届かないけど」.
_CLAUSE_AFTER: Final = re.compile(r"ので[、,\s]*|から[、,]\s*|けれど[、,\s]*|けど[、,\s]*")
# Where the clause before a symptom ends: 「はい、」「…ですが」 'yes at work, and …'.
_CLAUSE_BEFORE: Final = re.compile(r"[、,]\s*|(?<=です)が\s*|(?<=ます)が\s*")
# What half a sentence may answer: never the no, which would lower the change needed on
# less than the subscriber said.
_HALF_SAID: Final = frozenset({Kind.YES, Kind.UNSURE})


def _answer_in(
    text: str,
    stage: Position,
    profile: MigrationProfile,
    analyser: Analyser | None,
    kinds: frozenset[Kind],
) -> str:
    """The answer `text` gives to the question on screen, if of one of `kinds`, or ""."""
    if len(text) > _ANALYSED_LENGTH:
        return ""
    answer = _read_for_stage(text, stage, profile, analyser(text) if analyser else None)
    if answer is None or answer.value.startswith("program:") or answer.kind not in kinds:
        return ""
    return _ANSWER_VALUES.get(answer.kind, "")


# Where the address is what the bot asked for: it stays the point of the message.
_ASKING_ADDRESS: Final = frozenset(
    {Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS, Stage.SETTINGS_DELIVERED}
)
# What the rest of a message may say beside an address, to be acted on with it kept.
_SAYS_NO_FIRST: Final = re.compile(r"\s*(?:いいえ|いえ|no\b)")
_BESIDE_AN_ADDRESS: Final = frozenset(
    {Kind.PROBLEM, Kind.PROGRAM, Kind.TOPIC, Kind.YES, Kind.NO, Kind.UNSURE}
)


def _address_and_the_rest(
    text: str,
    address: str,
    stage: Position,
    offered: tuple[str, ...],
    profile: MigrationProfile,
    analyser: Analyser | None,
    *,
    recognised: Problem | None,
) -> Intent:
    """An address, and what else the message says: 「送信ができない、アドレスは taro@…」.

    Pasted errors name the account too (Outlook's 「タスク 'taro@… - 受信中' でエラー」,
    Thunderbird's "Login to server … with username taro@… failed"): the error is the
    point, the address is kept beside it. Where the address was asked for, it stays the
    point and only a program named with it rides along. `recognised`: the problem the whole
    text reports (`recognise_problem(text)`), read by the caller.
    """
    if not profile.is_affected(address):
        return Intent(Kind.ADDRESS, address)
    if stage is Stage.ASK_ADDRESS and (
        asked := _asked_beside_what_was_asked(
            understanding.without_addresses(text),
            stage,
            offered,
            profile,
            analyser,
            answer_taken_out=True,
        )
    ):
        # 「taro@…です。ポートは何番？」: the address is taken, and the question answered.
        return dataclasses.replace(asked, address=address)
    if stage in _ASKING_ADDRESS and not (
        # 「ユーザー名をtaro@…にしたのにパスワード違うって」 after the card: the error is the
        # point, the address is what was typed into the program.
        (stage is Stage.SETTINGS_DELIVERED and recognised is not None)
        # A program's error pasted where the address was asked for (Thunderbird's 「ユーザー名
        # taro@… でサーバー … へのログインに失敗しました」): its fix is said, the address kept.
        or (stage is Stage.ASK_ADDRESS and recognised in _ERROR_TEXTS)
    ):
        return Intent(Kind.ADDRESS, address, program=_named_program(text) or "")
    # Every address out (as read, 「taro ＠ vp…」 and 「アットマーク」 put right): the rest
    # holds none, so it is read once.
    without = understanding.without_addresses(text)
    rest = read_text(without, stage, offered, profile, analyser)
    if rest.kind is Kind.NO and not _SAYS_NO_FIRST.match(without):
        # 「taro@… は使っていません」 may be about the address: only a plain "no" lowers
        # the change needed.
        return Intent(Kind.ADDRESS, address)
    if rest.kind in _BESIDE_AN_ADDRESS or rest.value.startswith("program:"):
        tried = rest.kind is Kind.PROBLEM and _typed_as_the_account(text, address)
        return Intent(
            rest.kind,
            rest.value,
            address=address,
            program=rest.program,
            tried_address=tried,
            sending_side=rest.sending_side,
            box_said_off=rest.box_said_off,
        )
    return Intent(Kind.ADDRESS, address)


# The account field named just before the address, and the problem going on all the same:
# 「ユーザー名をtaro@…にしたのに」「アカウントは taro@… にしてますが」 "user name is taro@… but".
# Outlook's error names the account too (「タスク 'taro@… - 受信中'」), but not as a field typed.
_ACCOUNT_FIELD: Final = (
    r"(?:ユーザー?名|ユーザー?ID|アカウント名?|ログイン(?:名|ID)|\bID|ＩＤ"
    r"|user ?name|account|login)"
    r"\s*(?:を|は|に|が|も|:|：|=|\bis\b|\bas\b|\bto\b)?\s*[「『\"']?\s*"
)
_ALL_THE_SAME: Final = re.compile(
    r"のに|ても|でも|けど|けれど|ましたが|てますが|ていますが|\bbut\b|\bstill\b|\beven\b"
    r"|\balready\b"
)


# The whole address said in words as what was typed, and the login refused all the same:
# 「アカウントをアドレス全部にしたけど」「ユーザー名をメールアドレス全体にしたのに」.
_WHOLE_ADDRESS_WORDS: Final = re.compile(
    r"(?:メール)?アドレス(?:を)?(?:全部|全体|ぜんぶ|ぜんたい|丸ごと|まるごと|フル)"
    r"|@(?:から|以降|の後ろ|のうしろ|の後|のあと)(?:も|まで)"
    r"|(?:full|whole|entire|complete) (?:e-?mail )?address"
)


def _whole_address_said(text: str) -> bool:
    """Whether `text` says the whole address is already the account, and it still fails."""
    said = _WHOLE_ADDRESS_WORDS.search(text)
    return said is not None and _ALL_THE_SAME.search(text, said.end()) is not None


def _typed_as_the_account(text: str, address: str) -> bool:
    """Whether `text` says `address` was typed as the account and the problem stayed."""
    typed = re.search(_ACCOUNT_FIELD + re.escape(address), text, re.IGNORECASE)
    return typed is not None and (
        _ALL_THE_SAME.search(text, typed.end()) is not None
        or _REFUSED_WITH_IT.search(text, typed.end()) is not None
    )


# The program's own words after the account it used: Thunderbird's 'Login to server … with
# username taro@… failed', 「ユーザー名 taro@… で…ログインに失敗しました」. The whole address was
# the account already (subscriber23: told to make it the whole address, as it was).
_REFUSED_WITH_IT: Final = re.compile(r"\bfailed\b|失敗|できませんでした|でき(?:ない|ません)")


_ANSWERS: Final = frozenset({Kind.YES, Kind.NO, Kind.UNSURE})


def _with_program_named(
    intent: Intent, text: str, stage: Position, profile: MigrationProfile
) -> Intent:
    """An answer that also names the program in use (「家だけです、iPhoneで見ています」).

    Not a "no" to the first question: 「Outlookは使っていません」 names what is not used.
    """
    question = profile.questionnaire.question(stage)
    if question is None or intent.kind not in _ANSWERS or intent.value.startswith("program:"):
        return intent
    if intent.kind is Kind.NO and question.reading is Reading.MAIL_PROGRAM:
        return intent
    if _without_a_program_denied(text) is not None:
        # 「Outlookは使っていません、家だけです」: the no, and Outlook not the program.
        return intent
    if question.reading is Reading.OUR_SMTP and (
        _PROVIDERS_SERVER.search(text)
        or (_SERVICE_NAMED.search(text) and not _APP_WORDS.search(text))
    ):
        # 「gmailのsmtpです」 names Google's sending server, not the Gmail app; 「gmailです」
        # may name either (not sure): the program question asks which program it is.
        return intent
    named = _named_program(text)
    return Intent(intent.kind, intent.value, program=named) if named else intent


def _without_a_program_denied(text: str) -> str | None:
    """`text` without its parts that say a program is not used, or None if none says so.

    「Outlookは使っていません」 gives ""; 「Outlookは使っていません、家だけです」 gives
    「家だけです」.
    """
    parts = [c for s in _SENTENCE_AND_END.findall(text) for c in _CLAUSE.split(s) if c.strip()]
    denied = [p for p in parts if _named_program(p) is not None and says_not_used(p)]
    if not denied:
        return None
    return "、".join(p for p in parts if p not in denied)


def _named_program(text: str) -> str | None:
    if names_no_guide(text) is NoGuide.GMAIL_WEB:
        # 「Gmailで117のメールを受信していますが…」, Gmail's "Check mail from other accounts":
        # Gmail on the web collecting the mail, not the Android app (whose guide and 「送信設定」
        # line a pasted fetch error got).
        return None
    program = recognise_program(text)
    return program if isinstance(program, str) or program is None else program.value


_SERVER_WORDS: Final = re.compile(r"サーバ|server|smtp")
# Mail services whose names are also programs' (or their makers'): named at the server
# question, the service's server may be meant rather than the program.
_MAIL_SERVICES: Final = r"(?:gmail|google|outlook|hotmail|yahoo|icloud)(?:\.com)?"
# A mail service denied, then what is used: 「gmailじゃなくて117netです」, 'not gmail, 117net'.
_NOT_THAT_SERVICE: Final = re.compile(
    rf"(?:(?:{_MAIL_SERVICES}|グーグル|ヤフー)"
    r"(?:の(?:smtp|サーバー?|メール))?\s*(?:じゃなくて|じゃなく|ではなくて|ではなく|でなく)"
    rf"|not {_MAIL_SERVICES}(?: but)?)[、,;\s]*(?P<rest>\S.*)"
)
# After one guide, the other device or program asked about: 「パソコンのほうはどうすれば
# いいですか」「もう一台のほうは？」 "what about my computer?".
_THE_OTHER_DEVICE: Final = re.compile(
    r"(?:パソコン|ぱそこん|pc|もう(?:一台|1台|ひとつ|一つ)|別の(?:ソフト|パソコン|端末|機械)"
    r"|ほかの(?:ソフト|パソコン|端末)|他の(?:ソフト|パソコン|端末)|スマホ|すまほ|iphone|ipad|携帯"
    r"|タブレット|mac|マック|ノート)"
    # 「パソコンは何を押せば」 after a computer's guide asks about its steps: 「どこを」「何を」
    # only after 「のほう」, which sets one device against the other.
    r"(?:の(?:ほう|方)\s*(?:は|も)\s*(?:どう|[?？]|(?:どこ|何|なに)を)|\s*(?:は|も)\s*(?:どう|[?？]))"
    # 「パソコンのほうもお願いします」 (words9: not understood). A device that names no program:
    # 「iPhoneのほうも教えて」 is the iPhone's steps.
    r"|(?:パソコン|ぱそこん|pc|スマホ|すまほ|携帯|けいたい|タブレット|ノート|もう(?:一台|1台))"
    r"(?:の(?:ほう|方))?\s*も\s*(?:お願い|おねがい|教えて|おしえて|知りたい|しりたい)"
    r"|\b(?:what|how) about (?:the |my )?(?:other (?:one|device|computer|program|app)|pc|computer"
    r"|laptop|iphone|ipad|phone|mac|desktop|tablet)\b"
)
# The wait asked for in words (「主人に聞いてみます」 alone stays not sure).
_ASKED_TO_WAIT: Final = re.compile(r"待っ|まって|待ち|まち|\bwait\b|\bhold on\b")
# A mail service named at the server question, as the whole answer (「gmailです」), or beside
# the provider (「117netとgmail両方」); an app named (「Gmailアプリです」) is the program.
# Not Outlook: 「Outlookです」 names the program first.
_SERVICES: Final = (
    r"(?<![a-z])(?:gmail|google|hotmail|yahoo|icloud)(?![a-z])|グーグル|ヤフー|ジーメール"
    # In hiragana, as voice input writes it: 「じーめーるでおくってます」 (subscriber20).
    r"|じー\s*(?:メール|めーる)|ぐーぐる"
    # 「Gメールです」, as Gmail is often written (subscriber21: taken for the Gmail app).
    r"|(?<![a-z])g\s*メール"
)
_SERVICE_NAMED: Final = re.compile(_SERVICES)
_SERVICE_ALONE: Final = re.compile(
    rf"(?:{_SERVICES})\s*(?:の(?:もの|やつ))?\s*"
    r"(?:です|でした|だよ|だと思います|を使って(?:い)?ます|です(?:ね|よ))?[。.!！\s]*"
)
# Mail said to be sent with a service named, no server nor app: 「ジーメールで送ってます」
# 'I send through gmail'. As 「gmailです」, Google's own server (another mail service's: the
# notice's no, nothing to change) or the Gmail app sending through the provider's (its yes).
_SENT_WITH_SERVICE: Final = re.compile(
    rf"\s*(?:{_SERVICES})\s*(?:で|から|経由で?|を使って|をつかって|を通して|のほうで)\s*"
    r"(?:(?:メール|めーる)を?\s*)?"
    r"(?:(?:送|おく)(?:って(?:い)?(?:ます|る)|ります|る)|(?:送信|そうしん)(?:して(?:い)?(?:ます|る)|します))"
    r"(?:よ|ね)?[。.!！\s]*"
    r"|\s*(?:i\s+)?(?:send|am sending|'m sending)\s+(?:(?:my\s+)?(?:mail|e-?mails?|it|them)\s+)?"
    rf"(?:through|via|with|using|from|by|on)\s+(?:{_SERVICES})(?:\.com)?[.!\s]*"
    # 'I use gmail to send' (subscriber21: its "I use" was the yes).
    rf"|\s*(?:i\s+)?(?:use|am using|'m using)\s+(?:{_SERVICES})(?:\.com)?\s+(?:to|for)\s+"
    r"(?:send|sending)(?:\s+(?:my\s+)?(?:mail|e-?mails?|it|them))?[.!\s]*"
)
_APP_WORDS: Final = re.compile(r"アプリ|\bapps?\b|android|アンドロイド|iphone|スマホ")
# The program's SMTP authentication said to be off or unticked, or its box named:
# 「送信サーバー認証にチェックを入れていません」「SMTP認証はオフです」 'SMTP auth is unchecked'.
_AUTH_SETTING_SAID: Final = re.compile(
    r"(?:(?:smtp|送信|サーバー?)[^。]{0,8}?|^)認証[^。、,]{0,14}?"
    r"(?:チェック|ちえっく|check|レ点|オフ|おふ|\boff\b|無効|外(?:し|れ)|はず(?:し|れ)|なし"
    r"|(?:して|使って|つかって|設定して|入れて|いれて)(?:い|おり)?(?:ない|ません))"
    r"|\b(?:smtp )?auth(?:entication)?\b[^.!?]{0,30}?\b(?:is |was )?(?:off|unchecked|unticked"
    r"|disabled|not (?:checked|ticked|on|enabled|set|used|turned on))\b"
    r"|\b(?:didn'?t|did not|don'?t|do not|never|haven'?t|have not)\s+(?:check|tick|enable|use"
    r"|turn on|set)\b[^.!?]{0,20}?\b(?:smtp )?auth"
)
# The box said to be left off: 「…入れてないです」「オフです」 'unchecked', 'didn't tick'.
_LEFT_OFF: Final = re.compile(
    r"ない|ません|なし|オフ|おふ|\boff\b|無効|外(?:し|れ)|はず(?:し|れ)|\bun(?:checked|ticked)\b"
    r"|\bdisabled\b|\bnot\b|n'?t\b|\bnever\b"
)
# Gmail among the services: its app sends through the provider's server as readily as
# Google's, which the explanation for it tells apart (`GMAIL_NAMED`).
_GMAIL: Final = re.compile(
    r"gmail|google|ジーメール|じー\s*(?:メール|めーる)|(?<![a-z])g\s*メール|グーグル|ぐーぐる"
)
# Its answer (`Kind.UNSURE`): Gmail named at the sending-server question, with or without a
# verb of sending; the turn says how to tell Google's server from the provider's instead of
# the question's general note.
GMAIL_NAMED: Final = "gmail_named"
# 「いいえgmailのです」 "No, gmail" at the server question: the no, and whose server instead
# (taken for a program put right, the Gmail app's guide was offered).
_NO_THEN_SERVICE: Final = re.compile(
    rf"^(?:いいえ|いや|いえ|no|nope)[、,.\s]*(?:{_SERVICES})"
    r"(?:の(?:です|でした|もの|やつ)?|です|でした|'s(?: one)?)?[。.!！\s]*$"
)
# The kind of line named at the network question: 「いいえ、ケーブルテレビです」「フレッツです」
# "no, apartment internet". Such a line's provider may be the provider itself or another
# company, which is what the question decides; read as the no, it said the old sending
# settings keep working, though another provider's line may block port 25.
_LINE_KIND: Final = re.compile(
    r"ケーブル\s*(?:テレビ|tv)?|けーぶる|catv|フレッツ|ふれっつ|\bflets\b|\bntt\b"
    r"|(?:マンション|アパート|集合住宅|団地|社宅|寮)(?:の|で)?\s*"
    r"(?:ネット|インターネット|回線|wi-?fi|ワイファイ|lan)"
    r"|\bcable\b|\b(?:apartment|building|condo|flat|complex|dorm)'?s? ?"
    r"(?:internet|wi-?fi|network|line)\b"
    # 「光です」「光回線です」 alone (subscriber18: not understood, where 「フレッツ光です」 was
    # told how to find whose line it is).
    # 「うちは光回線です」「ADSLです」 too (subscriber23: not understood; 117net sells ADSL).
    r"|^(?:(?:うち|家|いえ|自宅)(?:は|の)?\s*)?(?:(?:光|ひかり)(?:回線|ファイバー)?|adsl)\s*"
    r"(?:です|でした|だよ|かな)?[。.!！\s]*$"
)
# Its answer (`Kind.CHOICE`): how to tell whose line it is, then the question again.
LINE_NAMED: Final = "line_named"
# The phone company named as whose server it is: it may be the provider itself. So may the
# workplace's provider (「会社のプロバイダーのサーバーです」, subscriber22: not understood).
_PHONE_COMPANY: Final = re.compile(
    r"\b(?:tele)?phone company|\bmobile (?:carrier|company|provider)|\bcarrier'?s\b"
    r"|電話会社|(?:携帯|けいたい|ケータイ)(?:電話)?(?:の)?(?:会社|キャリア)"
    r"|(?:会社|かいしゃ|職場|勤務先)(?:の|が\s*契約して(?:い)?る)\s*(?:プロバイダ|ぷろばいだ|isp)"
    r"|\b(?:company|work|office)'?s (?:isp|internet provider|provider)\b"
)
# A mail service that is also a program's name, with its server: the server is meant.
_PROVIDERS_SERVER: Final = re.compile(
    # "gmail's smtp server" as 「gmailのサーバー」 (it was taken for the Gmail app).
    rf"{_MAIL_SERVICES}(?:'s)?\s*の?\s*(?:smtp|サーバ|server)"
)
# Words about the sending server: with them a program named at the server question is
# where the answer was read from (「Outlookで117netのサーバーを使っています」).
_SENDING_WORDS: Final = re.compile(r"サーバ|server|smtp|送信|送って|送る|send|117|vs\.")
# 「はい、Outlookです」 answers the question first, and names the program beside it.
_SAYS_YES: Final = re.compile(r"\s*(?:はい|ええ|うん|yes\b|yeah\b|yep\b)")
# The line away from home or another company's, as the network question's subject: not the
# server the sending-server question asks about.
_LINE_AWAY: Final = re.compile(
    r"(?<!以)(?:外|そと|外出先|出先)(?:で|から)?(?:は|も)|ドコモ|docomo|(?<![a-z])au(?![a-z])"
    r"|ソフトバンク|softbank|楽天|ワイモバイル|テザリング|ポケット\s*wi-?fi|会社|職場|勤務先"
    r"|\b(?:at|from) (?:work|the office|my office)\b|\bwhen i'?m out\b|\bmobile data\b"
)
_SERVER_OR_SENDING: Final = re.compile(r"サーバ|smtp|送信|\bservers?\b|\bsend\w*|117net|vs\.")
# An answer word first (「はい、外ではドコモです」): the question on screen answered, the rest
# said beside it.
_ANSWER_FIRST: Final = re.compile(
    r"\s*(?:はい|ええ|うん|いいえ|いえ|いや|ううん|yes|yeah|yep|no|nope)(?![a-z])"
)


# Nothing done yet, said alone: 「まだ何もしていません」「特に何もやってないです」.
_NOTHING_DONE: Final = re.compile(
    r"\s*(?:まだ|いまのところ|今のところ)?\s*(?:何も|なにも|なんにも|特に(?:何も|なにも)?)\s*"
    r"(?:して|やって|変更して|へんこうして|設定して|せっていして|変えて|かえて|いじって)"
    r"(?:い)?(?:ない|ません)(?:です)?(?:が|けど)?[。.!！…\s]*"
)
# A mobile carrier named alone, as whose line it is: 「携帯の会社です」「ドコモです」, and with
# its use said, 「ドコモを使っています」 'I use docomo' (subscriber19: not understood, and kept as
# half a sentence).
_CARRIER_ALONE: Final = re.compile(
    r"(?:(?:i use|i'?m on|i am on|we use|it'?s|its|on)\s+)?"
    r"(?:(?:携帯|けいたい|ケータイ|スマホ|すまほ)の?(?:会社|回線|キャリア)"
    r"|ドコモ|docomo|au|ソフトバンク|softbank|楽天モバイル|ワイモバイル|y!?\s*mobile|ahamo|povo"
    r"|uq\s*(?:mobile|モバイル)?"
    # 「かいしゃのらんです」「会社のLANです」 'the office network': the workplace's network
    # named, as a carrier is (subscriber22: not understood).
    r"|(?:会社|かいしゃ|職場|しょくば|勤務先|オフィス)の?\s*(?:lan|らん|ラン|ネット(?:ワーク)?"
    r"|ねっと(?:わーく)?|回線|かいせん|インターネット|wi-?fi|ワイファイ|わいふぁい)"
    r"|(?:my\s+|our\s+|the\s+)?(?:company|work|office)(?:'s)?\s+"
    r"(?:lan|network|wi-?fi|internet))"
    r"\s*(?:の回線)?\s*(?:から)?\s*(?:です|でした|だよ|かな|だと(?:思|おも)(?:います|う)"
    r"|(?:を|で)\s*(?:使|つか|つな|繋)(?:って|いで)(?:い)?(?:ます|る))?"
    r"(?:\s+(?:line|network))?[。.!！\s]*"
)
# Mail said to go, with no server named: 「メールは普通に送れてます」 'it sends fine'.
_SENDS_FINE: Final = re.compile(
    r"\s*(?:(?:メール|めーる)(?:は|も)?\s*)?(?:普通に|ふつうに|ちゃんと|問題なく|いつも)?\s*"
    r"(?:送れて(?:い)?(?:ます|る)|おくれて(?:い)?(?:ます|る)|送信でき(?:て(?:い)?(?:ます|る)|ます))"
    r"(?:よ|けど)?[。.!！\s]*"
    r"|\s*(?:(?:it|mail|email|sending)\s+)?(?:sends?|works?|goes)\s+"
    r"(?:fine|ok|okay|out fine)[.!\s]*"
    r"|\s*i can send(?:\s+(?:fine|mail|emails?|ok|okay))?[.!\s]*"
)
# A carrier's blocking asked after: 「ドコモはしてますか」 'does docomo block it?'.
_CARRIER_ASKED: Final = re.compile(
    r"\s*(?:ドコモ|docomo|au|ソフトバンク|softbank|楽天(?:モバイル)?|ワイモバイル|y!?\s*mobile|ahamo|povo"
    r"|uq\s*(?:mobile|モバイル)?|(?:携帯|けいたい|ケータイ|スマホ)の?(?:会社|回線|キャリア))"
    r"\s*(?:は|って|も|の場合は?)\s*(?:(?:どう|どうなの|どうかな)(?:ですか|でしょうか)?[?？。\s]*"
    r"|(?:してる|して(?:い)?ます|やって(?:い)?ます|実施して(?:い)?ます|ブロックして(?:い)?ます"
    r"|ブロックされて(?:い)?ます)?\s*(?:か|の|かな|(?:ん|の)?ですか|(?:ん|の)?でしょうか|[?？])[?？。\s]*)"
    r"|\s*(?:does|do|is)\s+"
    r"(?:docomo|au|softbank|rakuten|ahamo|povo|my (?:phone|mobile) (?:company|carrier))"
    r"\s+(?:block(?:ed)?|do)\s*(?:it|that|port\s*25|this)?[?.\s]*"
)
# Home named alone, with its line at most: 「家です」「自宅のWi-Fiです」 'from home', 'home wifi'.
_HOME_NAMED_ALONE: Final = re.compile(
    r"\s*(?:家|自宅|うち|じたく|いえ(?=の|から|で))(?:の\s*(?:ネット|インターネット|回線|光回線|光|ひかり"
    r"|wi-?fi|ワイファイ|無線|ルーター))?\s*(?:から|で)?\s*(?:です|でした|だよ|かな)?[。.!！\s]*"
    r"|\s*(?:(?:from|at)\s+)?(?:my\s+|our\s+)?(?:home|house)"
    r"(?:\s+(?:wi-?fi|internet|network|line|connection))?[.!\s]*"
)
# A no said of home alone, with no verb of blocking: 'not at home', 「家ではないです」.
_HOME_DENIED_ALONE: Final = re.compile(
    r"\s*(?:(?:it'?s|it is|they'?re|they are|they)\s+)?(?:not|don'?t|do not|doesn'?t|isn'?t)\s+"
    r"(?:(?:block(?:ed)?|done)\s+)?(?:at|from|in)\s+(?:my\s+|our\s+)?(?:home|house)[.!\s]*"
    r"|\s*(?:家|自宅|うち|いえ|じたく)(?:の(?:回線|ネット))?(?:で|から|からで)?(?:は|も)\s*"
    r"(?:ない|ないです|ありません|ないと(?:思|おも)います|ないはず(?:です)?)[。.!！\s]*"
)
# Said alone at a question that asks something else of it: the question is explained and asked
# again, never read as the answer it may mean.
_EXPLAINED_WHERE_ASKED: Final[tuple[tuple[frozenset[Reading], re.Pattern[str]], ...]] = (
    # 「携帯の会社です」「ドコモです」 at the blocking question: whose line it is, not whether it
    # blocks (subscriber18: the first was taken for a phone's mail app, the second not
    # understood). Explained: the carrier's notices tell.
    (frozenset({Reading.OP25B}), _CARRIER_ALONE),
    # 「家です」「家のWiFiです」 'from home' at the network question: home named, not whether it
    # is the only line nor whose it is ('at home' was kept as half a sentence, 「家です」 not
    # understood: subscriber19). Home's 117net line alone is its no, but it may mean more.
    (frozenset({Reading.OTHER_NETWORK}), _HOME_NAMED_ALONE),
    # 「メールは送れてます」 'it sends fine' at the sending-server question: that mail goes, not
    # through which server (subscriber19: not understood, 'it sends fine' kept as half a
    # sentence). The explanation says where the server's name shows.
    (frozenset({Reading.OUR_SMTP}), _SENDS_FINE),
    # 「ドコモはしてますか」 'does docomo block it?': the notice names no provider's blocking;
    # explained, as 「ドコモです」 is. It was 「そのご質問にはうまくお答えできませんでした」
    # (subscriber19).
    (frozenset({Reading.OP25B}), _CARRIER_ASKED),
    # 'not at home', 「家ではないです」 at the blocking question: said of home's line, which the
    # question does not ask about (the notice asks of the provider or company the subscriber
    # connects through besides 117net; subscriber19). At the sending-server question too,
    # which asks of the program's server, not of where it sends from (subscriber20).
    (frozenset({Reading.OP25B, Reading.OUR_SMTP}), _HOME_DENIED_ALONE),
)
# Home, and the lines other than home: the blocking question asks about the latter.
_HOME: Final = re.compile(r"家|自宅|うち(?!の会社)|\b(?:home|house)\b")
_ELSEWHERE: Final = re.compile(
    r"会社|職場|勤務先|(?<!以)外|そと|出先|旅行|実家|lan|wi-?fi|テザリング|ドコモ|docomo"
    r"|(?<![a-z])au(?![a-z])|ソフトバンク|softbank|楽天|ワイモバイル|スマホ|携帯|回線"
    r"|\b(?:work|office|outside|away|mobile|tethering)\b"
)


def _blocking_denied_at_home_only(text: str, read: Intent, question: Question | None) -> bool:
    """Whether `read`, the blocking question's no, is said of the subscriber's home only.

    Not after an answer word (「いいえ、家ではブロックされてません」): the no is said first,
    the rest beside it.
    """
    return (
        question is not None
        and question.reading is Reading.OP25B
        and read.kind is Kind.NO
        and _HOME.search(text) is not None
        and _ELSEWHERE.search(text) is None
        and _ANSWER_FIRST.match(text) is None
    )


def _of_the_line_only(text: str, read: Intent, question: Question | None) -> bool:
    """Whether `read`, a yes or a no at the sending-server question, is words of the line only.

    The line away from home named (the network question's subject), nothing of the server or
    of sending, and no answer word first: 「外ではドコモを使っています」.
    """
    return (
        question is not None
        and question.reading is Reading.OUR_SMTP
        and read.kind in (Kind.YES, Kind.NO)
        and _LINE_AWAY.search(text) is not None
        and _SERVER_OR_SENDING.search(text) is None
        and _ANSWER_FIRST.match(text) is None
    )


# Longer, it is a story about the address, not the address named.
_SERVICE_NAMING_LENGTH: Final = 40
# "my address is secret", 「アドレスは内緒です」: not given, which the way on without it is for.
_KEPT_SECRET: Final = re.compile(
    r"\b(?:secret|private|confidential)\b|秘密|ひみつ|ヒミツ|内緒|ないしょ|ナイショ"
)
_PASSWORD_WORD: Final = re.compile(r"パスワード|ぱすわーど|password|暗証")


# Values of a PARTIAL_ADDRESS that is no address at all (a full form always has an @).
PHONE_NUMBER: Final = "phone_number"
SPOKEN_ADDRESS: Final = "spoken_address"
# 「はい」 where the address is asked for: they mean to give it, and are shown how.
ADDRESS_AFTER_YES: Final = "after_yes"
# 「アドレスはgmailです」: an address at another company, which the move does not touch.
ANOTHER_SERVICE: Final = "another_service"
# 「メールアドレスってどれ？」「どこに書いてありますか」: which address, and where to find it.
ADDRESS_WHICH: Final = "which"
_WHICH_ADDRESS: Final = re.compile(
    r"(?:メール)?(?:アドレス|あどれす)\s*(?:って|とは|は|が)?\s*(?:どれ|何|なに|なん|どこ|どの|どういう)"
    r"|(?:どこ|どれ)\s*(?:に|で|を)?\s*(?:書いて|かいて|載って|のって|見れ|みれ|見られ|わか|分か|確認|調べ)"
    r"|\b(?:which|what(?:'?s| is)) (?:my |the |your )?(?:e-?mail )?address\b"
    r"|\bwhere (?:do|can|will) i (?:find|see|look up) (?:my |the )?(?:e-?mail )?address\b"
    # 「@も入れるんですか」「全部入れるの？」 "do I need the whole thing with the @?".
    r"|[@＠](?:の後ろ|のうしろ|から後ろ|より後ろ)?\s*も\s*(?:入れ|いれ|入力|書)"
    r"|(?:全部|ぜんぶ)\s*(?:入れ|いれ|入力|書)[^。]{0,6}?(?:か|の)[?？]?\s*$"
    r"|\b(?:whole|full|entire) (?:thing|address)\b.*\?|\bwith the @"
)
_PHONE_NUMBER: Final = re.compile(
    r"(?:(?:電話|でんわ)(?:番号)?(?:は|:)?\s*|(?:my )?phone(?: number)?(?: is)?:?\s*)?"
    r"(?P<number>[0-9()\-‐−ー ]{10,20})\s*(?:です|でした)?[。.]?"
)
# An address read out as it sounds: 「たろう あっと ぶいぴー てん…」, 「…アット…ドット…」.
_SPOKEN_AT: Final = re.compile(r"あっと|アット|(?<![a-z])at(?![a-z])")
_SPOKEN_DOT: Final = re.compile(r"どっと|ドット|ぴりおど|ピリオド|てん|テン|(?<![a-z])dot(?![a-z])")


# An address read out at a question: the @ said in Japanese, and two dots said after it.
_DOT_SAID: Final = r"(?:どっと|ドット|てん|テン|ぴりおど|ピリオド)"
_READ_OUT_ADDRESS: Final = re.compile(
    rf"(?:あっと|アット)(?:まーく|マーク)?\s*[^\s。?？]+\s*{_DOT_SAID}.*?{_DOT_SAID}"
)


# 「やまだ@vp.117.ne.jp」: the name before the @ in kana or kanji, as it is read.
_NAME_IN_KANA: Final = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff]+\s*@\s*[a-z0-9.\-]+\s*(?:です)?[。.]?"
)


# Another company's mail service named as the address (「アドレスはgmailです」 "my address is
# gmail"): read as the Gmail app, it was noted as their program and the question asked again.
_ANOTHER_SERVICE: Final = re.compile(
    r"(?<![a-z])g\s?mail(?![a-z])|ジーメール|gメール|yahoo|ヤフー|やふー|hotmail|ホットメール"
    r"|outlook\.com|icloud|アイクラウド|docomo|ドコモ|softbank|ソフトバンク|ezweb"
)
_ADDRESS_WORD: Final = re.compile(r"アドレス|あどれす|メアド|めあど|\baddress\b")
# The program, not the address: 「Gmailのアプリです」.
_AN_APP: Final = re.compile(r"アプリ|\bapps?\b|android|アンドロイド|iphone|ソフト")


def _not_typed_out(text: str) -> str | None:
    """A phone number, an address spelt out in words or another service's, given for one."""
    if _NAME_IN_KANA.fullmatch(text):
        return SPOKEN_ADDRESS
    if "@" in text:
        return None
    if (
        len(text) <= _SERVICE_NAMING_LENGTH
        and _ADDRESS_WORD.search(text)
        and _ANOTHER_SERVICE.search(text)
        and not _AN_APP.search(text)
    ):
        return ANOTHER_SERVICE
    phone = _PHONE_NUMBER.fullmatch(text)
    if phone is not None:
        digits = re.sub(r"\D", "", phone.group("number"))
        if digits.startswith("0") and len(digits) in (10, 11):
            return PHONE_NUMBER
    if _SPOKEN_AT.search(text) and _SPOKEN_DOT.search(text):
        return SPOKEN_ADDRESS
    return None


# Error texts a program or a server shows (not symptoms in the subscriber's words).
_ERROR_TEXTS: Final = frozenset(
    {
        Problem.AUTH_MISSING,
        Problem.LOGIN_FAILED,
        Problem.RELAY_DENIED,
        Problem.SEND_CONNECT,
        Problem.RECEIVE_CONNECT,
        Problem.MAILBOX_IN_USE,
        Problem.CONNECT,
        Problem.CERTIFICATE,
        Problem.RECIPIENT_UNKNOWN,
        Problem.TOO_LARGE,
        Problem.MAILBOX_FULL,
        Problem.SPAM_REJECTED,
        Problem.TOO_MANY_RECIPIENTS,
        Problem.SENDER_NOT_OWNED,
        Problem.ENCRYPTION_REQUIRED,
        Problem.ENCRYPTION_MISMATCH,
        Problem.MESSAGE_INCOMPLETE,
    }
)


_FORGOTTEN_PASSWORD: Final = re.compile(
    r"\b(?:do ?n.?t|do not|can'?t|cannot|could ?n.?t) (?:know|remember|recall) (?:my |the |our )?"
    r"(?:e-?mail |mail )?password"
)
# "it's hanako", "mine is taro.y": the words before a local part typed alone.
_ADDRESS_LEAD_IN: Final = re.compile(
    r"^(?:it'?s|it is|mine is|my (?:e-?mail )?address is)\s+"
    # 「アドレスはyamadaです」 (not read; 「yamada」 alone gets the whole address asked for).
    r"|^(?:メール)?アドレス(?:は|が)\s*(?=[a-z0-9._+-]+\s*(?:です|でした)?[。.!！\s]*$)"
)


def _problem_in(text: str, problem: Problem | None) -> Problem | None:
    """The problem normalised `text` reports, also where it is typed all in katakana.

    `problem` is `recognise_problem(text)`. 「ﾒｰﾙｶﾞｵｸﾚﾏｾﾝ」 (half-width kana fold to katakana),
    as some phones offer it: read again in hiragana, whose key words `normalise` spells as
    usual (めーる → メール, そうしん → 送信).
    """
    if problem is None and ALL_KATAKANA.fullmatch(text) and (kana := hiragana(text)) != text:
        return recognise_problem(understanding.normalise(kana))
    return problem


def _side_named(problem: Problem | None, text: str, profile: MigrationProfile) -> Problem | None:
    """`problem`, or a failed connection to the outgoing server where only it is named.

    The iPhone's 「"vs.117.ne.jp"への接続に失敗しました」 and Apple Mail's 「サーバー
    "vs.117.ne.jp" への接続に失敗したため、メッセージを送信できませんでした」 name the outgoing
    server alone. Read as "a server", the bot went on to ask whether they send through the
    provider's server, and a "no" kept the sending settings their own error names. (A
    receiving server named alone keeps the answer for both: the fix it gives is the same.)
    """
    if problem is not Problem.CONNECT:
        return problem
    hosts = set(_HOST.findall(text))
    outgoing = {profile.outgoing.new_host, *profile.outgoing.old_hosts}
    incoming = {profile.incoming.new_host, profile.incoming.old_host}
    if hosts & outgoing and not hosts & incoming:
        return Problem.SEND_CONNECT
    return problem


def _ours(address: str, profile: MigrationProfile) -> bool:
    """Whether `address` is in (or a typo of) one of the profile's affected domains.

    An address on the domain they move to (`new_domain`) is the subscriber's too.
    """
    domains = profile.affected_domains
    return (
        profile.is_affected(address) or understanding.misspelt_domain(address, domains) is not None
    )


def _full_address_hint(local: str, profile: MigrationProfile, typed: str) -> Intent:
    """Only part of an address was typed: the full form to show, at the domain begun.

    With no name before the @ ("@vp.117.ne.jp", or "vp.117.ne.jp" or a server name typed
    alone) there is none to show: the value is empty. The domain is the one of ours the
    typed part begins or misspells (「taro@kita-biz」 on a profile of kita.ne.jp and
    kita-biz.jp: 「taro@kita-biz.jp」), else the first: the hint showed the first domain's
    form to a subscriber of the second, who had typed the start of their own.
    """
    if not local or _names_a_host(local, profile):
        return Intent(Kind.PARTIAL_ADDRESS)
    begun = _DOMAIN_BEGUN.search(typed)
    meant = (
        understanding.misspelt_domain(f"{local}@{begun.group(1).lower()}", profile.affected_domains)
        if begun is not None
        else None
    )
    return Intent(Kind.PARTIAL_ADDRESS, f"{local}@{meant or profile.affected_domains[0]}")


# What follows the @ of a partly typed address: the domain as far as it was typed.
_DOMAIN_BEGUN: Final = re.compile(r"@([A-Za-z0-9][A-Za-z0-9.\-]*)")


# The last label of a host name people read off a settings screen (smtp.gmail.com,
# pop.biglobe.ne.jp): a part before @ ends in one of these only as a host name does.
_HOST_NAME_END: Final = re.compile(r"\.(?:com|net|org|info|biz|io|jp)$")


def _names_a_host(local: str, profile: MigrationProfile) -> bool:
    domains = profile.affected_domains
    if local in domains or understanding.misspelt_domain(f"@{local}", domains):
        return True
    if _HOST_NAME_END.search(local):
        # Another company's server ("smtp.gmail.com"): no name before the @ to show.
        return True
    return _provider_host(local, profile)  # "vpop.117.ne.jp"


# "Might I get an error?", 「移行後にエラーになりますか」: errors asked about ahead come from
# settings left as they are, so the answer is what doing nothing comes to (a refused login
# asked ahead is the account's question, read before this). Read before `knowledge`'s own
# topics: the "when" of 'Will I get errors when sending?' made it a question about the dates.
_ERRORS_AHEAD: Final = re.compile(
    r"(?:\b(?:will|would|could|might|may|going to)\b|'ll\b)[^.?!]{0,30}"
    r"\b(?:get|see|have|run into|hit|be)"
    r"\b[^.?!]{0,20}\berrors?\b[^.!]*\?"
    r"|エラー(?:に|が|は|と)?\s*(?:なり|なる|出|で)[^。]{0,8}?(?:ますか|ませんか|でしょうか"
    r"|こと(?:は|が|も|って)?(?:あります|ある)|るの|る\s*[?？])"
)
# "Will my mail stop arriving after the migration?" (was what happens to old mail), "Am I going
# to stop receiving mail?", "Is my email going to stop working?" (were not answered): asked
# ahead, what doing nothing comes to (words12). "My email stopped arriving" reports it.
_STOPS_AHEAD: Final = re.compile(
    r"\b(?:will|would|am|is|are|could|might)\b[^.?!]{0,12}\b(?:e-?mails?|mail|messages|i|we)\b"
    r"(?: (?:be )?(?:going to|gonna))?(?: just)? (?:stop|no longer)\b (?:be able to )?"
    r"(?:arriv|com|receiv|get|work)"
)
# Questions `knowledge` has an answer for, in words its own patterns do not list.
_MORE_TOPICS: Final[tuple[tuple[Topic, re.Pattern[str]], ...]] = (
    (Topic.OLD_MAIL, re.compile(r"\blose (?:my |all |any )?(?:old )?(?:e-?mails?|mail|messages)")),
    # "What happens to the emails on the old server?", "Will the emails in my inbox disappear?".
    (
        Topic.OLD_MAIL,
        re.compile(
            r"\b(?:e-?mails?|mail|messages)\b[^.?!]{0,30}\b(?:on|in) the old server\b"
            r"|\b(?:e-?mails?|mail|messages) (?:that (?:is|are) |that'?s )?already"
            r" (?:in|on|there)\b"
            r"|\b(?:e-?mails?|mail|messages|inbox)\b[^.?!]{0,30}\b(?:disappear|vanish"
            r"|be (?:deleted|lost|gone|moved|transferred|copied))"
        ),
    ),
    (Topic.ADDRESS, re.compile(r"\bkeep (?:my|the|our) (?:e-?mail )?address\b")),
    # "Will my mail stop working?", "Will I stop receiving emails?": what doing nothing comes to.
    (
        Topic.DO_NOTHING,
        re.compile(
            r"\bwill (?:my |the |our )?(?:e-?mails?|mail|sending|receiving|it|everything)"
            r" (?:just )?(?:stop|fail|break)\b"
            r"|\bwill (?:i|we) (?:stop|no longer be able to) (?:receiv|get|send)"
        ),
    ),
    # "I got an email about changing my settings, is it real?".
    (Topic.SCAM, re.compile(r"\bis (?:it|this|that) (?:real|official|true|for real)\b")),
    (Topic.STEPS, re.compile(r"\bhow (?:do|can|should) i (?:change|update) (?:the|my) settings\b")),
    (
        Topic.SCHEDULE,
        re.compile(r"\bstill (?:be )?able to use\b[^.?!]*\b(?:next (?:week|month)|after)\b"),
    ),
    (Topic.OLD_MAIL, re.compile(r"(?:受信した|届いた|今ある|既存の|残って(?:い)?る)メール")),
    (Topic.OP25B, re.compile(r"(?<!\d)587(?!\d)|サブミッション|submission")),
    # 「ブロックってなに」 where the blocking of port 25 is asked about.
    (Topic.OP25B, re.compile(r"ブロック(?:って|とは)\s*(?:何|なに|なん)")),
    # 「vpop.117.ne.jp と vsmtp.117.ne.jp でいいんですよね？」「サーバーはvpop.117.ne.jpで合って
    # ますか」: the servers, checked back. Not one host alone (「vs.117.ne.jpでいいですか？」 at
    # the sending-server question says which one is in use).
    (
        Topic.SERVERS,
        re.compile(
            # A first host starts where a run of host characters starts: tried from every
            # position of 「smtp.smtp.smtp.…」 it took time quadratic in the run's length.
            r"(?:(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\s*(?:と|、|,|and)\s*"
            r"|サーバー?(?:名)?(?:は|が)?\s*)"
            r"(?:[a-z0-9-]+\.)+[a-z]{2,}\s*(?:で|が)\s*(?:いい|良い|よい|合って|あって|大丈夫|よろしい)"
            r"[^。]*(?:か|よね|ね)\s*[?？]?\s*$"
            # "so it's vpop.117.ne.jp and vsmtp.117.ne.jp, right?", "is the incoming server
            # vpop.117.ne.jp?".
            r"|(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\s*(?:and|&)\s*(?:[a-z0-9-]+\.)+[a-z]{2,}"
            r"[^?]{0,20}?"
            r"\b(?:right|correct|ok|okay)\s*\??\s*$"
            r"|^is (?:the|my) (?:new )?(?:incoming|outgoing|pop3?|smtp) (?:mail )?server\b[^?]*\?"
        ),
    ),
)


# The settings in use, written out: a form copied from the program (「受信メール サーバー(I):
# vp.117.ne.jp 送信メール サーバー(O): … ユーザー名(U): … パスワード(P): ●●●●」, two fields or
# more), or described with what to change (「今の設定は…ポート25です。何を変えればいいですか」).
# The new servers, ports and account are the answer; the password or port-25 words in them
# were answered alone ("the password does not change", what OP25B is).
_FORM_FIELD: Final = (
    r"(?:サーバー?|server|ユーザー?名|user ?name|アカウント|account|パスワード|password|ポート"
    r"|port)\s*(?:\([a-z]\))?\s*[:：]"
)
_SETTINGS_FORM: Final = re.compile(rf"{_FORM_FIELD}[^\n]*?{_FORM_FIELD}")
_SETTINGS_DESCRIBED: Final = re.compile(
    r"(?:今|現在|いま)の設定[^?？]{0,100}?(?:(?:何|なに|どこ|どれ)を(?:変え|かえ|変更|直|なお)"
    r"|どう(?:変え|変更))"
    r"|(?:current|my) settings[^?]{0,100}?what (?:do|should) i change"
    # One server in use named alone, 「今の送信サーバーはvs.117.ne.jpです」 (words30: not
    # understood at the first question): the new servers, and which of them moves, answer it.
    r"|^(?:今|現在|いま)の\s*(?:送信|受信|そうしん|じゅしん)?\s*(?:メール\s*)?(?:サーバー?|さーばー?)"
    r"\s*(?:名)?\s*(?:\((?:smtp|pop3?|imap)\)\s*)?(?:は|が|:|：)\s*(?:[a-z0-9-]+\.)+[a-z]{2,}"
    r"\s*(?:です|でした|だ|になって(?:い)?ます|になってる)?[。.!！\s]*$"
    r"|^(?:my )?(?:current|present) (?:outgoing |incoming |smtp |pop3? )?(?:mail )?server"
    r"(?: name)? is (?:[a-z0-9-]+\.)+[a-z]{2,}[.!\s]*$"
)


def _forgotten_password(text: str) -> bool:
    """Whether `text` says the password is forgotten or not known."""
    topic = _topic(text)
    return topic is not None and topic.value == Topic.FORGOTTEN_PASSWORD.value


@functools.lru_cache(maxsize=8)
def _topic(text: str) -> Intent | None:
    # Cached for one message (`read_text` empties it): both the question on screen and the
    # fallback ask it of the same text.
    topic = _topic_as_typed(text)
    if topic is None and (plain := _plainly(text)) != text:
        # 「あと送信サーバーは…？」 (words10): the question the patterns know, led by an
        # 「あと」 or trailing off, was 「そのご質問にはうまくお答えできませんでした」.
        topic = _topic_as_typed(plain)
    return topic


def _plainly(text: str) -> str:
    """`text` without a connective leading it (「あと」「それと」) and without its ellipses."""
    return _ELLIPSIS.sub("", _LEADING_CONNECTIVE.sub("", text)).strip()


# What leads a second question in (「あと」「それと」「ちなみに」 'also', 'by the way'): never
# 「あとで」 (later) nor 「あと何問」 (how many more), which the patterns read as typed first.
_LEADING_CONNECTIVE: Final = re.compile(
    r"^\s*(?:あと(?:は|もう(?:一つ|1つ|ひとつ))?(?!で|何|なん|いくつ|どの|どれ)|それと|それから|ついでに"
    r"|ちなみに|ところで|もう(?:一つ|1つ|ひとつ)|(?:and )?also|by the way|btw|one more thing)"
    r"[、,:\s]*"
)
# 「…」 (「...」 once folded) and 「・・・」 where a sentence trails off.
_ELLIPSIS: Final = re.compile(r"\s*(?:\.{2,}|…+|・{2,}|‥+)\s*")


def _topic_as_typed(text: str) -> Intent | None:
    if _SETTINGS_FORM.search(text) or _SETTINGS_DESCRIBED.search(text):
        return Intent(Kind.TOPIC, Topic.SERVERS.value)
    if _FORGOTTEN_PASSWORD.search(text):
        # "I can't remember my mail password": the password topic's own words would win.
        return Intent(Kind.TOPIC, Topic.FORGOTTEN_PASSWORD.value)
    if describes_a_refused_login(text):
        # "Could I end up in a sign-in loop?": asked ahead (a report of it is read as a problem
        # before this), so the answer is what makes the login work, the whole address as the
        # account, not "the password does not change".
        return Intent(Kind.TOPIC, Topic.ACCOUNT.value)
    if _ERRORS_AHEAD.search(text) or _STOPS_AHEAD.search(text):
        return Intent(Kind.TOPIC, Topic.DO_NOTHING.value)
    topic = understanding.understand_topic(text)
    if topic is not None:
        return topic
    for more, pattern in _MORE_TOPICS:
        if pattern.search(text):
            return Intent(Kind.TOPIC, more.value)
    return None


# Where the questions have been answered: 「今の設定のままでいいですか」 asked there is answered
# with the verdict, as it stands today.
_AFTER_THE_VERDICT: Final = frozenset(
    {Stage.ASK_ADDRESS, Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND, Stage.SETTINGS_DELIVERED}
)


def _read_anywhere(text: str, stage: Position, profile: MigrationProfile) -> Intent:
    at_question = profile.questionnaire.question(stage) is not None
    decided = stage in _AFTER_THE_VERDICT or profile.questionnaire.resting_leaf(stage) is not None
    if (at_question or decided) and search(_KEEP_AS_IS, text):
        return Intent(Kind.CHOICE, WHETHER_TO_CHANGE)
    if _ON_PAPER.search(text):
        # 「印刷したいです」 'can I print this?' (words10: not understood): how to keep the
        # settings on paper, before a topic's words (「手順を印刷したい」) claim it.
        return Intent(Kind.CHOICE, ON_PAPER)
    topic = _topic(text)
    if topic is not None:
        return topic
    if at_question and search(_WILL_IT_CHANGE, text):
        # "Do I need to change anything?" is what the questions are for: say so, carry on.
        return Intent(Kind.CHOICE, WHETHER_TO_CHANGE)
    topic = _topic_asked_in_a_sentence(text)
    if topic is not None:
        return topic
    no_guide = names_no_guide(text)
    if no_guide is not None:
        return Intent(Kind.PHONE, no_guide.value)
    # 「Outlookは使っていません。スマホで見ています」: not the program denied.
    rest = _without_a_program_denied(text)
    program = recognise_program(text if rest is None else rest)
    if program is not None and not (at_question and _PROVIDERS_SERVER.search(text)):
        # 「gmailのサーバーで送ってます」 at a question names Google's server, not the Gmail
        # app: an earlier question's answer (`Turn._earlier_answer_told`), or a later one's.
        return Intent(Kind.PROGRAM, program if isinstance(program, str) else program.value)
    if names_a_phone(text if rest is None else rest):
        # 「スマホでもできますか」 'can I do this on my phone?' asks whether: the yes comes
        # before which phone (subscriber24: asked "iPhone or Android?" as if told).
        return Intent(Kind.PHONE, PHONE_ASKED if _CAN_IT_BE_DONE.search(text) else "")
    small_talk = recognise_small_talk(text)
    if small_talk is not None:
        return Intent(Kind.SMALL_TALK, small_talk.value)
    if _QUESTION_MARK.search(text):
        return Intent(Kind.QUESTION)
    return Intent(Kind.UNKNOWN)


def _topic_asked_in_a_sentence(text: str) -> Intent | None:
    """The topic a sentence of `text` asks, read alone, where the whole reads as none.

    「いいえ。送信サーバーは？」「はい。あと送信サーバーは…？」: the question is known alone
    and was 「そのご質問にはうまくお答えできませんでした」 beside the answer (words10).
    """
    if len(text) > _ANALYSED_LENGTH:
        return None
    lead = _YES_THEN_ANOTHER_THING.match(text)
    if lead is not None:
        # 「はい、あと送信サーバーは？」: one sentence, the question after its 「あと」.
        return _topic(text[lead.end() :].strip(" 、,。.!！"))
    sentences = _SENTENCE_AND_END.findall(text)
    if len(sentences) < 2:
        return None
    for sentence in sentences:
        if _asks(sentence) and (topic := _topic(sentence.strip(" 。.!！"))) is not None:
            return topic
    return None


def _read_for_stage(
    text: str, stage: Position, profile: MigrationProfile, morphemes: Sequence[Morpheme] | None
) -> Intent | None:
    question = profile.questionnaire.question(stage)
    if (question is not None or stage in _CARD_QUESTIONS) and _CHECK_ASKED_EARLY.search(text):
        return Intent(Kind.CHOICE, CHECK_AFTER_THE_CARD)
    if stage is Stage.SETTINGS_DELIVERED and _IS_IT_RIGHT.search(text):
        return Intent(Kind.CHOICE, IS_IT_RIGHT)
    if question is not None and (
        _LONE_QUESTION_MARK.fullmatch(text)
        or _WHY_ASKED.search(text)
        or search(_WHAT_IT_MEANS, text)
        or search(_WHERE_IT_SHOWS, text)
        or search(_QUESTION_NOT_UNDERSTOOD, text)
        or _EXPLAIN_AGAIN.search(text)
    ):
        # 「どこを見ればいいの」 at a question: the explanation says where to look, or whom to ask.
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    if (
        question is not None
        and question.reading is Reading.MAIL_PROGRAM
        and (_PHONE_MAIL_MEANT.search(text) or _WHAT_A_PROGRAM_IS.search(text))
    ):
        # 「携帯のメールのことですか」 asks what the question means; it was its yes.
        # 「メールソフトって何ですか」 asks it too; it was its "not sure".
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    if (
        question is not None
        and question.reading is Reading.OUR_SMTP
        and _old_host_asked(text, profile)
    ):
        # 「vsってなに？」「vs.117.ne.jpってなんですか」 at the question that names it: what
        # the question asks and where that name shows (it was not understood, or the yes of
        # a server named).
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    term = _term_asked(text)
    if term is not None:
        own = _OWN_TERMS.get(question.reading, frozenset()) if question is not None else ()
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION if term in own else f"{TERM}{term}")
    if stage is Stage.ASK_ADDRESS and _WHY_THE_ADDRESS.search(text):
        return Intent(Kind.CHOICE, EXPLAIN_QUESTION)
    if (
        stage is Stage.SETTINGS_DELIVERED
        and search(_AUTH_SETTING_SAID, text)
        and _LEFT_OFF.search(text)
    ):
        # 「送信サーバー認証にちぇっくいれてないです」 after the new settings: what the program's
        # authentication needs and where it is in their program, as a server's 530 is answered
        # (subscriber21: not understood). Its own words, not the 530's (`box_said_off`):
        # 「送信サーバーが認証を求めています（530など）」 presumed an error they may not have had
        # (subscriber22).
        return Intent(Kind.PROBLEM, Problem.AUTH_MISSING.value, box_said_off=True)
    if question is not None and search(_AUTH_SETTING_SAID, text):
        # 「送信サーバー認証にちぇっくいれてないです」 'SMTP authentication is off': the program's
        # authentication box, which none of the questions asks about; what the new server
        # needs of it is answered, then the question again (subscriber21: not understood, and
        # 「SMTP認証にチェックしていません」 at the blocking question was its no, lowering the
        # change asked for sending).
        return Intent(Kind.TOPIC, Topic.SMTP_AUTH.value)
    if question is not None:
        topic = _topic(text)
        if topic is not None and (
            _QUESTION_MARK.search(text) or topic.value == Topic.FORGOTTEN_PASSWORD.value
        ):
            # A question about the migration is answered, never taken as an answer; so is "I
            # don't remember my password", whose "don't" was "not sure" (and the question it
            # asks of the desk went unanswered).
            return topic
        reading = question.reading
        if reading is Reading.DEVICES and (count := devices_answer(text)) is not None:
            # 「1台だけ」「パソコンとスマホ」: a count or the devices, not はい or いいえ.
            return Intent(count, READ)
        if reading is Reading.OUR_SMTP and _old_smtp_not_used(text, profile):
            # 「vs.117.ne.jpは使っていません」 "I don't use vs.117.ne.jp": the server's name alone
            # made it a yes, the answer that changes a sending server they do not have.
            return Intent(Kind.NO, READ)
        if reading is Reading.OUR_SMTP and _names_our_smtp(text, profile):
            return Intent(Kind.YES, READ, old_smtp_named=_names_an_old_smtp(text, profile))
        if reading is Reading.OUR_SMTP and (named := _named_smtp_host(text, profile)):
            # "smtp.gmail.com": another provider's server, named.
            return Intent(_unless_hedged(named.kind, text), READ)
        if (
            reading is Reading.OTHER_NETWORK
            and _LINE_KIND.search(text)
            and not names_the_provider(text, own_names(profile))
        ):
            answer = read_answer(text, _READERS[reading], morphemes, own_names(profile))
            if answer is None or answer.kind is Kind.NO:
                return Intent(Kind.CHOICE, LINE_NAMED)
        if (
            reading is Reading.OUR_SMTP
            and _PHONE_COMPANY.search(text)
            and not names_the_provider(text, own_names(profile))
        ):
            # "I use my phone company's", 「電話会社のです」: the phone company may be the
            # provider itself (it was the yes of "I use", and "…'s server" the no).
            return Intent(Kind.UNSURE, READ)
        if reading is Reading.OUR_SMTP and _SENT_WITH_SERVICE.fullmatch(text):
            # 「ジーメールで送ってます」 was the yes (its 送ってます), 'I send through gmail' taken
            # for the Gmail app: as 「gmailです」, either server may be meant (subscriber20).
            return _unsure_of_the_service(text)
        if reading is Reading.OUR_SMTP and _NO_THEN_SERVICE.fullmatch(text):
            # 「いいえじーめーるのです」「いいえ、ジーメールのです」: the no, and whose server
            # instead, as 「いいえgmailのです」 is read (subscriber21: taken for the Gmail app,
            # the question asked again; the answer readers pass over the name in letters only).
            return Intent(Kind.NO, READ)
        answer = read_answer(text, _READERS[reading], morphemes, own_names(profile))
        if (
            reading is not Reading.MAIL_PROGRAM
            and (answer is None or answer.kind is Kind.NO)
            and (rest := _without_a_program_denied(text)) is not None
        ):
            # 「Outlookは使っていません」「Outlookは使ったことがありません」 at the network, server
            # or blocking question: a program not used, nothing of the line or the server. Its
            # 「ません」 was the network and server questions' no (at the server question,
            # "sending not needed", the change lowered) with Outlook kept as the program, and
            # at the blocking question 「Outlookをお使いなのですね」. Only the rest answers.
            if not rest:
                return Intent(Kind.UNKNOWN)
            answer = read_answer(rest, _READERS[reading], None, own_names(profile))
        if (
            reading is Reading.OUR_SMTP
            and answer is None
            and _SERVICE_NAMED.search(text)
            and not _APP_WORDS.search(text)
        ):
            if names_the_provider(text, own_names(profile)):
                # 「117netとgmail両方」: the provider's server as well as the service's.
                return Intent(Kind.YES, READ)
            if _SERVICE_ALONE.fullmatch(text):
                # 「gmailです」: the service's own server, or the Gmail app sending through the
                # provider's; it was taken for the app and the question asked again. Not sure
                # takes the safe way, and the outgoing-server question tells them apart later.
                return _unsure_of_the_service(text)
        if (
            reading is Reading.OUR_SMTP
            and (answer is None or answer.kind is Kind.NO)
            and _LEFT_AS_SET.search(text)
        ):
            # "I never changed it", 「初期設定のままです」: the sending server the provider's
            # setup gave them, its own. Read as the no ("never"), the card kept a server that
            # stops.
            return Intent(Kind.YES, READ)
        if (
            reading is Reading.OP25B
            and answer is not None
            and answer.kind is Kind.NO
            and _AT_HOME.search(text)
            and not _BLOCKING_SAID.search(text)
        ):
            # "no, I'm at home" / 「いや、家です」 says where they are, not whether the network
            # they use from elsewhere blocks port 25: read as "no blocking", it kept the old
            # sending settings that stop working there.
            return Intent(Kind.UNSURE)
        if (
            reading is Reading.OUR_SMTP
            and answer is not None
            and answer.kind is Kind.NO
            and _AT_HOME.search(text)
            and not _SENDING_WORDS.search(text)
        ):
            # "no, only at home" / 「いいえ、家だけです」 answers where they connect (the
            # question before), not whose server sends: read as "not your server", it kept an
            # outgoing server that stops working.
            return Intent(Kind.UNSURE, READ)
        if (
            reading is Reading.OUR_SMTP
            and answer is not None
            and answer.kind is Kind.YES
            and not _SENDING_WORDS.search(text)
            and not _SAYS_YES.match(text)
            and (named_program := _named_program(text))
        ):
            # 「Outlookを使っています」 says which program, not "yes, I send through your server".
            return Intent(Kind.PROGRAM, named_program)
        if reading is Reading.MAIL_PROGRAM and answer is not None and answer.kind is Kind.NO:
            # 「ブラウザで見ることもありますが、普段はOutlookです」「パソコンは使ってない、
            # スマホだけ」: a program or phone in use beside the "no" makes it a "yes"; only
            # a program said to be unused stays beside a "no".
            used = _program_in_use(text)
            if used is not None:
                return used
        if reading is Reading.MAIL_PROGRAM and (
            answer is None or answer.kind in (Kind.YES, Kind.UNSURE)
        ):
            # 「thunderbirdで受信してる」 is a "yes" that also names the program to remember;
            # so is 「パソコンはわからないのですが…アウトルックを使っています」.
            named = _program_at_q1(text)
            if named is not None and (
                answer is None
                or named.kind is Kind.PHONE
                or named.value.startswith("program:")
                or named.value == NoGuide.TWO_PROGRAMS
            ):
                return named
        return answer
    if profile.questionnaire.resting_leaf(stage) is not None:
        corrected = read_answer(text, Stage.Q1_MAIL_PROGRAM, morphemes)
        if corrected is not None and corrected.kind is Kind.YES and corrected.value == READ:
            # 「やっぱりメールソフト使ってた」 after "webmail only": the first answer, corrected.
            return corrected
        if corrected is not None and corrected.kind in (Kind.YES, Kind.NO) and not corrected.value:
            # A bare 「はい」/「いいえ」 answers 「ほかにお手伝いできることはありますか？」.
            return corrected
        if _NOTHING_ELSE.search(text):
            return Intent(Kind.NO)
    if (stage in _CARD_QUESTIONS or stage is Stage.CHECK_ADDRESS) and _forgotten_password(text):
        # 「パスワードがわかりません」「I forgot my password」 where the address, the program or
        # the sending server is asked: the password's answer, as at the questions (subscriber23:
        # the address skipped, or 'not sure' of the program and the server).
        return Intent(Kind.TOPIC, Topic.FORGOTTEN_PASSWORD.value)
    if stage is Stage.ASK_SMTP_HOST and names_another_program(text):
        # 「Outlookも使っています」 is no "yes, I use that server": a second program, for later.
        return Intent(Kind.PHONE, NoGuide.ANOTHER_PROGRAM.value)
    if stage is Stage.ASK_SMTP_HOST and (_WHERE_IT_SHOWS.search(text) or _WHERE_IS_IT.search(text)):
        # 「送信サーバーってどこで確認できますか」: the question says where, for their program.
        return Intent(Kind.CHOICE, WHERE_SMTP_SHOWS)
    if (
        stage is Stage.ASK_SMTP_HOST
        and not _QUESTION_MARK.search(text)
        and not _NOT_SAID_SO.search(text)
        and (_names_the_new_host(text, profile) or _SOMETHING_ELSE.search(text))
    ):
        # 「vsmtpになってる」「違うのが入ってます」: not the old server (at the question
        # before, 「vsmtpでした」 is the provider's server, a yes).
        return Intent(Kind.NO, READ)
    if stage is Stage.ASK_SMTP_HOST and _old_smtp_not_used(text, profile):
        return Intent(Kind.NO, READ)
    if stage is Stage.ASK_SMTP_HOST:
        named = _named_smtp_host(text, profile)
        if named is not None:
            return dataclasses.replace(named, kind=_unless_hedged(named.kind, text))
        answer = read_answer(text, Stage.Q3_USES_OUR_SMTP, morphemes, own_names(profile))
        if (answer is None or answer.kind is Kind.NO) and _LEFT_AS_SET.search(text):
            # "I never changed it" where the old server's name is asked: likely, not said.
            return Intent(Kind.UNSURE, READ)
        return answer
    if stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS) and _FORGOTTEN.search(text):
        # 「わすれました」: the card with the placeholder, as for a skip.
        return Intent(Kind.SKIP)
    if stage in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS):
        declined = read_answer(text, Stage.ASK_ADDRESS, morphemes)
        if understanding.understand_skip(text) or (
            declined is not None and declined.kind in (Kind.NO, Kind.UNSURE)
        ):
            return Intent(Kind.SKIP)
        if _KEPT_SECRET.search(text) and not _PASSWORD_WORD.search(text):
            # "my address is secret": it was taken for the part before the @ and said back
            # as 「secret@…」. Not given is what the way on without it is for.
            return Intent(Kind.SKIP)
        if declined is not None and declined.kind is Kind.YES and declined.value in ("", READ):
            # A bare 「はい」: read as nothing, it was 「うまく読み取れませんでした」 and the same
            # question, to which an older subscriber answers 「はい」 again. So was a yes in
            # words (「はい、117netのを使っています」), an answer to a question the verdict made
            # unneeded: what to type is said instead.
            return Intent(Kind.PARTIAL_ADDRESS, ADDRESS_AFTER_YES)
        if _WHICH_ADDRESS.search(text):
            # 「メールアドレスってどれ？」 was 「そのご質問にはうまくお答えできませんでした」
            # (words): which address is meant, and where it is shown.
            return Intent(Kind.PARTIAL_ADDRESS, ADDRESS_WHICH)
        return None
    if stage is Stage.ASK_OUTLOOK_KIND:
        denied = _without_a_program_denied(text)
        named = _outlook_kind(text) or program_intent(text if denied is None else denied)
        if named is None:
            answer = read_answer(text, Stage.Q1_MAIL_PROGRAM, morphemes)
            if answer is not None and answer.kind is Kind.UNSURE:
                # 「わかりません」 which Outlook: the common steps (turn.py), not a re-ask.
                return Intent(Kind.UNSURE)
        return named
    if stage is Stage.SETTINGS_DELIVERED:
        if _check_link_ran_out(text):
            return Intent(Kind.CHOICE, "check")
        if _STILL_BROKEN.search(text):
            return Intent(Kind.HUMAN, "still_broken")
        if _THE_OTHER_DEVICE.search(text):
            # 「iPhoneはできたんですけどパソコンのほうはどうすればいいですか」: the next program's
            # steps (it was the first-receive steps again).
            return Intent(Kind.CHOICE, "other_program")
        if recognise_small_talk(text) is SmallTalk.WAIT:
            # 「試してみます」: trying the settings in the program, not the login check.
            return Intent(Kind.SMALL_TALK, SmallTalk.WAIT.value)
        if _CHECK_WORDS.search(text):
            return Intent(Kind.CHOICE, "check")
        if _WHERE_TO_TYPE.search(text):
            return Intent(Kind.CHOICE, WHERE_TO_TYPE)
        if _SETTINGS_AGAIN.search(text):
            return Intent(Kind.SHOW_SETTINGS)
        if _NOTHING_ELSE.search(text):
            return Intent(Kind.NO)
        bare = read_answer(text, Stage.Q1_MAIL_PROGRAM)
        if bare is not None and bare.kind in (Kind.YES, Kind.NO) and bare.value != READ:
            # A bare 「はい」/「いいえ」 answers 「ほかにお手伝いできることはありますか？」.
            return bare
    if stage in (Stage.ASK_PROGRAM, Stage.SETTINGS_DELIVERED):
        no_guide = names_no_guide(text)
        if no_guide is not None:
            # Two programs, a feature phone, webmail: said what is true, then asked again.
            return Intent(Kind.PHONE, no_guide.value)
        if gmail_on_apple(text):
            if profile.incoming.protocol is Protocol.POP3 or gmail_on_mac(text):
                return Intent(Kind.PHONE, GMAIL_ON_APPLE)
            # The iPhone/iPad app holds an IMAP account ("Other (IMAP)"): the generic steps.
            return Intent(Kind.CHOICE, f"program:{MailProgram.OTHER.value}")
        denied = _without_a_program_denied(text)
        if denied == "" and stage is Stage.SETTINGS_DELIVERED:
            # 「Outlookは使っていません」 under the card: another program's steps are wanted (it
            # was Outlook's guide, named as the one used).
            return Intent(Kind.CHOICE, "other_program")
        # 「Outlookは使っていません。Thunderbirdです」: the program not denied, if any (at the
        # program question, 「Outlookは使っていません」 alone chose Outlook).
        named = program_intent(text if denied is None else denied)
        if (
            named is None
            and stage is Stage.ASK_PROGRAM
            and _A_COMPUTER.fullmatch(_TAKEN_BACK_BEFORE.sub("", text))
        ):
            # 「パソコンです」「Windowsです」: the computer, not the program on it.
            return Intent(Kind.PHONE, COMPUTER)
        # 「Outlookは使ったことがありません。スマホで見ています」: the phone in the words left
        # (words10: the program denied hid it, and the question came again unexplained).
        if named is None and names_a_phone(text if denied is None else denied):
            named = Intent(Kind.PHONE)
        if named is None and stage is Stage.ASK_PROGRAM:
            answer = read_answer(text, Stage.Q1_MAIL_PROGRAM, morphemes)
            if answer is not None and answer.kind is Kind.UNSURE:
                # 「わからない」 at the program question: the generic steps (turn.py).
                return Intent(Kind.UNSURE)
        return named
    return None


def _program_in_use(text: str) -> Intent | None:
    """A program or phone named in a part of `text` that does not say it is unused."""
    for clause in clauses(text):
        named = None if says_not_used(clause) else _program_at_q1(clause)
        if named is not None and named.kind is Kind.YES:
            return named
    return None


def _program_at_q1(text: str) -> Intent | None:
    """A program named at the first question answers it: whoever names one uses one.

    Two programs are a "yes" too (each gets its guide later, one at a time); a feature phone
    or another company's webmail is explained first: whether it is a mail program for our
    addresses is the subscriber's to say.
    """
    no_guide = names_no_guide(text)
    if no_guide is NoGuide.TWO_PROGRAMS:
        # A "yes" that says so (the guides come one at a time, after the questions).
        return Intent(Kind.YES, NoGuide.TWO_PROGRAMS.value)
    if no_guide is not None:
        return Intent(Kind.PHONE, no_guide.value)
    program = recognise_program(text)
    if program is not None:
        value = program if isinstance(program, str) else program.value
        return Intent(Kind.YES, f"program:{value}")
    if names_a_phone(text):
        return Intent(Kind.YES, READ)
    return None


def own_names(profile: MigrationProfile) -> OwnNames:
    """The provider's name and outgoing hosts, as answers name them."""
    outgoing = profile.outgoing
    return OwnNames(
        profile.provider_name,
        (*outgoing.old_hosts, outgoing.new_host),
        profile.provider_aliases,
    )


def _names_our_smtp(text: str, profile: MigrationProfile) -> bool:
    outgoing = profile.outgoing
    if any(host in text for host in (*outgoing.old_hosts, outgoing.new_host)):
        return True
    # Another server of the provider's ("smtp.117.ne.jp") is the provider's too.
    return any(_provider_host(host, profile) for host in _HOST.findall(text))


def _old_smtp_not_used(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` says an old outgoing server, named in full, is not the one they use.

    Only a use denied right beside the name, and no other server of the provider's named: in
    「vs.117.ne.jpではなくvsmtp.117.ne.jpです」 they use the provider's server (a yes).
    """
    outgoing = profile.outgoing
    if outgoing.new_host in text:
        return False
    for host in outgoing.old_hosts:
        name = re.escape(host)
        denied = (
            rf"{name}\s*(?:は|を|も)?\s*(?:使って|使用して|利用して)(?:い)?(?:ません|ない)"
            rf"|{name}\s*(?:では|じゃ)(?:ない|ありません)"
            rf"|\b(?:don'?t|do not|never|no longer|not) (?:use |using |send (?:with|through) )?"
            rf"(?:the )?{name}"
        )
        if re.search(denied, text):
            return True
    return False


def _names_an_old_smtp(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` names one of the old outgoing servers in full, and does not unsay it."""
    named = any(host in text for host in profile.outgoing.old_hosts)
    return named and not _UNSAID.search(text)


def _named_smtp_host(text: str, profile: MigrationProfile) -> Intent | None:
    outgoing = profile.outgoing
    if _new_host_instead(text, profile):
        return Intent(Kind.NO)
    if any(host in text for host in outgoing.old_hosts):
        return Intent(Kind.YES)
    if outgoing.new_host in text:
        return Intent(Kind.NO)
    if _cut_provider_host(text, profile):
        # 「送信 (SMTP) サーバー vsmtp.117.ne.j」 "The server vsmtp.1": a paste cut inside the
        # provider's own name. Read as another provider's server (or "smtp." alone), it was
        # the no that leaves the sending settings as they are.
        return Intent(Kind.UNSURE)
    hosts = _HOST.findall(text)
    if hosts and not any(_provider_host(host, profile) for host in hosts):
        # "smtp.gmail.com": another provider's server, which this migration does not touch.
        return Intent(Kind.NO, f"{FOREIGN_SMTP}{hosts[0]}")
    receiving = {profile.incoming.old_host, profile.incoming.new_host}
    if hosts and all(host in receiving for host in hosts):
        # 「vp.117.ne.jp」: the receiving server, where the sending one was asked. Read as "not
        # the old one", the card said to keep a sending server that stops working.
        return Intent(Kind.CHOICE, WHERE_SMTP_SHOWS)
    if hosts or "smtp." in text or "mail." in text:
        return Intent(Kind.NO)
    return None


# A host name's start, as a paste cut in the middle leaves it: letters or digits, a dot, more.
_HOST_START: Final = re.compile(r"(?<![a-z0-9.@-])[a-z0-9-]+\.[a-z0-9.-]*")
# Shorter than this, a start names nothing ("vs.1").
_CUT_HOST_LENGTH: Final = 5


def _cut_provider_host(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` holds the start of one of the provider's host names, cut short."""
    outgoing, incoming = profile.outgoing, profile.incoming
    names = (*outgoing.old_hosts, outgoing.new_host, incoming.old_host, incoming.new_host)
    return any(
        len(start) >= _CUT_HOST_LENGTH and name != start and name.startswith(start)
        for start in _HOST_START.findall(text)
        for name in names
    )


def _new_host_instead(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` names the new outgoing server in place of an old one.

    「vs.117.ne.jpではなくvsmtp.117.ne.jpです」 'not vs.117.ne.jp, it's vsmtp.117.ne.jp': the
    old name was read first, and the card told them to change a server they had changed.
    """
    outgoing = profile.outgoing
    if outgoing.new_host not in text:
        return False
    for host in outgoing.old_hosts:
        name = re.escape(host)
        if re.search(rf"{name}\s*(?:ではなく|じゃなく|でなく)", text) or re.search(
            rf"\bnot (?:the )?{name}(?![\w.])", text
        ):
            return True
    return False


# The settings left as they were set up: 「変えてないです」「いじってません」「初期設定のまま
# です」 "I never changed it", "I haven't touched the settings".
_LEFT_AS_SET: Final = re.compile(
    r"(?:変え|かえ|いじ|弄|触|さわ|変更し)(?:って|て)?(?:い)?(?:ない|ません|なかった|ないです)"
    r"|(?:初期設定|初期|最初|買った(?:時|とき)|購入時|設定してもらった(?:時|とき))の?まま"
    # 「いいえ、そのままです」 "as it is": left as set up (it was the no, sending untouched).
    r"|^(?:(?:いいえ|いや|いえ)[、,\s]*)?(?:(?:設定|せってい)(?:は|も)\s*)?(?:その|この)まま"
    r"(?:です|だよ|にしてあります|にしてます)?[。.!！\s]*$"
    # 「最初に設定したままです」, "the default one" (each asked again).
    r"|(?:最初|初め|はじめ)に(?:設定|せってい)した(?:まま|とおり|通り)"
    r"|\b(?:never|haven'?t|have not|didn'?t|did not|don'?t|do not|not) (?:ever )?(?:changed?"
    r"|touched?|modified|modify)\b(?! (?:to|it to|them to)\b)"
    # "setting is default", "default settings": as set up, said as non-native speakers do.
    r"|\b(?:default|original) settings?\b|\bsettings? (?:is|are) (?:the )?default\b"
    r"|^(?:(?:it'?s|it is) )?the (?:default|original)(?: one| server)?[.!\s]*$"
    # Set up as the provider or its papers said: 「プロバイダーに言われたとおりです」「説明書の通り
    # に設定しました」 "as the provider told me".
    r"|(?:プロバイダー?|説明書|マニュアル|資料|送られてきた紙|紙|用紙|書類)\s*(?:に|で|の)?\s*"
    r"(?:言われた|いわれた|書いてある|書いてあった|書かれた)?\s*(?:とおり|通り)"
    # 「プロバイダの設定のままです」 (words: not read).
    r"|(?:プロバイダー?|ぷろばいだ)の(?:設定|せってい)の?まま"
    r"|\b(?:as|the way) (?:the |my )?(?:provider|isp|manual|instructions?|guide)"
    r" (?:told|said|says|showed|explained)\b"
)
# A guess, a look still to take, or a question without its mark: 「違うのが入ってるかも」
# 「別のサーバーになってるか確認します」「vsmtpに変えればいいの」「vsmtpにするんですね」.
# Read as "not the old server", each made the card keep a sending server that may stop.
_NOT_SAID_SO: Final = re.compile(
    r"かも|かな|たぶん|多分|おそらく|と思|確認|かくにん|確かめ|たしかめ|調べ|しらべ"
    r"|(?:見|み)て(?:き|く|み)|ば(?:いい|よい|良い)|(?:ですか|ますか|んですか)"
    r"|(?:の|か|ね|よね|っけ)[。.!！\s]*$"
)
# 「違うのが入ってます」「別の名前です」: something else than the old server in the field.
_SOMETHING_ELSE: Final = re.compile(
    # 「いいえちがうのが入ってました」: after a no too.
    r"^(?!.*(?:わから|分から|知らない|しらない))(?:(?:いいえ|いや|いえ)[、,\s]*)?"
    r"(?:違う|ちがう|別の|べつの)(?:の|もの|名前|なまえ|サーバー?)"
    r"(?:が|に|です|でした|になって)"
)


def _unless_hedged(kind: Kind, text: str) -> Kind:
    """`kind`, or not sure where `text` guesses at the server it names.

    「smtp.gmail.comだったかも」 named a host first and the hedge after it was never read:
    the "no" kept a sending server that may stop working.
    """
    if kind is Kind.NO and (_NOT_SAID_SO.search(text) or _GUESSED.search(text)):
        return Kind.UNSURE
    return kind


# A guess after the host named: 「…だったかも」「…っぽい」「…だった気がする」 "I think it's …".
_GUESSED: Final = re.compile(
    r"っぽい|ぽい|みたい|らしい|気が(?:する|します)|だった(?:よう|っけ)|ような"
    # 「smtp.なんとか.ne.jp」: half remembered.
    r"|なんとか|何とか|なんちゃら|うろ覚え|忘れ|わすれ"
    r"|\b(?:maybe|perhaps|probably|might|i think|i guess|not sure)\b"
)
# Where the subscriber is, said at the blocking question: 「家です」, "I'm at home".
_AT_HOME: Final = re.compile(r"家|自宅|じたく|うち(?:です|だ|から|で)|\bhome\b")
# The blocking itself spoken of: 「家ではブロックされてない」 "no, home doesn't block".
_BLOCKING_SAID: Final = re.compile(
    r"ブロック|ぶろっく|block|25|制限|実施|ふさ|塞|され|して(?:い)?(?:ない|ません)|してな"
)


def _names_the_new_host(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` names the new outgoing server by its first label alone (「vsmtp」).

    Not when an old server is named too, nor a first label too short to mean one.
    """
    outgoing = profile.outgoing
    label = outgoing.new_host.split(".", 1)[0]
    if len(label) < _LABEL_LENGTH or any(old in text for old in outgoing.old_hosts):
        return False
    old_labels = {old.split(".", 1)[0] for old in outgoing.old_hosts}
    return (
        label not in old_labels
        and re.search(rf"(?<![a-z0-9.]){re.escape(label)}(?![a-z0-9])", text) is not None
    )


# A first label shorter than this names no server ("vs", "mail" is generic anyway).
_LABEL_LENGTH: Final = 4


def _provider_host(host: str, profile: MigrationProfile) -> bool:
    """Whether `host` is the provider's own: under its mail domains' or servers' parent.

    The parent (117.ne.jp) counts only where it has a dot itself.
    """
    names = (
        *profile.affected_domains,
        profile.incoming.old_host,
        profile.incoming.new_host,
        *profile.outgoing.old_hosts,
        profile.outgoing.new_host,
    )
    parents = {name.split(".", 1)[1] for name in names if name.count(".") >= 2}
    return any(host == parent or host.endswith(f".{parent}") for parent in parents)


# The value of a `Kind.PHONE` that named the computer where the program was asked for.
COMPUTER: Final = "computer"
# The value of a `Kind.PHONE` that asked whether a phone will do (「スマホでもできますか」).
PHONE_ASKED: Final = "asked"
# Whether it can be done (there, that way): 「できますか」「使えますか」「大丈夫？」 'can I …'.
_CAN_IT_BE_DONE: Final = re.compile(
    r"(?:でき|出来|いけ|行け|使え|変えられ|設定でき|送れ|受け取れ|見られ|読め)(?:ます|る)?(?:か|の|[?？])"
    r"|(?:大丈夫|可能|いい|よい|良い)(?:です|でしょう)?(?:か|[?？])"
    r"|^(?:can|could|may) (?:i|we|you)\b|\bis it possible\b"
    r"|\b(?:does|will|would) (?:it|this|that) work\b"
)
# The whole message names a computer: 「パソコンです」「Windows10のパソコン」 "just my PC".
# 「iPhoneじゃなくて、」 before what is meant: 「iPhoneじゃなくてパソコンです」 is the computer.
_TAKEN_BACK_BEFORE: Final = re.compile(r"^[^、。,]{1,20}?(?:じゃ|では)\s*なく(?:て)?[、,\s]*")
_A_COMPUTER: Final = re.compile(
    r"(?:(?:えっと|えーと|あの)[、,\s]*)?(?:just |only |on )?(?:my |a )?"
    r"(?:普通の|ふつうの|家の|自宅の|うちの)?"
    r"(?:(?:windows|ウィンドウズ|ウインドウズ)\s*\d*"
    r"(?:\s*の\s*(?:ノート|デスクトップ)?(?:パソコン|ぱそこん|pc))?"
    r"|(?:ノート|デスクトップ)?(?:パソコン|ぱそこん)|pc|computer|laptop|desktop)"
    # 「パソコンのメールです」: the computer's mail, the program on it still unnamed.
    r"(?:\s*の\s*(?:メール|めーる)(?:ソフト|そふと|アプリ)?)?"
    r"\s*(?:です|だよ|を使って(?:い)?ます)?[。.!！]*"
    # 「パソコンのメールソフトです、青い封筒のマーク」: its icon, which on a phone is the phone's
    # own mail app (words: it was asked which phone).
    r"(?:[、,\s]*(?:青い|あおい)?\s*(?:封筒|ふうとう)\s*の?\s*(?:マーク|まーく|アイコン)"
    r"(?:の(?:やつ|もの))?(?:です)?[。.!！]*)?"
)
# Where naming a program is the choice itself (a corrected one too), not a second program.
CHOOSING_PROGRAM: Final = frozenset(
    {Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND, Stage.SETTINGS_DELIVERED}
)


def _old_host_asked(text: str, profile: MigrationProfile) -> bool:
    """Whether `text` asks what an outgoing server's name (or its first label) is.

    The old names, and the new one the question's note names (「vsmtpってなに」 was its yes).
    """
    hosts = (*profile.outgoing.old_hosts, profile.outgoing.new_host)
    names = sorted({*hosts, *(h.split(".", 1)[0] for h in hosts)}, key=len, reverse=True)
    if not names:
        return False
    alternatives = "|".join(re.escape(name) for name in names)
    return bool(
        re.search(
            rf"(?<![a-z0-9.-])(?:{alternatives})(?![a-z0-9-]|\.[a-z0-9])\s*[」』\"']?\s*"
            r"(?:って|とは|て|っていうの(?:は)?)\s*(?:何|なに|なん|どういう)"
            rf"|\bwhat(?:'s| is) (?:{alternatives})(?![a-z0-9-]|\.[a-z0-9])",
            text,
        )
    )


def _outgoing_labels(profile: MigrationProfile) -> frozenset[str]:
    """The first labels of the profile's outgoing servers, old and new ("vs", "vsmtp")."""
    outgoing = profile.outgoing
    return frozenset(host.split(".", 1)[0] for host in (*outgoing.old_hosts, outgoing.new_host))


def _unsure_of_the_service(text: str) -> Intent:
    """Not sure, a service named at the sending-server question: Gmail's explained apart.

    「ジーメールで送ってます」 got the question's general note (「わからない場合は「はい」として
    進めます」), which says nothing of how to tell the two servers apart (subscriber21).
    """
    return Intent(Kind.UNSURE, GMAIL_NAMED if _GMAIL.search(text) else READ)


def _corrected_program(text: str, stage: Position, profile: MigrationProfile) -> Intent | None:
    """「間違えました、Outlookです」: the program meant instead of the one named before.

    Not at a question about using a program at all, where any name is its "yes".
    """
    question = profile.questionnaire.question(stage)
    if question is not None and question.reading is Reading.MAIL_PROGRAM:
        return None
    if (
        (question is not None and question.reading is Reading.OUR_SMTP)
        or stage is Stage.ASK_SMTP_HOST
    ) and (
        _SERVER_WORDS.search(text)
        or _NO_THEN_SERVICE.fullmatch(text)
        or _SENT_WITH_SERVICE.fullmatch(text)
    ):
        # 「いいえ、gmailのsmtpです」 names the sending server used instead: a "no"; so does
        # 「いいえ、gmailです」 where the old server's name is asked (it was the Gmail app).
        # 'I send through gmail' may name either (subscriber20: taken for the Gmail app).
        return None
    if question is not None and _PROVIDERS_SERVER.search(text):
        # 「やっぱりいいえ、gmailのサーバーで送ってます」 at the blocking question takes back the
        # yes to the sending-server question: Google's server, not the Gmail app (it was noted
        # as the program, and the earlier answer kept).
        return None
    program = corrected_program(text)
    if program is None:
        return None
    value = program if isinstance(program, str) else program.value
    if stage in CHOOSING_PROGRAM:
        return Intent(Kind.CHOICE, f"program:{value}")
    # 「いいえ、Outlookです」 at the network question puts right a program named before; with
    # none named, its no is the question's (`Turn._program_named`). Not at the sending-server
    # question, where a name is as likely the server's (returned above when it says so).
    says_no = question is not None and question.reading is not Reading.OUR_SMTP
    answer = "no" if says_no and _SAYS_NO_FIRST.match(text) else ""
    return Intent(Kind.PROGRAM, value, corrects=True, answer=answer)


def program_intent(text: str) -> Intent | None:
    """A mail program named anywhere in `text`, as the button that would choose it."""
    program = recognise_program(text)
    if program is None:
        return None
    value = program if isinstance(program, str) else program.value
    return Intent(Kind.CHOICE, f"program:{value}")


def _outlook_kind(text: str) -> Intent | None:
    told = _OUTLOOK_TOLD_APART.search(text)
    if told is not None:
        kind = MailProgram.OUTLOOK_NEW if told.group("new") else MailProgram.OUTLOOK_CLASSIC
        return Intent(Kind.CHOICE, f"program:{kind.value}")
    if any(word in text for word in _NEW_OUTLOOK):
        return Intent(Kind.CHOICE, f"program:{MailProgram.OUTLOOK_NEW.value}")
    if any(word in text for word in _CLASSIC_OUTLOOK):
        return Intent(Kind.CHOICE, f"program:{MailProgram.OUTLOOK_CLASSIC.value}")
    return None
