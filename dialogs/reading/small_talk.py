"""Greetings, thanks and "it works!": answered politely, never counted as a misunderstanding."""

from __future__ import annotations

import enum
import re
from typing import Final


class SmallTalk(enum.StrEnum):
    """What a message says besides the business at hand."""

    GREETING = "greeting"
    THANKS = "thanks"
    WORKS = "works"
    ANYONE_THERE = "anyone_there"
    # 「おわり」「また後でやります」「さようなら」: leaving, thanked for coming.
    GOODBYE = "goodbye"
    # 「たすけてください」「むずかしい」「ちょっとお聞きしたいんですが」: reassured, then asked.
    HELP = "help"
    # 「ちょっと待ってください」「今調べます」「見てきます」: gone to look, told to take their time.
    WAIT = "wait"
    # 「昨日の続きです」「前回の続きから」: back after a while, carried on where they stopped.
    RESUME = "resume"
    # 「わかりました」「了解です」「なるほど」: understood (an explanation, an answer), not thanks.
    UNDERSTOOD = "understood"
    # 「祖母のメールの設定です」「母の代わりに聞いています」: writing for a relative (a grandchild
    # on their own LINE), told the questions are about the relative's computer or phone.
    ON_BEHALF = "on_behalf"
    # 「もう設定は変えました」「設定変更しました」「変更済みです」 'I already changed the settings':
    # a change made, which proves nothing yet (not "it works"): before the verdict, whether it
    # was the right one; after the card, the login check proves it (`Turn._changed_already`).
    CHANGED = "changed"


# Any emoji after the words too (「できました！ありがとうございました🙇」 was not read): the
# pictographs' blocks, the dingbats and misc symbols, with their joiners and selectors.
_END: Final = r"[\s。.!！~〜ー…、,♪ｗw\u2600-\u27bf\u200d\ufe0f\U0001f300-\U0001faff]*"

# Whom a subscriber writes for, as they name them: 「祖母」「母」「おばあちゃん」, "my grandmother".
_RELATIVE: Final = (
    r"(?:祖母|祖父|両親|母親|父親|母|父|親|妻|夫|主人|家内|嫁|娘|息子|義母|義父|家族|親戚"
    r"|叔母|叔父|伯母|伯父|姉|兄|妹|弟|お(?:ばあ|じい)(?:ちゃん|さん|さま|様)|(?:ばあ|じい)ちゃん"
    r"|お(?:かあ|とう)(?:さん|さま|様)|お?母さん|お?父さん|ばあば|じいじ)"
)
_RELATIVE_EN: Final = (
    r"my (?:grand(?:mother|ma|father|pa|parents?)|mother|mom|mum|father|dad|parents?"
    r"|wife|husband|aunt|uncle|family)"
)

# Thanks or regards after what was said: 「変更しました。ありがとうございます」.
_THANKS_AFTER: Final = (
    r"(?:[。.!！、,\s]*+(?:ありがとう(?:ございます|ございました)?|どうも|よろしく(?:お願い(?:します|いたします"
    r"|致します))?|以上です))?"
)

