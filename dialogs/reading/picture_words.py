"""Words about a photo or voice message just sent: 「画面の写真です」「読めますか」 (subscriber12).

Read only right after the bot said it cannot see what was sent (its 「言葉で説明する」 button
is on screen): alone, 「これです」 or 「読めますか」 mean nothing the dialog could answer, and
after a picture they are about it. A whole short message only, so a symptom such as
「写真を添付すると送れません」 is never taken for one.
"""

from __future__ import annotations

import re
from typing import Final

_END: Final = r"[\s。.!！?？~〜ー…、,\u2600-\u27bf\u200d\ufe0f\U0001f300-\U0001faff]*"

_ABOUT_THE_PICTURE: Final = re.compile(
    r"^(?:"
    # 「画面の写真です」「エラーの画像を送りました」「スクショ見てください」
    r"(?:(?:画面|がめん|エラー|えらー|パソコン|スマホ)の)?"
    r"(?:写真|しゃしん|画像|がぞう|スクショ|スクリーンショット|動画|音声|声)"
    r"(?:です|を?(?:送り|おくり|撮り|とり)ました|を?(?:見て|みて|聞いて|きいて)(?:ください|下さい|ほしい)?)?"
    # 「これです」「この画面です」「これを見てください」
    r"|(?:これ|こちら|この画面|このがめん|こんな画面|こんなの)(?:です|を?(?:見て|みて)(?:ください|下さい)?"
    r"|が出ます|がでます|が出ました|がでました)?"
    # 「読めますか」「見えますか」「わかりますか」「届きましたか」
    r"|(?:写真|画像|これ|それ)?(?:は|が)?(?:読め|よめ|見え|みえ|見れ|みれ|わかり|分かり|届き|とどき)ま(?:す|した)か"
    # 「字が小さくて読めません」「私には読めません」
    r"|.{0,12}(?:読め|よめ)(?:ません|ない)"
    r"|(?:it'?s |this is |here is |i sent )?(?:a |the )?(?:photo|picture|screenshot|image|video"
    r"|voice message)(?: of (?:the|my) (?:screen|error))?"
    r"|can you (?:see|read|hear) (?:it|this|that|the (?:photo|picture|screenshot|message))"
    r"|this one|(?:please )?look at (?:it|this|the (?:photo|picture|screenshot))"
    rf"){_END}$",
    re.IGNORECASE,
)


def about_the_picture(text: str) -> bool:
    """Whether `text`, as typed, is about a photo or recording sent just before."""
    return bool(_ABOUT_THE_PICTURE.match(text.strip()))
