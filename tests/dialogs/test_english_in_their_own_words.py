"""English as non-native subscribers write it, through whole turns (subscriber8's sweep).

The reading corpus holds how each line is read; here is where the conversation then goes.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import VerdictReply
from tests.dialogs.driver import Driver


def at_the_network_question(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.press("yes")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    return driver


@pytest.mark.parametrize(
    "text", ["no, no other provider", "No other ISP", "no other network", "never from office"]
)
def test_no_other_line_is_the_networks_no(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "other" was the "Other mail program" (the question asked again, the no lost), and
    # "other ISP" and "office" were the yes.
    driver = at_the_network_question(profile, catalogs)
    driver.type(text)
    assert driver.state.answers["q2_other_network"] == "no"
    assert driver.state.program is None
    assert "Other mail program" not in driver.said()
    assert [r for r in driver.all_replies() if isinstance(r, VerdictReply)]


@pytest.mark.parametrize("text", ["I am foreigner", "I have a question", "i am a foreigner"])
def test_i_am_or_i_have_with_more_after_it_is_no_yes(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "I am …", "I have …" were the yes of "I am" / "I have": the first question passed as
    # answered for them.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


def test_not_understanding_the_sending_question_is_not_its_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "I am not understanding" was the no of "not": sending "no change needed" for someone
    # who had not understood the question.
    driver = at_the_network_question(profile, catalogs)
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    driver.type("I am not understanding")
    assert driver.state.answers.get("q3_uses_our_smtp") != "no"


def test_someone_else_set_it_up_does_not_end_the_questions(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "no, my son set it up" was the no it opens with: "You do not need to change anything"
    # for someone whose son set up a mail program.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("no, my son set it up")
    assert driver.state.answers.get("q1_mail_program") != "no"
    assert driver.state.stage is not Stage.WEBMAIL_ONLY


def test_a_company_without_its_article_is_the_networks_yes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "no, sometimes from company": the no taken, sending "recommended" only for someone
    # who sends from a company network.
    driver = at_the_network_question(profile, catalogs)
    driver.type("no, sometimes from company")
    assert driver.state.answers.get("q2_other_network") != "no"


@pytest.mark.parametrize(
    "text", ["I don't change anything, setting is default", "default setting from 117net"]
)
def test_settings_left_as_given_are_the_providers_server(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "I don't change anything" was the no of "don't": "no change needed" for sending, for
    # someone whose default settings send through the server that changes.
    driver = at_the_network_question(profile, catalogs)
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q3_uses_our_smtp") == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I am not good at Japanese. English OK?",
        "Can you English?",
        "my japanese is not good",
        "Hello, I am foreigner, I don't read Japanese well",
    ],
)
def test_english_asked_for_in_a_japanese_chat_switches_it(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # The Japanese chat answered 「そのご質問にはうまくお答えできませんでした」 and carried on in
    # Japanese, offering "Type English" at every turn after.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.locale == "en"
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    said = driver.said()
    assert "Do you connect to the internet" in said
    assert "お答えできませんでした" not in said


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        # The Japanese words on their screen, quoted in an English sentence.
        ("I use Outlook (新しいOutlook)", False),
        ("yes, I use 新しいOutlook on my PC", False),
        # Japanese written to the English chat: the offer stays.
        ("Outlook (新しいOutlook) を使っています", True),
        ("はい", True),
    ],
)
def test_japanese_is_offered_for_japanese_written_not_quoted(
    profile: MigrationProfile, catalogs: Catalogs, text: str, offered: bool
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    assert ("日本語でのご案内" in driver.said()) is offered


@pytest.mark.parametrize(
    "text",
    [
        "hi, i have mail @vp.117.ne.jp, what i must do?",
        "I have e-mail @vp.117.ne.jp. Do I need change something?",
    ],
)
def test_the_domain_named_with_a_word_before_it_is_no_address(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "mail @vp.117.ne.jp" was noted as the address mail@vp.117.ne.jp (the settings card
    # filled with it), and the question was "I could not answer that question".
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    said = driver.said()
    assert driver.state.address is None
    assert "mail@vp.117.ne.jp" not in said
    assert "could not answer" not in said
    assert "A few questions will tell whether you need to change" in said


@pytest.mark.parametrize(
    "text", ["what i must do?", "Is my mail change?", "I must change setting?"]
)
def test_whether_to_change_asked_in_simple_english_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    said = driver.said()
    assert "could not answer" not in said
    assert "A few questions will tell whether you need to change" in said


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("mail is not come", "arrives on the new incoming server"),
        ("i cannot see new mails", "arrives on the new incoming server"),
        ("new mail not arrive", "arrives on the new incoming server"),
        ("thank you so much, arigatou", "You are welcome"),
    ],
)
def test_simple_english_reports_and_thanks_are_read(
    profile: MigrationProfile, catalogs: Catalogs, text: str, told: str
) -> None:
    # Each was "Sorry, I did not catch that" and the question asked again.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    said = driver.said()
    assert "did not catch" not in said
    assert told in said


@pytest.mark.parametrize(
    "text", ["no, no other provider", "no, I have no other ISP", "no, never from office"]
)
def test_the_networks_no_at_the_sending_server_question_changes_the_network_answer(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Typed at the next question, the network's no was the sending server's: "Sending: no
    # change needed" on words about the line. It is the network's answer changed (said back,
    # one "back" away), never the sending server's (subscriber17).
    driver = at_the_network_question(profile, catalogs)
    driver.press("yes")
    driver.type(text)
    assert "q3_uses_our_smtp" not in driver.state.answers
    assert driver.state.answers["q2_other_network"] == "no"
    assert "changed your answer to the earlier question" in driver.said()


def test_the_networks_no_at_the_first_question_is_no_webmail(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("no, no other provider")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


@pytest.mark.parametrize(
    "text",
    [
        "I connect from my work place",
        "from home and sometimes work",
        "I use wifi in starbucks",
        "I also use mobile phone network",
    ],
)
def test_another_line_in_simple_english_is_the_networks_yes(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Each was "Sorry, I did not catch that" ("mobile phone" asked which phone).
    driver = at_the_network_question(profile, catalogs)
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == "yes"


@pytest.mark.parametrize("text", ["my company say port 25 is closed", "port 25 is close"])
def test_port_25_closed_is_the_blocking_questions_yes(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Read as the question what the blocking is: explained, and asked again.
    driver = at_the_network_question(profile, catalogs)
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.Q4_OP25B
    driver.type(text)
    assert driver.state.answers.get("q4_op25b") == "yes"


def test_web_only_is_the_first_questions_no(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("web only")
    assert driver.state.answers.get("q1_mail_program") == "no"


@pytest.mark.parametrize(("locale", "text"), [("en", "I use eudora"), ("ja", "ユードラです")])
def test_a_program_without_a_guide_is_not_said_back_by_its_button(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, text: str
) -> None:
    # "You use Other mail program: I will use it for the instructions."
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    driver.type(text)
    said = driver.said()
    assert "You use Other mail program" not in said
    assert "その他のメールソフトをお使い" not in said
    assert driver.state.program == "other"


@pytest.mark.parametrize("text", ["117net only", "only in my apartment", "I am at home always"])
def test_home_in_other_words_is_the_networks_no(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Each was "Sorry, I did not catch that".
    driver = at_the_network_question(profile, catalogs)
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == "no"


def test_i_do_not_know_in_romaji_is_not_sure(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("wakaranai")
    assert driver.state.answers.get("q1_mail_program") == "unsure"


@pytest.mark.parametrize(
    "text",
    [
        "Good morning. I got letter from 117net about mail server change",
        "I received notice about migration",
        "I have email about server change, what to do",
    ],
)
def test_the_notice_received_said_without_articles_is_read(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "I got letter" (no article) was "Sorry, I did not catch that".
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    said = driver.said()
    assert "did not catch" not in said
    assert "A few questions will tell whether you need to change" in said


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("outlook always ask password", "does not accept the login"),
        ("it ask password every time", "does not accept the login"),
        # The encryption each server uses (once the certificate answer, which opened on a
        # certificate warning the subscriber never saw).
        ("The server does not support secure connections", 'uses "None"'),
        (
            "The server does not support the connection encryption type you have specified",
            'uses "None"',
        ),
        (
            "Your message wasn't delivered because the recipient's email provider rejected it",
            "open the mail that came back",
        ),
    ],
)
def test_program_words_in_english_are_read_as_the_trouble(
    profile: MigrationProfile, catalogs: Catalogs, text: str, told: str
) -> None:
    # "outlook always ask password" was the first question's yes (Outlook named); the others
    # were "Sorry, I did not catch that".
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    said = driver.said()
    assert "did not catch" not in said
    assert told in said


def test_the_setting_asked_to_be_done_for_them_is_a_person_asked_for(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "can you do setting for me?" was "Sorry, I could not answer that question", as "can
    # you do it for me?" is not.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("can you do setting for me?")
    said = driver.said()
    assert "could not answer" not in said
    assert "member of staff" in said


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        # Someone else knows: not sure (each was the no it opens with).
        ("no, my husband knows", "unsure"),
        ("no, my daughter will help", "unsure"),
        ("no, I will ask my son", "unsure"),
        ("no, my son set it", "unsure"),
        # Only some of the time: not sure.
        ("no, rarely", "unsure"),
        ("no, sometimes", "unsure"),
        ("no, I don't use it much", "unsure"),
        # No answer after the no word: asked again.
        ("no, I have question", None),
        ("no, please wait", None),
        ("no, hmm", None),
        ("no, it depends", None),
        ("no, not yet", None),
    ],
)
def test_no_before_something_else_is_not_the_sending_servers_no(
    profile: MigrationProfile, catalogs: Catalogs, text: str, read_as: str | None
) -> None:
    driver = at_the_network_question(profile, catalogs)
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q3_uses_our_smtp") == read_as


@pytest.mark.parametrize("text", ["no, english please", "no, my japanese not good"])
def test_english_asked_for_after_a_no_word_switches(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(text)
    assert driver.state.locale == "en"
    assert driver.state.answers == {}


def after_the_card(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = at_the_network_question(profile, catalogs)
    for text in ("no", "skip", "classic outlook", "yes"):
        driver.type(text)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    "text", ["I finish", "finished", "I did it", "I changed already", "all OK now", "success"]
)
def test_done_in_simple_english_after_the_card_is_heard(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Each was "Sorry, I did not catch that", as "done" is not.
    driver = after_the_card(profile, catalogs)
    driver.type(text)
    assert "did not catch" not in driver.said()


@pytest.mark.parametrize("text", ["i will not tell", "no need"])
def test_the_address_declined_in_simple_english_is_skipped(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = at_the_network_question(profile, catalogs)
    driver.type("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(text)
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert "did not catch" not in driver.said()


@pytest.mark.parametrize(
    "text", ["my mail is taro at vp.117.ne.jp", "my email address is taro at vp.117.ne.jp"]
)
def test_an_address_spelled_with_at_after_a_lead_in_is_noted(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "taro at vp.117.ne.jp" alone was read; with "my mail is" before it, "did not catch".
    driver = at_the_network_question(profile, catalogs)
    driver.type("no")
    driver.type(text)
    assert driver.state.address == "taro@vp.117.ne.jp"