# Whole messages only: 「ありがとう、でもまだ送れない」 is a problem, not thanks.
_RULES: Final[tuple[tuple[SmallTalk, re.Pattern[str]], ...]] = (
    (
        # Before WORKS, which read 「設定変更しました」 as "it works" (praise before any card).
        SmallTalk.CHANGED,
        re.compile(
            r"^(?:(?:はい|ええ|あの|えっと)[、,!！\s]*+)?"
            r"(?:(?:もう|既に|すでに|とっくに|先に|さきに|自分で|じぶんで)[、,\s]*+)*"
            r"(?:(?:メールの|メールソフトの)?設定(?:は|を|も)?[、,\s]*+"
            r"(?:(?:もう|既に|すでに|全部|ぜんぶ)[、,\s]*+)?)?"
            # 「設定しました」「新しい設定にしました」 say the change too (words9: "it works").
            r"(?:変え|かえ|変更し|へんこうし|直し|なおし|設定し(?:直し|なおし)?|せっていし(?:なおし)?"
            r"|(?:新しい|あたらしい)設定にし)"
            r"(?:ました|ておきました|てあります|ちゃいました|ています|てます)"
            # 「変更しました。ありがとうございます」: thanks after the change is still the change
            # (words9: it was "glad it works", which nobody had said).
            rf"{_THANKS_AFTER}{_END}$"
            # 「変更済みです」「設定変更済みです」「もう変更済み」.
            r"|^(?:(?:もう|既に|すでに)[、,\s]*+)?(?:設定(?:は|を|も)?)?(?:変更|へんこう)(?:済み?|ずみ)"
            rf"(?:です|になっています|になってます)?{_END}$"
            # 「設定を変更しました」 said politely: 「…いたしました」.
            r"|^(?:(?:もう|既に|すでに)[、,\s]*+)?設定(?:を|は)?(?:変更)?(?:いたしました|致しました)"
            rf"{_THANKS_AFTER}{_END}$"
            # 'I already changed the settings', 'I've changed them already', 'settings changed'.
            r"|^(?:(?:yes|yeah|ok|well)[,.!\s]+)?i(?:'ve| have)? (?:already |just )?"
            r"(?:changed|updated|switched|made the changes?|done the changes?"
            # "I've already set it up", "I set up the new settings" (words9: not understood).
            r"|set (?:it |them |everything |the new settings |my settings )?up"
            r"|set up (?:the new settings|my settings|everything))"
            r"(?: (?:it|them|the settings?|my settings?|my mail settings?))?"
            rf"(?: already)?(?:[,.!\s]*(?:thanks?|thank you))?{_END}$"
            r"|^(?:(?:the |my )?settings? (?:are |is )?(?:already )?(?:changed|updated)"
            r"(?: already)?)"
            rf"(?:[,.!\s]*(?:thanks?|thank you))?{_END}$"
        ),
    ),
    (
        SmallTalk.ANYONE_THERE,
        re.compile(
            r"^(?:もしもし|すみません|すいません)?[、,\s]*(?:誰か|だれか|どなたか)(?:い|居)(?:ますか|ません?か|る)?"
            rf"[?？]*{_END}$|^もしもし{_END}$"
            rf"|^(?:hello\?|is anyone there|anybody there|anyone there)[?？]*{_END}$"
            # 「ロボットですか？」「これは自動応答ですか」: who answers is the same question.
            # 「えっ、また機械ですか」 after an agent hands back (words: could not answer).
            r"|^(?:(?:えっ?|ええっ?)[、,\s]*+)?(?:(?:また|今度は|こんどは)\s*+)?"
            r"(?:これは|あなたは|こちらは)?(?:ロボット|ろぼっと|ボット|bot|ai|自動応答|自動|機械|人間)"
            rf"(?:です|なん(?:です)?|でしょう)?か?[?？]*{_END}$"
            r"|^(?:are you|is this|am i talking to|am i chatting with) (?:a |an )?(?:bot|robot|ai"
            rf"|automated|human|real person|person)[?？]*{_END}$"
            rf"|^who am i (?:talking|chatting) to[?？]*{_END}$"
        ),
    ),
    (
        SmallTalk.WORKS,
        re.compile(
            # Each run of separators taken whole (`*+`): with plain `*`, a long run
            # (「、、、…」) was split between the three every possible way, in time quadratic
            # in its length (2,000 of them: 0.1 s).
            # 「ありがとう、送れました」: the thanks may come first too.
            r"^(?:(?:はい|ええ|ありがとう(?:ございます|ございました)?)[、,!！\s]*+)?"
            r"(?:おかげさまで|お陰様で|おかげで)?[、,\s]*+"
            r"(?:やった|よかった|良かった|できた|出来た)?[、,\s]*+"
            r"(?:ちゃんと|無事に?|やっと|ようやく)?"
            # 「受信も送信もできました」「両方ともできるようになりました」: both sides.
            r"(?:受信も送信も|送信も受信も|両方(?:とも)?|どちらも|どっちも)?\s*"
            # In kana too, as a phone's keyboard left it: 「おくれました」「とどきました」.
            r"(?:送れ|おくれ|(?:送信|受信|送受信)(?:は|が|も)?でき|届い|とどい|届き|とどき|受け取れ"
            r"|うけとれ|でき|直り|なおり|直っ|なおっ|解決し)"
            # 「受信できるようになりました」.
            r"(?:るようになり|るようになっ)?"
            r"(?:た|ました|ましたよ|たよ|ちゃった)(?:わ|で|ぞ|ね)?"
            r"(?:[!！、,。\s]*(?:本当に|ほんとうに|大変|たいへん|とても)?\s*"
            # 「できた！ありがと」「送れた、ありがとね」: thanked as friends do (each was
            # 「うまく読み取れませんでした」 under 「解決しましたか？」).
            r"(?:ありがと(?:う|ー)?(?:ございます|ございました)?|ありがとね|ありがとさん"
            rf"|サンキュー?|さんきゅー?|助かりました|たすかりました|助かった|たすかった))?{_END}$"
            r"|^(?:it |that )?(?:works|worked|it'?s working)(?: now)?"
            r"(?:[,!\s]*(?:thanks?|thank you)(?: (?:so|very) much)?"
            # "It worked! Thank you so much for your patience".
            rf"(?: for (?:your|all your) (?:patience|help|time))?)?{_END}$"
            rf"|^(?:solved|fixed|all good)(?: now)?{_END}$"
            # 「ばっちりです」「完璧です」 (words: not read under 「解決しましたか？」).
            r"|^(?:(?:はい|ええ)[、,!！\s]*+)?(?:ばっちり|バッチリ|完璧|かんぺき)(?:です|でした)?"
            r"(?:[!！、,。\s]*+(?:ありがと(?:う|ー)?(?:ございます|ございました)?|助かりました))?"
            rf"{_END}$"
            # "perfect, thanks!", "brilliant": as 「ばっちりです」.
            r"|^(?:perfect|brilliant|excellent)"
            r"(?:[,!.\s]*(?:thanks?|thank you)(?: (?:so|very) much)?)?"
            rf"{_END}$"
            # As non-native speakers report it: "I finish", "I did it", "I changed already",
            # "all OK now", "success" (each was "Sorry, I did not catch that"). Not "finish"
            # alone: it may ask to end the chat.
            r"|^(?:i finish(?:ed)?|finished|i did it"
            r"|i (?:have )?changed (?:it |them |the settings? )?already"
            r"|all (?:ok|okay|fine)(?: now)?|it(?:'s| is) (?:ok|okay|fine) now|success(?:ful)?)"
            rf"(?:[,!.\s]*(?:thanks?|thank you)(?: (?:so|very) much)?)?{_END}$"
            # "yay it's working", "sending works again", "everything works now, thank you".
            r"|^(?:(?:yay|great|perfect|awesome|wow|ok|okay|yes)[,!.\s]*)?"
            r"(?:it|everything|sending|receiving|(?:my )?e-?mail|(?:my )?mail|all|both) ?"
            r"(?:(?:finally|now|really) )?"
            r"(?:works|worked|is working|'s working|are working|working)"
            r"(?: (?:now|again|fine|perfectly|properly))*"
            rf"(?:[,!.\s]*(?:thanks?|thank you)(?: (?:so|very) much)?)?{_END}$"
            rf"|^(?:i )?(?:can|could) (?:send|receive) (?:now|again)(?: thanks?)?{_END}$"
            # "receiving works and sending works too thanks": both sides, one after the other.
            r"|^(?:receiving|sending|incoming|outgoing) (?:works|is working)(?: (?:now|fine|too))*"
            r",? (?:and|&) (?:sending|receiving|incoming|outgoing)(?: (?:works|is working))?"
            r"(?: (?:now|fine|too|as well))*"
            rf"(?:[,!.\s]*(?:thanks?|thank you)(?: (?:so|very) much)?)?{_END}$"
            # "Done, it receives now. Thanks!": done, then what works.
            r"|^(?:(?:all )?done|finished|ok|okay)[,.!\s]+(?:it|everything|mail|e-?mail|sending"
            r"|receiving) (?:receives|sends|works|is working)(?: (?:now|again|fine))*"
            rf"(?:[,!.\s]*(?:thanks?|thank you)(?: (?:so|very) much)?)?{_END}$"
            # 「設定が完了しました」「設定できました」: the change made, as the guide asked.
            r"|^(?:設定(?:が|は)?)?(?:完了し|し終わり|しおわり|終わり|おわり)ました"
            rf"|^設定(?:でき|し直せ)ました{_END}$|^(?:all )?done{_END}$"
            # 「うまくいきました」「設定しました」「変更しました」: done as the guide said.
            r"|^(?:無事に?|ちゃんと)?(?:うまく|上手く)(?:いき|行き)ました"
            rf"|^(?:設定(?:を)?(?:変更)?|変更|へんこう)(?:しました|しておきました){_END}$"
            # Said politely, thanks after it: 「設定いたしました。ありがとうございました。」
            # 「変更しました。ありがとうございます」 (each was not read).
            r"|^(?:設定(?:を)?(?:変更)?|変更|へんこう)(?:しました|いたしました|致しました|しておきました)"
            r"[。.!！、,\s]*(?:(?:本当に|ほんとうに|どうも)?\s*ありがとう(?:ございます|ございました)?"
            rf"|助かりました|たすかりました){_END}$"
            rf"|^(?:設定(?:を)?(?:変更)?|変更|へんこう)(?:いたしました|致しました){_END}$"
        ),
    ),
    (
        SmallTalk.UNDERSTOOD,
        re.compile(
            r"^(?:(?:はい|ええ|うん)[、,\s]*)?(?:わかりました|分かりました|了解(?:です|しました)?|承知しました"
            # 「お待たせしました」 after 「ちょっと待ってください」: ready to go on.
            r"|(?:すみません|すいません|大変)?[、,\s]*お待たせ(?:しました|いたしました|致しました|です)?"
            r"|sorry (?:to keep you waiting|for the wait|for keeping you waiting)"
            r"|なるほど(?:です|ね)?|そうなんですね|そうなんだ|got it|understood|i see"
            # 「そうですか、それでは続けます」: the answer heard, and on they go.
            # 「ありがとう、続けます」 after an agent hands back (words: not read).
            r"|(?:そうですか|そうなんですね|わかりました|分かりました|ありがとう(?:ございます|ございました)?)"
            r"[、,。\s]*(?:それでは|では|じゃあ?)?[、,\s]*"
            r"(?:続けます|つづけます|続けてください|お願いします)"
            # A thumbs-up alone where it answers no question (a question reads it first, as
            # a yes said back): "I have read that" (it was 「うまく読み取れませんでした」).
            r"|👍|👌|🙆)"
            rf"{_END}$"
        ),
    ),
    (
        SmallTalk.THANKS,
        re.compile(
            # Up to two of these, one after the other: 「わかりました、ありがとう」 is
            # thanks. Alone, 「わかりました」「なるほど」 are understood (the rule above).
            # 「ご丁寧にありがとうございました」: a polite word before it.
            # 「ご親切にどうも」: どうも after such a word is the thanks itself.
            # 「よかった。ありがとうございます」: relief first.
            # 「佐藤さん、ありがとうございました」: the agent named first (words: not read).
            r"^(?:[\u4e00-\u9fff\u30a1-\u30fa]{1,6}(?:さん|様|さま)[、,。!！\s]*)?"
            r"(?:(?:はい|ええ|うん|よかった|良かった|よかったです)[、,。!！\s]*)?(?:(?:どうも|ご丁寧に|ごていねいに|ご親切に|ごしんせつに|本当に"
            # 「とても助かりました」「よくわかりました」 after the thanks (each was not read).
            r"|ほんとうに|大変|たいへん|とても|すごく|よく)?"
            r"[、,\s]*(?:ありがと(?:う|ー)?(?:ございます|ございました)?|(?<=に)どうも"
            r"|ありがたい(?:です)?|助かりました|助かります|なるほど(?:です|ね)?|そうなんですね|そうなんだ"
            r"|おおきに|ありがとさん|ありがとね|さんきゅー?|サンキュー?"
            r"|感謝(?:します|です)?|お世話になりました|了解(?:です|しました)?|わかりました|分かりました|承知しました"
            r"|thanks?(?: you)?(?: (?:so|very) much| a lot| a bunch)?"
            # "thanks a lot for your help".
            r"(?: for (?:your|the|all (?:your|the))(?: kind| great)? help"
            r"| for helping(?: me)?)?|thx|ty"
            # "thank you dear", as an older subscriber thanks a person.
            r"|(?:thanks|thank you)(?: (?:so|very) much)?,? (?:my )?(?:dear|love)"
            # "thanks Sato", "thank you, Mr Sato": the agent named (words: not read). Not
            # "thanks anyway", "thank you, useless": said of help that did not help.
            r"|(?:thanks|thank you),? (?:(?:mr|ms|mrs|miss)\.? )?"
            r"(?!(?:no|not|but|for|nope|anyway|anyways|useless|though|tho|still|nothing"
            r"|never|whatever|again)\b)[a-z]{2,12}"
            r"|great|got it"
            # 「わかりやすかったです」, "that was very helpful": how the help was, after the thanks.
            r"|(?:わかりやすかった|分かりやすかった)(?:です)?"
            r"|(?:that was |that's |it was )?(?:very |so |really )?helpful"
            r"|(?:that|it) helped(?: a lot)?"
            r"|understood|ok thanks?|okay thanks?"
            # Thanked in Japanese, written in the alphabet: "thank you so much, arigatou".
            r"|(?:domo )?arigat(?:o|ou|oh|ō)(?: gozaimas(?:u|hita))?)"
            rf"{_END}){{1,2}}"
            # 「…ありがとうございました。またわからなかったら聞きます」: thanks, and they will ask
            # again if need be (not read).
            r"(?:(?:また|今度|こんど)?\s*(?:わから|分から|困っ|こまっ)(?:なかったら|なければ|ない時は|たら)"
            rf"[^。!！?？]{{0,12}}?(?:聞きます|ききます|連絡します|お願いします|相談します){_END})?$"
        ),
    ),
    (
        SmallTalk.GOODBYE,
        re.compile(
            # 「今日は時間がないのでまた今度」「疲れたのでまた明日」: a reason may come first.
            r"^(?:[^。]{0,20}?(?:ので|から)[、,\s]*)?"
            r"(?:(?:では|じゃあ?|それでは)[、,\s]*)?"
            # 「今日はここまでにして、また明日やります」: the day closed first, then the goodbye.
            r"(?:(?:今日|きょう)は(?:ここまで|これで)(?:にして|にします|で)?[、,。\s]+)?"
            r"(?:さようなら|さよなら|おわり|終わり|終了|以上です"
            r"|(?:おわり|終わり)ます|(?:おわり|終わり)にします"
            r"|また(?:後で|あとで|今度|こんど|明日|あした)(?:やります|します|にします|やってみます)?"
            r"|ばいばい|バイバイ|失礼します|(?:今日|きょう)は(?:ここまで|これで)(?:にします)?"
            # 「またね」「じゃあね」: leaving, as a friend is left.
            r"|またね|じゃあね|じゃあまたね"
            # 「もういいです」「もう結構です」: giving up on the chat (not read).
            r"|もう(?:いい|結構|けっこう)(?:です|や|よ)?(?:わ)?"
            rf"|bye|bye bye|goodbye|good bye|see you|that'?s all"
            # "that's all, bye", "ok thanks, bye".
            r"|(?:that'?s all|ok(?:ay)?|(?:ok(?:ay)?[,.!\s]+)?(?:thanks?|thank you)"
            r"(?: (?:so|very) much)?)[,.!\s]+(?:bye|goodbye|see you)"
            # "done, bye"; "ok I will come back later. bye", as 「また明日やります」.
            r"|(?:done|all done|finished)[,.!\s]+(?:bye|goodbye|see you)"
            r"|(?:ok(?:ay)?[,.!\s]+)?(?:i'?ll|i will) (?:come back|be back|try (?:it )?again|do it)"
            r" (?:later|tomorrow)(?:[,.!\s]+(?:bye|goodbye|see you))?"
            # 「また明日やってみます、今日はもう疲れました」: the reason after it (not read).
            r")(?:[、,。\s]*(?:今日は|きょうは)?\s*(?:もう)?\s*(?:疲れ|つかれ)(?:ました|た|ちゃった))?"
            rf"{_END}$"
            # 「じゃあまた」「ではこれで」: leaving, said as briefly as that.
            rf"|^(?:では|じゃあ?|それでは)[、,\s]*(?:また|これで){_END}$"
        ),
    ),
    (
        SmallTalk.WAIT,
        re.compile(
            # 「ちょっと待ってください」「少々お待ちください」「ちょっとお待ちを」
            # 「いや、ちょっと待って」 "no, wait": the "no" is a filler.
            # Runs of separators taken whole (`*+`), as in WORKS: a long run of spaces.
            # 「ありがとうございます、やってみます」: thanks first, then the wait.
            # 「それでは今から試してみます」 (it was the login check).
            r"^(?:(?:あ|はい|いや|いえ|いいえ|ううん|すみません|すいません|それでは|では|じゃあ?|no|oh"
            r"|ありがとうございます|ありがとうございました|ありがとう|どうも|わかりました|分かりました"
            # "Thanks, I'll try it" "ok I'll try", as 「ありがとうございます、やってみます」.
            r"|thanks|thank you|ok|okay|alright|all right|great"
            # "Not yet, I'll try later" under 「解決しましたか？」 (it was the login check).
            r"|(?:no[,.!\s]*)?not yet"
            # 「よくわからないので孫にやってもらいます」 (words9: not understood under the card).
            r"|(?:よく)?(?:わから|分から|判ら)ない(?:ので|から)|(?:難し|むずかし)い(?:ので|から))"
            # 「ありがとうございました。孫に見てもらいます」: a full stop after the thanks too.
            r"[、,.…!！。\s]*+)?"
            r"(?:ちょっと|ちょい|少し|すこし|しばらく|少々|しょうしょう|今|いま|これから|今から|いまから|後で"
            r"|あとで)?\s*+(?:"
            r"(?:お)?(?:待|ま)(?:って|ち|っとって|っといて)(?:ください|下さい|くださいね|ね|てね|て|くれ"
            r"|もらえますか"
            r"|いただけますか|を)?"
            # 「…、今やってみます」: waiting while they try.
            r"(?:[、,。\s]+(?:(?:今|いま)?(?:から)?(?:やって|試して|ためして)みます"
            # 「ちょっと待ってください、会社に聞いてみます」 (was not sure, and asked on).
            r"|(?:[^\s、。,]{1,6}に)?\s*(?:聞いて|きいて|確認して|かくにんして|調べて|しらべて|見て|みて)"
            r"(?:みます|きます|くる|来ます)))?"
            # 「今調べます」「パソコンを見てきます」「息子に聞いてきます」「会社に確認してきます」
            # 「父に確認してきます」: a word or two for whom or what (the whole message).
            # 「会社のシステム担当に確認します」: whom at some length (words: not read).
            r"|(?:[^\s、。,]{1,12}(?:に|を))?\s*(?:調べ|しらべ|確認し|かくにんし|見て|みて|探し|さがし|聞いて|きいて"
            r"|立ち上げ|たちあげ)(?:ます|てきます|てみます|てくる|くる|きます|ています|てます|みます)"
            # 「本人に確認中です」
            r"|(?:[^\s、。,]{1,6}に)?(?:確認|かくにん|問い合わせ)中(?:です)?"
            r"|(?:(?:見て|みて|調べて|確認して|聞いて|きいて)くる|(?:確認|かくにん|調べ|しらべ)(?:する|します))"
            r"(?:ので|から)\s*(?:お)?(?:待|ま)って(?:て)?"
            r"(?:ください|下さい|ね)?"
            # 「息子に見てもらいます」「孫にやってもらいます」: someone else will do it.
            r"|(?:[^\s、。,]{1,6}に)\s*(?:見て|みて|やって|設定して|せっていして|直して|なおして)"
            r"(?:もらいます|もらう|もらおうと思います)"
            # 「主人が帰ってきたらやってもらいます」「息子が週末に来るのでその時にやって
            # もらいます」: someone else, later.
            r"|(?:[^\s、。,]{1,6}が)[^。!！?？]{0,20}?(?:やって|見て|みて|設定して|せっていして|直して"
            r"|なおして)(?:もらいます|もらう|もらおうと思います)"
            # 「明日息子に見せます」: shown to someone, later.
            # 「息子が来たら見せます」: when someone comes (words: not read).
            r"|(?:[^\s、。,]{1,6}に|[^\s、。,]{1,6}が(?:来|き)(?:たら|た時に?|たときに?)[、,]?)"
            r"\s*+(?:見せ|みせ)(?:ます|る|てみます)"
            # 「明日やります」「週末にやります」「明日の朝やってみます」「帰ってからやります」:
            # later.
            r"|(?:(?:明日|あした)(?:の(?:朝|あさ|夜|よる))?|今度|こんど|週末|しゅうまつ|夜|よる|朝|あさ"
            r"|夕方|ゆうがた|後で|あとで|後ほど|のちほど|帰ってから|かえってから)(?:に)?\s*"
            r"(?:やり|し|試し|ためし|やってみ|試してみ|ためしてみ)ます"
            # 「今からやってみます」「これから設定します」「今やってます」 after the guide.
            r"|(?:やって|設定して|せっていして|試して|ためして)みます|(?:やって|設定して)(?:い)?ます"
            r"|設定(?:し|を)ます"
            # 「まだやってません」「まだ試してません」: not done yet.
            r"|まだ(?:やって|設定して|せっていして|試して|ためして|変更して|変えて)(?:い)?(?:ない|ません)(?:です)?"
            # 「いまからやってみますので少々お待ちください」: trying, and asked to be waited for.
            r"|(?:(?:やって|試して|ためして|設定して|確認して|見て|みて)(?:み|き)ます|(?:見て|みて|調べて)"
            r"きます)(?:ので|から)[、,\s]*(?:少々|しょうしょう|ちょっと|少し|すこし|しばらく)?\s*"
            r"(?:お)?(?:待|ま)(?:ち|って)(?:ください|下さい|くださいませ|いただけますか)?"
            # "hang on, let me check": one or two of them.
            r"|(?:(?:wait(?: a (?:moment|sec|second|minute))?|hold on|hang on|brb"
            r"|(?:one|just a|give me a) (?:moment|sec|second|minute)"
            r"|let me (?:check|look|see|try|think)(?: it| that| this)?(?: (?:now|again|first))?"
            # "I will try this tomorrow morning" (it was the login check).
            # "I haven't tried yet", as 「まだ試してません」.
            r"|i (?:have ?n.?t|have not) (?:tried|done|changed)(?: it| this| that| them)? yet"
            r"|i(?:'?ll| will) (?:(?:try|check|do)(?: it| this| that)?|give it a (?:go|try)"
            r"|have a go)"
            # "I'll try it later"; "wait a sec, let me ask my husband" (opened by the wait: "let
            # me ask" alone is not sure, someone else knows).
            r"(?: (?:later|tomorrow|tonight|in a bit|in a while))?"
            r"(?: (?:morning|evening|afternoon|night|in the (?:morning|evening)))?"
            # "I'll ask my son to do it": someone else will.
            r"|i'?ll (?:ask|get) my [a-z]+ to (?:do|look at|help with|set up) (?:it|this|that)"
            r"|(?<=[,.!…\s])let me ask(?: [a-z']+){0,3})[,.!…\s]*){1,2})"
            r"(?:,? please)?ね?"
            rf"{_END}$"
        ),
    ),
    (
        SmallTalk.ON_BEHALF,
        re.compile(
            r"^(?:(?:すみません|すいません|こんにちは)[、,。\s]*)?(?:(?:私|わたし)は)?"
            # 「娘です。母のメールの設定をしています」: who is writing, first (words10).
            r"(?:(?:娘|息子|孫|むすめ|むすこ|まご)(?:です|の者です)[、,。\s]*)?"
            rf"(?:{_RELATIVE}(?:に(?:頼まれて|たのまれて)|の(?:代わりに|かわりに))[、,\s]*)?"
            # 「祖母のメールの設定です」「母のメールです」「父のパソコンのメールの設定をしたいです」
            rf"(?:{_RELATIVE}の(?:パソコン|スマホ|携帯|iPhone|アイフォン)?の?(?:メール|めーる)"
            r"(?:の(?:設定|せってい|件|こと|相談|設定変更))?"
            r"(?:です|ですが|ですけど|で|について(?:です)?|を(?:お願いします|したい(?:です)?|したいのですが"
            r"|して(?:います|ます|いる)))?"
            # 「祖父の代わりに聞いています」「母に頼まれて聞いています」
            rf"|(?:{_RELATIVE}(?:に(?:頼まれて|たのまれて)|の(?:代わりに|かわりに)))"
            r"(?:聞いて|きいて|書いて|かいて|送って|やって|設定して|入力して|にゅうりょくして|打って"
            r"|うって|操作して|見て|みて|手伝って|てつだって)(?:います|いる|る|ます)"
            r"|(?:(?:hi|hello)[,!.]?\s*)?(?:i'?m |i am )?(?:writing|asking|doing this|helping)"
            r" (?:for|on behalf of) "
            rf"{_RELATIVE_EN}"
            rf"|(?:it'?s|this is (?:about|for)) {_RELATIVE_EN}'?s? (?:e-?mail|mail)(?: account)?"
            rf"){_END}$"
        ),
    ),
    (
        SmallTalk.RESUME,
        re.compile(
            r"^(?:(?:(?:こんにちは|こんばんは|おはようございます|すみません)[、,。\s]*)?"
            r"(?:昨日|きのう|先日|せんじつ|前回|ぜんかい|この前|このまえ|さっき|先ほど|さきほど)?の?"
            r"(?:続き|つづき)(?:です|から|を|で)?(?:お願い(?:します|いたします)?|したい(?:です)?"
            r"|やりたい(?:です)?|やります|をします)?"
            r"|また(?:来|き)ました"
            # 「昨日の者です」「昨日相談した者です」「先日問い合わせた者ですが」: who they are.
            r"|(?:(?:すみません|すいません|こんにちは|こんばんは)[、,。\s]*)?"
            r"(?:昨日|きのう|先日|せんじつ|前回|ぜんかい|この前|このまえ|さっき|先ほど|さきほど)"
            r"(?:の|に|、)?(?:[^\s、。]{0,10}?[ただ])?(?:者|もの)(?:です|ですが|ですけど)?"
            # 「どこまで進みましたか」「どこまでやりましたっけ」: where they stopped, asked.
            r"|どこまで(?:進み|すすみ|やり|終わり|おわり)ました(?:か|っけ|かね)?[?？]*"
            r"|where (?:were we|did we (?:stop|leave off|get to))[?？]*"
            r"|(?:(?:hi|hello)[,!.]?\s*)?(?:i'?m back|i am back|back again|(?:let'?s )?continue"
            r"|continuing from (?:yesterday|before|earlier))"
            r"(?:[,!.\s]+(?:let'?s continue|continuing|to continue))?)"
            rf"{_END}$"
            # 「昨日の続きです。設定はまだです」「昨日途中で終わってしまったので続きを…」: read
            # last of all, so whatever else it says was not understood.
            r"|^.{0,4}(?:昨日|きのう|先日|前回|この前|さっき)(?:の|、|,)?.{0,20}?(?:続き|つづき)"
            # 「昨日途中までやったんですが」 "I was here yesterday", "I talked to you yesterday
            # about my email": back after a day, in other words (not understood).
            r"|^.{0,4}(?:昨日|きのう|先日|前回|この前)(?:は|に|、|,)?\s*(?:途中|とちゅう)(?:まで|で)"
            r"|^(?:(?:hi|hello)[,!.]?\s*)?i (?:was here|came here|talked to you"
            r"|chatted (?:with|to) you|spoke (?:with|to) you)"
            r" (?:yesterday|earlier|before|the other day|last (?:time|week))\b"
        ),
    ),
    (
        SmallTalk.HELP,
        re.compile(
            r"^(?:(?:こんにちは|こんばんは|おはようございます|あの[ーう〜]*|えーと|えっと|すみません|すいません"
            r"|お世話になります|お世話になっております|おせわになります|おせわになっております"
            # "Good afternoon. I would like some help with my e-mail, please.": a greeting, as
            # in Japanese (it was "Sorry, I did not catch that").
            r"|hi|hello|good (?:morning|afternoon|evening))"
            r"[、,。.\s]*)*(?:ちょっと|少し)?(?:メールのことで|メールの件で|メールについて"
            # 「ご案内の件で確認したいことがあります」「お知らせについてお尋ねしたいのですが」.
            r"|(?:ご案内|案内|お知らせ|おしらせ|ハガキ|はがき|お手紙)(?:の件で|のことで|について))?\s*"
            r"(?:たすけて|助けて|困って(?:い)?(?:ます|る)|こまって(?:い)?(?:ます|る)|(?:むずかしい|難しい)(?:です)?"
            r"|(?:教えて|おしえて)"
            r"|お?(?:聞き|きき)したい(?:こと)?(?:ん|の)?(?:です|がある|があります)?(?:が|けど)?"
            # 「質問があります」「その前に聞きたいことがあります」
            r"|(?:その前に|先に)?(?:質問|しつもん|聞きたいこと|ききたいこと|確認したいこと|かくにんしたいこと)"
            r"(?:が)?(?:あります|ある|があるんですが)?"
            r"|お(?:尋ね|たずね)したい(?:こと)?(?:ん|の)?(?:です|がある|があります)?(?:が|けど)?"
            r"|(?:ご)?相談(?:です|があります|したい(?:んですが|のですが)?)"
            # 「ご相談させていただきたいのですがよろしいでしょうか」: asked politely, at length.
            r"|(?:ご|お)?(?:相談|質問)(?:させて|して)?\s*(?:いただき|頂き)たい(?:ん|の)?(?:です)?(?:が|けど)?"
            r"[、,\s]*(?:よろしい|宜しい|いい)?(?:でしょうか|ですか)?"
            # 「パソコンは苦手なのですが」「機械に弱くて」: not at ease with it, reassured.
            r"|(?:パソコン|ぱそこん|機械|きかい|インターネット|ネット|メール|めーる|スマホ)"
            r"(?:の(?:こと|設定))?(?:は|が|に|も)?\s*(?:あまり|とても|すごく|全然|ぜんぜん|本当に)?\s*"
            r"(?:苦手|にがて|弱|よわ|不慣れ|ふなれ|詳しく(?:ない|なくて|ありません)|くわしく(?:ない|なくて))"
            r"(?:い|くて|で)?(?:な(?:の|ん)|の|ん)?(?:です|でして)?(?:が|けど|けれど(?:も)?|ので)?"
            r"|help me|i need help|please help"
            # 「メールの設定を手伝ってください」: help with the settings asked for.
            # (No space of its own: two runs side by side split a long one every way.)
            r"|(?:メール|めーる)?の?(?:設定|せってい)?を?(?:手伝って|てつだって)"
            r"|(?:i'?d like|i would like|i need|i want) (?:some )?help"
            r"(?: with (?:my |the )?(?:e-?mail|mail|settings?)(?: settings?)?)?(?:,? please)?"
            r"|(?:can|could) you (?:please )?help me(?: with (?:my )?(?:e-?mail|mail))?"
            r"(?:,? please)?[?？]?"
            # "I am not good with computers", "I'm not very technical".
            r"|(?:i'?m|i am) not (?:very |so |really )?(?:good (?:with|at)|familiar with|used to)"
            r" (?:computers?|technology|tech|this|these things|e-?mail)"
            r"|(?:i'?m|i am) not (?:very |so |really )?"
            r"(?:technical|tech[- ]?savvy|a computer person)"
            r"|(?:this is|it'?s|this'?s) (?:too|so|very) (?:hard|difficult|complicated)"
            r"|too difficult)"
            rf"(?:ください|下さい)?{_END}$"
            # A start and no more: 「あのーすみません」「メールのことで」, as an older subscriber
            # opens before the question (each was not understood).
            r"|^(?:(?:あの[ーう〜]*|えっと|えーと)[、,\s]*(?:すみません|すいません)?|すみません|すいません)"
            rf"{_END}$"
            r"|^(?:メール|めーる)(?:のこと|の件|について)(?:で|なんですけど|なんですが|ですが|です)?"
            rf"{_END}$"
        ),
    ),
    (
        SmallTalk.GREETING,
        re.compile(
            r"^(?:(?:こんにちは|こんにちわ|こんばんは|こんばんわ|おはよう(?:ございます)?|はじめまして"
            r"|初めまして|(?:どうぞ|どうか)?(?:よろしく|宜しく)(?:お願い(?:します|いたします|致します)"
            r"|おねがい(?:します|いたします)|です)?"
            r"|お疲れ様です"
            # 「メールの件でお世話になります」, as a letter opens.
            r"|(?:メールの件で|メールのことで)?(?:お世話|おせわ)にな(?:ります|っております)"
            r"|(?:昨日|きのう|先日|せんじつ|この前|このまえ)は(?:どうも|ありがとうございました)"
            r"|hi|hello|hey|hi there|hello there|good (?:morning|afternoon|evening)"
            # "Thanks, looking forward to hearing from you" after a message left for the desk.
            r"|(?:thanks?(?: you)?[,.!\s]*)?(?:i'?m |i am )?looking forward to (?:hearing from you"
            rf"|your (?:call|reply|answer|e-?mail))){_END})+$"
        ),
    ),
)


