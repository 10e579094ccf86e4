"""The web chat page in real headless Chromium, against the real server on loopback.

A subscriber clicks through the whole questionnaire in Japanese to the settings card, on a
phone and on a desktop; the language toggle, the copy buttons, the toolbar, errors with
retry, reloads and keyboard use are checked on the way. Screenshots of the settings card
land in build/screenshots/ for a person to look at.

Synchronisation is Playwright's own auto-waiting (`expect`, actionability checks): no sleeps.
"""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Route, ViewportSize, expect

from bot.engine import as_typed
from tests.adapters.webchat.chat_page import (
    ADDRESS,
    COLUMN_MAX,
    DESKTOP,
    PHONE,
    SMALL_PHONE,
    NewPage,
    answer,
    bot_turns,
    choice_in_latest_turn,
    latest_bot_turn,
    message_bodies,
    pause_clock,
    reach_settings,
    route_posts,
    settings_value,
    stored_id,
    type_message,
    wait_for_held,
)
from tests.browser import SCREENSHOTS

# -- the whole questionnaire ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("phone", PHONE), ("small-phone", SMALL_PHONE), ("desktop", DESKTOP)],
)
def test_a_subscriber_clicks_through_to_the_settings_card(
    new_page: NewPage, name: str, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_title("メール設定サポート")

    first_question = bot_turns(page).first
    answer(page, "はい")
    pressed = first_question.get_by_role("button", name="はい", exact=True)
    expect(pressed).to_be_disabled()
    expect(pressed).to_have_attribute("aria-pressed", "true")
    for button in first_question.locator(".choice").all():
        expect(button).to_be_disabled()
    expect(page.locator(".bubble--user").last).to_have_text("はい")
    # Focus follows the conversation: the next question's first button.
    expect(latest_bot_turn(page).locator(".choice").first).to_be_focused()

    for _ in range(3):
        answer(page, "はい")
    verdict = page.locator(".card--verdict")
    expect(verdict).to_be_visible()
    expect(verdict.locator('[data-part="receiving"] dt')).to_have_text("受信")
    expect(verdict.locator('[data-part="receiving"] .badge')).to_have_text("変更が必要")
    expect(verdict.locator('[data-part="sending"] dt')).to_have_text("送信")
    expect(verdict.locator('[data-part="sending"] .badge')).to_have_text("変更が必要")
    expect(verdict).to_contain_text("受信の設定：変更が必要です。")

    type_message(page, ADDRESS, with_enter=name != "phone")
    expect(page.locator(".bubble--user").last).to_have_text(ADDRESS)
    answer(page, "Thunderbird")
    answer(page, "はい")
    card = page.locator(".card--settings")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text(f"新しい設定（{ADDRESS}）")
    expect(settings_value(card, "username")).to_have_text(ADDRESS)
    expect(settings_value(card, "pop_server")).to_have_text("vpop.117.ne.jp")
    expect(settings_value(card, "pop_port")).to_have_text("110")
    expect(settings_value(card, "smtp_server")).to_have_text("vsmtp.117.ne.jp")
    expect(settings_value(card, "smtp_port")).to_have_text("587")
    expect(card.locator('tr[data-key="password"]')).to_have_class(
        "settings__row settings__row--unchanged"
    )
    # Numbered steps are a real list, not lines of text.
    expect(page.locator("ol.steps").first.locator("li")).to_have_count(3)

    # Responsive: nothing sticks out sideways on a phone, one readable column on a desktop.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    box = card.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]
    column = page.locator(".conversation__inner").bounding_box()
    assert column is not None
    assert column["width"] <= COLUMN_MAX

    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-settings.png"))


def test_the_settings_card_explains_a_skipped_address_and_only_copies_real_values(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    card = reach_settings(page, address=None)
    expect(settings_value(card, "username")).to_have_text(
        "@vp.117.ne.jpで終わるお使いのメールアドレス"
    )
    expect(card.locator('tr[data-key="username"] .copy')).to_have_count(0)
    expect(card.locator('tr[data-key="password"] .copy')).to_have_count(0)
    expect(card.locator('tr[data-key="pop_server"] .copy')).to_have_count(1)


def test_an_iphone_user_can_download_the_profile(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    for _ in range(4):
        answer(page, "はい")
    type_message(page, ADDRESS)
    answer(page, "iPhone/iPadのメール")
    answer(page, "はい")
    offer = page.locator("a.file")
    expect(offer).to_have_attribute("download", "taro-mail.mobileconfig")
    expect(offer).to_contain_text("ダウンロード")
    href = offer.get_attribute("href")
    assert href is not None
    download = page.request.get(href)
    assert download.ok
    assert download.headers["content-type"].startswith("application/x-apple-aspen-config")


def test_an_address_taken_back_is_said_in_words_after_a_reload(new_page: NewPage) -> None:
    # The address was the password by mistake (「さっきのはパスワードです」 after the card).
    # Read again, the card, the guide and the Apple file's name said 「********@vp.117.ne.jp」
    # and 「********-mail.mobileconfig」: an elderly reader took the asterisks for a password
    # the page was hiding. Now they say it as the card without an address does.
    page = new_page(viewport=SMALL_PHONE)
    for _ in range(4):
        answer(page, "はい")
    type_message(page, "abc12345@vp.117.ne.jp")
    answer(page, "iPhone/iPadのメール")
    answer(page, "はい")
    type_message(page, "さっきのはパスワードです")
    page.reload()
    card = page.locator(".card--settings")
    expect(settings_value(card, "username")).to_have_text(
        "@vp.117.ne.jpで終わるお使いのメールアドレス"
    )
    expect(page.locator("a.file")).to_have_attribute("download", "mail.mobileconfig")
    expect(page.locator("#log")).not_to_contain_text("abc12345")
    # Only the greeting shows asterisks: it quotes the notice's own notation, 「********@vp.
    # 117.ne.jp」, beside the words (8089cc3). Nothing after it does.
    greeting = bot_turns(page).first.inner_text()
    assert "********@vp.117.ne.jp" in greeting
    later = page.locator("#log").inner_text().replace(greeting, "", 1)
    assert "****" not in later, later


# -- language ---------------------------------------------------------------------------------


def test_the_language_toggle_switches_the_page_and_the_conversation(new_page: NewPage) -> None:
    page = new_page()
    english = page.get_by_role("button", name="English", exact=True)
    expect(english).to_have_attribute("aria-pressed", "false")
    english.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(english).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_title("Mail settings help")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="Message")).to_have_attribute(
        "placeholder", "Type a message"
    )
    toolbar = page.get_by_role("navigation", name="Shortcuts")
    expect(toolbar.get_by_role("button")).to_have_text(["Menu", "Start over", "Talk to a person"])
    # The bot answers in English and asks its question again, with English buttons.
    expect(latest_bot_turn(page)).to_have_attribute("lang", "en")
    expect(choice_in_latest_turn(page, "Yes")).to_be_enabled()
    answer(page, "Yes")
    expect(page.locator(".bubble--user").last).to_have_text("Yes")

    page.get_by_role("button", name="日本語", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("button", name="送信", exact=True)).to_be_visible()
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()


def test_lang_en_in_the_address_starts_in_english(new_page: NewPage) -> None:
    page = new_page("/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(choice_in_latest_turn(page, "Yes")).to_be_enabled()
    expect(page.locator(".composer__note")).to_have_text(
        "Please never type your password into this chat."
    )


# -- copying ----------------------------------------------------------------------------------


def test_a_copy_button_copies_the_value_and_says_so(new_page: NewPage) -> None:
    page = new_page(permissions=("clipboard-read", "clipboard-write"), fake_clock=True)
    card = reach_settings(page, address=ADDRESS)
    # Paused: the page's timers move only as the test moves them (a minute on, below).
    pause_clock(page)
    button = card.locator('tr[data-key="pop_server"]').get_by_role(
        "button", name="「受信（POP）サーバー」の値をコピー"
    )
    expect(button).to_have_text("コピー")
    button.click()
    expect(button).to_have_text("コピーしました")
    page.clock.run_for(100)  # the announcer writes at the next frame
    expect(page.locator("#announcer")).to_have_text("コピーしました")
    assert page.evaluate("navigator.clipboard.readText()") == "vpop.117.ne.jp"
    # The word stays while the subscriber is away pasting: it went back after 2 s, before an
    # elderly reader had read it. It goes back at their next other action here.
    page.clock.run_for(60_000)
    expect(button).to_have_text("コピーしました")
    page.locator("#input").click()
    expect(button).to_have_text("コピー")
    # A copy of another value takes the word over: one button says it at a time.
    button.click()
    other = card.locator('tr[data-key="smtp_server"]').get_by_role("button")
    other.click()
    expect(other).to_have_text("コピーしました")
    expect(button).to_have_text("コピー")


def test_copying_falls_back_when_the_clipboard_api_refuses(new_page: NewPage) -> None:
    refuse = "navigator.clipboard.writeText = () => Promise.reject(new Error('refused by policy'));"
    page = new_page(
        viewport=PHONE, permissions=("clipboard-read", "clipboard-write"), init_script=refuse
    )
    card = reach_settings(page, address=ADDRESS)
    button = card.locator('tr[data-key="smtp_port"] .copy')
    button.click()
    expect(button).to_contain_text("コピーしました")
    assert page.evaluate("navigator.clipboard.readText()") == "587"
    expect(button).to_be_focused()


# -- toolbar, links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "choice", "reply"),
    [
        ("メニュー", "menu", "何をお手伝いしましょうか？"),
        ("担当者と話す", "human", "担当者へのお問い合わせは"),
    ],
)
def test_the_toolbar_sends_its_commands(
    new_page: NewPage, label: str, choice: str, reply: str
) -> None:
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    bodies = message_bodies(page)
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    toolbar.get_by_role("button", name=label, exact=True).click()
    expect(bot_turns(page)).to_have_count(3)
    expect(latest_bot_turn(page)).to_contain_text(reply)
    expect(page.locator(".bubble--user").last).to_have_text(label)
    assert [b["choice"] for b in bodies] == [choice]
    assert "text" not in bodies[0]


@pytest.mark.parametrize(("locale", "label"), [("ja", "最初から"), ("en", "Start over")])
def test_start_over_begins_a_new_conversation(new_page: NewPage, locale: str, label: str) -> None:
    page = new_page(f"/?lang={locale}", viewport=PHONE)
    first_id = stored_id(page)
    yes = "はい" if locale == "ja" else "Yes"
    answer(page, yes)
    bodies = message_bodies(page)
    toolbar = page.get_by_role("navigation", name="よく使う操作" if locale == "ja" else "Shortcuts")
    toolbar.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".bubble--user")).to_have_count(0)
    expect(bot_turns(page)).to_have_count(1)
    expect(choice_in_latest_turn(page, yes)).to_be_enabled()
    expect(page.locator("html")).to_have_attribute("lang", locale)
    new_id = stored_id(page)
    assert new_id != first_id
    # Nothing was said to the old conversation: the new one started with its greeting.
    assert bodies == []
    # A reload, and a new tab, continue the new conversation.
    page.reload()
    expect(bot_turns(page)).to_have_count(1)
    assert stored_id(page) == new_id


