"""Answers to the question on screen, as people type them: each question knows its phrasings.

The danger here is reading too much: "no" at the first three questions means *less* change
(webmail only, sending untouched), so a "no" must be a real no. A problem report
(「送れない」), a question, or a negated verb that is not the question's own
(「問題ない」) is never an answer. "Not sure" is always safe: it takes the branch that asks
for more change, so it is read first.

An answer is `Intent(kind, READ)` when it came from a sentence rather than a bare answer
word, so the dialog says how it read it and how to undo that.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from dialogs.kana import hiragana, katakana
from dialogs.questionnaire import Stage
from dialogs.reading.morphemes import Morpheme, predicates
from dialogs.reading.problems import recognise_problem
from dialogs.reading.small_talk import SmallTalk, recognise_small_talk
from dialogs.understanding import Intent, Kind, normalise

_ANSWER_LENGTH: Final = 200
READ: Final = "read"
"""The value of an answer read from a sentence: the dialog repeats how it read it."""

# Emoji and signs people end a message with (「はい😊」「はい♪」): pictographs, the
# miscellaneous symbols and dingbats, arrows and stars, and the emoji variation selector.
_SIGNS: Final = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f"
# Faces typed in brackets as normalise leaves them, (^^) (^_^;) (*^^*) (´・ω・`), and ^^,
# (笑) and (汗): marks only, never words in brackets (「はい(自宅)」 stays a sentence).
_FACE: Final = r"\([\^_\-oO0;:'*・ω▽∀´`゚°.~><≧≦ｰ\s]{1,12}\)|\^[_\-o]?\^|\((?:笑|汗)\)"
_END: Final = rf"(?:[\s。.!！~〜ー…、,ｗw{_SIGNS}]|{_FACE})*"


def _bare(words: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{words}){_END}$")


_BARE_YES: Final = _bare(
    r"はい|ええ|うん|そう|そうです|そうですね|その通り(?:です)?|そのとおり(?:です)?|はいそうです"
    r"|yes|yeah|yep|yup|y|ok|okay|sure|correct|right|はい、?そうです"
    # Typed fast or said in full: "yess", "ya", "that's right", "I do".
    r"|yes+|ya|yah|yea|yeah+|that'?s (?:right|correct)|exactly|absolutely|definitely"
    r"|(?:yes,? )?(?:i|we) do|i think (?:they|it|we) (?:do|does|are|is)|(?:yes,? )?they do"
    r"|i believe so|i believe (?:they|it|we) (?:do|does|are|is)"
    # "sure do", "I sure do", "sure does", "you bet" (words30: "sure do" was not read).
    r"|(?:(?:i|we|they) )?sure (?:do|does|am|is|are)|sure (?:i|we|they) (?:do|am|are)|sure thing"
    r"|you bet"
    # Typed fast, in romaji or katakana: 「はいい」「hai」「イエス」 (a sign alone: _SIGN_YES).
    r"|はい+|はーい|hai|イエス|いえす"
    r"|もちろん(?:です)?|当然(?:です)?|of course"
    r"|うん(?:うん)+|そうだね|そうだよ|そうですよ|そうそう|i think so"
    # "I think so yes", "I believe so, yes" (words: not read).
    r"|i (?:think|believe) so,? yes"
    # In dialect: 「せや」「そうや」「せやで」.
    r"|はいはい|せや|そや|そうや|せやで|そやで|そうやで|せやね|そうやね"
    # 「してる」「OKです」: the question's verb alone, a plain OK.
    r"|してる|してます|しています|ok(?:です)?|オッケー(?:です)?"
    # 「あっています」 'that is right' (subscriber18: not read at the server question).
    r"|(?:合|あ)って(?:い)?ます|(?:合|あ)ってる|正解(?:です)?"
)
_BARE_NO: Final = _bare(
    # 「いいいえ」: a key pressed twice, as 「はいい」 is read for yes.
    r"い{2,3}え|いえ|いや|ううん|いいや|違います|ちがいます|違う|ちがう|ない|ないです|ありません|なし|無い|無し"
    r"|no|nope|nah|n|none|never|いいえ、?違います"
    r"|iie|ノー|のー"
    # In dialect: 「ちゃう」「ちゃいます」「ちゃうで」.
    r"|ちゃう|ちゃいます|ちゃうで|ちゃうよ|ちゃいますよ|ちゃうちゃう"
    # 「それはないです」 "no, that is not so" (words: not read).
    r"|それは(?:ない|ないです|ありません)"
    # 「つこうてへん」 (Kansai: not used; words: not read).
    r"|(?:つこ|使こ|使)うて(?:へん|ない|ません)"
)
# An answer word hedged, whole: read as the answer and said back, so it can be undone (each
# was asked again). "I think yes", 「そうだとおもう」; "I think no", "no, I think not" (as
# non-native speakers put 「違うと思います」; "I think" after the no alone still asks again),
# 「いいえだと思います」「ないと思います」.
_HEDGED_YES: Final = _bare(r"i (?:think|believe) yes|そうだと(?:思|おも)(?:います|う)")
_HEDGED_NO: Final = _bare(
    r"(?:no,? )?i (?:think|believe) (?:no|not)"
    # "don't think so", the "I" left out as a chat drops it (audit11: not understood, where
    # "I don't think so" was the no).
    r"|(?:no,? |nah,? |hmm,? )?(?:don'?t|do not) think so"
    r"|いいえだと(?:思|おも)(?:います|う)|ないと(?:思|おも)(?:います|う)"
)
# A sign alone, 「👍」「○」「👎」「×」: the answer, said back so it can be undone — a thumbs-up
# may only mean "I have read that" (DESIGN: an answer read from what was typed is confirmed
# in words). A sign after a word (「はい👍」) is no part of it: the word answers.
_SIGN_YES: Final = _bare(r"👍|👌|🙆|⭕|○|◯")
_SIGN_NO: Final = _bare(r"👎|🙅|❌|✖|×")


def is_answer_sign(text: str) -> bool:
    """Whether `text` is a sign the dialog reads alone as a yes or a no (「👍」「👎」「○」)."""
    return bool(_SIGN_YES.match(text) or _SIGN_NO.match(text))


_BARE_UNSURE: Final = _bare(
    r"わからない|分からない|わかりません|分かりません|わかんない|不明|知らない|知りません|\?+|？+"
    # 「さあ」「さー」: a shrug, typed.
    r"|さあ|さー|さっぱり"
    r"|not sure|unsure|don'?t know|i don'?t know|no idea|idk|dunno"
    # 「わからない」 written in the alphabet.
    r"|wakaranai|wakarimasen|wakannai|shiranai|shirimasen"
    # As a phone's small keys slip (letters swapped, one missed, one next to it), cut short
    # before the last key, or in Kansai speech: 「わかならい」「わかりまてん」「わかりまへん」.
    r"|わかならい|わらかない|わかりあせん|わかりまてん|わかりまさん|わかりませ|わかりまへん|わからへん"
    # 「ないかな」 "I guess not", as 「違うかな」 is (words: not read, after a filler too).
    r"|ないかな(?:あ|ぁ)?"
)
_UNSURE: Final = re.compile(
    r"わから|分から|わかりません|分かりません|わかりかね|分かりかね|わかん|解らない|判らない|知らな|しらな"
    r"|しりません|知りません|不明|不確か|たぶん|多分|どうだろ|かもしれ|自信(?:が|は)?な|確信(?:が|は)?な"
    # The humble forms: 「存じません」「存じ上げません」 'I would not know'.
    r"|存じ(?:上げ)?(?:ません|ない|かね)"
    # "I really couldn't tell you", "I can't say".
    r"|\b(?:could ?n.?t|can'?t|cannot) (?:really )?(?:tell|say)\b"
    # 「家だけかも」「されてないかも」: a guess at the answer, as 「かもしれない」 is (not
    # 「ほかも」, nor 「ウイルスに感染したかも」, a problem guessed at).
    r"|(?:だけ|のみ|ない|サーバー?|だった|でした)かも(?:ね|です|ですね)?[。.!！…\s?？]*$"
    # 「家だけっぽい」「されてないみたい」「家だけらしい」: how it looks, not what they know.
    # (Not 「会社だとポート25が使えないみたい」, a yes whatever its certainty.)
    r"|(?:だけ|のみ|サーバー?|(?:され|し)て(?:い)?ない)(?:っぽい|ぽい|みたい|らしい)(?:です|ですね|ね|な)?"
    r"[。.!！…\s?？]*$"
    # 「会社はブロックしてないはず」「制限はないはずです」: what they expect, not what they know
    # (words11: the no, which lowers what must change; DESIGN: a doubt never does). A yes
    # expected (「止めてるはず」) is the yes: it asks for the change either way.
    r"|(?:ない|ません|なし|無い)はず(?:です|だ|なんです|なんだけど)?(?:よ|ね|けど|けれど|ですが|が)?"
    r"[。.!！…\s]*$"
    # 「家だけだった気がする」 'I have a feeling', "I guess", "it might be": a guess too.
    r"|気が(?:する|します)|\bi guess\b|\b(?:might|could) be\b"
    # Cut short: 「会社のサーバーだった気が」「gmailのサーバーだったような」.
    r"|気が[。.…\s]*$|ような[。.…\s]*$"
    # A guess put as a question, or nothing ever heard: 「してないんじゃないかな」「家だけじゃない
    # かな」「聞いたことないです」「特に何も言われてません」 "not that I know of".
    r"|じゃないかな|じゃないかと|ではないかな|んじゃないか"
    r"|(?:聞いた|言われた|聞かされた)こと(?:が|は)?(?:ない|ありません)|特に何も言われて"
    r"|\bnot (?:that i know of|as far as i know|to my knowledge)\b"
    # 「いいえ、聞いてません」 "no, they don't tell me", "no, I never asked": never told (at the
    # blocking question it was the no, the old settings kept where they cannot send).
    r"|(?:聞いて|きいて|教えて(?:もらって)?|おしえて(?:もらって)?|知らされて)(?:い)?(?:ない|ません)"
    r"|\b(?:never|didn'?t|did not|haven'?t|have not) (?:asked|been told)\b"
    # Only denied: "they told me port 25 is blocked" was not sure (its "they told me").
    r"|\b(?:nobody|no one) (?:tells?|told) me\b"
    r"|\bthey (?:don'?t|do not|didn'?t|did not|never) (?:tell|told) me\b"
    # 「送信サーバーは空欄です」 "it is empty": no server to tell by (it was the no).
    r"|空欄|空白|(?:何も|なにも)\s*(?:書いて|かいて|入って|はいって)(?:い|あり)?(?:ない|ません)"
    r"|\b(?:empty|blank)\b"
    # In dialect or curtly: 「知らん」「しらへん」「知らね」.
    r"|(?:知|し)ら(?:ん|へん|ね)"
    r"|覚えてな|覚えていな|覚えていません|おぼえて(?:い)?(?:ない|ません)|どうでしょう|どうかな"
    r"|どうだった(?:かな|っけ|か)"
    # 「孫がやってくれたので」「設定は息子にしてもらいました」: someone else set it up.
    r"|(?:孫|まご|息子|むすこ|娘|むすめ|主人|夫|妻|家族|子供|子ども|こども|業者|知人|友人|友達)"
    r"(?:が|に)(?:やって|設定して|せっていして|して|入れて|いれて)(?:くれ|もら)"
    # Only as the whole story: 「孫に入れてもらったメールソフトを使っています」 says it is used.
    r"(?:た|った|い?ました|ってる|っている|ってます)?(?:ので|から)?[。.…\s]*$"
    # 「会社に聞いてみないと」: someone else knows.
    r"|(?:聞|き)いてみ(?:ない|ないと|ます)|聞かないと|確認(?:してみ)?ないと"
    # 「家だけか確認します」「別のサーバーか調べてみます」: whether it is so, still to be seen
    # (the question's "no" word in it was read as the answer).
    r"|(?:か|かどうか)(?:を|は)?\s*(?:確認|かくにん|確かめ|たしかめ|調べ|しらべ)"
    r"|確認できな|^[?？]+$"
    # 「ほぼ家」「ほとんど自宅です」「基本的に家」: mostly, so now and then elsewhere may be.
    r"|^(?:ほぼ|ほとんど|だいたい|大体|基本的に|基本)(?:は)?\s*(?:家|自宅|うち|いえ)"
    r"(?:です|だけ|から|で)?[。.!！…\s]*$"
    r"|\bnot sure\b|\bunsure\b|\bdon'?t know\b|\bdo not know\b|\bno idea\b|\bidk\b|\bdunno\b"
    r"|はっきり(?:しない|しません|わから)|\bnot (?:really|quite|entirely|too) sure\b"
    r"|\bnot (?:100|a hundred) ?(?:%|percent|per cent) sure\b"
    r"|\bnot (?:completely|totally|fully|very) sure\b"
    r"|\bcan'?t tell\b|\bcannot tell\b|\bhard to (?:say|tell)\b"
    # "Haven't heard anything about it", as 「聞いたことないです」.
    r"|\b(?:haven'?t|have not|never) heard\b|\bnobody (?:told|said)\b|\bno one (?:told|said)\b"
    r"|\bnot certain\b|\bmaybe\b|\bperhaps\b|\bprobably\b|\bpossibly\b|\bno clue\b"
    r"|\bcan'?t remember\b|\bhow (?:would|should|could) i know\b"
    # 「なんていう名前だったかな」「なんだっけ」: not remembered.
    r"|(?:何|なん|なに)(?:ていう|という|て)?(?:名前|なまえ)?(?:だった|だっけ)"
    # 「どこにも書いてない」: looked, not found.
    r"|どこにも(?:書いて|かいて|載って|のって|ない|見当たら|見つから)"
    # Not understanding the question is no answer to it: "I don't understand the question"
    # was the "no" of "I don't …" (dangerous).
    r"|\b(?:don'?t|do not|didn'?t|did not) (?:understand|get it|follow|remember)\b"
    # As non-native speakers put it: "I am not understanding", "not understand", "can't
    # understand" ("I am not understanding" was the no of "not", dangerous).
    r"|\b(?:not|cannot|can'?t|never) (?:really |fully |well )?understand(?:ing)?\b"
    r"|\bnot understood\b"
    # "no, my son set it up", as 「息子に設定してもらった」: someone else knows (read as the
    # "no" it opens with, the first question ended on "nothing to change").
    r"|\b(?:son|daughter|husband|wife|grand(?:son|daughter|child)|child(?:ren)?|kids?|friend"
    r"|family|nephew|niece|someone|somebody|technician|shop|store)\b[^.!?]{0,20}?"
    r"\b(?:set (?:it|them|this|everything|all)(?: up)?|set up|setup|installed|configured"
    # "my husband knows", "my daughter will help": someone else knows, as above.
    r"|knows?|will (?:help|check|know|do it))\b"
    r"|\bi (?:will|need to|have to|must) ask\b"
    r"|\bwhat do you mean\b|\bconfus|理解でき(?:ない|ません)|意味が(?:わから|分から)"
    # "I'm lost", as "I'm confused" (not understood: it was lost mail before subscriber27).
    r"|\b(?:i'?m|i am) (?:a bit |a little |so |totally |completely )?lost\b"
    # Never given it a thought: 「気にしたことない」, "I never thought about it".
    r"|(?:気に|意識)(?:した|していた)こと(?:が|は)?(?:ない|ありません)|考えたこと(?:が|は)?(?:ない|ありません)"
    r"|\bnever (?:thought|checked|looked|noticed|paid attention)\b"
    r"|\b(?:have|need) to (?:ask|check)\b|\bi'?ll (?:ask|check with)\b"
    # Not "wait a sec, let me ask my husband", the wait it opens with (small talk).
    r"|^(?!(?:wait|hold on|hang on|one moment|just a (?:sec|second|moment|minute))\b)"
    r".*\blet me ask\b"
    # Where to look, not found: 「見方がわかりません」 is above; "I can't find it".
    r"|見つから(?:ない|なかった)|見つかりません|\bcan'?t find\b|\bcannot find\b|\bcouldn'?t find\b"
)
_LEADING_YES: Final = re.compile(
    r"^(?:はい|ええ|うん|yes|yeah|yep|yup|sure)(?:[、,。.!！\s]|です|$)"
    # Typed on a phone without a comma: 「はいそうだとおもいます」; a voice input's run-on,
    # 「はい会社で止められていると言われました」 (kanji or katakana next: not 「はいって」).
    # 「はい117netのです」「はい１１７ネットのです」: the provider's name run on too.
    r"|^(?:はい|ええ|うん)(?=そう)|^はい(?=[\u4e00-\u9fff\u30a1-\u30fa0-9])"
    # All in kana, as voice input writes it: 「はいつかってます」「はいおくってます」 (was read
    # as the word 「いつ」, "when"). Only before the questions' verbs: not 「はいって」.
    r"|^(?:はい|ええ|うん)(?=つか(?:って|い|う)|つな(?:が|い)|おく(?:って|り|る)|して(?:ま|い|る)|そのまま)"
)
# An English "no" followed by a noun is not an answer: "no new mail since Monday".
_LEADING_NO: Final = re.compile(
    r"^(?:(?:いいえ|いや|ううん|いえ)(?:[、,。.!！\s]|です|$)"
    r"|(?:no|nope|nah)(?:[,、。.!！]|$|\s+(?:i|i'm|we|they|it|its|it's|not|never|just|only|thanks"
    r"|sorry)\b))"
    # Run on, as voice input and phones type it: 「いいえちがいます」「いや違うと思います」.
    r"|^(?:いいえ|いや|ううん|いえ)(?=違|ちが|そういうの|そう(?:では|じゃ))"
)
_QUESTION: Final = re.compile(
    r"[?？]|(?:ですか|ますか|でしょうか|ませんか|かな|って何|とは)$"
    r"|^(?:what|how|why|when|where|which|who|is|are|do|does|did|can|could|will|would|should)\b"
)

# Verbs the questions ask about, negated: 使う, 利用する, 接続する, 送信する, 実施する...
# Not 送信 or 受信: 「送信されない」 reports a problem, it answers nothing.
# 「しようしてます」「りようしています」: 使用, 利用 typed in kana (words11: not read).
_SURU_NOUNS: Final = r"(?:利用|使用|りよう|しよう|接続|設定|実施|ブロック|契約|制限)"
# 使う denied, in Japanese: 「使っていません」「使わない」, and never used: 「Outlookは使ったことが
# ありません」「つかったことない」 (at the first question it was the yes with Outlook kept as the
# program). Shared by `_NEGATED` and `_USE_DENIED`.
_USE_DENIED_JA: Final = (
    r"(?:使|つか)(?:って(?:い|おり?)?(?:ない|ません|なかった)|わない|わず|いません)"
    r"|(?:使|つか)った(?:こと|事)(?:が|は|も)?\s*(?:ない|無い|ありません|なかった)"
)
_NEGATED: Final = re.compile(
    _USE_DENIED_JA +
    # In dialect: 「使ってへん」「使うとらん」「使っとらん」「つこてへん」 (the analyser reads a
    # "yes" in them), and 「されとらん」「されてへん」.
    r"|(?:使|つか)(?:って|うて)へん|(?:使|つ)こてへん|(?:使|つか)わへん|(?:使|つか)(?:うと|っと)らん"
    r"|され(?:とらん|てへん|へん)|して(?:へん|とらん)"
    r"|"
    + _SURU_NOUNS
    + r"(?:は|も)?(?:して(?:は)?(?:い|おり?)?(?:ない|ません)|しない|しません|せず"
    r"|されて(?:い)?(?:ない|ません)|されない|されません|なし|無し|してない)"
    r"|(?:つない|繋い)で(?:い)?(?:ない|ません)|やって(?:い)?(?:ない|ません)"
    r"|されて(?:い)?(?:ない|ません)|していません$"
    # 「してないとおもう」, as said aloud: a no hedged, as 「違うと思う」 (subscriber22: read
    # by the analyser alone).
    r"|してい?ない(?:です|と(?:思|おも)(?:います|う|ってます|ってる))?$"
    r"|\b(?:i|we|they|it) (?:do ?n.?t|do not|does ?n.?t|does not|am not|'m not"
    r"|are not|aren'?t|never)\b"
    # Not "I am not good with computers", "I'm not very technical": of themselves, not of
    # the question (read as the first question's no, it ended in "nothing to change").
    r"(?<!am not)(?<!'m not)(?<!are not)(?<!aren't)"
    r"|\b(?:i|we) (?:am|'m|are) not\b(?!\s+(?:(?:very|so|really|too|that|good|great|familiar"
    r"|comfortable|confident|used to|an? |technical|tech|computer|savvy|young|sure)\b))"
    r"|\b(?:not|never|don'?t|do not) (?:use|using|connect|connected|block|blocking|blocked)\b"
    # "I've never used Outlook", "never used it".
    r"|\b(?:never|not ever) used\b"
    r"|\bno,? (?:i|we|they) (?:do ?n.?t|don'?t|do not)\b"
    # 「違うと思う」: a hedged "no", said back like any sentence read as an answer.
    r"|^(?:違|ちが)(?:う|います)(?:と(?:思|おも)|かと|かな)"
)
_AFFIRMED: Final = re.compile(
    r"(?:使|つか)(?:って(?:い|る|ま|お)|います|う$|うよ|ってる)|使用中|利用中"
    r"|(?:使|つか)(?:うて|っと|うと)(?:る|ります)|(?:使|つ)こて(?:る|ます)"
    r"|" + _SURU_NOUNS + r"(?:して(?:い|る|ま|お)|しています|してます|してる|します)"
    # Not "what do I have to do", "I have to change…": an obligation, no use said.
    r"|\b(?:i|we) use\b|\bi'?m using\b|\bof course\b"
    # "I do", "I am", "I have" as the whole answer (or before "use"), not "I am foreigner",
    # "I have a question": those are no use said (read as the yes, they answered for them).
    r"|\b(?:i|we) (?:do|am|have)\b(?=\s*(?:[,.!;]|$|use\b|using\b|(?:yes|yeah|yep)\b))"
)
# The question's own phrasings, tried before the generic verbs above.
# "Only" (だけ, のみ, しか), but not 「だけでなく」/「だけではありません」 ("not only").
# Not 「117netだけど、…」 either: だけど/だけれど is "but".
# Not where the "only" is denied: 「家だけじゃない」, 「家だけってわけじゃない」「家だけとは
# 限らない」, and in dialect 「家だけちゃいます」「家だけとちゃう」「家だけやないです」.
_ONLY: Final = (
    r"(?:だけ|のみ|しか)(?!\s*(?:(?:って|という|っていう)\s*(?:わけ|訳)\s*)?(?:とは|と)?\s*"
    r"(?:じゃ|では|でも|で|や)?(?:な(?![のん])|あり|ちゃ|あら|限ら|かぎら))(?!\s*(?:ど|れど))"
)
# Where the mail is used, and only there: 「家でしか使いません」「パソコンからしか送らない」.
_USED_ONLY_THERE: Final = re.compile(
    r"(?:家|自宅|じたく|うち|会社|かいしゃ|職場|パソコン|ぱそこん|pc|ノート|デスクトップ|この(?:パソコン|pc)"
    # 「たまにしか使いません」「週に1回しか見ません」: used, seldom (each was the no).
    r"|たま(?:ー)?に|ときどき|時々|まれに|週末|土日|(?:週|月)に\s*(?:\d+|一|二|三)\s*(?:回|度))"
    r"\s*(?:で|から|の中で)?\s*しか\s*(?:(?:メール|めーる)(?:を|は)?\s*)?"
    r"(?:使|つか|見|み[なま]|送|おく|受信|利用|りよう|読|よ[まみ])"
)
# 「…しか使ってません」: what comes before it is all that is used.
_ONLY_THAT_USED: Final = re.compile(
    r"\s*しか\s*(?:使|つか|利用|りよう|送|おく)(?:って|わ|い|し)?[^。]{0,8}?(?:ない|ません)"
)
# A negation denied: 「使ってないわけじゃない」「使わないことはないです」 "not that I don't".
_NOT_THAT_IT_IS_NOT: Final = re.compile(
    r"(?:ない|ません)\s*(?:って|という)?\s*(?:わけ|訳)\s*(?:じゃ|では|でも)\s*(?:ない|ありません|ねえ)"
    r"|(?:ない|わない|らない)\s*(?:こと|事)\s*(?:は|も)\s*(?:ない|ありません)"
)
# The other line, and only it: 「会社でしか使いません」「職場からしか送らない」.
_USED_ONLY_ELSEWHERE: Final = re.compile(
    r"(?:会社|かいしゃ|職場|しょくば|勤務先|事務所|オフィス|外出先|出先|でさき|外|そと)"
    r"(?:の\s*(?:lan|ネット|回線|パソコン|pc))?\s*(?:で|から)\s*しか\s*(?:(?:メール|めーる)(?:を|は)?\s*)?"
    r"(?:使|つか|見|み[なま]|送|おく|受信|利用|りよう|読|よ[まみ]|繋|つな|接続)"
)
_NOT_SENDING: Final = (
    r"(?:送信|そうしん|(?:メール(?:を|は)?\s*)?(?:送る|おくる))(?:こと|の)?(?:は|も)\s*"
    r"(?:ほとんど|全然|ぜんぜん|まったく|全く|一切|いっさい)?\s*"
    r"(?:し(?:ない|ません|ていない|ていません|てない|てません)|ない|ありません)"
    r"|(?:受信|じゅしん|受信する|見る|みる|読む|よむ|受け取る|うけとる)"
    rf"(?:{_ONLY}|専用)(?!\s*(?:でき|出来|可能|は?でき|送|おく))"
    r"|(?:受信|じゅしん)(?:しか|のみ)\s*(?:し(?:ない|ません|ていない|ていません|てない|てません)"
    r"|(?:使|つか)(?:わない|いません|っていない|っていません|ってない|ってません))"
    r"|(?<!can )(?<!could )(?<!can't )\b(?:i |we )?(?:only|just) (?:receive|get|download|read)"
    r"(?: (?:mail|emails?|messages?|them|it))?(?! (?:but|and)\b)[.!\s]*$"
    r"|\breceiv(?:e|ing) only\b|\bonly (?:for )?receiving\b"
    # 「受信だけできればいいです」: receiving is all they need.
    r"|(?:受信|じゅしん)(?:だけ|のみ)\s*(?:でき|出来)れば\s*(?:いい|良い|よい|十分|じゅうぶん)"
)
# Google's and Yahoo's names in kana, as voice input writes them (「じーめーるのさーばーです」,
# 「ぐーぐるのさーばー」: subscriber21, taken for the Gmail app or not understood where
# 「gmailのサーバーです」 is the sending-server question's no). Normalised, 「めーる」 is
# 「メール」.
_SERVICE_KANA: Final = (
    r"グーグル|ぐーぐる|ジー\s*メール|じー\s*メール|(?<![a-z])g\s*メール|ヤフー|やふー"
)

# 「…だと思います」 and its plain forms, as said aloud or typed by voice: 「117netのだとおもう」
# was not read where 「117netのだと思います」 was (subscriber21).
_THOUGHT: Final = r"だと(?:思|おも)(?:います|う|ってます|ってる)"

_STAGE_NO: Final[dict[Stage, re.Pattern[str]]] = {
    Stage.Q1_MAIL_PROGRAM: re.compile(
        r"web\s*メール|ウェブメール|webmail|web mail|ブラウザ(?:で|から|だけ|のみ)|browser"
        # 「ウェブで見てます」, not 「ウェブで見たお知らせ」「ウェブで見て設定しました」.
        r"|(?:web|ウェブ|うぇぶ)(?:で|から)(?:メール(?:を)?)?(?:見て|みて|読んで|よんで)(?:る|ます|います)"
        # "I just use the website", not "the website said I need to change…".
        r"|\b(?:just|only) (?:use |using |go to )?(?:the |your |a )?(?:web ?site|web ?page)\b"
        r"|\b(?:use|using) (?:the |your )?(?:web|online) version\b"
        # "web only", "only web, no software": the browser's mail, said briefly.
        r"|^(?:(?:i )?(?:use |check )?(?:on )?(?:the )?)?web only\b|^only (?:on )?(?:the )?web\b"
        r"|メール(?:の)?画面|ホームページ(?:で|から|の(?:メール|めーる))|サイト(?:で|から)"
        # A browser named: 「インターネットエクスプローラーでメールを見ています」.
        r"|(?:(?:インターネット\s*)?エクスプローラー?|internet explorer|エッジ|クローム|chrome"
        r"|サファリ|safari|firefox|ファイ[アヤ]ー?フォックス)\s*(?:で|から)"
        # "I only check mail in Chrome" (audit11: not understood).
        r"|\b(?:in|on|with|using|through|via) (?:google )?(?:chrome|safari|firefox|microsoft edge"
        r"|edge|internet explorer)\b"
    ),
    Stage.Q2_OTHER_NETWORK: re.compile(
        # "Only at home", but not 「家だけでなく」 ("not only at home").
        r"(?:(?:家|自宅|うち|いえ|じたく|家庭|ここ)"
        r"(?:の(?:(?:光|ひかり)?(?:パソコン|ぱそこん|pc|回線|かいせん|ネット|wi-?fi|ワイファイ)"
        # 「家の中だけです」 (not read).
        r"|光|ひかり|中|なか))?(?:で|から)?(?:は)?"
        rf"){_ONLY}"
        r"|(?<!not )(?<!not just )(?<!n't )(?<!n't just )(?:only|just) "
        r"(?:(?:use|send|connect)(?: it| mail| email| e-mail)? )?"
        r"(?:at |from )?(?:my )?(?:home|house)"
        r"|home only"
        r"|not from anywhere else|nowhere else"
        # "no other provider", "never from office": the other line denied in the words that
        # name it (its "other provider" and "office" read as the yes).
        r"|\bno other (?:isps?|providers?|networks?|lines?|connections?|internet)\b"
        # "only in my apartment", "I am at home always": home said in other words.
        # Not "only in my apartment and office": a second place after it.
        r"|(?:\b(?:only|just) (?:in |at |from )?(?:my |our )?(?:apartment|flat|room|mansion)"
        r"|\bat home always|\balways (?:at|from) home)\b(?![^.!?]*\b(?:and|or|also|but|too)\b)"
        r"|\bnever (?:from|at|in) (?:the |my |a |our )?(?:office|work|company)\b"
    ),
    Stage.Q3_USES_OUR_SMTP: re.compile(
        # 「会社のメールサーバーから送っています」 too.
        rf"(?:gmail|yahoo|google|{_SERVICE_KANA}|会社|職場|outlook\.com|icloud|別|他|ほか|違う)"
        r"の?(?:smtp|送信|メール)?\s*サーバ"
        r"|サーバー?(?:では|じゃ)(?:な|あり)"
        # 「別のプロバイダーのサーバーです」: another provider's (subscriber22: not understood).
        r"|(?:別|他|ほか|違う)の?\s*プロバイダー?の\s*(?:smtp|送信|メール)?\s*サーバ"
        # 「送信サーバーはgmailです」: the other way round (it was the Gmail app).
        r"|(?:送信|smtp)\s*サーバー?(?:は|が)\s*(?:gmail|yahoo|icloud|hotmail|outlook\.com|会社|職場"
        rf"|{_SERVICE_KANA})"
        r"|(?:another|other|different|my company'?s|(?:my )?work'?s?) "
        r"(?:smtp |mail |outgoing )?server"
        # Not "my phone company's server": a phone company may be the provider itself.
        r"|(?<!phone )(?<!telephone )(?<!mobile )"
        r"(?:gmail|yahoo|outlook\.com|hotmail|icloud|company|work|office)(?:'s)? "
        r"(?:smtp|outgoing|mail server|server)"
        # 「いいえgmailのです」 "No, gmail": a no, and the service whose server it is (the Gmail
        # app's guide was offered instead).
        r"|^(?:いいえ|いや|いえ|no|nope)[、,.\s]*(?:gmail|yahoo|icloud|hotmail|outlook\.com"
        rf"|{_SERVICE_KANA})"
        r"(?:の(?:です|でした|もの|やつ)?|です|でした|'s(?: one)?)?[。.!！\s]*$"
        # No mail sent at all (subscriber19: 「送信はしません、受信だけです」 was asked again):
        # 「送信はしません」「送ることはないです」, or receiving only, 「受信だけです」「見るだけ」
        # (not 「受信だけできます」, sending broken).
        rf"|{_NOT_SENDING}"
    ),
    Stage.Q4_OP25B: re.compile(
        r"(?:ブロック|実施|制限)?されて(?:い)?(?:ない|ません)|(?:実施|ブロック)して(?:い)?(?:ない|ません)"
        r"|not blocked|do(?:es)?n'?t block|no blocking|isn'?t blocked"
        # 「制限はないはず」: no such restriction where they connect.
        r"|(?:制限|ブロック|規制)(?:は|も)?\s*(?:ない|ありません|なし|無い)"
        # 「止めてないと思う」「とめられてません」.
        r"|(?:止め|とめ)(?:られ)?て(?:い)?(?:ない|ません)"
    ),
}
_STAGE_YES: Final[dict[Stage, re.Pattern[str]]] = {
    Stage.Q1_MAIL_PROGRAM: re.compile(
        r"ソフト|アプリ|(?:受信|送信|送受信)して(?:い|る|ま)|受け取って(?:い|る|ま)"
        # 「パソコンでメール見てます」「いつもパソコンでメールしてます」: a program on a device.
        r"|(?:パソコン|ぱそこん|pc|スマホ|すまほ|携帯|けいたい|タブレット|iphone|ipad|mac)"
        # 「主人のパソコンでいつもメールをしております」「パソコンのメールで毎日やりとり」
        r"(?:で|から|の)(?:の)?\s*(?:いつも|毎日|まいにち|普段|ふだん)?\s*(?:メール|めーる)(?:を|で)?\s*"
        r"(?:いつも|毎日|まいにち|普段|ふだん)?\s*"
        r"(?:見|み|読|よ|し|書|か|使|つか|送|おく|受|やりとり|やり取り)"
        r"|mail (?:program|app|client)"
        # "no, an app": an app is a mail program, as 「アプリ」 is (not the webmail's "web app").
        r"|(?<!web )\bapps?\b"
        # "no, a program", "no, software": as 「ソフト」 is (not "no program", "any software").
        r"|(?<!no )(?<!any )(?<!not a )\b(?:programs?|software|clients?)\b"
        # 「メールはパソコンで見てます」: the mail first, then the device it is read on.
        r"|(?:メール|めーる)(?:は|を)\s*(?:いつも|毎日|まいにち|普段|ふだん)?\s*"
        r"(?:パソコン|ぱそこん|pc|スマホ|すまほ|携帯|けいたい|タブレット|iphone|ipad|mac)(?:で|から)\s*"
        r"(?:見|み|読|よ|書|か|使|つか|送|おく|受|やりとり|やり取り)(?![^。]*(?:ない|ません|ず))"
        # "on my computer": a device, as 「パソコンでメール見てます」 is (so "no, on my computer"
        # contradicts itself rather than saying "webmail only").
        r"|\bon (?:my |the |a )?(?:computer|pc|laptop|desktop|mac|iphone|ipad|phone|smartphone)\b"
        # Mail that comes in by itself is fetched by a program: "my computer does it
        # automatically", 「パソコンに勝手に届きます」 (after a no it was the no).
        r"|\bautomatic(?:ally)?\b|勝手に|かってに|自動で|じどうで|自動的に"
    ),
    Stage.Q2_OTHER_NETWORK: re.compile(
        # 「社内LAN」: no word boundary between a kanji and the letters. Not the work left
        # behind (「会社はもう退職しました」, subscriber18: read as this yes).
        r"(?:会社|職場|勤務先|勤め先|つとめさき|オフィス|仕事(?:場|先|で))"
        r"(?![^。]{0,12}(?:退職|辞め|やめ|定年|リタイア|引退))"
        r"|(?<![a-z])lan(?![a-z])|他の?プロバイダ|ほかのプロバイダ"
        r"|別のプロバイダ"
        # 「外でも使う」「外からも送ります」, not 「外から送ることはない」.
        r"|(?:外|そと)(?:でも|からも|から)\s*(?:使|つか|送|おく|見|み|メール|めーる)(?![^。]*(?:ない|ません|ず))"
        # 「スマホでも送る」: a phone's own line too.
        r"|(?:スマホ|すまほ|スマートフォン|携帯|けいたい|ケータイ|iphone)(?:から|で)も\s*"
        r"(?:送|おく|使|つか|メール|めーる|見|み)"
        # 「両方」「どっちも」: at home and elsewhere.
        r"|^(?:両方|りょうほう|どちらも|どっちも)(?:です)?[。!！\s]*$"
        # The same in hiragana, and another family's home: another line.
        r"|かいしゃ|しょくば|しごと(?:ば|さき|で)"
        r"|(?:娘|息子|むすめ|むすこ|孫|まご|実家|じっか|親戚|しんせき|友人|友達|ともだち)"
        # 「娘の家からも時々見ます」: a word or two between.
        r"(?:の(?:家|いえ|うち))?(?:から|で)(?:も)?[^。、,]{0,4}?(?:送|おく|使|つか|メール|めーる|見|み|読|よ)"
        # 「たまに娘の家から」: the place alone, the verb left out.
        r"|(?:娘|息子|むすめ|むすこ|孫|まご|友人|友達|ともだち)の(?:家|いえ|うち)(?:から|で)(?:も)?"
        # 「娘の家でたまに」 (subscriber19: not understood, 「たまに娘の家で」 was read).
        r"\s*(?:たまに|時々|ときどき|時たま)?(?:です)?[。.!！\s]*$"
        r"|旅行|旅先|たびさき|りょこう|出かけ先|でかけさき"
        r"|(?:接続|つない|繋い)(?:して|で)(?:い|る|ま|お)"
        r"|外出先|出先|出張|ホテル|カフェ|公衆|スポット|テザリング|モバイル|ポケット\s*wi-?fi|ドコモ|docomo|(?<![a-z])au(?![a-z])"
        # 「LTEでも使います」「外では4Gで送ることもあります」: a phone company's line (words).
        r"|(?<![0-9a-z])(?:4g|5g|lte)(?![0-9a-z])"
        # 「家と外です」「家と外で使ってます」: home and away from it, both named (not read).
        r"|(?:家|自宅|うち)と(?:外|そと|外出先|出先)(?:の)?\s*(?:両方|どちらも|どっちも)?"
        r"(?:です|で|から)?(?![^。]*(?:ない|ません|ず))"
        # 「たまに外」「時々外です」: away from home now and then, said that briefly.
        r"|^(?:たまに|時々|ときどき|時たま)(?:は)?\s*(?:外|そと|外出先|出先)(?:です|でも|から|で)?[。!！\s]*$"
        # 「たまに喫茶店のWi-Fiから送ります」: a line away from home, by the place.
        r"|喫茶店|喫茶|きっさてん|ファミレス|図書館|空港|新幹線|フリー\s*wi-?fi"
        # 「たまに公民館のパソコンから見ることがあります」: a public place's line (not read).
        r"|公民館|こうみんかん|集会所|市役所|区役所|役場"
        r"|\bhotels?\b|\bcaf[eé]s?\b|coffee shop|\bairport\b|\blibrary\b|(?:public|free) wi-?fi"
        # 「いいえ、実家から」 "no, on the train", "other wifi too": another line, by the place.
        r"|実家(?:から|で)(?![^。]*(?:ない|ません|ず))"
        # 「娘の家のWi-Fiでも使います」: a relative's line, named by its Wi-Fi (words5: not
        # read, where 「娘の家でも使います」 was).
        r"|(?:娘|息子|むすめ|むすこ|孫|まご|友人|友達|ともだち|親戚|実家)の(?:家|いえ|うち)?の?"
        r"(?:wi-?fi|ワイファイ|わいふぁい|無線|ネット|回線)(?![^。]*(?:ない|ません|ず))"
        r"|(?<!not )\bon (?:the|a) train\b|(?<!no )\bother wi-?fi\b"
        r"|ソフトバンク|softbank|楽天モバイル|(?:スマホ|スマートフォン|携帯|ケータイ|けいたい)の?回線"
        r"|(?:家|自宅|うち)(?:の(?:回線|パソコン|pc|ネット))?(?:以外|のほか|の他)"
        r"|(?:家|自宅|うち)(?:の(?:回線|パソコン|pc|ネット))?(?:で|から)?(?:は)?(?:だけ|のみ)"
        r"\s*(?:じゃ|では|でも|で)?(?:な|あり)"
        r"|\b(?:at|from) (?:work|the office|my office|my company)\b|\boffice\b|tethering"
        # "sometimes from company": the article left out, as non-native speakers write it.
        r"|\b(?:at|from|in) (?:the |my |our |his |her |their )?(?:company|job|workplace)\b"
        # "from my work place", "wifi in starbucks", "home and sometimes work", "mobile
        # phone network": each was not read.
        r"|\bwork ?place\b|\bstarbucks\b|\bsometimes (?:at |from )?(?:work|office|company)\b"
        r"|\b(?:mobile|cell) ?(?:phone )?(?:network|line|data)\b|\bphone (?:network|line)\b"
        r"|mobile data|cellular|\b[45]g\b|\blte\b|hotspot"
        r"|\btravel(?:l?ing)?\b|\bhotels?\b|on the road|away from home"
        r"|\bcaf[eé]s?\b|\bcoffee shops?\b|\bpublic wi-?fi\b"
        r"|\b(?:daughter|son|parents?|friend|relative|family)'?s? (?:house|home|place)\b"
        # "Sometimes at my daughter's": the house unsaid.
        r"|\b(?:at|from) (?:my |our )?(?:daughter|son|parents?|friend|relative|family|mother|father"
        r"|mom|mum|dad|sister|brother)'s(?!\s*(?:\w))"
        r"|(?<!no )(?<!not )(?<!any )other (?:isp|provider)"
        r"|not (?:only|just) (?:at |from )?(?:my )?(?:home|house)"
        # "both home and work", "at work and at home", "both".
        r"|\b(?:home|house) and (?:at )?(?:work|the office|office)\b"
        r"|\b(?:work|the office|office) and (?:at )?home\b|^both[.!\s]*$"
        # "my husband takes the laptop to work", a VPN to the company, the phone outside.
        r"|\b(?:takes?|took|bring|brings|brought|carr(?:y|ies)) (?:the|my|our|his|her|a) "
        r"(?:laptop|computer|pc|notebook|ipad|tablet|phone|iphone) to (?:work|the office|school)\b"
        r"|\bvpn\b|\bcompany (?:network|lan|wi-?fi)\b"
        r"|\b(?:outside|when i'?m out|when i am out|out and about|on the go)\b"
        # "my work laptop", "the wifi at my university".
        r"|\bwork (?:laptop|computer|pc|notebook|phone)\b|\b(?:university|college|campus)\b"
        # "work too", "also from work": the other line beside home (subscriber18: not read).
        r"|\b(?:work|the office|office) (?:too|also|as well)\b"
        r"|\balso (?:at |from )?(?:work|the office)\b"
        # 「ときどき」「たまにあります」 alone: now and then from another line, the question's
        # own words left out (subscriber18: kept as half a sentence, no question after it).
        r"|^(?:たまに|たまーに|時々|ときどき|時たま|ときたま)(?:は)?\s*(?:です|あります|ある|ね|かな)?[。!！\s]*$"
        r"|^(?:sometimes|occasionally|now and then)[.!\s]*$"
        # 「ノートパソコンを持ち歩いています」: the computer taken out, to other lines (as
        # 'I take my laptop to the library'; subscriber18: not read).
        r"|(?:ノート\s*パソコン|ノートpc|パソコン|ぱそこん|pc|タブレット|ipad)を?\s*"
        r"(?:持ち歩|もちある|持ち出|もちだ|持って(?:出|で|行|い))"
        # 「場合によります」 'it depends': not only the one line (a yes, as 「ときどき」 is).
        r"|^(?:well,? )?(?:it )?depends\b"
        r"|場合によ(?:ります|る|って)|時と場合|(?:とき|時)によ(?:ります|る)"
    ),
    Stage.Q3_USES_OUR_SMTP: re.compile(
        r"プロバイダの(?:smtp|送信|メール)?サーバ"
        # "no, the provider's server" (the provider is the one asking), "the old one",
        # 「古いほうです」「前のサーバーのままです」: the server that changes, named. After a
        # "no" they are neither answer (asked again): read as the no, the card kept it.
        r"|(?<!not )(?<!not the )(?<!not my )(?<!n't )\b(?:the |my |our )?(?:provider|isp)'?s"
        r"(?: (?:(?:smtp|mail|outgoing|sending) )?server\b| one\b|[.!\s]*$)"
        # Not "the old one from work": the company's.
        r"|(?<!not )(?<!n't )\bthe old (?:one|server|smtp|outgoing server)\b"
        r"(?! (?:from|at|of) (?:work|the office|the company|my (?:work|company|office|job)))"
        r"|(?:古い|ふるい|前の|まえの|今までの|いままでの|旧)(?:ほう|方|の|やつ|サーバー?|送信サーバー?)"
        r"(?:です|でした|のまま|を使|で送|[。.!！]|$)"
        r"|プロバイダー?の(?:です|でした|もの|やつ)"
        # 「プロバイダーのサーバーです」「…だと思う」, as 「プロバイダーのです」 (subscriber21: not
        # understood).
        r"|^プロバイダー?の\s*(?:メール|送信|smtp)?\s*サーバー?\s*"
        rf"(?:です|でした|だよ|{_THOUGHT}|のまま(?:です)?)?[。.!！\s]*$"
        # 「いいえ、そちらのサーバーです」: the provider's, as the bot speaks for it.
        r"|(?:そちら|そっち|おたく|お宅|御社|貴社)の(?:smtp|送信|メール)?\s*サーバ"
        # 「いいえ、そちらのです」 "no, yours": the provider's, the server unsaid (it was the no).
        r"|(?:そちら|そっち|おたく|お宅|御社|貴社)の(?:です|でした|もの|やつ)"
        r"|^(?:no,? )?(?:it'?s )?yours[.!\s]*$"
        # "only when I'm at home": their server, some of the time.
        r"|\bwhen (?:i'?m|i am) (?:at )?home\b"
        # 「vsなんとかです」「ぶいえすなんとか」: the old server's name half remembered, and
        # 「送信もしてます」 (subscriber19: not understood, and kept as half a sentence).
        r"|(?<![a-z])(?:vs|ぶいえす|ブイエス)\s*(?:なんとか|何とか|なんたら|ナントカ|なんちゃら|…|\.\.\."
        r"|で始ま|から始ま|ではじま|からはじま)"
        r"|送信(?:も|は)\s*して(?:い|お)?(?:ます|る)"
    ),
    Stage.Q4_OP25B: re.compile(
        r"ブロック(?:され|して|が?あ)|実施(?:され|して)|されて(?:い|る|ま)|されてる|されます"
        r"|op25b(?:されて|あり|です|(?:を)?(?:して|実施して)(?:い|る|ま))"
        r"|\bblocked\b|\bthey block\b|\bblocks? port\b"
        # "no, the company blocks it": the blocking said, after a no (it was a no).
        r"|(?<!n't )(?<!not )(?<!nobody )(?<!no one )(?<!nothing )"
        r"\bblocks (?:it|that|them|port 25|25)\b"
        r"|25\s*番?(?:ポート)?(?:が|は)?(?:使えない|使えません|つかえな|つかえません|塞が|ふさが|止められ"
        r"|とめられ|制限され)"
        # 「止められてるっぽい」「会社でとめてるらしい」: the question's blocking in plain words
        # (audit11: not understood).
        r"|(?:止め|とめ)られて(?:い|る|ま)|(?:止め|とめ)て(?:い)?(?:る|ます)"
        # 「会社はポート25を止めてるはず」
        r"|(?:ポート|port)\s*25\s*番?(?:を|が|は)?\s*(?:止め|とめ|塞い|ふさい|ブロックし|制限し)(?:て|た)"
        # "my company say port 25 is closed", "port 25 is close": read as the question
        # what blocking is, the answer went unread.
        r"|(?<!not )(?<!n't )\bport ?25 (?:is |are |was )?"
        r"(?:closed?|blocked|not (?:open|allowed))\b"
        # 「ドコモはしてます」: the carrier named does it (read by the analyser alone before).
        r"|(?:ドコモ|docomo|(?<![a-z])au(?![a-z])|ソフトバンク|softbank|楽天)(?:は|も)\s*"
        r"(?:して|やって|実施して)(?:い)?(?:ます|る)(?!\s*(?:か|の\s*(?:です)?か))"
    ),
}
# The provider's own name and servers, as the profile writes them: 「117netだけ」 is a no
# at Q2, 「117netのサーバー」 or 「vsmtpでした」 a yes at Q3 (「Sakura-netのサーバー」 for
# Sakura-net's), and another provider's name is neither.
_NAME_JOINS: Final = r"[\s\-_.・]*"
_NAME_TOKENS: Final = re.compile(r"[a-z]+|[0-9]+|[^\sa-z0-9\-_.・]+")
# A host's first label that names no server of anyone's in particular.
_GENERIC_LABELS: Final = frozenset({"smtp", "mail", "pop", "pop3", "imap", "mx", "www"})


@dataclass(frozen=True, slots=True)
class OwnNames:
    """What names the provider in an answer: its name and its outgoing host names."""

    provider: str = ""
    hosts: tuple[str, ...] = ()
    # The name in other scripts (「さくらネット」 for "Sakura-net"): each names it as fully.
    aliases: tuple[str, ...] = ()


def _host_fragments(hosts: tuple[str, ...]) -> list[str]:
    # "vsmtp" and "vs.117" of vsmtp.117.ne.jp / vs.117.ne.jp: typed from a settings screen.
    fragments = []
    for host in hosts:
        labels = host.casefold().split(".")
        if len(labels) > 2:
            fragments.append(r"\.".join(map(re.escape, labels[:2])))
        if len(labels[0]) >= 4 and labels[0] not in _GENERIC_LABELS:
            # Not \b: 「…たらvsmtpでした」 has no word boundary between kana and letters.
            fragments.append(rf"(?<![a-z0-9]){re.escape(labels[0])}(?![a-z0-9])")
        elif len(labels) > 2 and len(labels[0]) >= 2 and labels[0] not in _GENERIC_LABELS:
            # 「vsです」「vsのままです」: a short first label, as the field's value is said, and
            # only so ("vs" is a word too).
            fragments.append(
                rf"(?<![a-z0-9.]){re.escape(labels[0])}"
                # 「vsだったかな」「vsだとおもう」 too (subscriber21: not understood).
                r"(?=\s*(?:です|でした|のまま|を使|で送|使って|だった|だと(?:思|おも)|かな|[。.!！、,]|$"
                r"|(?:one|server)\b))"
            )
    return fragments


def _both_kana(text: str) -> tuple[str, str, str]:
    return text, katakana(text), hiragana(text)


def _name_alternatives(own: OwnNames) -> str:
    """The provider's name and aliases as one alternation ("117 net", 「さくらねっと」 alike)."""
    tokens = _NAME_TOKENS.findall(normalise(own.provider))
    if not tokens:
        return ""
    # Each alias in hiragana and in katakana too: 「さくらねっと」 is 「さくらネット」.
    aliases = {spelt for alias in own.aliases for spelt in _both_kana(normalise(alias))}
    spellings = [tokens] + [_NAME_TOKENS.findall(alias) for alias in sorted(aliases)]
    return "|".join(_NAME_JOINS.join(map(re.escape, each)) for each in spellings if each)


