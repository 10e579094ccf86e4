"""A sentence sent in pieces, a message each, is read whole (subscriber13).

「メールが」「見れない」「きのうから」 on LINE: each piece was answered 「うまく読み取れません
でした」 and counted, so the third piece of one sentence reached the handoff.
"""

from __future__ import annotations

import json

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState, Signal
from dialogs.understanding import Kind
from tests.dialogs.driver import Driver


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: str = "ja") -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("en" if locale == "en" else "ja")
    return driver


def _whole(profile: MigrationProfile, catalogs: Catalogs, text: str, locale: str = "ja") -> str:
    """What the bot answers `text` typed as one message."""
    driver = _started(profile, catalogs, locale)
    driver.type(text)
    return driver.said()


def test_three_pieces_are_answered_as_the_sentence(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs)
    for piece in ("きのうから", "メールが"):
        driver.type(piece)
        assert driver.said() == catalogs("ja", "pieces.go_on")
        assert driver.state.misunderstood == 0
    driver.type("見れない")
    assert driver.said() == _whole(profile, catalogs, "きのうからメールが見れない")
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.state.fragment == ""


def test_a_piece_after_an_understood_sentence_is_not_re_asked(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs)
    driver.type("メールが")
    driver.type("見れない")
    assert driver.said() == _whole(profile, catalogs, "メールが見れない")
    driver.type("きのうから")
    assert driver.said() == catalogs("ja", "pieces.go_on")
    assert not any(Signal.NOT_UNDERSTOOD_REPEATEDLY in r.signals for r in driver.results)
    assert all(r.state.misunderstood == 0 for r in driver.results)


def test_two_pieces_and_a_courtesy_before_them(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs)
    driver.type("すみません")
    for piece in ("メールの", "設定が"):
        driver.type(piece)
        assert driver.said() == catalogs("ja", "pieces.go_on")
    driver.type("わからなくて")
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.state.misunderstood == 0
    assert driver.state.stage is not Stage.START


def test_two_pieces_in_english(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _started(profile, catalogs, "en")
    driver.type("my email")
    assert driver.said() == catalogs("en", "pieces.go_on")
    driver.type("stopped working")
    assert driver.said() == _whole(profile, catalogs, "my email stopped working", "en")
    assert catalogs("en", "not_understood") not in driver.said()


def test_yes_after_a_piece_stays_the_answer(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _started(profile, catalogs)
    asked = driver.state.stage
    driver.type("メールが")
    driver.type("はい")
    assert driver.said() == _whole(profile, catalogs, "はい")
    assert driver.state.stage is not asked
    assert driver.state.fragment == ""


def test_a_whole_message_is_read_as_before(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _started(profile, catalogs)
    driver.type("メールが見れない")
    assert driver.state.fragment == ""
    assert catalogs("ja", "pieces.go_on") not in driver.said()


def test_pieces_that_never_make_sense_are_re_asked(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Kept no further than a short sentence (`FRAGMENT_LENGTH`): then 「うまく読み取れません
    # でした」, counted once.
    driver = _started(profile, catalogs)
    driver.type("きのうの夕方くらいからの")
    assert driver.said() == catalogs("ja", "pieces.go_on")
    driver.type("あれがですね、どうにもこうにも")
    assert catalogs("ja", "not_understood") in driver.said()
    assert driver.state.misunderstood == 1
    assert driver.state.fragment == ""


def test_a_password_in_a_later_piece_is_masked(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs)
    driver.type("ログインの")
    assert driver.said() == catalogs("ja", "pieces.go_on")
    driver.type("パスワードはsakura2008")
    assert Signal.SECRET_TYPED in driver.last.signals
    assert driver.last.said is not None
    typed, kept = driver.last.said
    assert typed == "パスワードはsakura2008"
    assert "sakura2008" not in kept
    assert "sakura2008" not in json.dumps(driver.state.to_json(), ensure_ascii=False)


def test_a_piece_like_a_password_is_never_kept(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs)
    driver.type("sakura2008と入れると")
    assert driver.state.fragment == ""
    # An account name before the next message: that one is read (and kept) alone.
    driver.type("私の名前はtaro、")
    assert driver.state.fragment == ""
    assert "sakura2008" not in json.dumps(driver.state.to_json(), ensure_ascii=False)


def test_the_piece_is_stored_and_read_back() -> None:
    state = DialogState(fragment="メールが")
    assert DialogState.from_json(state.to_json()).fragment == "メールが"
    assert DialogState.from_json({}).fragment == ""
    assert Kind.UNKNOWN  # the reading a piece has alone


def test_gibberish_is_no_piece(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # Kept, 「zzqx」 typed three times never reached 'I cannot connect you'.
    for locale, text in (("ja", "ほげ"), ("ja", "zzqx"), ("en", "zzqx")):
        driver = _started(profile, catalogs, locale)
        driver.type(text)
        assert driver.state.fragment == ""
        assert driver.state.misunderstood == 1


def test_a_message_after_a_piece_ending_in_a_latin_letter_is_kept_whole(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The message's own words were cut where the piece and a Latin word would be joined
    # (with a space): after 「テスト1」, 「テスト2」 went into the transcript as 「スト2」, and
    # 「メモ9-1」 as 「モ9-1」 (the web chat's `said` too), the agent reading words never typed.
    driver = _started(profile, catalogs)
    driver.type("テスト1")
    assert driver.said() == catalogs("ja", "pieces.go_on")
    driver.type("テスト2")
    assert driver.last.said is not None
    assert driver.last.said[1] == "テスト2"