def test_start_over_after_the_settings_card_asks_first(new_page: NewPage) -> None:
    # One tap on 「最初から」 (just above the input a phone's user taps to type) took the
    # settings card and the steps off the screen for good; it asked only while a person was
    # involved. Now it asks once the card is there too, and staying keeps everything.
    page = new_page(viewport=PHONE)
    card = reach_settings(page, address=ADDRESS)
    first_id = stored_id(page)
    restart = page.get_by_role("navigation", name="よく使う操作").get_by_role(
        "button", name="最初から", exact=True
    )
    restart.click()
    asking = page.get_by_role(
        "dialog",
        name="最初からやり直すと、ご案内した設定と手順はこの画面から消え、元に戻せません。よろしいですか？",
    )
    expect(asking).to_be_visible()
    asking.get_by_role("button", name="このまま続ける", exact=True).click()
    expect(asking).to_be_hidden()
    expect(card).to_be_visible()
    assert stored_id(page) == first_id
    restart.click()
    asking.get_by_role("button", name="最初からやり直す", exact=True).click()
    expect(bot_turns(page)).to_have_count(1)
    expect(page.locator(".card--settings")).to_have_count(0)
    assert stored_id(page) != first_id


def test_links_open_in_a_new_tab_and_text_is_never_html(new_page: NewPage) -> None:
    page = new_page()
    canned = {
        "replies": [
            {"type": "text", "text": "<b>太字ではありません</b>\n\n1. 一つ目\n2. 二つ目"},
            {"type": "link", "text": "設定ファイル", "url": "https://example.com/autoconfig"},
            {"type": "link", "text": "怪しいリンク", "url": "javascript:alert(1)"},
        ],
        "locale": "ja",
    }
    route_posts(page, lambda route: route.fulfill(json=canned))
    answer(page, "はい")
    turn = latest_bot_turn(page)
    expect(turn.locator("b")).to_have_count(0)
    expect(turn).to_contain_text("<b>太字ではありません</b>")
    expect(turn.locator("ol.steps li")).to_have_text(["一つ目", "二つ目"])
    link = turn.get_by_role("link", name="設定ファイル")
    expect(link).to_have_attribute("href", "https://example.com/autoconfig")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_contain_text("（新しいタブで開きます）")
    expect(turn.get_by_role("link")).to_have_count(1)
    expect(turn).to_contain_text("怪しいリンク")


