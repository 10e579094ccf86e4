"""What a screen reader hears when the language is switched in the middle of a conversation.

The switch is a message: while its answer is on its way the page shows 「返信を準備しています…」
(a status, read out). The answer brings the page's words in the new language, and the
indicator, still shown, had its words rewritten, "Writing a reply…", which a screen reader
read out after the answer had come, as if another were on its way. The indicator's words are
written when it is shown, in the page's language then; the switch's answer is heard alone.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.adapters.webchat.chat_page import PHONE, NewPage, answer, bot_turns
from tests.adapters.webchat.test_screen_reader import _HEARD


def heard(page: Page) -> list[str]:
    """Everything every live region announced since the last call."""
    found: list[str] = page.evaluate("window.heard.splice(0)")
    return found


def test_switching_the_language_is_heard_as_its_answer_alone(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, init_script=_HEARD)
    answer(page, "はい")
    heard(page)
    count = bot_turns(page).count()
    page.get_by_role("button", name="English", exact=True).click()
    expect(bot_turns(page)).to_have_count(count + 1)
    expect(page.locator("#typing")).to_be_hidden()
    said = heard(page)
    assert len(said) == 1, said
    assert said[0].startswith("log: Support: "), said
    # The next wait is announced in the new language.
    page.get_by_role("button", name="Yes", exact=True).last.click()
    expect(bot_turns(page)).to_have_count(count + 2)
    assert page.locator("#typing-words").text_content() == "Writing a reply…"


def test_a_reload_after_the_switch_keeps_the_question_and_the_answer_apart(
    new_page: NewPage,
) -> None:
    """The switch is no bubble, so the transcript's Japanese question and the English answer
    after it were one bot turn when the page drew them again: one time, one language (the
    Japanese question's host names spelled in English), and a turn that began in Japanese."""
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    count = bot_turns(page).count()
    page.get_by_role("button", name="English", exact=True).click()
    expect(bot_turns(page)).to_have_count(count + 1)
    before = bot_turns(page).evaluate_all("(turns) => turns.map((t) => t.lang)")
    page.reload()
    expect(bot_turns(page)).to_have_count(count + 1)
    after = bot_turns(page).evaluate_all("(turns) => turns.map((t) => t.lang)")
    assert after == before == ["ja"] * count + ["en"]
