"""Words of a subscriber waiting for a person who would rather carry on with the bot.

In the desk's queue the bot is silent and every message waits for the agent, so
「最初から」, 「ボットに戻りたい」 or 「やっぱり自分でやってみます」 went unanswered until an
agent wrote or the late-reply notice offered 「自動案内に戻る」: a subscriber who changed
their mind had no way back. These words are that button typed (`bot.desk.changed_mind`).
A failure told with them (「自分でやってみたけどできません」) is for the agent, as before.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# 「最初から」 as the whole message (or with its request): in a sentence it says since when
# (「最初から入っているメールアプリです」 'the app that came with the phone').
_FROM_THE_START: Final = (
    r"^(?:最初から|はじめから|初めから)"
    r"(?:(?:やり直|やりなお|お願い)\S*|で(?:お願い\S*|いい\S*)?)?[。.!！]*$"
)
# The words that say to start over (「やり直したい」, 'start over'; 'restart' alone: in a
# sentence it is a computer's or a program's, 'I had to restart my PC').
_OVER_WORDS: Final = (
    _FROM_THE_START + r"|やり直(?:し|す|したい)|やりなお(?:し|す|したい)"
    r"|\bstart over\b|^/?(?:please )?restart(?: please)?[.!]*$"
)
_WISH: Final = re.compile(
    _OVER_WORDS
    + r"|(?:ボット|ぼっと|自動案内|自動応答|チャットボット|bot)(?:の案内)?(?:に|へ)(?:戻|もど)"
    r"|(?:ボット|自動案内)(?:で|の(?:ほう|方)で)(?:いい|大丈夫|続け|結構)"
    r"|自分で(?:やって|やり|試し|ためし|設定し|直し|なおし)(?:てみ|み)?(?:ます|る|たい|よう)"
    r"|\b(?:back to the bot|continue with the bot)\b"
    r"|\b(?:i(?:'ll| will)|let me) (?:try|do) (?:it )?(?:by )?myself\b"
    r"|\b(?:i(?:'ll| will)|let me) (?:try|do) (?:it|this) on my own\b"
)
# The wishes that say to start over: the questions from the first one, as the word means
# outside the queue and as the web chat's 「最初から」 starts afresh.
_OVER: Final = re.compile(_OVER_WORDS)
# Told alongside, the words are a report for the agent, not a change of mind.
_FAILED: Final = re.compile(
    r"でき(?:ない|ません|なかった)|だめ|ダメ|無理|わから|分から|けど|ても|たら|のに|エラー"
    # Done already (「設定をやり直しました」「入力し直したのですが」): what they tried, not a wish.
    r"|(?:直|なお)し(?:ました|た(?!い))"
    r"|\b(?:can(?:no|')t|couldn't|didn't|doesn't|not working|failed|but)\b"
)


def wants_the_bot_back(text: str) -> bool:
    """Whether `text`, typed while waiting for a person, asks to carry on with the bot."""
    words = unicodedata.normalize("NFKC", text).strip().lower()
    return bool(_WISH.search(words)) and not _FAILED.search(words)


def starts_over(text: str) -> bool:
    """Whether `text`, a wish for the bot back (`wants_the_bot_back`), asks to start over."""
    words = unicodedata.normalize("NFKC", text).strip().lower()
    return wants_the_bot_back(text) and bool(_OVER.search(words))