# -- waiting and failing ----------------------------------------------------------------------


def test_a_typing_indicator_shows_while_the_bot_answers(new_page: NewPage) -> None:
    page = new_page()
    held: list[Route] = []
    route_posts(page, held.append)
    typing = page.locator("#typing")
    expect(typing).to_be_hidden()
    choice_in_latest_turn(page, "はい").click()
    expect(typing).to_be_visible()
    expect(typing).to_have_text("返信を準備しています…")
    wait_for_held(page, held)
    assert len(held) == 1
    held[0].continue_()
    expect(typing).to_be_hidden()
    expect(bot_turns(page)).to_have_count(2)


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        ("server error", "申し訳ありません、ただいま当社のサービスに問題が起きています。"),
        ("network error", "申し訳ありません、通信が途中で切れてしまいました。"),
    ],
)
def test_a_failed_message_gets_a_polite_notice_and_a_retry(
    new_page: NewPage, failure: str, words: str
) -> None:
    page = new_page(viewport=PHONE)
    bodies = message_bodies(page)
    failures = [1]

    def fail_once(route: Route) -> None:
        if not failures:
            route.continue_()
        elif failures.pop() and failure == "server error":
            route.fulfill(status=500, body="Internal Server Error: Traceback ...")
        else:
            route.abort("connectionreset")

    route_posts(page, fail_once)
    choice_in_latest_turn(page, "はい").click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text(words)
    expect(notice).not_to_contain_text("500")
    expect(notice).not_to_contain_text("Traceback")
    retry = notice.get_by_role("button", name="もう一度試す")
    expect(retry).to_be_focused()
    retry.click()
    expect(notice).to_have_count(0)
    expect(bot_turns(page)).to_have_count(2)
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    # The retry is the same message: same event id, so the server cannot answer it twice.
    assert len(bodies) == 2
    assert bodies[0] == bodies[1]
    assert bodies[0]["choice"] == "yes"
    assert bodies[0]["event_id"]


