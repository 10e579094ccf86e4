"""How many devices a subscriber reads the mailbox on, said in their own words.

A profile's question 「複数の端末でお使いですか？」 (`reading = "devices"`: every device needs
the change) is answered with a count or with the devices named, not with はい or いいえ:
「2台です」「パソコンとスマホ」 'my laptop and my phone' are its yes, 「1台だけ」
「パソコンだけです」 'just one' its no. Read as a plain question, 「1台だけ」 was kept as the
start of a sentence (「はい。続きをどうぞ。」 and no question) and 'only my pc' too, and
「2台です」 was not understood.

Patterns rather than the analyser: a count is a digit or a numeral before a counter (台, つ),
and the devices are a closed list of nouns; the text comes normalised (NFKC, lower case).
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.understanding import Kind

_DEVICE: Final = (
    r"(?:パソコン|ぱそこん|pc|ノート|デスクトップ|mac|マック|スマホ|すまほ|スマートフォン"
    r"|携帯|けいたい|ケータイ|iphone|アイフォン|ipad|アイパッド|タブレット|android|アンドロイド"
    r"|computer|laptop|desktop|phone|tablet|mobile)"
)
# Two devices or more: a count from two, 「複数」「両方」, 「もう1台」 'another', or two devices
# joined ('one phone and one computer', 'a phone and a computer': each one's count of one
# was the no, and the article kept the two apart). 「何台か」 'some' is several, but 「何台まで
# 設定できますか」 asks how many: no answer (it was the yes).
_SEVERAL: Final = re.compile(
    r"(?:[2-9]|[二三四五]|ふた|みっ|よっ|複数)\s*(?:台|だい|つ|個)"
    r"|(?:何|なん)\s*(?:台|個)\s*(?:か|も)|もう\s*(?:1|一|ひと)\s*(?:台|つ)"
    r"|複数|両方|りょうほう|どちらも|どっちも|いくつか|数台"
    rf"|{_DEVICE}\S*\s*(?:と|や|も|、|,|/|and|&|\+)\s*"
    rf"(?:my\s+|the\s+|an?\s+|one\s+|1\s+|家の|会社の)?{_DEVICE}"
    r"|\b(?:two|three|four|several|multiple|a few|both|more than one|many)\b"
)
# One device: a count of one, or a device 「だけ」 'only'.
_ONE: Final = re.compile(
    r"(?:1|一|ひと)\s*(?:台|だい|つ|個)"
    rf"|{_DEVICE}\S*\s*(?:だけ|のみ|しか|一台|1台)"
    r"|\b(?:just|only)\s+(?:one|1|my|the|a|this)\b|\bone\s+(?:device|computer|phone)\b"
    r"|^\s*(?:one|1)\s*$"
)
# 「複数ではないです」「両方じゃない」 'not both': the yes's words denied.
_SEVERAL_DENIED: Final = re.compile(
    r"(?:複数|両方|2台|二台)(?:で|では|じゃ)?(?:は)?(?:ない|なく|ありません)"
    r"|\bnot\s+(?:both|several|multiple|more than one|two)\b"
)


def devices_answer(text: str) -> Kind | None:
    """YES for several devices, NO for one, None where the text says neither."""
    if _SEVERAL_DENIED.search(text):
        return Kind.NO
    if _SEVERAL.search(text):
        # 「パソコンとスマホだけ」: two devices named, 「だけ」 or not.
        return Kind.YES
    if _ONE.search(text):
        return Kind.NO
    return None
