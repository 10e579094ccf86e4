"""Words forwarded from someone else and stickers: shown or felt, never an answer."""

from __future__ import annotations

import dataclasses

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.turn import READ_LENGTH
from dialogs.vocabulary import (
    EDITED_CHOICE,
    EMOJI_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    STICKER_CHOICE,
    Locale,
    TextReply,
)
from tests.dialogs.driver import Driver


def _said(driver: Driver) -> list[str]:
    return [r.text for r in driver.last.replies if isinstance(r, TextReply)]


def test_a_forwarded_no_at_a_question_answers_nothing(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale="ja")
    asked = driver.state.stage
    driver._run(choice=FORWARDED_CHOICE, text="いいえ")
    assert driver.state.stage is asked
    assert driver.state.sending is None
    assert _said(driver)[0] == catalogs.raw("ja", "forwarded.not_an_answer")


def test_a_forwarded_first_message_is_greeted_and_only_an_error_in_it_read(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Someone else's 「担当者と話したい」 or 「いいえ」 asks for nothing: greeted, then the first
    # question. An error is the subscriber's problem, shown: greeted, then answered.
    for words in ("いいえ", "担当者と話したい", "English please"):
        driver = Driver(profile, catalogs)
        driver._run(start=True, choice=FORWARDED_CHOICE, text=words, locale="ja")
        assert driver.state.stage is Stage.Q1_MAIL_PROGRAM, words
        assert driver.state.locale == "ja"
    error = Driver(profile, catalogs)
    error._run(start=True, choice=FORWARDED_CHOICE, text="0x800CCC0F のエラーが出ます", locale="ja")
    typed = Driver(profile, catalogs)
    typed._run(start=True, text="0x800CCC0F のエラーが出ます", locale="ja")
    assert error.last.replies == typed.last.replies


def test_a_message_being_left_for_the_desk_takes_forwarded_words(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # As a paste: the forwarded words are the message, as typed ones would be.
    drivers = [Driver(profile, catalogs), Driver(profile, catalogs)]
    for driver in drivers:
        driver.start()
        driver.press("yes")
        driver.press("human")
        driver.press("desk_message")
    words = "はい、パスワードを忘れてしまいました"
    drivers[0]._run(choice=FORWARDED_CHOICE, text=words)
    drivers[1].type(words)
    assert drivers[0].last.replies == drivers[1].last.replies
    assert drivers[0].state == drivers[1].state
    assert catalogs.raw("ja", "desk_message.need_contact") in " ".join(_said(drivers[0]))


def test_a_sticker_is_thanked_and_the_question_stands(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale="en")
    asked = driver.state.stage
    for _ in range(4):  # never a misunderstanding, however many
        driver.press(STICKER_CHOICE)
        assert _said(driver)[0] == catalogs.raw("en", "sticker.seen")
    assert driver.state.stage is asked
    assert driver.state.misunderstood == 0


def test_a_forwarded_password_is_warned_about_as_a_typed_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A family member's 「パスワードは Kq7xyz99 です」 forwarded into the chat got 「転送された
    # メッセージからは、エラーの内容を読み取れませんでした…」: the subscriber was never told the
    # password is now in the chat's history (it is masked in the store, as any).
    for words in ("パスワードは Kq7xyz99 です", "taro@vp.117.ne.jp / Kq7xyz99"):
        forwarded, typed = Driver(profile, catalogs), Driver(profile, catalogs)
        forwarded.start(locale="ja")
        typed.start(locale="ja")
        forwarded._run(choice=FORWARDED_CHOICE, text=words)
        typed.type(words)
        assert forwarded.last.replies == typed.last.replies, words


@pytest.mark.parametrize(
    ("wordless", "key"),
    [
        (MEDIA_CHOICE, "desk_message.words_only"),
        (STICKER_CHOICE, "desk_message.sticker_seen"),
        (EDITED_CHOICE, "edited.send_again"),
    ],
)
def test_a_picture_or_sticker_while_a_message_is_written_keeps_the_message_open(
    profile: MigrationProfile, catalogs: Catalogs, wordless: str, key: str
) -> None:
    # A screenshot of the error sent when asked for the message for the desk ended the
    # message: 「画像や音声…」 and the next question, and the words typed next, with the phone
    # number to call back, were read as answers (Outlook noted) and never left for the desk.
    # So did an edit of the message (a typo in the number put right), asked to be sent anew.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.press("human")
    driver.press("desk_message")
    driver.press(wordless)
    assert driver.state.leaving_message
    assert _said(driver) == [catalogs.raw("ja", key)]
    driver.type("Outlookで送信できません。電話は090-1234-5678です")
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals


@pytest.mark.parametrize(("locale", "no", "back"), [("ja", "いいえ", "戻る"), ("en", "no", "back")])
def test_an_edit_after_an_answer_says_how_to_change_that_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, no: str, back: str
) -> None:
    # 「いいえ」 typed at the network question, then edited to 「はい」 (channels): told only to
    # send it again, the subscriber sent 「はい」, which the address question took as "I will
    # type it", and their 「いいえ」 stood. The edit's answer now says 「戻る」 changes it.
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    driver.press("yes")
    driver.type(no)
    asked = driver.state.stage
    driver._run(choice=EDITED_CHOICE, text="はい" if locale == "ja" else "yes")
    assert driver.state.stage is asked
    assert _said(driver)[0] == catalogs.raw(locale, "edited.send_again.answered")
    driver.type(back)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_an_edit_before_any_answer_is_only_asked_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # At the first question there is no earlier answer to go back to.
    driver = Driver(profile, catalogs)
    driver.start(locale="ja")
    driver._run(choice=EDITED_CHOICE, text="はい")
    assert _said(driver)[0] == catalogs.raw("ja", "edited.send_again")


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_emoji_alone_are_thanked_as_stickers_and_never_hand_the_chat_over(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 「😊」「🙇‍♀️」「🙏🙏」 sent as a sticker would be (channels): each was 「うまく読み取れ
    # ませんでした」, and the third handed the chat to a person (three answers not understood).
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    for emoji in ("😊", "🙇\u200d♀️", "🙏🙏", "😊"):
        driver.type(emoji)
        assert _said(driver)[0] == catalogs.raw(locale, "emoji.seen"), emoji
        assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
        assert Signal.HANDOFF_REQUESTED not in driver.last.signals
        assert Signal.NOT_UNDERSTOOD_REPEATEDLY not in driver.last.signals
    driver.type("👍")  # a sign still answers
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_puzzled_or_sad_emoji_alone_is_offered_help_not_thanks(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 「🤔」「😭」 got 「絵文字をありがとうございます。」 as 「😊」 does: to someone stuck, cold
    # (channels3). Asked what troubles them, offered a person, then the question again;
    # never counted toward a handoff. A bow with sweat is still courtesy, and LINE's or
    # Slack's named emoji stay as they were (no character to tell worry by).
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    question = driver.last.replies[-1]
    for emoji in ("🤔", "😢", "😭", "💦", "😰", "😭😭", "🤔 💦"):
        driver.type(emoji)
        said = _said(driver)
        assert said[0] == catalogs.raw(locale, "emoji.worried"), emoji
        assert driver.last.replies[-1] == question, emoji
        assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
        assert Signal.HANDOFF_REQUESTED not in driver.last.signals
        assert Signal.NOT_UNDERSTOOD_REPEATEDLY not in driver.last.signals
    for courtesy in ("🙇💦", "😊", "🤔😊"):
        driver.type(courtesy)
        assert _said(driver)[0] == catalogs.raw(locale, "emoji.seen"), courtesy
    driver._run(choice=EMOJI_CHOICE, text="(sweat)")
    assert _said(driver)[0] == catalogs.raw(locale, "emoji.seen")


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_platforms_own_emoji_alone_are_thanked_and_never_hand_the_chat_over(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # LINE's 「(moon grin)」 and a Slack workspace's 「:party-parrot:」 have no character to
    # read: the adapter says they are emoji (EMOJI_CHOICE). Read as words, each was 「うまく
    # 読み取れませんでした」 and the third handed the chat to a person (channels2).
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    for names in ("(moon grin)", ":party-parrot:", "(help)", "(love)(love)"):
        driver._run(choice=EMOJI_CHOICE, text=names)
        assert _said(driver)[0] == catalogs.raw(locale, "emoji.seen"), names
        assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
        assert Signal.HANDOFF_REQUESTED not in driver.last.signals
        assert Signal.NOT_UNDERSTOOD_REPEATEDLY not in driver.last.signals
    # As a first message: greeted, the name 「(help)」 read as nothing.
    first = Driver(profile, catalogs)
    first._run(start=True, choice=EMOJI_CHOICE, text="(help)", locale=locale)
    greeted = Driver(profile, catalogs)
    greeted.start(locale=locale)
    assert first.last.replies == greeted.last.replies


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_button_of_a_conversation_no_longer_kept_says_so_before_the_greeting(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # A press of a conversation past the retention (the runtime's `earlier_ended`) was
    # greeted as if nothing had been pressed (channels2).
    driver = Driver(profile, catalogs)
    driver.context = dataclasses.replace(driver.context, earlier_ended=True)
    driver._run(start=True, choice="yes", locale=locale)
    greeted = Driver(profile, catalogs)
    greeted.start(locale=locale)
    assert _said(driver)[0] == catalogs.raw(locale, "earlier_ended.restarted")
    assert driver.last.replies[1:] == greeted.last.replies
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


# A bounce pasted whole: its headers, then the reason at the end (past what is read first).
_HEADERS = (
    "Received: from mx.example.com (mx.example.com [192.0.2.1]) by vsmtp.117.ne.jp"
    " (Postfix) with ESMTPS id 4AB12C3D4E; Mon, 2 Jun 2008 10:00:00 +0900 (JST)\n"
) * 16
_REASON = (
    "This is the mail system at host vsmtp.117.ne.jp.\n\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.\n\n"
    "<hanako@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n"
    "    <hanako@example.com>: Recipient address rejected: User unknown\n"
)


def test_a_long_paste_is_read_for_the_error_at_its_end(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Only the first 2,000 characters were read: the bounce with its headers (2,600) was
    # 「うまく読み取れませんでした」, where its last lines alone are diagnosed (channels2).
    pasted = _HEADERS + _REASON
    assert pasted.index("550") > READ_LENGTH
    drivers = [Driver(profile, catalogs), Driver(profile, catalogs)]
    for driver, words in zip(drivers, (pasted, _REASON), strict=True):
        driver.start(locale="ja")
        driver.type("はい")
        driver.type(words)
    assert catalogs.raw("ja", "problem.recipient_unknown") in _said(drivers[0])
    assert drivers[0].last.replies == drivers[1].last.replies
    assert drivers[0].state.misunderstood == 0


def test_a_long_paste_first_or_forwarded_is_read_for_the_error_at_its_end(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # As a platform's first message (greeted, then answered) and forwarded (shown, read for
    # an error alone), as the reason alone is.
    for fields in ({"start": True, "locale": "ja"}, {"choice": FORWARDED_CHOICE}):
        pasted, alone = Driver(profile, catalogs), Driver(profile, catalogs)
        for driver, words in ((pasted, _HEADERS + _REASON), (alone, _REASON)):
            if not fields.get("start"):
                driver.start(locale="ja")
            driver._run(text=words, **fields)
        # A first message in English words is answered in English.
        unknown = catalogs.raw(pasted.state.locale, "problem.recipient_unknown")
        assert unknown in _said(pasted), fields
        assert pasted.last.replies == alone.last.replies
