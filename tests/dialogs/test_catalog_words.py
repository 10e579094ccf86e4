"""Words across the catalogs: one name per action and per program, wherever it is shown."""

from __future__ import annotations

import re
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import OUTLOOK_AMBIGUOUS, MailProgram
from dialogs.vocabulary import LOCALES, Locale

# Each action a subscriber can take, and every key that names it: the chat's buttons and
# the web chat's toolbar. A second name for one action reads like a second action.
ACTION_NAMES: Final = {
    "menu": ("choice.menu", "next.questions", "webchat.menu"),
    "restart": ("choice.restart", "webchat.restart"),
    "human": ("menu.human", "webchat.human"),
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_one_name_per_action(catalogs: Catalogs, locale: Locale, action: str) -> None:
    names = {key: catalogs(locale, key) for key in ACTION_NAMES[action]}
    assert len(set(names.values())) == 1, names


@pytest.mark.parametrize("locale", LOCALES)
# Every program a conversation can hold: an Outlook not yet told new or classic too, which
# the console and the desks' summary showed as its id (`outlook_ambiguous`).
@pytest.mark.parametrize("program", [*MailProgram, OUTLOOK_AMBIGUOUS])
def test_the_console_names_programs_as_the_chat_does(
    catalogs: Catalogs, locale: Locale, program: str
) -> None:
    chat = catalogs(locale, f"program.{program}")
    assert catalogs(locale, f"console.program_{program}") == chat


@pytest.mark.parametrize("locale", LOCALES)
def test_outbound_port25_blocking_is_spelt_as_the_notice_does(
    catalogs: Catalogs, locale: Locale
) -> None:
    for key in catalogs.keys(locale):
        text = catalogs.raw(locale, key)
        assert "Outbound Port 25" not in text, key


# JTF's rule, the usual one on Japanese support pages: no space between a full-width
# character and a half-width one (「SMTP認証」, 「ポート587番」, 「{address}の」).
# Inside 「」 a program's field names are quoted as the screen shows them, spaces and all.
_FULL_WIDTH: Final = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACED: Final = re.compile(rf"[{_FULL_WIDTH}] +[!-~]|[!-~] +[{_FULL_WIDTH}]")
_QUOTED: Final = re.compile(r"「[^「」]*」")
# A numbered list's mark keeps its space, as the guides print theirs: "1. まず…".
_LIST_MARK: Final = re.compile(r"^\d+\. ", re.MULTILINE)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_space_between_full_and_half_width_characters(
    catalogs: Catalogs, locale: Locale
) -> None:
    spaced = {
        key: found
        for key in sorted(catalogs.keys(locale))
        if (found := _SPACED.findall(_bare(catalogs.raw(locale, key))))
    }
    assert not spaced, spaced


def _bare(text: str) -> str:
    """The text the rule applies to: without quoted screen labels and list marks."""
    return _LIST_MARK.sub("", _QUOTED.sub("「」", text))


def test_the_spacing_check_finds_a_space() -> None:
    assert _SPACED.search("新しい Outlook")
    assert _SPACED.search("ポート {smtp_port} 番")
    assert not _SPACED.search(_bare("「送信サーバー (SMTP) は認証が必要」にチェック"))
    assert not _SPACED.search(_bare("順番です。\n1. まず受信します。"))


# Japanese words in brackets take the full-width ones, as every other text does
# (「（Webチャット・LINE・Telegram・Slack）」); a screen's label inside 「」 is quoted as shown.
_HALF_WIDTH_BRACKETED: Final = re.compile(rf"[{_FULL_WIDTH}]\([^()]*[{_FULL_WIDTH}][^()]*\)")


def test_japanese_words_in_brackets_take_full_width_brackets(catalogs: Catalogs) -> None:
    bracketed = {
        key: found
        for key in sorted(catalogs.keys("ja"))
        if (found := _HALF_WIDTH_BRACKETED.findall(_QUOTED.sub("「」", catalogs.raw("ja", key))))
    }
    assert not bracketed, bracketed


def test_the_subscriber_is_called_as_the_notice_calls_them(catalogs: Catalogs) -> None:
    # The notice writes 「お客様」 throughout; the console and the Slack desk wrote it both ways,
    # so one screen read 「お客さまへの返信」 over 「お客様が担当者を待っています」.
    for key in catalogs.keys("ja"):
        assert "お客さま" not in catalogs.raw("ja", key), key


def test_english_quotes_button_names_with_straight_quotes(catalogs: Catalogs) -> None:
    """One kind of quotes in English: straight, as most texts (and every guide) have them.

    Curly ones beside them ('"Menu"' in one reply, '“cancel”' in the next) read as two
    styles, and a subscriber copying a word to type it gets a character their keyboard
    does not have.
    """
    # The Japanese catalog's one English sentence, the offer of English to a subscriber who
    # wrote in it, too: it read 'Type “English” to continue in English.'
    curly = {
        (locale, key): text
        for locale in LOCALES
        for key in catalogs.keys(locale)
        if re.search("[“”‘’]", text := catalogs.raw(locale, key))
    }
    assert not curly, curly


# The field a subscriber types their login into has one name, the settings card's: 「アカウント名
# （ユーザー名）」. The generic steps under the card listed 「ユーザー名（アカウント名）」 and the
# refused-login answers said 「アカウント（ユーザー名）」, three names for one field on one screen.
_FIELD_NAMES: Final = {
    "ja": ("ユーザー名（アカウント名）", "アカウント（ユーザー名）"),
    "en": ("user name (account name)", "account (user name)"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_login_field_is_named_as_the_card_names_it(catalogs: Catalogs, locale: Locale) -> None:
    assert catalogs(locale, "settings.label.username") in {
        "アカウント名（ユーザー名）",
        "Account name (user name)",
    }
    named_otherwise = {
        key: name
        for key in sorted(catalogs.keys(locale))
        for name in _FIELD_NAMES[locale]
        if name in catalogs.raw(locale, key).lower()
    }
    assert not named_otherwise, named_otherwise


# One spelling per word, the one most texts use: 「仕組み」 was 「しくみ」 in three texts
# (the POP and SMTP words, the blocking question's explanation) and 「仕組み」 in eleven;
# 「やり取り」 was once 「やりとり」; 「もう1つ」 once 「もう一つ」.
_SPELLINGS: Final = {"しくみ": "仕組み", "やりとり": "やり取り", "もう一つ": "もう1つ"}


def test_a_word_is_spelt_one_way(catalogs: Catalogs) -> None:
    spelt_otherwise = {
        key: variant
        for key in sorted(catalogs.keys("ja"))
        for variant in _SPELLINGS
        if variant in catalogs.raw("ja", key)
    }
    assert not spelt_otherwise, spelt_otherwise


# Japanese texts take the full-width colon, as the notice's list and most texts do (「暗号化：
# なし」, 「受信の設定：」). The opening hours read 「受付時間: 平日9時〜17時」, the account's
# example 「（例: taro@…）」, an agent's message 「サポート担当より:」, and the console's stages
# 「判定:送信は変更を推奨」. The desk's handoff summary keeps its 「項目: 値」 lines (an agent's
# record, pasted into Slack and Chatwoot); a colon between two Japanese words is wrong anywhere.
_HALF_WIDTH_COLON: Final = re.compile(rf"[{_FULL_WIDTH}]:")
_JAMMED_COLON: Final = re.compile(rf"[{_FULL_WIDTH}]:[{_FULL_WIDTH}]")
_AGENTS_RECORD: Final = ("summary.", "slack_desk.", "console.sys_")


def test_japanese_texts_take_the_full_width_colon(catalogs: Catalogs) -> None:
    half_width = {
        key: found
        for key in sorted(catalogs.keys("ja"))
        if (
            found := (
                _JAMMED_COLON if key.startswith(_AGENTS_RECORD) else _HALF_WIDTH_COLON
            ).findall(catalogs.raw("ja", key))
        )
    }
    assert not half_width, half_width


# English written as English, not word for word from the Japanese: 「自動で」 is 'automatically'
# ('We will try again by ourselves', 'Reconnecting by itself'), a button is pressed by its name
# ('Take it to take the chat over'), the @ is 'the @' as in every other text, and an apology
# opens 'Sorry,' as the others do (「申し訳ありません。」 came out 'Sorry: the advice …').
_TRANSLATED: Final = re.compile(
    r"by (?:ourselves|itself|themselves)|Take it to|before @|stays on;|^Sorry:"
)


def test_english_reads_as_english(catalogs: Catalogs) -> None:
    word_for_word = {
        key: found
        for key in sorted(catalogs.keys("en"))
        if (found := _TRANSLATED.findall(catalogs.raw("en", key)))
    }
    assert not word_for_word, word_for_word


def test_the_consoles_notes_open_with_a_capital(catalogs: Catalogs) -> None:
    # A transcript's notes are sentences: 'the agent's message could not be delivered' sat
    # among 'Conversation closed' and 'Mirrored to Chatwoot conversation 12'.
    lower = {
        key: text
        for key in catalogs.keys("en")
        if key.startswith("console.sys_") and (text := catalogs.raw("en", key))[0].islower()
    }
    assert not lower, lower


def test_the_console_names_the_login_check_as_the_chat_does(catalogs: Catalogs) -> None:
    # The queue's reason read 「接続テストが続けて失敗」 where the subscriber had pressed
    # 「ログインを確認する」 twice; the summary beside it said 「ログインの確認が2回続けて
    # 失敗」.
    for key in catalogs.keys("ja"):
        assert "接続テスト" not in catalogs.raw("ja", key), key
    assert "ログインの確認" in catalogs("ja", "console.reason_check_failed")


def test_port_25_is_one_door_in_english(catalogs: Catalogs) -> None:
    # The notice's 「出入り口(Port25)」 is 「出入り口（ポート25番）」 in every Japanese text; the
    # English said 'the gateway (port 25)' in the answer and 'the way out (port 25)' in the
    # blocking question's explanation. A port is 'the numbered door' (term.port).
    named = {
        key: re.findall(r"the (\w+(?: \w+)?) \(port 25\)", text)
        for key in catalogs.keys("en")
        if "(port 25)" in (text := catalogs.raw("en", key))
    }
    assert named
    assert all(found == ["door"] for found in named.values()), named
    assert "door" in catalogs.raw("en", "term.port")


# Japanese that reads stiffly or mixes words in one sentence (reviewer26): 「ログインは確かめ
# られていません」 where every other text says 確かめていません; 「期間は本日から始まりました
# ので、今日から…」 (本日 and 今日 in one sentence); 「…とのことですが、お答えでは、…Webメール
# だけをお使いです。」 (an answer reported as a bare fact, 「お使いです」).
_STIFF: Final = re.compile(r"確かめられていません|お答えでは、[^。]*をお使いです。")
_ONE_SENTENCE: Final = re.compile(r"[^。？]+")


def test_japanese_reads_as_the_house_words_it(catalogs: Catalogs) -> None:
    stiff = {
        key: found
        for key in sorted(catalogs.keys("ja"))
        if (found := _STIFF.findall(catalogs.raw("ja", key)))
    }
    assert not stiff, stiff
    both_days = {
        key: sentence
        for key in sorted(catalogs.keys("ja"))
        for sentence in _ONE_SENTENCE.findall(catalogs.raw("ja", key))
        if "本日" in sentence and "今日" in sentence
    }
    assert not both_days, both_days