def test_a_refused_message_comes_back_to_the_input(new_page: NewPage) -> None:
    page = new_page()
    route_posts(
        page,
        lambda route: route.fulfill(status=422, json={"error": '"text" must be at most 2000'}),
    )
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("よろしくお願いします")
    box.press("Enter")
    notice = page.locator("#log .notice")
    expect(notice).to_contain_text("このメッセージは送信できませんでした")
    expect(notice).not_to_contain_text("2000")
    expect(box).to_have_value("よろしくお願いします")
    expect(page.locator(".bubble--user")).to_have_count(0)
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()


def test_a_conversation_the_server_forgot_starts_afresh(new_page: NewPage) -> None:
    page = new_page()
    route_posts(
        page,
        lambda route: route.fulfill(status=404, json={"error": "no such conversation"}),
    )
    first_id = stored_id(page)
    choice_in_latest_turn(page, "はい").click()
    expect(page.locator("#log .notice")).to_have_text(
        "前回の会話は保存期間が過ぎて終了していたため、新しい会話を始めました。"
    )
    expect(bot_turns(page)).to_have_count(1)
    expect(page.locator(".bubble--user")).to_have_count(0)
    new_id = stored_id(page)
    assert new_id != first_id


# -- reloads and keyboards --------------------------------------------------------------------