@functools.lru_cache(maxsize=8)
def _provider_name(own: OwnNames) -> re.Pattern[str] | None:
    name = _name_alternatives(own)
    return re.compile(rf"(?:{name})(?![a-z0-9])") if name else None


def names_the_provider(text: str, own: OwnNames) -> bool:
    """Whether normalised `text` names the provider (「117netとgmail両方」)."""
    pattern = _provider_name(own)
    return pattern is not None and pattern.search(text) is not None


@functools.lru_cache(maxsize=8)
def _provider_phrasings(
    own: OwnNames,
) -> dict[Stage, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """(no, yes) phrasings naming the provider, per question; "117 net", "sakura-net" alike."""
    tokens = _NAME_TOKENS.findall(normalise(own.provider))
    if not tokens:
        return {}
    name = _name_alternatives(own)
    # 「117のサーバー」: the name's first part alone, where it is long enough to mean it.
    short = re.escape(tokens[0]) if len(tokens) > 1 and len(tokens[0]) >= 3 else name
    hosts = "".join(f"|{fragment}" for fragment in _host_fragments(own.hosts))
    return {
        Stage.Q2_OTHER_NETWORK: (
            re.compile(
                rf"(?:{name})\s*(?:の回線)?{_ONLY}"
                rf"|only (?:through |via |on )?(?:{name})"
                # "117net only", as 「117netだけ」 is put.
                rf"|(?<![a-z])(?:{name}) only\b"
                # The whole message names the line: 「光回線は117netです」 (nothing else beside).
                rf"|^(?:(?:家|自宅|うち)の)?(?:光回線|回線|光|ひかり|ネット|インターネット|プロバイダー?)"
                rf"(?:は|が)\s*(?:{name})\s*(?:です)?{_END}$"
            ),
            None,
        ),
        Stage.Q3_USES_OUR_SMTP: (
            # The provider said not to be the way: "I use gmail, not 117net" (its "I use" was
            # the yes), 「117netじゃないです」「117netのではありません」「117net以外です」, "not
            # your server". Not a guess that it is (「117netじゃないかな」, asked as unsure
            # before this), nor the provider as the only way (「117netじゃないと送れない」),
            # nor "not only 117net" or 「117net以外も」 (others as well: a yes).
            re.compile(
                rf"(?:{name})\s*(?:の\s*(?:(?:メール|送信|smtp)?\s*サーバー?|もの|やつ)?)?\s*"
                r"(?:じゃ|では|でわ|で)(?:は)?(?:ない|なく|ありません)"
                r"(?!\s*(?:と(?!\s*(?:思|おも))|なら|か|の(?!で)|でしょ|だろ|っけ))"
                rf"|(?:{name})\s*(?:の\s*(?:(?:メール|送信|smtp)?\s*サーバー?)?)?\s*以外(?!\s*(?:に)?\s*も)"
                rf"|\b(?:not|isn'?t|is not|wasn'?t)\s+(?:through |via |with |using )?(?:the )?"
                rf"(?:{name}|{short}(?![0-9]))\b"
                r"|\bnot (?:yours|your (?:old )?(?:(?:smtp|mail|outgoing|sending) )?server)\b"
            ),
            re.compile(
                rf"(?:{name})\s*の(?:メール)?\s*(?:送信)?\s*サーバ|(?:{short})の(?:メール)?サーバ"
                rf"|(?:{name})'?s? (?:smtp |mail |outgoing )?server{hosts}"
                # "I think it's the 117 one".
                rf"|\bthe (?:{name}|{short}) one\b"
                # "it's 117net": beside a "no" ("no its 117net") neither answer, as
                # 「いいえ、117のサーバーです」 is; a no alone dropped the server that changes.
                rf"|\b(?:it'?s|it is) (?:(?:{name})\b|{short}(?![0-9]))"
                # "no, through 117net", "no, 117net's": the provider named as the way.
                rf"|(?<!not )(?<!n't )\b(?:through|via|using|with) (?:the )?(?:{name})\b"
                rf"|^(?:no|nope|nah)[,.!\s]+(?:{name})(?:'?s)?[.!\s]*$"
                # "no, the 117 server", "no, 117net's smtp", "no, just 117net", "your server"
                # (the provider's, as the bot speaks for it): the server that changes, named.
                rf"|(?<!not )(?<!not the )\b(?:{name}|{short})(?:'?s)? (?:(?:smtp|mail|outgoing"
                r"|sending) )?(?:server|smtp)\b"
                rf"|\b(?:just|only) (?:the )?(?:{name}|{short})\b"
                r"|(?<!not )\byour (?:old )?(?:(?:smtp|mail|outgoing|sending) )?server\b"
                # "no, the one from 117net".
                rf"|(?<!not )(?<!not the )\b(?:one|server) (?:from|of|by) (?:the )?(?:{name})\b"
                # 「いいえ、117netです」「117netのsmtpです」: the provider named alone, or its smtp.
                rf"|(?:{name}|{short})\s*の?\s*smtp(?!\s*(?:では|じゃ))"
                rf"|^(?:いいえ|いや|ううん|違います)[、,\s]*(?:{name}|{short}(?![0-9]))\s*(?:です|でした)?[。.!！\s]*$"
                # 「117netです」「つばめネットのです」: the name alone is whose server it is.
                rf"|^(?:{name})\s*(?:の(?:もの|やつ)?)?\s*(?:です|でした|だよ|{_THOUGHT})?"
                # 「117netのだとおもうかな」: guessed at (`_GUESS_ENDING` makes it not sure).
                r"(?:かな[あぁー〜]*[?？]?)?[。.!！\s]*$"
                # 「117のやつだと思います」: the name's first part, and whose it is said
                # (subscriber18: not read; 'the 117 one' was).
                rf"|^(?:{short})(?![0-9])\s*の(?:もの|やつ|ほう|方)\s*(?:です|でした|だよ|{_THOUGHT})?"
                r"[。.!！\s]*$"
                # 「送信サーバーは117netです」「送信サーバーは117のままです」「117のままです」: the
                # server said to be the provider's (each was not read).
                rf"|(?:送信|smtp)?\s*サーバー?(?:は|が)\s*(?:{name}|{short}(?![0-9]))\s*"
                r"(?:の(?:もの|やつ|サーバー?)?)?\s*(?:の?まま)?\s*"
                r"(?:です|でした|になって(?:い)?ます|だと思います)?[。.!！\s]*$"
                # 「設定は117netのままです」 (words: not read).
                rf"|^(?:(?:設定|せってい)(?:は|も)\s*)?(?:{name}|{short}(?![0-9]))\s*の\s*(?:設定の\s*)?まま"
                r"\s*(?:です|でした)?[。.!！\s]*$"
            ),
        ),
    }


# At these two the generic "I use it" answers the question; at Q2 and Q4 it does not
# (「iPhoneを使っています」 says nothing about the network).
# A use denied (「使っていません」 "I don't use"), and the blocking question's own words.
_USE_DENIED: Final = re.compile(
    _USE_DENIED_JA + r"|\b(?:do ?n.?t|do not|never|not) (?:use|using)\b"
)
_BLOCKING_NAMED: Final = re.compile(
    r"ブロック|実施|制限|規制|塞|ふさ|止め|とめ|op25b|(?<![0-9])25(?![0-9])|\bblock|\bport\b"
)
_GENERIC_YES_STAGES: Final = frozenset(
    {Stage.Q1_MAIL_PROGRAM, Stage.Q3_USES_OUR_SMTP, Stage.ASK_SMTP_HOST}
)


# What the analyser's predicates mean. A negated problem verb (送れる, 届く, 送信できる)
# reports a problem; the question's own verbs answer it.
_PROBLEM_VERBS: Final = frozenset(
    {
        "送れる", "届く", "受け取れる", "繋がる", "つながる", "できる", "見れる",
        "見られる", "開ける", "送信できる", "受信できる", "接続できる", "ログインできる",
        "送受信できる", "読める", "入れる",
    }
)  # fmt: skip
# 「受け取ることができない」: the verbs whose "cannot" reports a problem.
_DELIVERY_VERBS: Final = frozenset(
    {"送る", "受け取る", "送信する", "受信する", "届く", "見る", "読む", "開く", "ログインする"}
)
_USE_VERBS: Final = frozenset({"使う", "利用する", "使用する"})
_QUESTION_VERBS: Final[dict[Stage, frozenset[str]]] = {
    Stage.Q1_MAIL_PROGRAM: _USE_VERBS,
    Stage.Q2_OTHER_NETWORK: frozenset({"接続する", "繋ぐ", "つなぐ"}),
    Stage.Q3_USES_OUR_SMTP: _USE_VERBS | {"送信する", "送る"},
    Stage.Q4_OP25B: frozenset({"ブロックする", "実施する", "制限する", "する", "やる"}),
}


def _predicates_say(morphemes: Sequence[Morpheme], stage: Stage) -> tuple[bool, bool, bool]:
    """(a problem, a no, a yes) as the analyser reads the sentence."""
    verbs = _QUESTION_VERBS.get(stage, _USE_VERBS)
    problem = no = yes = False
    for predicate in predicates(morphemes):
        if predicate.negated and (
            predicate.lemma in _PROBLEM_VERBS
            or (predicate.potential and predicate.lemma in _DELIVERY_VERBS)
        ):
            problem = True
        elif predicate.lemma in verbs:
            no, yes = no or predicate.negated, yes or not predicate.negated
    return problem, no, yes


# 「パソコンのことはよくわからないのですが、メールの設定を変えろという紙が届きました」: an
# 「わからない」 said of something else before what they go on to say. Read as the answer, it
# was the first question's 「わからない」, and the subscriber's next 「はい」, meant for that
# question, answered the one after it (subscriber15: a card that said sending needed no
# change). What follows it is read instead: an answer there is the answer, a story is none.
_UNSURE_PREFACE: Final = re.compile(
    r"(?:(?:すみません|すいません|申し訳(?:ありません|ございません)|ごめんなさい)[、,。.\s]*)?"
    r"[^、。,.!?！？\n]{0,24}?(?:よく|あまり|全然|ぜんぜん|まったく|全く|さっぱり)?"
    r"(?:わから|分から|わかん)(?:ない|なく)(?:ん|の)?(?:です|でした|だ)?"
    r"(?:が|けど|けれど(?:も)?|て|ので)[、,\s]+(?=\S)"
)


def read_answer(
    text: str,
    stage: Stage,
    morphemes: Sequence[Morpheme] | None = None,
    own: OwnNames = OwnNames(),
) -> Intent | None:
    """Yes / no / not sure to the question at `stage`, read from normalised `text`.

    `morphemes` (the analyser's reading of `text`, when there is one) adds conjugations the
    patterns do not list: 「使用しておりません」, 「接続してはいないです」. `own` (the profile's
    name and outgoing hosts) answers the questions about its line and its server.
    """
    if len(text) > _ANSWER_LENGTH:
        # An answer is a few words; a long message is a story or a pasted error.
        return None
    preface = _UNSURE_PREFACE.match(text)
    if preface is not None:
        # The analyser's reading is of the whole text: the rest is read by the patterns.
        text, morphemes = text[preface.end() :], None
    then_no = _YES_THEN_NO.match(text)
    if then_no is not None:
        # 「ええ、いいえ」: the ええ a hesitation, as it is spoken (「ええと」), before the no
        # that answers; said back, so it can be undone. 「はい、いいえ」 says both: asked again.
        # Each was the yes (its leading 「ええ」), the no after it unheard (words).
        if then_no.group("word") not in _HESITATING_YES:
            return None
        rest = _read(text[then_no.end() :], stage, None, own)
        return Intent(Kind.NO, READ) if rest is not None and rest.kind is Kind.NO else None
    answer = _read(text, stage, morphemes, own)
    if answer is None and (plain := _after_fillers(text)) is not None:
        return plain
    if answer is None and ALL_KATAKANA.fullmatch(text) and (kana := hiragana(text)) != text:
        # 「ワカリマセン」「ジタクノミデス」: typed all in katakana, as some phones offer it.
        return _read(kana, stage, None, own)
    if answer is not None and answer.kind is Kind.NO and _answers_the_network_question(text, stage):
        # "no, no other provider" at the sending-server question answers the network question
        # (the one before, or one they still have in mind): read as this question's no, it
        # lowered the change needed on words about something else. Asked again instead.
        return None
    return answer


# A yes word, then a no (「ええ、いいえ」「はい、いいえ違います」「うん、いや」).
_YES_THEN_NO: Final = re.compile(
    r"^(?P<word>ええ|えー+|えぇ|はい|うん|yes|yeah)[、,.…\s]+"
    r"(?=(?:いいえ|いや|いえ|ううん|違|ちが|no|nope)(?:[、,。.!！…\s]|です|$|違|ちが))"
)
# Of them, the ones said as a hesitation too (「ええと」「えーっと」).
_HESITATING_YES: Final = frozenset({"ええ", "えぇ"}) | {"え" + "ー" * n for n in range(1, 6)}


# Hesitation before an answer, set off by a mark or a space: 「うーん、はい」「えーと、いいえ」
# 「あ、はい」 "hmm yes", "well, yes", "uh no", as older subscribers type them (each was
# 「うまく読み取れませんでした」, words31). Not "oh": 'oh no' is dismay, and at the first
# question the no ends the questions.
_ANSWER_FILLER: Final = (
    r"(?:h?m+|um+|uh+|er+m*|well|ah+|うーん|うーむ|ん[ー〜]+|う[ー〜]+ん|うんと|んと"
    r"|え[ー〜っ]*と?|ええと|えーっと|あ[ー〜っ]*|あの[ー〜]*|まあ|まぁ"
    # Polite padding before the answer: 「恐れ入りますが、はい」「お忙しいところすみません、
    # いいえ」 (words11: not read).
    r"|(?:お忙しい|おいそがしい)(?:ところ|ところ?を)?\s*(?:すみません|すいません|恐れ入ります"
    r"|おそれいります|申し訳(?:ありません|ございません))?が?"
    r"|(?:すみません|すいません|恐れ入ります|おそれいります|失礼(?:ですが|します|いたします)"
    r"|申し訳(?:ありません|ございません))が?)"
)
_FILLERS_BEFORE: Final = re.compile(rf"^(?:{_ANSWER_FILLER}[、,.…。\s]+)+(?=\S)")
# 「うーん、そうですね…」 is "hmm, let me think", the answer still to come.
_THINKING: Final = re.compile(r"そう(?:です|だ)ね")


def _after_fillers(text: str) -> Intent | None:
    """The plain answer after fillers (「うーん、はい」): said back, so it can be undone.

    Only a bare answer word counts: a sentence after a filler is read whole, as before, and
    a filler alone is no answer. Nor is a letter alone ('hmm n'): a word begun, not "n" for no.
    """
    fillers = _FILLERS_BEFORE.match(text)
    if fillers is None:
        return None
    rest = text[fillers.end() :]
    if len(rest.strip()) < 2 or _THINKING.match(rest):
        return None
    for bare, kind in ((_BARE_UNSURE, Kind.UNSURE), (_BARE_YES, Kind.YES), (_BARE_NO, Kind.NO)):
        if bare.match(rest):
            return Intent(kind, READ)
    return None


# The network question's words, in English: the line, not the program, server or blocking.
_ABOUT_THE_NETWORK: Final = re.compile(
    r"\b(?:other|another|different) (?:isps?|providers?|networks?|lines?|connections?)\b"
    r"|\b(?:company|office|work) (?:network|lan)\b"
    r"|\b(?:from|at|in) (?:the |my |our )?(?:company|office|work)\b"
)
# Each other question's own subject: named, the message is about it after all.
_QUESTION_SUBJECT: Final[dict[Stage, re.Pattern[str]]] = {
    Stage.Q1_MAIL_PROGRAM: re.compile(
        r"program|\bapps?\b|soft|client|web|browser|outlook|thunderbird|iphone|phone|\bpc\b"
        r"|computer|ソフト|アプリ|ブラウザ|ウェブ"
    ),
    Stage.Q3_USES_OUR_SMTP: re.compile(
        r"server|smtp|\bsend|gmail|yahoo|117|\b(?:old|the) one\b|サーバ|送信"
    ),
    Stage.Q4_OP25B: re.compile(r"block|port|\b25\b|op25b|ブロック|ポート|制限|実施"),
}


def _answers_the_network_question(text: str, stage: Stage) -> bool:
    subject = _QUESTION_SUBJECT.get(stage)
    return (
        subject is not None
        and _ABOUT_THE_NETWORK.search(text) is not None
        and subject.search(text) is None
    )


# A message all in katakana (and marks): read again in hiragana, the script the answers list.
ALL_KATAKANA: Final = re.compile(r"[\u30a1-\u30fc\s、。,.!！?？]+")


# What says yes to a question before it is asked, in the same message as the answer to the
# question on screen: only the plain words of its "yes" (a place other than home, the
# provider's server named, the blocking named). Never its "no": 「家のパソコンだけで使って
# ます」 at the mail-program question describes a computer, not the line the next question
# asks about (whose hint the subscriber has not seen yet).
_AHEAD_YES: Final[dict[Stage, re.Pattern[str]]] = {
    Stage.Q2_OTHER_NETWORK: re.compile(
        r"(?:会社|職場|勤務先|オフィス|仕事場|出先|外出先|外|そと|旅行先|旅先|出張先|ホテル|カフェ|実家"
        r"|(?:娘|息子|友人|友達)の(?:家|いえ|うち))(?:から|で)(?:も)?\s*(?:も)?"
        r"(?:送|おく|使|つか|メール|めーる|見|み|読|よ|つな|接続)"
        r"|(?<![a-z])lan(?![a-z])|テザリング|ポケット\s*wi-?fi|(?:スマホ|携帯|けいたい)の回線"
        r"|他の?プロバイダ|ほかのプロバイダ|別のプロバイダ"
        # 「外ではドコモです」: another company's line away from home, the verb left out.
        r"|(?<!以)(?:外|そと|外出先|出先)(?:で|から)?(?:は|も)\s*(?:ドコモ|docomo|(?<![a-z])au(?![a-z])"
        r"|ソフトバンク|softbank|楽天|ワイモバイル|y!?\s*mobile|スマホ|すまほ|携帯|けいたい|ケータイ)"
        # 「アウトルックで家と会社両方でつかってます」: home and work both named.
        r"|(?:家|自宅|うち)と(?:会社|職場|仕事場)(?:の)?\s*(?:両方|りょうほう|どちらも|どっちも)"
        r"|(?:会社|職場|仕事場)と(?:家|自宅|うち)(?:の)?\s*(?:両方|りょうほう|どちらも|どっちも)"
        # 「会社でも家でもOutlookで送っています」: both places named, each with its 「でも」.
        r"|(?:会社|職場|仕事場)(?:で|から)も\s*(?:家|自宅|うち)(?:で|から)も"
        r"|(?:家|自宅|うち)(?:で|から)も\s*(?:会社|職場|仕事場)(?:で|から)も"
        # 「会社のパソコンでも家のパソコンでも使っています」: each place's computer (the
        # company's on the company's line), both with their 「でも」.
        r"|(?:会社|職場|仕事場)の(?:パソコン|ぱそこん|pc)(?:で|から)も\s*"
        r"(?:家|自宅|うち)の(?:パソコン|ぱそこん|pc)(?:で|から)も"
        r"|(?:家|自宅|うち)の(?:パソコン|ぱそこん|pc)(?:で|から)も\s*"
        r"(?:会社|職場|仕事場)の(?:パソコン|ぱそこん|pc)(?:で|から)も"
        r"|\b(?:at|from) (?:work|the office|my office)\b|\btethering\b|\bmobile data\b"
        # "I use docomo when I'm out": away from home, as 「外ではドコモです」 (subscriber19).
        r"|\bwhen (?:i'?m|i am|we'?re|we are) (?:out|away|outside|travel(?:l?ing)?)\b"
        r"|\boutside\b(?!\s+(?:servers?|smtp|mail))|\b(?:away from home|out and about|on the go)\b"
    ),
    Stage.Q3_USES_OUR_SMTP: re.compile(r"プロバイダの(?:smtp|送信|メール)?\s*サーバ"),
    Stage.Q4_OP25B: re.compile(
        r"ブロック(?:され|して|が?あ)|op25b(?:されて|あり)|\bblocked\b|\bthey block\b"
        r"|25\s*番?(?:ポート)?(?:が|は)?(?:使えない|使えません|塞が|ふさが|止められ|とめられ|制限され)"
    ),
}


def affirmed_ahead(text: str, stage: Stage, own: OwnNames = OwnNames()) -> bool:
    """Whether normalised `text` says yes to the question at `stage` in its own plain words.

    For the question after the one on screen (「Outlookで、会社からも送ります」 at the first).
    Not where any part of `text` says no, is unsure, asks, or tells of the past.
    """
    pattern = _AHEAD_YES.get(stage)
    if pattern is None or len(text) > _ANSWER_LENGTH:
        return False
    if _QUESTION.search(text) or _PAST.search(text) or _UNSURE.search(text):
        return False
    named_no, named_yes = _provider_phrasings(own).get(stage, (None, None))
    if _STAGE_NO[stage].search(text) or (named_no and named_no.search(text)):
        return False
    for clause in clauses(text):
        said = pattern.search(clause) or (named_yes and named_yes.search(clause))
        if said and not _ANY_NEGATION.search(clause) and not _NEGATED.search(clause):
            return True
    return False


# What a leading 「いいえ」「いや」 "no" may only open, answering nothing: a wait (「いや、ちょっと
# 待って」 is "hang on"), a question (「いいえ、SMTPって何？」「はい？」), an acknowledgement or a
# greeting. Read as the "no" it starts with, each lowered the change needed. After 「はい」 only
# a wait, a return or a question: 「はい、ありがとうございます」 is a polite "yes".
_NOT_ANSWERS_AFTER_YES: Final = frozenset({SmallTalk.WAIT, SmallTalk.RESUME, SmallTalk.HELP})
_NOT_ANSWERS_AFTER_NO: Final = _NOT_ANSWERS_AFTER_YES | {
    SmallTalk.THANKS,
    SmallTalk.UNDERSTOOD,
    SmallTalk.GREETING,
    SmallTalk.GOODBYE,
}
_OPENER_END: Final = "、,。.!！ "


def _only_opens(text: str, leading: re.Match[str], *, no_word: bool, says_no: bool) -> bool:
    """Whether the yes or no word at the start of `text` only opens something else.

    `no_word`: the word is a no; `says_no`: the rest of `text` says no too (「いいえ、家だけで
    使ってます」), which makes it an answer whatever follows.
    """
    rest = text[leading.end() :].lstrip(_OPENER_END)
    if not rest:
        return False
    if _QUESTION.search(rest) or _WHAT_IS_IT.search(rest) or _NOTHING_SAID.fullmatch(rest):
        return True
    if no_word and _YES_AFTER.search(rest):
        # 「いいえ…あ、はい」 "No, I mean yes": the no taken back in the same message.
        return True
    if no_word and not says_no and _TELLS_SOMETHING.search(rest) and not _DIFFERENT.match(rest):
        # 「いいえ、昨日もやりました」: a no word before a sentence of its own, which neither
        # says no nor names the question's "no" (those were read before this).
        return True
    if no_word and _NOT_THE_QUESTION.match(rest):
        # 「いいえ、まだ何もしていません」 "not done anything yet", 「いいえ、パソコンは苦手で」
        # "not good with computers": about the change or themselves, not the question (each
        # was its no, the first question's "nothing to change").
        return True
    if no_word and not says_no and _ENGLISH_ASIDE.match(rest) and not _ON_THE_SUBJECT.search(rest):
        # "no, I live in Osaka": a sentence of their own after the no, about nothing the
        # questions ask (the first question's no, "nothing to change"); asked again.
        return True
    kinds = _NOT_ANSWERS_AFTER_NO if no_word else _NOT_ANSWERS_AFTER_YES
    return recognise_small_talk(rest) in kinds


_USED_AT_HOME: Final = re.compile(
    r"(?<!の)(?:家|自宅|うち|じたく|家庭)(?:の[^、。,]{0,10})?(?:で|から)(?:は)?\s*"
    r"(?:使|つか|送|おく|見|み|メール|めーる|接続|つな)"
)
# "Mostly" and "rarely": the no said holds only most of the time.
_MOSTLY: Final = re.compile(
    r"\b(?:mostly|usually|mainly|generally|normally|typically|most of the time)\b"
    r"|主に|おもに|基本(?:的に)?|ほとんど|殆ど|だいたい|大体|たいてい|大抵|普段は|ふだんは|通常は"
    r"|あまり|あんまり|めったに|滅多に|\b(?:rarely|seldom|hardly|not (?:much|often|very often))\b"
    r"|\b(?:don'?t|do not) use it (?:much|often|a lot)\b"
    # "no, I don't send email much": now and then, so not the no.
    r"|\b(?:don'?t|do not) (?:[a-z-]+ ){1,3}(?:much|often|a lot)\b"
)
# An answer ending in a guess, asked of oneself: 「…かな」「…かなあ」「…かな？」.
_GUESS_ENDING: Final = re.compile(r"かな(?:あ|ぁ|ー|〜)*[?？。.!！…\s]*$")
_NO_THEN_SOMETIMES: Final = re.compile(
    r"^(?:no|nope|nah)[,.!\s]+(?:(?:only |just )?(?:rarely|seldom|sometimes|not (?:often|much))"
    r"|hardly(?: ever)?|once in a while)[.!\s]*$"
)
# "Not really", "hmm not much", 「いや、あんまり」「うーん、あまり」 as the whole answer: a no
# that holds only mostly, as "no, rarely" does, so not sure (the change that is safe). A
# filler or a no word may come first; "not really" was kept as the start of a sentence
# ("Yes, please go on.", no question), "nah not really" and 「いや、あんまり」 were the no that
# ends the questions (words30).
_HEDGE_FILLER: Final = (
    r"(?:h?m+|um+|uh+|er+m*|well|oh|ah|so|honestly|actually|うーん|うーむ|ん[ー〜]+|う[ー〜]+ん"
    r"|えー?と|えー|えっと|まあ|まぁ|あー|あのー?)"
)
# Each filler but the last is followed by a mark or a space: no two ways to split 'hmmmm'.
_HEDGED_NOT: Final = re.compile(
    rf"^(?:{_HEDGE_FILLER}[、,.…\s]+)*{_HEDGE_FILLER}?"
    r"(?:(?:no|nope|nah|いや|いいえ|ううん|いえ)[、,.!！…\s]*)?"
    r"(?:not (?:really|much|so much|very much|that much|often|very often|a lot)|hardly(?: ever)?"
    r"|(?:あんまり|あまり|そんなに|それほど|さほど)(?:です|ですね|かな|ね|ない|ないです|ありません)?)"
    rf"{_END}$"
)
_YES_AFTER: Final = re.compile(r"\b(?:yes|yeah|yep)\b|(?<![a-z])はい")
# A sentence that ends on a verb of its own: 「昨日もやりました」「設定しました」.
_TELLS_SOMETHING: Final = re.compile(r"(?:ます|ました)[。.!！…\s]*$")
_NOT_THE_QUESTION: Final = re.compile(
    r"(?:まだ)\s*(?:何も|なにも|特に)?\s*(?:して|やって|変更して|へんこうして|設定して|せっていして|変えて|かえて)"
    r"(?:い)?(?:ない|ません)"
    r"|.{0,12}(?:苦手|にがて|不慣れ|ふなれ|詳しく(?:ない|ありません)|くわしく(?:ない|ありません)|得意じゃ|とくいじゃ)"
    # 「いいえ、ポートは25です」 "no, port 25": the port, not the server or the blocking asked.
    r"|(?:ポート|port)\s*(?:は|番号は|number is|is|:)?\s*\d+(?:番)?(?:です)?[。.!！\s]*$"
    # 「いいえ、大丈夫です」「いいえ、結構です」「いいえ、こちらこそ」: politeness, no answer.
    r"|(?:大丈夫|だいじょうぶ|結構|けっこう)(?:です)?[。.!！…\s]*$|こちらこそ"
    r"|\bnot (?:yet|done anything)\b|\bi (?:haven'?t|have not) (?:done|changed) anything\b"
)
# An English sentence of its own after a no ("no, I live in Osaka", "no, my name is Sato").
_ENGLISH_ASIDE: Final = re.compile(r"(?:i|i'm|i am|we|we're|my|it|it's|its)\b")
# Anything the four questions ask about, or a negation: "no, I use it at home", "no, I don't",
# "no, my company's server" answer; an aside names none of it.
_ON_THE_SUBJECT: Final = re.compile(
    r"mail|program|\bapps?\b|soft|client|\bweb|browser|outlook|thunderbird|phone|\bpc\b|computer"
    r"|laptop|server|smtp|\bpop|send|receiv|home|house|apartment|office|work|company|job"
    r"|provider|\bisp\b|network|\bline\b|wi-?fi|\blan\b|block|port|\b25\b|\buse|connect|117"
    r"|\bonly\b|\bjust\b|\bnot?\b|n't|never|change|setting|same|other|another|different"
)
# 「違います」: the no said again, or hedged (「いいえ、違うと思います」 was asked again).
_DIFFERENT: Final = re.compile(r"(?:違|ちが)(?:います|いました|う(?:と(?:思|おも)|かと|かな))")


# Nothing said after it but fillers, a request to hear the question again, or "never mind":
# 「いえ、あの、えーと」「いいえ、もう一回言ってください」「いや、なんでもないです」.
_NOTHING_SAID: Final = re.compile(
    r"(?:(?:あの|あのー|えーと|えっと|えー|うーん|んー|その|まあ|あー|すみません|すいません|sorry|um+|uh+)"
    r"[、,。.…\s]*)*"
    r"(?:(?:もう一度|もういちど|もう一回|もういっかい|もう1回)\s*(?:お願い|おねがい|言って|いって|聞かせ)[^。]*"
    r"|なんでもない(?:です)?|何でもない(?:です)?"
    r"|(?:can|could) you (?:repeat|say) (?:that|it)(?: again)?|pardon|come again|never ?mind"
    # After "no,", as non-native speakers go on: "no, hmm", "no, please wait", "no, I have
    # question", "no, i think", "no, not yet", "no, I forgot", "no, it depends" (each was the
    # question's no).
    r"|h+m+|please wait|wait please|(?:i )?have (?:a )?question|i think|not (?:yet|now)"
    r"|i forg[oe]t|it depends|it'?s (?:complicated|difficult)|it is (?:complicated|difficult))?"
    r"[。.!！?？…\s]*"
)
# 「なにそれ」「どういうこと」: asked without a question mark.
_WHAT_IS_IT: Final = re.compile(
    r"なにそれ|何それ|なんそれ|どういう(?:意味|こと)|どゆこと|なんのこと|何のこと"
)


def says_not_used(text: str) -> bool:
    """Whether normalised `text` negates a use (「Outlookは使っていません」), not names one."""
    return bool(_NEGATED.search(text))


# 「いいえ、見るだけです」「メールは読むだけ」 "no, I just read it": how much mail they do, not with
# what (at the first question it was the no, "nothing to change"). Not with the browser named:
# "I only read mail in my browser" is webmail.
_READ_ONLY: Final = re.compile(
    r"(?:見る|みる|読む|よむ|受信する|受け取る|うけとる)だけ|受信(?:しか|のみ)"
    r"|\b(?:just|only) read\b|\bread (?:it|them|my mail|mail|emails?) on (?:the|my) screen\b"
)
_WEB_NAMED: Final = re.compile(r"web|ウェブ|ブラウザ|browser|ホームページ|サイト|\bsite\b|online")
# 「特別なものはつかってません」「なにも入れてない」 "nothing special", "I don't install anything"
# at the first question: no program installed, and the mail app a computer or phone comes
# with may be what they use (each was the no, "nothing to change", or not read). Not sure.
_NOTHING_INSTALLED: Final = re.compile(
    r"(?:特別|とくべつ|専用|せんよう)な?の?(?:もの|ソフト|アプリ|やつ)|特に(?:何も|なにも)\s*(?:使|つか)"
    r"|(?:何も|なにも|特に)\s*(?:入れて|いれて|インストールして|ダウンロードして)(?:い)?(?:ない|ません)"
    r"|(?:ダウンロード|インストール)(?:は|も)?\s*(?:して|した)(?:い)?(?:ない|ません|こと(?:は|が)?(?:ない|ありません))"
    r"|\b(?:nothing|no) special\b|\bnothing installed\b"
    r"|\b(?:don'?t|didn'?t|do not|did not|never) (?:install|download)(?:ed)?\b"
)
# 「メールソフトってなんですか」 at the first question: not knowing what it asks.
_WHAT_IS_A_PROGRAM: Final = re.compile(
    r"(?:メールソフト|めーるそふと|メーラー|メールアプリ)\s*(?:って|とは|て)\s*(?:何|なに|なん|どれ)"
    r"|what(?:'s| is) a (?:mail|e-?mail) (?:program|client|app)"
)


# What a "no" at a question names instead of the question's own thing: the webmail at the
# first question, another outgoing server at the third.
_ALTERNATIVES: Final[dict[Stage, str]] = {
    Stage.Q1_MAIL_PROGRAM: (
        r"(?:web\s*メール|ウェブメール|webmail|web mail|ブラウザ|browser|ホームページ)"
    ),
    Stage.Q3_USES_OUR_SMTP: (
        rf"(?:(?:gmail|yahoo|google|{_SERVICE_KANA}|会社|職場|outlook\.com|icloud|別|他|ほか|違う)"
        # 「別のプロバイダーのサーバーではありません」: another provider's, denied (subscriber22:
        # the no it denies).
        r"の?(?:\s*プロバイダー?の)?(?:smtp|送信|メール)?\s*"
        r"サーバー?|(?:gmail|yahoo|another|other|a different|different)(?:'s)? "
        r"(?:smtp |mail |outgoing )?server)"
    ),
}
_NOT_USED: Final = (
    r"\s*(?:は|も|を|とか)?\s*(?:(?:使|つか)(?:って(?:い|おり?)?(?:ない|ません|なかった)|わない|わず|いません)"
    r"|(?:じゃ|では)(?:ない|なく|ありません)"
    # 「webメールだけじゃない」「webメールだけってわけじゃない」「webメールだけちゃうで」: not
    # only that way, so the question's way too.
    r"|(?:だけ|のみ)\s*(?:(?:って|という|っていう)\s*(?:わけ|訳)\s*)?(?:とは|と)?\s*"
    r"(?:(?:じゃ|では|や)(?:ない|なく|ありません|あらへん)|ちゃう|ちゃいま|(?:限ら|かぎら)(?:ない|ず)))"
)
# The other way named as used too, or sometimes: 「Webメールも」, 'webmail too', 「両方」.
_ALSO_THE_OTHER_WAY: Final[dict[Stage, re.Pattern[str]]] = {
    stage: re.compile(
        rf"{alternative}\s*(?:を|は)?\s*も|両方|どちらも|どっちも|時々|ときどき|たまに"
        r"|\b(?:also|too|as well|sometimes|both)\b"
    )
    for stage, alternative in _ALTERNATIVES.items()
}
_NEGATED_ALTERNATIVE: Final[dict[Stage, re.Pattern[str]]] = {
    stage: re.compile(
        rf"{alternative}{_NOT_USED}"
        # "not (just) webmail", "it isn't only webmail", "I don't only use webmail".
        rf"|(?:don'?t|do not|never|not|n't) (?:just |only )?(?:use |using )?(?:the |a |any |an )?"
        rf"{alternative}"
        # "no other server", "no webmail": the other way denied (it was the no).
        rf"|\bno {alternative}"
    )
    for stage, alternative in _ALTERNATIVES.items()
}
# Where a message turns: 「…けど、…」「…が、…」, "…, but …", or simply a comma.
_CLAUSE_BREAK: Final = re.compile(
    r"[、,。.!！;；]|けれど(?:も)?|けど|(?:です|ます|た|だ)が|しかし|\bbut\b|\bthough\b|\bhowever\b"
)


# Any verb said not to happen in a part: 「会社からは送りません」 takes back its 会社.
_ANY_NEGATION: Final = re.compile(
    r"(?:ませ|な)(?:ん|い|かった|く)|ず(?:に)?(?:$|\s)|\b(?:not|never|don'?t|doesn'?t|no)\b"
)


# 「会社は退職しました」 "I am retired": the workplace named is one of the past too (after 「いい
# え、家だけです」 it was the yes).
_PAST: Final = re.compile(
    r"昔|以前|前は|かつて|退職|定年|(?:辞め|やめ)(?:ました|た)|\bused to\b|\bpreviously\b"
    r"|\bformerly\b|\bretired\b"
)


def clauses(text: str) -> list[str]:
    """The parts of normalised `text` between its turns (commas, けど, が, "but")."""
    return [clause for clause in _CLAUSE_BREAK.split(text) if clause.strip()]


_WEBMAIL: Final = re.compile(r"web\s*メール|ウェブメール|webmail|web mail|ブラウザ|browser")


def names_webmail_alone(text: str) -> bool:
    """Whether normalised `text` says the webmail is what is used, and no mail program.

    「いいえ、ウェブメールです。でもログインできません」: the trouble is the webmail's. Not
    「Webメールは使っていません」, nor 「Webメールもだめ」 'webmail too' (a program as well).
    """
    q1 = Stage.Q1_MAIL_PROGRAM
    return (
        bool(_WEBMAIL.search(text))
        and not _negates_the_alternative(text, q1)
        and not _ALSO_THE_OTHER_WAY[q1].search(text)
    )


def _negates_the_alternative(text: str, question: Stage) -> bool:
    """Whether `text` says the other way is not used: 「ブラウザは使ってません」 (a yes).

    Not with しか: 「Webメールしか使ってない」 is "only webmail", the "no" it says.
    """
    pattern = _NEGATED_ALTERNATIVE.get(question)
    return pattern is not None and "しか" not in text and bool(pattern.search(text))


def _clauses_disagree(
    text: str,
    question: Stage,
    stage: Stage,
    named_no: re.Pattern[str] | None,
    named_yes: re.Pattern[str] | None,
) -> bool:
    """Whether one part of `text` answers yes and another no (a negated yes counts as no)."""
    parts = clauses(text)
    if len(parts) < 2:
        return False
    # "I use gmail, not 117net": with the provider said not to be the way, "I use" is the
    # other server's, not a yes to the provider's.
    provider_denied = (
        question is Stage.Q3_USES_OUR_SMTP and named_no is not None and bool(named_no.search(text))
    )
    yes = no = False
    for clause in parts:
        says_yes = (
            bool(_STAGE_YES[question].search(clause))
            or bool(named_yes and named_yes.search(clause))
            or (
                stage in _GENERIC_YES_STAGES
                and not provider_denied
                and bool(_AFFIRMED.search(clause))
            )
        )
        says_no = (
            bool(_STAGE_NO[question].search(clause))
            or bool(named_no and named_no.search(clause))
            or bool(_NEGATED.search(clause))
            or bool(_ANY_NEGATION.search(clause))
        )
        # 「昔は会社からも送ってた」: what used to be so answers nothing today.
        yes = yes or (says_yes and not says_no and not _PAST.search(clause))
        no = no or says_no
    return yes and no


# 「はい、わかりました」: the explanation understood, not the question answered (「はい、ありが
# とうございます」 stays a "yes", said back like any answer read from a sentence).
_ACKNOWLEDGED: Final = re.compile(
    r"(?:はい|ええ|うん)[、,\s]*(?:わかりました|分かりました|了解(?:です|しました)?|承知しました"
    r"|なるほど)[。.!！\s]*"
)


def _read(
    text: str, stage: Stage, morphemes: Sequence[Morpheme] | None, own: OwnNames
) -> Intent | None:
    if _ACKNOWLEDGED.fullmatch(text):
        return None
    if _HEDGED_NOT.match(text):
        return Intent(Kind.UNSURE, READ)
    for bare, kind in ((_BARE_UNSURE, Kind.UNSURE), (_BARE_YES, Kind.YES), (_BARE_NO, Kind.NO)):
        if bare.match(text):
            return Intent(kind)
    for said_back, kind in (
        (_HEDGED_YES, Kind.YES),
        (_HEDGED_NO, Kind.NO),
        (_SIGN_YES, Kind.YES),
        (_SIGN_NO, Kind.NO),
    ):
        if said_back.match(text):
            return Intent(kind, READ)
    if (
        _UNSURE.search(text)
        # At the sending question, reading only is its no (`_NOT_SENDING`).
        or (
            _READ_ONLY.search(text)
            and not _WEB_NAMED.search(text)
            and stage is not Stage.Q3_USES_OUR_SMTP
        )
        or (
            stage is Stage.Q1_MAIL_PROGRAM
            and (_WHAT_IS_A_PROGRAM.search(text) or _NOTHING_INSTALLED.search(text))
        )
    ):
        return Intent(Kind.UNSURE, READ)
    morph_problem, morph_no, morph_yes = (
        _predicates_say(morphemes, stage) if morphemes else (False, False, False)
    )
    if morph_problem or recognise_problem(text) is not None:
        return None
    question = stage if stage in _STAGE_NO else Stage.Q3_USES_OUR_SMTP
    if (
        stage is Stage.Q1_MAIL_PROGRAM
        and _USED_ONLY_THERE.search(text)
        and not _WEB_NAMED.search(text)
    ):
        # 「家でしか使いません」「パソコンでしか使わない」 "I only use it at home / on the
        # computer": used, there. Its negated verb was the no, "nothing to change" (words10).
        return Intent(Kind.YES, READ)
    if _NOT_THAT_IT_IS_NOT.search(text):
        # 「使ってないわけじゃない」「使わないことはないです」 "it's not that I don't": the
        # verb's two negations were read as one, the no. A yes, said back (words10).
        return Intent(Kind.YES, READ)
    if stage is Stage.Q2_OTHER_NETWORK and _USED_ONLY_ELSEWHERE.search(text):
        # 「会社でしか使いません」 "I use it only at work": the other line, the yes (its
        # negated verb was the no, as for 「家でしか使いません」).
        return Intent(Kind.YES, READ)
    leading_yes, leading_no = _LEADING_YES.search(text), _LEADING_NO.search(text)
    named_no, named_yes = _provider_phrasings(own).get(question, (None, None))
    if (
        question is Stage.Q3_USES_OUR_SMTP
        and named_yes is not None
        and (only := _ONLY_THAT_USED.search(text)) is not None
        and any(
            # 「117のしか」 is 「117のもの」 said short.
            named_yes.search(text[: only.start()] + ending)
            for ending in ("です", "ものです")
        )
    ):
        # 「117netのサーバーしか使ってません」 "only 117net's server": the provider's server
        # used, the yes; its negated verb was the no, "sending not needed" (words10).
        return Intent(Kind.YES, READ)
    if _QUESTION.search(text) is None and (
        _negates_the_alternative(text, question)
        or _clauses_disagree(text, question, stage, named_no, named_yes)
    ):
        # 「webメールは使ってません」 (the other way is what is not used), or one part of the
        # message says yes and another no (「会社のLANは使ってないけど、外出先から送る」): the
        # answer that asks for more change, never the "no" that would lower it.
        return Intent(Kind.YES, READ)
    if morph_no and morph_yes:
        # The analyser found the question's verb said and unsaid: ask again.
        return None
    own_no = bool(_STAGE_NO[question].search(text)) or bool(named_no and named_no.search(text))
    said_no = own_no or bool(_NEGATED.search(text)) or morph_no
    if (
        said_no
        and question is Stage.Q4_OP25B
        and not own_no
        and not morph_no
        and _USE_DENIED.search(text)
        and not _BLOCKING_NAMED.search(text)
    ):
        # 「ドコモを使っていません」 at the blocking question: a use denied, nothing of blocking
        # (subscriber19: it was the no, lowering the change asked for sending unasked).
        return None
    if own_no and question in _ALSO_THE_OTHER_WAY and _ALSO_THE_OTHER_WAY[question].search(text):
        # 「Webメールも使ってます」 "webmail too", 「Gmailのサーバーも使ってます」: the other way as
        # well as the question's, a yes (read as the no, it ended the questions).
        return Intent(Kind.YES, READ)
    said_yes = False
    if not said_no:
        # A "no" phrasing says what is not used (「メールソフトは使ってない」) or what is used
        # instead (「Gmailのサーバーを使っています」): nothing in it affirms the question.
        said_yes = (
            bool(_STAGE_YES[question].search(text))
            or bool(named_yes and named_yes.search(text))
            or morph_yes
            or (stage in _GENERIC_YES_STAGES and bool(_AFFIRMED.search(text)))
        )
    if said_no and _MOSTLY.search(text):
        # "mostly webmail", 「だいたい家だけ」: the rest of the time something else, so not the
        # no that ends the questions; not sure asks for the change that is safe.
        return Intent(Kind.UNSURE, READ)
    if (said_no or said_yes or leading_yes or leading_no) and _GUESS_ENDING.search(text):
        # 「えっとーいえだけかな」「家だけかなあ」「違うかな」 "just home, I think": an answer
        # guessed at, as 「家だけかも」 is (subscriber20: its 「かな」 made it a question, not
        # understood, and 「かなあ」 the no that ends the questions). Not sure asks for the
        # change that is safe.
        return Intent(Kind.UNSURE, READ)
    leading = leading_yes or leading_no
    if leading_no is not None and leading_yes is None and _NO_THEN_SOMETIMES.search(text):
        # "no, rarely", "no, sometimes": the no holds only some of the time (read as the no).
        return Intent(Kind.UNSURE, READ)
    if leading is not None:
        # "はい" with a negated verb, or "いいえ" with "I use it", contradict: ask again.
        if (leading_yes and said_no) or (leading_no and said_yes and not said_no):
            return None
        # 「いいえ、家で使ってます」: home named after the no is the network question's no.
        at_home = question is Stage.Q2_OTHER_NETWORK and bool(_USED_AT_HOME.search(text))
        if _only_opens(text, leading, no_word=leading_yes is None, says_no=said_no or at_home):
            return None
        return Intent(Kind.YES if leading_yes else Kind.NO, READ)
    if _QUESTION.search(text):
        return None
    if said_no and said_yes:
        return None
    if said_no:
        return Intent(Kind.NO, READ)
    if said_yes:
        return Intent(Kind.YES, READ)
    return None
