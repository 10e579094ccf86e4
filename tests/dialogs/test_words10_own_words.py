"""words10: a subscriber's own words, read right.

- 「Outlookは使ったことがありません。スマホで見ています」 at the program question was
  「うまく読み取れませんでした」 and the question again: the program denied hid the phone said
  after it. Now the phone is heard (which phone, iPhone or Android, is asked), as for
  「スマホで見ています」 alone.
- 「はい。あと送信サーバーは…？」 at a yes/no question was 「そのご質問にはうまくお答えできません
  でした」 and the question again: the servers' question known alone (「送信サーバーは？」) was
  not known led by 「あと」, trailing off, or beside an answer's sentence (「いいえ。送信サーバー
  は？」), and a 「はい。」 of its own sentence was taken for the asking's 「はい」. Now the
  question is answered and the answer taken (said back, so 「戻る」 undoes it). 「はい、いつまで
  ですか」 stays a question alone.
- 「この設定はどこに入れれば…」「どこに入力するんですか」 under the card were read as the settings
  asked again, which with no address given went back to the address question. Now they are
  told the settings go into the mail program's account screen, and its steps come again.
- 「家でしか使いません」「パソコンでしか使わない」 "I only use it at home / on the computer" at
  the mail-program question were its no, "nothing to change" (the negated verb read, the しか
  "only" not): a subscriber whose program needs the new servers told to do nothing. Now the
  yes. At the network question 「会社でしか使いません」 "only at work" was its no too (the
  sending change lowered to "recommended"); now the yes, and 「家からしか使いません」 the no.
- 「本当に117netからのお知らせですか」 'is this notice really from 117net?' was not understood;
  it is the question whether the notice is genuine.
- 「印刷したいです」 'Can I print this?' were not understood. The web chat prints the card and
  the steps with the button under the card (tests/adapters/webchat/test_print.py); the other
  channels have none. The dialog knows no channel, so it says both: press 「設定と手順を印刷」
  under the settings, and where there is no such button, print a screenshot or copy the table
  by hand; before the card, that the settings (and the button) come after the questions.
- 「やらなきゃいけないの？」「しないとだめ？」 alone asked whether anything must change and were
  「そのご質問にはうまくお答えできませんでした」; 「家だけですけど、もし何もしなかったらどうなるの」
  took the no and dropped the question asked after the 「けど」 without a question mark.
- 「使ってないわけじゃない」「使わないことはないです」 "it's not that I don't" and 「たまにしか
  使いません」「週に1回しか見ません」 "only now and then" at the mail-program question were its
  no ("nothing to change"): now the yes. 「アイホン」「iフォン」 are the iPhone; 「娘です。母の
  メールの設定をしています」「母の代わりに入力しています」 say who writes (were not understood).
- 「117netのサーバーしか使ってません」「117のしか使ってない」 "only 117net's server" at the
  sending-server question were its no, "sending not needed": now the yes (「会社のサーバーしか
  使いません」 stays the no).
- 「今のメールはどうなる？」「届いてるメールは残りますか」 were not understood: what happens to
  old mail.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic, answer_keys, timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, TextReply
from tests.dialogs.driver import IN_WINDOW_DAY, Driver, at_stage

_NOT_READ = ("うまく読み取れませんでした", "did not catch")


def _at_the_program_question(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(
    "typed",
    [
        "Outlookは使ったことがありません。スマホで見ています",
        "Outlookは使っていません、スマホで見てます",
        "アウトルックは使ったことがないです。携帯でメールを見ています",
    ],
)
def test_a_program_denied_then_a_phone_asks_which_phone(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type(typed)
    said = driver.said()
    assert catalogs("ja", "program.which_phone") in said
    assert not any(words in said for words in _NOT_READ)
    assert driver.state.program is None
    assert driver.state.stage is Stage.ASK_PROGRAM


LABELS = {"yes": "choice.yes", "no": "choice.no"}


@pytest.mark.parametrize(
    ("stage", "locale", "typed", "answer", "topic"),
    [
        (Stage.Q1_MAIL_PROGRAM, "ja", "はい。あと送信サーバーは…？", "yes", Topic.SERVERS),
        (Stage.Q1_MAIL_PROGRAM, "ja", "はい、あと送信サーバーは？", "yes", Topic.SERVERS),
        (
            Stage.Q1_MAIL_PROGRAM,
            "ja",
            "はい。あとパスワードは変わりますか？",
            "yes",
            Topic.PASSWORD,
        ),
        (Stage.Q2_OTHER_NETWORK, "ja", "いいえ。送信サーバーは？", "no", Topic.SERVERS),
        (Stage.Q2_OTHER_NETWORK, "ja", "はい。それと、受信サーバーは…", "yes", Topic.SERVERS),
        (Stage.Q2_OTHER_NETWORK, "en", "Yes. Also, when is the deadline?", "yes", Topic.SCHEDULE),
    ],
)
def test_an_answer_of_its_own_beside_a_question_counts(
    profile: MigrationProfile,
    catalogs: Catalogs,
    stage: Stage,
    locale: Locale,
    typed: str,
    answer: str,
    topic: Topic,
) -> None:
    driver = at_stage(profile, catalogs, locale, stage)
    driver.type(typed)
    said = driver.said()
    for key in answer_keys(topic, timing(profile, IN_WINDOW_DAY)):
        assert catalogs.raw(locale, key)[:12] in said
    assert driver.state.answers.get(stage.value) == answer
    assert catalogs(locale, "answer.read_as", answer=catalogs(locale, LABELS[answer])) in said
    assert driver.state.stage is not stage


@pytest.mark.parametrize("typed", ["はい、いつまでですか", "OK. When is the deadline?"])
def test_the_asking_yes_is_still_no_answer(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert "q2_other_network" not in driver.state.answers
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "program", "typed"),
    [
        ("ja", "outlook_classic", "この設定はどこに入れれば…"),
        ("ja", "ios_mail", "どこに入力するんですか"),
        ("ja", "thunderbird", "どの画面で設定すればいいですか"),
        ("ja", "becky", "どこに入力するの"),
        ("en", "gmail_android", "Where do I put this?"),
    ],
)
def test_where_to_type_the_settings_gives_the_programs_steps(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, program: str, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for press in ("yes", "yes", "no", "settings", "skip", f"program:{program}"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    # The card's guide: its title, then the numbered steps.
    (guide,) = [
        r.text for r in driver.last.replies if isinstance(r, TextReply) and "\n\n1. " in r.text
    ]
    driver.type(typed)
    said = driver.said()
    assert catalogs(locale, "card.where_to_type") in said
    assert guide in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("stage", "typed", "answer"),
    [
        (Stage.Q1_MAIL_PROGRAM, "家でしか使いません", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "パソコンでしか使わない", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "自宅からしかメールは見ません", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "Webメールしか使ってない", "no"),
        (Stage.Q2_OTHER_NETWORK, "会社でしか使いません", "yes"),
        (Stage.Q2_OTHER_NETWORK, "職場からしか送りません", "yes"),
        (Stage.Q2_OTHER_NETWORK, "家からしか使いません", "no"),
    ],
)
def test_used_only_there_is_used(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", stage)
    driver.type(typed)
    assert driver.state.answers.get(stage.value) == answer


@pytest.mark.parametrize(
    "typed", ["本当に117netからのお知らせですか", "このメール本当に117netから来たの？"]
)
def test_the_notice_doubted_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    # topic.scam.answer: the migration is the provider's own; the mail itself is not checked.
    assert "正式な手続き" in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed"), [("ja", "印刷したいです"), ("en", "Can I print this?")]
)
def test_printing_the_settings_is_told_where(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, locale)
    driver.type(typed)
    assert catalogs(locale, "print.before_card") in driver.said()
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.press("program:ios_mail")
    driver.type(typed)
    said = driver.said()
    assert catalogs(locale, "print.after_card") in said
    # The web chat's own button, named as it reads there.
    assert catalogs(locale, "webchat.print") in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    "typed", ["やらなきゃいけないの？", "しないとだめ？", "必ずやらないといけませんか"]
)
def test_must_i_do_it_alone_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert catalogs("ja", "whether_to_change.by_the_questions") in driver.said()
    assert driver.state.answers == {}


def test_a_question_after_a_statements_kedo_is_answered_and_the_answer_taken(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("家だけですけど、もし何もしなかったらどうなるの")
    said = driver.said()
    for key in answer_keys(Topic.DO_NOTHING, timing(profile, IN_WINDOW_DAY)):
        assert catalogs.raw("ja", key)[:12] in said
    assert driver.state.answers.get("q2_other_network") == "no"


@pytest.mark.parametrize(
    "typed",
    [
        "使ってないわけじゃない",
        "使わないことはないです",
        "たまにしか使いません",
        "週に1回しか見ません",
    ],
)
def test_a_use_denied_twice_or_seldom_is_the_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert driver.state.answers.get("q1_mail_program") == "yes"


@pytest.mark.parametrize("typed", ["アイホン", "iフォン", "アイホーンです"])
def test_the_iphone_as_spelt_by_ear(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type(typed)
    assert driver.state.program == "ios_mail"


@pytest.mark.parametrize(
    "typed", ["娘です。母のメールの設定をしています", "母の代わりに入力しています"]
)
def test_a_relative_writing_is_heard(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert not any(words in driver.said() for words in _NOT_READ)
    assert driver.state.answers == {}
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("117netのサーバーしか使ってません", "yes"),
        ("117のしか使ってない", "yes"),
        ("vs.117.ne.jpしか使ってないです", "yes"),
        ("会社のサーバーしか使いません", "no"),
    ],
)
def test_only_the_providers_server_is_the_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers.get("q3_uses_our_smtp") == answer


@pytest.mark.parametrize("typed", ["今のメールはどうなる？", "届いてるメールは残りますか"])
def test_the_mail_there_now_is_old_mail(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    for key in answer_keys(Topic.OLD_MAIL, timing(profile, IN_WINDOW_DAY)):
        assert catalogs.raw("ja", key)[:12] in said