# The greetings that close as well as open: 「よろしくお願いします」 after a message left for
# the desk is not a hello ("looking forward to hearing from you" neither).
_REGARDS: Final = re.compile(r"よろしく|宜しく|looking forward")


# The time of day a greeting names, for it to be answered in kind: 「おはようございます」 and
# 「こんばんは」 were both answered 「こんにちは」 (words30). "Good morning" likewise.
_TIME_OF_DAY: Final = (
    ("morning", re.compile(r"おはよ|\bmorning\b")),
    ("evening", re.compile(r"こんばん|\bevening\b")),
)


def greeted_at(text: str) -> str | None:
    """The time of day ("morning", "evening") a greeting in `text` (normalised) names, or None."""
    for when, pattern in _TIME_OF_DAY:
        if pattern.search(text):
            return when
    return None


# A greeting that opens a message: only there does it greet (not "since this morning").
_OPENING_GREETING: Final = re.compile(r"^(?:(?:good\s+)?(?:morning|evening)\b|おはよ|こんばん)")


def opened_at(text: str) -> str | None:
    """The time of day a greeting opening `text` (normalised) names, or None.

    A platform's first message 「おはようございます」, or 「こんばんは、メールが送れません」, is
    greeted in kind (words31: the opening greeting said 「こんにちは」 to each).
    """
    opening = _OPENING_GREETING.match(text)
    return None if opening is None else greeted_at(opening.group())


def sends_regards(text: str) -> bool:
    """Whether `text` (normalised), small talk, says 「よろしくお願いします」 rather than hello."""
    return _REGARDS.search(text) is not None


def recognise_small_talk(text: str) -> SmallTalk | None:
    """The small talk that `text` (normalised) is, as a whole message, or None."""
    for kind, pattern in _RULES:
        if pattern.match(text):
            return kind
    return None