def test_a_reload_redraws_the_conversation_from_the_server_and_continues_it(
    new_page: NewPage,
) -> None:
    page = new_page()
    answer(page, "はい")
    type_message(page, "はい、使っています")
    page.get_by_role("navigation", name="よく使う操作").get_by_role(
        "button", name="メニュー"
    ).click()
    expect(bot_turns(page)).to_have_count(4)
    page.reload()
    expect(bot_turns(page)).to_have_count(4)
    expect(page.locator(".bubble--user")).to_have_text(["はい", "はい、使っています", "メニュー"])
    first = bot_turns(page).first.get_by_role("button", name="はい", exact=True)
    expect(first).to_be_disabled()
    expect(first).to_have_attribute("aria-pressed", "true")
    # Only the latest question can be answered, and the server kept its place.
    expect(page.locator(".choice:enabled")).to_have_count(
        latest_bot_turn(page).locator(".choice").count()
    )
    answer(page, "質問に戻る")
    expect(latest_bot_turn(page)).to_contain_text(
        "117netのメールサーバーを設定して、メールを送信していますか"
    )
    # Another tab of the same browser continues the same conversation.
    other = page.context.new_page()
    other.goto("/")
    expect(bot_turns(other)).to_have_count(5)
    expect(other.locator(".bubble--user")).to_have_text(
        ["はい", "はい、使っています", "メニュー", "質問に戻る"]
    )


def test_words_typed_like_a_mark_are_shown_as_typed_after_a_reload(new_page: NewPage) -> None:
    # The transcript keeps a press as 「[yes]」 and a photo as 「[media]」: the same words
    # typed were read back as a press (「[menu]」 drawn as 「メニュー」) or as nothing at all
    # (「[media]」 vanished), and the agent was told a photo had come.
    page = new_page()
    for words in ("[media]", "[menu]"):
        type_message(page, words)
    page.reload()
    # As typed (their first bracket guarded by a word joiner, which draws as nothing).
    expect(page.locator(".bubble--user")).to_have_text([as_typed("[media]"), as_typed("[menu]")])


def test_an_answer_lost_on_the_way_back_is_recovered_by_the_retry(new_page: NewPage) -> None:
    page = new_page()
    bodies = message_bodies(page)
    lost = [1]

    def lose_the_first_answer(route: Route) -> None:
        if lost:
            lost.pop()
            route.fetch()  # the server handles the message ...
            route.abort("connectionreset")  # ... and the answer never reaches the page
        else:
            route.continue_()

    route_posts(page, lose_the_first_answer)
    choice_in_latest_turn(page, "はい").click()
    page.locator("#log .notice--error").get_by_role("button", name="もう一度試す").click()
    # The retry is a duplicate to the server: the page takes the answer from the transcript.
    expect(bot_turns(page)).to_have_count(2)
    expect(latest_bot_turn(page)).to_contain_text("117net以外のプロバイダ")
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    assert len(bodies) == 2
    assert bodies[0]["event_id"] == bodies[1]["event_id"]
    answer(page, "はい")
    expect(latest_bot_turn(page)).to_contain_text("117netのメールサーバーを設定して")


