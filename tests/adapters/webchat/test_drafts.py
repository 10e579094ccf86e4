"""What the tab keeps of unsent words never holds what the bot would mask as a password.

The page keeps what is typed and not yet sent (sessionStorage), so that a reload gives it
back. A password typed into the chat by mistake would wait there for whoever uses the
device next, so the page keeps no words that the bot's own detector (dialogs/redaction.py)
would mask: its rule is wider than the detector's, checked here against the detector on
every line of the reading corpus and every phrasing of the redaction tests.
"""

from __future__ import annotations

import json
from typing import Final

from playwright.sync_api import Page, Route, expect

from dialogs.redaction import redact
from testbed.utterances import load_corpus
from tests.adapters.webchat.chat_page import MESSAGES_URL, PHONE, NewPage, bot_turns, stored_id
from tests.dialogs.test_redaction import TYPED_SECRETS

DRAFT_KEY: Final = "mailmove.webchat.draft.v1"
UNSENT_KEY: Final = "mailmove.webchat.unsent.v1"
LONE_PASSWORDS: Final = ("Zq9xK2pw77", "sakura#2008", "ZqI99xK!w7", "Taro1975", "abc123!x")
# Typed by people with nothing secret in them: the tab keeps these.
KEPT: Final = (
    "エラーの番号は0x800CCC0Fと",
    "送信サーバーは vsmtp.117.ne.jp ですか",
    "taro@vp.117.ne.jp です",
    "Outlook2019 で送れません",
    "メールが送れなくなりました",
    "535 5.7.8 Authentication failed",
)


def masked_by_the_bot() -> list[str]:
    """Everything the bot would mask, wherever in the chat it was typed."""
    texts = [typed for typed, _ in TYPED_SECRETS] + list(LONE_PASSWORDS)
    texts += [line.text for line in load_corpus() if redact(line.text, alone=True)[1]]
    return texts


def kept_drafts(page: Page, texts: list[str]) -> dict[str, bool]:
    """Types each text into the input (as typing does: an input event) and says if it was kept."""
    kept: dict[str, bool] = page.evaluate(
        """([texts, key]) => {
            const input = document.querySelector('#input, textarea');
            const found = {};
            for (const text of texts) {
                input.value = text;
                input.dispatchEvent(new Event('input', { bubbles: true }));
                const draft = sessionStorage.getItem(key);
                found[text] = draft !== null && draft.includes(JSON.stringify(text).slice(1, -1));
            }
            return found;
        }""",
        [texts, DRAFT_KEY],
    )
    return kept


def test_no_draft_is_kept_that_the_bot_would_mask(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    expect(bot_turns(page)).to_have_count(1)
    secrets = masked_by_the_bot()
    assert len(secrets) >= 50

    kept = kept_drafts(page, secrets)

    assert [text for text, was in kept.items() if was] == []
    assert kept_drafts(page, list(KEPT)) == dict.fromkeys(KEPT, True)


def test_a_password_in_the_input_is_gone_after_a_reload(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("パスワードは Kq7xyz99 です")
    page.reload()
    expect(bot_turns(page)).to_have_count(1)
    expect(field).to_have_value("")
    assert "Kq7xyz99" not in json.dumps(page.evaluate("() => ({...sessionStorage})"))


def test_a_draft_kept_before_the_rule_is_not_given_back(new_page: NewPage) -> None:
    # A tab open across the upgrade kept a password the old page did not look at.
    page = new_page(viewport=PHONE)
    expect(bot_turns(page)).to_have_count(1)
    conversation = page.evaluate("() => JSON.parse(localStorage.getItem('mailmove.webchat.v1')).id")
    page.evaluate(
        "([key, value]) => sessionStorage.setItem(key, value)",
        [DRAFT_KEY, json.dumps({"id": conversation, "text": "password: hunter22"})],
    )
    page.reload()
    expect(bot_turns(page)).to_have_count(1)
    expect(page.get_by_role("textbox", name="メッセージ")).to_have_value("")
    assert "hunter22" not in json.dumps(page.evaluate("() => ({...sessionStorage})"))


def test_a_password_that_did_not_go_is_not_kept_for_the_reload(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    expect(bot_turns(page)).to_have_count(1)
    page.route(MESSAGES_URL, lambda route: route.abort())
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("パスワードは abc12345 です")
    field.press("Enter")
    expect(page.locator(".turn__unsent")).to_have_count(1)
    stored = json.dumps(page.evaluate("() => ({...sessionStorage})"))
    assert "abc12345" not in stored


def test_words_that_did_not_go_are_still_kept_for_the_reload(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    expect(bot_turns(page)).to_have_count(1)

    def refuse(route: Route) -> None:
        route.abort()

    page.route(MESSAGES_URL, refuse)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("メールが送れません")
    field.press("Enter")
    expect(page.locator(".turn__unsent")).to_have_count(1)
    assert "メールが送れません" in page.evaluate(f"() => sessionStorage.getItem('{UNSENT_KEY}')")


def test_words_typed_before_start_over_are_kept_for_the_new_conversation(
    new_page: NewPage,
) -> None:
    # 「最初から」 leaves the box as it is, but the tab kept its words for the old
    # conversation only: a reload (or the phone reloading a tab it put away) then gave them
    # to no one, and the box came back empty.
    page = new_page(viewport=PHONE)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("メールが送れなくなりました")
    old = stored_id(page)
    page.get_by_role("navigation", name="よく使う操作").get_by_role(
        "button", name="最初から", exact=True
    ).click()
    page.wait_for_function(
        "old => { const saved = JSON.parse(localStorage.getItem('mailmove.webchat.v1'));"
        " return !!saved && saved.id !== old; }",
        arg=old,
    )
    expect(bot_turns(page)).to_have_count(1)
    expect(field).to_have_value("メールが送れなくなりました")
    page.reload()
    expect(bot_turns(page)).to_have_count(1)
    assert stored_id(page) != old
    expect(field).to_have_value("メールが送れなくなりました")