def test_a_question_answered_in_another_tab_is_not_answered_again(
    new_page: NewPage, base_url: str
) -> None:
    page = new_page(fake_clock=True)
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    # No poll may bring the other tab's answer before the press: an installed clock still
    # runs, and on a loaded machine a poll came between the other tab's answer and the
    # click, which then answered the next question (3 bot turns). Polls are held until the
    # press is made (the press waits for a poll in flight, so they go on after the click).
    held: list[Route] = []
    holding = [True]

    def hold_polls(route: Route) -> None:
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    page.route(lambda address: "/messages?after=" in address, hold_polls)
    bodies = message_bodies(page)
    saved = json.loads(page.evaluate("sessionStorage.getItem('mailmove.webchat.v1')"))
    url = f"{base_url}/api/webchat/conversations/{saved['id']}/messages"
    lines = httpx.get(url, timeout=10).json()["messages"]
    [asked] = [line["question"] for line in lines if "question" in line]
    # Another tab of the same conversation answers the greeting first, with the same "yes".
    other = httpx.post(url, json={"choice": "yes", "question": asked}, timeout=10)
    assert other.json()["replies"]

    choice_in_latest_turn(page, "はい").click()
    holding[0] = False
    for route in held:
        route.continue_()

    # This press came too late: it counts for nothing, and the page shows where the
    # conversation is now (the next question, which also has a "はい"), as the server has
    # it: the other tab's 「はい」 once, never a second one for this press.
    expect(bot_turns(page)).to_have_count(2)
    expect(latest_bot_turn(page)).to_contain_text("117net以外のプロバイダ")
    expect(page.locator(".bubble--user")).to_have_text(["はい"])
    assert bodies[0]["question"] == asked
    lines = httpx.get(url, timeout=10).json()["messages"]
    assert [line["text"] for line in lines if line["author"] == "subscriber"] == ["[yes]"]
    answer(page, "はい")
    expect(latest_bot_turn(page)).to_contain_text("117netのメールサーバーを設定して")
    assert bodies[1]["question"] != asked


def test_replies_that_answer_no_request_arrive_by_polling(new_page: NewPage) -> None:
    # Paused from the start: left running with real time, the page's first read of the
    # transcript (2 s after the greeting) came on a loaded machine before the route that adds
    # the line, and the read the test waits for (?after=0) never came.
    page = new_page(paused_clock=True)
    injected: list[int] = []

    def add_an_agent_line(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        if not injected:
            last = max((line["seq"] for line in body["messages"]), default=0)
            body["messages"].append(
                {
                    "seq": last + 1,
                    "author": "agent",
                    "at": "2008-06-01T03:00:05+00:00",
                    "text": "サポート担当の山田です。ご不明な点をお知らせください。",
                }
            )
            injected.append(last + 1)
        route.fulfill(response=response, json=body)

    page.route("**/api/webchat/conversations/*/messages?after=*", add_an_agent_line)
    with page.expect_response(lambda response: "?after=0" in response.url):
        page.clock.run_for(6000)
    agent = page.locator(".turn--agent")
    expect(agent).to_have_count(1)
    expect(agent).to_contain_text("担当者")
    expect(agent).to_contain_text("サポート担当の山田です。")
    # The greeting, which the transcript also holds (before the agent's line), is not
    # shown twice.
    expect(bot_turns(page)).to_have_count(2)
    # The next poll asks only for what came after the agent's line.
    with page.expect_response(lambda response: f"?after={injected[0]}" in response.url):
        page.clock.run_for(6000)
    expect(bot_turns(page)).to_have_count(2)


def test_the_page_is_usable_from_the_keyboard_with_visible_focus(new_page: NewPage) -> None:
    page = new_page()
    log = page.get_by_role("log", name="サポートとの会話")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("group", name="表示言語")).to_be_visible()
    # Tab order: the two language buttons, the conversation (it scrolls by keyboard even
    # when it holds no button), then the first question's first answer.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("main", name="会話（スクロールできます）")).to_be_focused()
    page.keyboard.press("Tab")
    yes = choice_in_latest_turn(page, "はい")
    expect(yes).to_be_focused()
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] == "solid"
    assert outline[1] >= 2
    page.keyboard.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    next_first = latest_bot_turn(page).locator(".choice").first
    expect(next_first).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(bot_turns(page)).to_have_count(3)
    expect(page.locator(".bubble--user").last).to_have_text("いいえ")
    # Shift+Enter is a new line, Enter sends.
    box = page.get_by_role("textbox", name="メッセージ")
    box.focus()
    page.keyboard.type("はい")
    page.keyboard.press("Shift+Enter")
    expect(box).to_have_value("はい\n")
    expect(bot_turns(page)).to_have_count(3)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_after_a_long_answer_the_keyboard_s_focus_is_in_view(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    # A long answer is read from its beginning, and the focus goes to the next question's
    # first button. After the settings card that was 「解決した」, two screens below the view
    # (1,922 px down a 1280 × 900 page's 751): a keyboard user saw no focus, and their next
    # Enter pressed a button out of sight. The question keeps to the view's lower edge now.
    page = new_page(viewport=viewport)
    for _ in range(4):
        answer(page, "はい")
    type_message(page, ADDRESS)
    answer(page, "Thunderbird")
    # The keyboard's focus (a click's does not show) on the outgoing server's 「はい」.
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(choice_in_latest_turn(page, "はい")).to_be_focused()
    page.keyboard.press("Enter")
    solved = choice_in_latest_turn(page, "解決した")
    expect(solved).to_be_focused()
    view = page.locator("#conversation").bounding_box()
    title = page.locator(".card--settings .card__title").bounding_box()
    button = solved.bounding_box()
    assert view is not None
    assert title is not None
    assert button is not None
    bottom = view["y"] + view["height"]
    # Read from its beginning still, and the focused button within the view.
    assert view["y"] <= title["y"] < bottom, (view, title)
    assert view["y"] <= button["y"], (view, button)
    assert button["y"] + button["height"] <= bottom, (view, button)
    assert solved.evaluate("el => el.matches(':focus-visible')")


# The on-screen keyboard leaves a 390 × 844 phone's page about 400 px (resizes-content).
KEYBOARD_OPEN: ViewportSize = {"width": 390, "height": 400}


def test_a_question_taller_than_half_the_view_shows_the_keyboard_s_focus(
    new_page: NewPage,
) -> None:
    # Only a question up to half the view keeps to its lower edge (the test above); a taller
    # one, above the keyboard or in large text, left its focused first button below the
    # view: at 200 % text three screens down. Its button is scrolled into view now.
    page = new_page(viewport=KEYBOARD_OPEN)
    # A key pressed first: the focus put on the button then shows, as the keyboard's does.
    page.keyboard.press("Tab")
    choice_in_latest_turn(page, "はい").focus()
    for text_size in ("100%", "200%"):
        page.evaluate("size => { document.documentElement.style.fontSize = size; }", text_size)
        page.keyboard.press("Enter")
        focused = choice_in_latest_turn(page, "はい")
        expect(focused).to_be_focused()
        view = page.locator("#conversation").bounding_box()
        bubble = focused.locator("xpath=ancestor::*[contains(@class, 'bubble')][1]")
        question = bubble.bounding_box()
        button = focused.bounding_box()
        assert view is not None
        assert question is not None
        assert button is not None
        assert question["height"] > view["height"] / 2, (text_size, question, view)
        assert view["y"] <= button["y"], (text_size, view, button)
        assert button["y"] + button["height"] <= view["y"] + view["height"], (view, button)
        assert focused.evaluate("el => el.matches(':focus-visible')")
