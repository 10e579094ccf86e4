"""The password page's own behaviour: used links, rate-limit slots, the address field.

Against the real app and real loopback mail servers (the fixtures of test_login_checks).
A used, expired or invalid link is turned away before anything counts; a wrong address is
asked again with the full-address hint before the link is claimed; the address corrected
on the page is the one checked, and the chat hears about it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.mailcheck.check_links import token_digest
from bot.mailcheck.check_page import CheckPage, read_address
from bot.mailcheck.login_checks import Mark, PageStatus, PageView, marks, used_digest
from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.runtime import build_runtime, login_checks
from bot.store.conversation_store import Change, ConversationRecord, LinkGrant
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from testbed.mailservers import Certificates, DovecotServer, SmtpServer
from testbed.redis_server import RedisServer, running_redis
from tests.bot.mailcheck.check_flow import (
    ADDRESS,
    PASSWORD,
    Clock,
    chat_to_check_link,
    history_texts,
    make_app,
)

DOMAIN = ADDRESS.rsplit("@", 1)[1]


def address_field(page: str) -> str | None:
    """The value the form's address field holds, or None when the page has no form."""
    found = re.search(r'<input id="address"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


async def test_a_used_link_says_so_at_once_and_leads_back_to_the_chat(
    client: httpx.AsyncClient,
) -> None:
    _, path = await chat_to_check_link(client)
    assert (await client.post(path, data={"password": PASSWORD})).status_code == 200
    opened = await client.get(path)
    assert opened.status_code == 410
    # The browser's back button after the result: it said only "already used", not whether
    # the result had reached the chat, nor to look for it there.
    assert "結果はチャットにお送りしました" in opened.text
    assert address_field(opened.text) is None
    assert 'type="password"' not in opened.text
    assert 'href="/"' in opened.text  # the web chat resumes the conversation from here


async def test_a_link_opened_again_while_its_check_runs_says_the_result_is_coming(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # A second tap, or the link opened again, while the first submit's check is still
    # running (up to a minute with the test message): claimed, and no result in the chat yet.
    _, path = await chat_to_check_link(client)
    digest = token_digest(path.rsplit("/", 1)[1])
    store = app.state.runtime.engine.store
    grant = await store.find_grant(digest)
    assert grant is not None

    def claim(record: ConversationRecord | None) -> Change[bool] | None:
        assert record is not None
        return Change(
            record, (), True, grants=(LinkGrant(used_digest(digest), grant.key, grant.expires),)
        )

    assert await store.transact(grant.key, f"check-link:{digest}", claim) is not None

    opened = await client.get(path)

    assert opened.status_code == 410
    assert "いま行っているところです" in opened.text
    assert "結果はチャットにお送りしました" not in opened.text
    assert 'href="/"' in opened.text


async def test_an_expired_link_says_what_to_do_and_the_chat_gives_a_new_one_in_one_press(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    # Ten minutes is a security choice, and short for some: the page says plainly that the
    # time is up and what to press, and the chat's latest question has that button.
    conversation, path = await chat_to_check_link(client)
    clock.now += dt.timedelta(minutes=11)

    opened = await client.get(path)

    assert opened.status_code == 410
    assert "10分間だけ使える" in opened.text
    assert "「ログインを確認する」を押してください。新しいリンクをお送りします" in opened.text
    assert 'href="/"' in opened.text
    url = f"/api/webchat/conversations/{conversation}/messages"
    shown = (await client.get(url)).json()["messages"]
    last = shown[-1]["reply"]
    assert {"id": "check", "label": "ログインを確認する"}.items() <= next(
        choice for choice in last["choices"] if choice["id"] == "check"
    ).items()
    again = (await client.post(url, json={"choice": "check"})).json()["replies"]
    link = next(reply["url"] for reply in again if reply["type"] == "link")
    assert httpx.URL(link).path != path
    assert (await client.get(httpx.URL(link).path)).status_code == 200


@pytest.mark.parametrize(
    ("locale", "said"),
    [("ja", "安全のため、このページは12:10（JST）まで使えます。"), ("en", "until 12:10 (JST).")],
)
async def test_the_form_says_until_when_its_link_works(
    client: httpx.AsyncClient, clock: Clock, locale: str, said: str
) -> None:
    # A subscriber who went to find the password came back after the ten minutes, typed
    # it, and only then heard the link had expired: the form never said how long it had.
    _, path = await chat_to_check_link(client, locale=locale)  # at 12:00 in Tokyo
    clock.now += dt.timedelta(minutes=9, seconds=30)

    form = (await client.get(path)).text

    assert said in form
    # The page's script says when the time is up, counted from this answer.
    assert 'id="until" class="hint" data-left="30"' in form


@pytest.mark.parametrize(
    ("with_agent", "result_sent", "said"),
    [
        (False, True, "check_page.used"),
        (True, True, "check_page.used_with_agent"),
        (False, False, "check_page.used_running"),
        (True, False, "check_page.used_running"),
    ],
)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_used_link_says_where_its_result_is(
    tmp_path: Path, with_agent: bool, result_sent: bool, said: str, locale: Locale
) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3")
    page = CheckPage(login_checks(build_runtime(settings)), Catalogs.load())
    view = PageView(
        PageStatus.USED,
        locale,
        channel="webchat",
        with_agent=with_agent,
        result_sent=result_sent,
    )
    body = bytes(page.render(view).body).decode()
    assert html.escape(Catalogs.load().fill(locale, said, {})) in body
    assert 'href="/"' in body


@pytest.mark.parametrize(
    ("check_timeout", "without", "with_test_mail"), [(15, 90, 270), (60, 270, 810)]
)
def test_the_page_waits_for_its_answer_as_long_as_the_check_may_take(
    tmp_path: Path, check_timeout: int, without: int, with_test_mail: int
) -> None:
    """The page's script gives up on the form's answer after the figures the form carries
    (check_page.js): each session of the check is bounded by 4 steps of the timeout, a test
    message adds its send, 60 s of waiting and a last look, and 30 s go to the store and the
    chat. Raised by the operator, the check's timeout raises them: given up sooner, a check
    still running would spend the link with its result never shown on the page."""
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/store.sqlite3", check_timeout=check_timeout
    )
    page = CheckPage(login_checks(build_runtime(settings)), Catalogs.load())
    body = bytes(page.render(PageView(PageStatus.FORM, "ja", ADDRESS)).body).decode()
    assert f'data-deadline="{without}" data-deadline-round-trip="{with_test_mail}"' in body


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.mark.parametrize("store", ["sqlite", "redis"])
async def test_used_expired_and_invalid_links_spend_no_rate_limit_slot(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
    request: pytest.FixtureRequest,
    store: str,
) -> None:
    # On Redis the limit is shared by replicas and the used mark expires with its link.
    url = ""
    if store == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        url = f"{server.url}?prefix=t{secrets.token_hex(4)}:"
    app = make_app(tmp_path, clock, smtp, dovecot, certificates, limit=2, store_url=url)
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            conversation, used = await chat_to_check_link(client)
            assert (await client.post(used, data={"password": PASSWORD})).status_code == 200
            connections = smtp.connections
            invalid = "/check/" + "A" * 32
            for _ in range(6):
                assert (await client.post(used, data={"password": PASSWORD})).status_code == 410
                assert (await client.post(invalid, data={"password": "x"})).status_code == 404
            url = f"/api/webchat/conversations/{conversation}/messages"

            async def new_link() -> str:
                replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
                return str(next(r["url"] for r in replies if r["type"] == "link"))

            expired = httpx.URL(await new_link()).path
            clock.now += dt.timedelta(minutes=11)
            for _ in range(6):
                assert (await client.post(expired, data={"password": PASSWORD})).status_code == 410
            assert smtp.connections == connections  # none of these reached a server
            # One slot of two was used by the first check: the second is still there.
            done = await client.post(httpx.URL(await new_link()).path, data={"password": PASSWORD})
            assert done.status_code == 200
            assert "ログインを確認できました" in done.text
    finally:
        await app.state.runtime.engine.store.close()


@pytest.mark.parametrize("store", ["sqlite", "redis"])
async def test_an_older_link_works_after_a_newer_one_and_outlives_its_ten_minutes(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
    request: pytest.FixtureRequest,
    store: str,
) -> None:
    # Each press of 「ログインを確認する」 sends a new link. The first one, opened after the
    # second press, still checks; and a link is still known after its ten minutes, so it
    # says it expired, or where its result went. In Redis its grant lived exactly the ten
    # minutes (the engine's clock above does not move Redis' own): opened later, an expired
    # link or the back button to a result got 404 「このリンクは使えません」, in Japanese
    # whatever the chat's language, counted as a made-up link.
    url, prefix = "", f"t{secrets.token_hex(4)}:"
    if store == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        url = f"{server.url}?prefix={prefix}"
    app = make_app(tmp_path, clock, smtp, dovecot, certificates, store_url=url)
    runtime_store = app.state.runtime.engine.store
    await runtime_store.open()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            conversation, first = await chat_to_check_link(client)
            url = f"/api/webchat/conversations/{conversation}/messages"
            replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
            second = httpx.URL(next(r["url"] for r in replies if r["type"] == "link")).path
            assert second != first
            assert (await client.get(first)).status_code == 200
            done = await client.post(first, data={"password": PASSWORD})
            assert "ログインを確認できました" in done.text
            assert (await client.get(second)).status_code == 200
            if store == "redis":
                digests = [token_digest(path.rsplit("/", 1)[1]) for path in (first, second)]
                keys = [f"{prefix}link:{d}" for d in (*digests, used_digest(digests[0]))]
                lifetimes = [await runtime_store.client.pttl(key) for key in keys]
                # Past the link's ten minutes by the retention, as SQLite keeps its rows.
                assert all(ms > dt.timedelta(days=1).total_seconds() * 1000 for ms in lifetimes)
            clock.now += dt.timedelta(minutes=11)
            assert (await client.get(second)).status_code == 410
            assert "10分間だけ使える" in (await client.get(second)).text
            assert "結果はチャットにお送りしました" in (await client.get(first)).text
    finally:
        await runtime_store.close()


def words(page: str) -> str:
    """The page's HTML without the line-break chances put in its addresses and host names."""
    return page.replace("<wbr>", "")


async def test_the_form_holds_the_chat_address_with_the_full_address_hint(
    client: httpx.AsyncClient,
) -> None:
    _, path = await chat_to_check_link(client)
    form = await client.get(path)
    assert form.status_code == 200
    assert address_field(form.text) == ADDRESS
    # Read as the words on the page: addresses carry <wbr> where they may wrap.
    assert f"name@{DOMAIN}" in words(form.text)
    assert "117net" in form.text  # the provider's name heads the page


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("taro@", "taro@"),
        ("taro@example.com", "taro@example.com"),
        (" taro＠example.com ", "taro@example.com"),
        # No @ is no address: quite likely the password, typed in the wrong box. Not shown
        # again (the field holds the chat's address, as it did), nor on the server's answer.
        ("hanako", ADDRESS),
        ("Tr0ub4dor&3", ADDRESS),
        ("", ADDRESS),
        ("   ", ADDRESS),
    ],
)
async def test_a_partial_or_foreign_address_is_asked_again_before_the_link_is_used(
    client: httpx.AsyncClient, smtp: SmtpServer, typed: str, shown: str
) -> None:
    _, path = await chat_to_check_link(client)
    connections = smtp.connections
    sent = {"address": typed, "password": PASSWORD, "round_trip": "1"}
    asked = await client.post(path, data=sent)
    assert asked.status_code == 400
    assert re.search(r'id="round-trip"[^>]*checked', asked.text)  # their choice is kept
    assert f"name@{DOMAIN}" in words(asked.text)
    assert 'role="alert"' in asked.text
    assert address_field(asked.text) == html.escape(shown)  # to correct, not retype
    assert PASSWORD not in asked.text
    if "@" not in typed and typed.strip():
        assert html.escape(typed) not in words(asked.text)
    assert smtp.connections == connections
    done = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert done.status_code == 200
    assert "ログインを確認できました" in done.text


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_an_oversized_form_gets_a_page_in_the_subscribers_language(
    client: httpx.AsyncClient, catalogs: Catalogs, smtp: SmtpServer, locale: Locale
) -> None:
    # A person's browser gets a page it can show, not the API's JSON; the link stays usable.
    _, path = await chat_to_check_link(client, locale=locale)
    connections = smtp.connections
    big = {"address": ADDRESS, "password": "x" * (70 * 1024)}
    refused = await client.post(path, data=big)
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert f'<html lang="{locale}">' in refused.text
    assert html.escape(catalogs(locale, "check_page.too_large")) in refused.text
    assert 'href="/"' in refused.text  # back to the web chat
    assert refused.headers["cache-control"] == "no-store"
    assert "x" * 300 not in refused.text
    # Streamed without a length, it is cut off the same way once it passes the limit.
    chunks = iter([b"password=" + b"x" * 40_000, b"x" * 40_000])

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    headers = {"content-type": "application/x-www-form-urlencoded"}
    streamed = await client.post(path, content=stream(), headers=headers)
    assert streamed.status_code == 413
    assert html.escape(catalogs(locale, "check_page.too_large")) in streamed.text
    assert smtp.connections == connections
    done = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert done.status_code == 200


@pytest.mark.parametrize(
    ("address", "password", "said"),
    [
        (f"taro\x00@{DOMAIN}", PASSWORD, "メールアドレスに、改行など"),
        (f"taro\r\n@{DOMAIN}", PASSWORD, "メールアドレスに、改行など"),
        (f"taro@{DOMAIN}\n", PASSWORD, "メールアドレスに、改行など"),
        # Kanji or a bidi control: no mailbox has one, and no login is tried with one.
        (f"太郎@{DOMAIN}", PASSWORD, "半角の英数字で"),
        (f"ta\u202ero@{DOMAIN}", PASSWORD, "半角の英数字で"),
        (ADDRESS, "pass\r\nQUIT", "パスワードに、改行など"),
        (ADDRESS, "pass\x00word", "パスワードに、改行など"),
        (ADDRESS, "", "パスワードを入力してください"),
        (ADDRESS, "x" * 257, "256文字まで"),
        # Japanese input left on: kana, kanji, half-width kana are no mail password either.
        (ADDRESS, "さくら2008", "日本語入力をオフにして"),
        (ADDRESS, "桜sakura", "日本語入力をオフにして"),
        (ADDRESS, "ｻｸﾗ2008", "日本語入力をオフにして"),
    ],
)
async def test_control_characters_get_a_clear_4xx_and_leave_the_link_usable(
    client: httpx.AsyncClient, smtp: SmtpServer, address: str, password: str, said: str
) -> None:
    _, path = await chat_to_check_link(client)
    connections = smtp.connections
    refused = await client.post(path, data={"address": address, "password": password})
    assert refused.status_code == 400
    assert said in refused.text
    assert not re.search(r"[\x00\r]", refused.text)  # not echoed into the page either
    assert smtp.connections == connections
    done = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert done.status_code == 200


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        # Percent-encoded bytes that are no UTF-8, and the same bytes sent raw.
        (b"password=pass%ff%fe", "パスワードに、改行など"),
        (b"password=pass\xff\xfe", "パスワードに、改行など"),
        (b"address=ta%ffro%40" + DOMAIN.encode() + b"&password=x", "メールアドレスに、改行など"),
    ],
)
async def test_bytes_that_are_no_utf8_get_a_4xx_and_leave_the_link_usable(
    client: httpx.AsyncClient, smtp: SmtpServer, fields: bytes, said: str
) -> None:
    # They were read as U+FFFD: the check ran with a password nobody typed (200, 「ログイン
    # できませんでした」) and spent the link and one of the account's five checks.
    _, path = await chat_to_check_link(client)
    connections = smtp.connections
    form = {"content-type": "application/x-www-form-urlencoded"}
    refused = await client.post(path, content=fields, headers=form)
    assert refused.status_code == 400
    assert said in refused.text
    assert "\ufffd" not in refused.text
    assert smtp.connections == connections
    done = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert done.status_code == 200


@pytest.mark.parametrize("typed", [ADDRESS, ADDRESS.upper().replace("@", "＠")])
async def test_the_corrected_address_is_checked_and_reported_in_the_chat(
    client: httpx.AsyncClient, profile: MigrationProfile, typed: str
) -> None:
    # The chat heard a wrong address; the page corrects it to the mailbox that exists.
    conversation, path = await chat_to_check_link(client, address=f"jiro@{DOMAIN}")
    assert address_field((await client.get(path)).text) == f"jiro@{DOMAIN}"
    done = await client.post(path, data={"address": typed, "password": PASSWORD})
    assert done.status_code == 200
    assert "ログインを確認できました" in done.text  # only the corrected mailbox logs in
    history = await history_texts(client, conversation)
    checked = read_address(typed, profile)[0]
    assert f"確認するメールアドレスを{checked}に直しました" in history
    # The conversation carries on with it: the next link's form holds the corrected one.
    url = f"/api/webchat/conversations/{conversation}/messages"
    replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
    again = httpx.URL(next(r["url"] for r in replies if r["type"] == "link")).path
    assert address_field((await client.get(again)).text) == checked


async def test_results_are_marked_with_a_word_for_each_part(client: httpx.AsyncClient) -> None:
    _, path = await chat_to_check_link(client)
    failed = await client.post(path, data={"password": "wrong-password"})
    assert failed.status_code == 200
    # Receiving and sending, each with its word: the chat's word for the same result (the
    # page said 「失敗」 where the chat said 「問題あり」).
    assert failed.text.count("問題あり") >= 2
    _, path = await chat_to_check_link(client, locale="en")
    passed = await client.post(path, data={"password": PASSWORD})
    assert passed.text.count("Passed") == 2
    assert "Incoming server" in passed.text
    assert "Outgoing server" in passed.text


def test_marks_follow_the_outcomes_and_a_refusal_for_safety_is_no_failure() -> None:
    data = (("smtp", "ok"), ("pop", "not_verified"), ("round_trip", "not_delivered"))
    # Receiving first, as the result's paragraphs under the marks and the settings card.
    assert marks(data) == (
        ("receive", Mark.NOT_CHECKED),
        ("send", Mark.PASSED),
        ("round_trip", Mark.FAILED),
    )
    assert marks((("imap", "auth_failed"), ("seconds", "1.0"))) == (("receive", Mark.FAILED),)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("webchat", 'href="/"'),
        ("line", "LINE"),
        ("telegram", "Telegram"),
        ("chatwoot", "チャットをしていた画面に戻って"),
        ("", 'href="/"'),
    ],
)
@pytest.mark.parametrize("status", [PageStatus.EXPIRED, PageStatus.USED, PageStatus.DONE])
def test_every_screen_leads_back_to_where_the_subscriber_chatted(
    tmp_path: Path, channel: str, expected: str, status: PageStatus
) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3")
    runtime = build_runtime(settings)
    page = CheckPage(login_checks(runtime), Catalogs.load())
    body = bytes(page.render(PageView(status, "ja", ADDRESS, channel=channel)).body).decode()
    assert expected in body


async def test_the_page_runs_no_inline_code_and_its_files_are_served(
    client: httpx.AsyncClient,
) -> None:
    _, path = await chat_to_check_link(client)
    form = await client.get(path)
    csp = form.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "<script>" not in form.text
    assert " style=" not in form.text
    for asset in re.findall(r'(?:src|href)="(/mailcheck/static/[^"]+)"', form.text):
        assert (await client.get(asset)).status_code == 200


def test_a_local_part_longer_than_smtp_takes_is_asked_again_as_too_long(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 65 letters before the @ of our own domain: no mailbox (RFC 5321), and not "another
    # provider's address" either, which is what the page said.
    typed = f"{'a' * 65}@{DOMAIN}"
    assert read_address(typed, profile) == (typed, "address_too_long")
    assert read_address(f"{'a' * 64}@{DOMAIN}", profile) == (f"{'a' * 64}@{DOMAIN}", "")
    for locale in ("ja", "en"):
        assert catalogs.raw(locale, "check_page.address_too_long")


@pytest.mark.parametrize(
    "fields",
    [
        b"password=wrong&password=" + PASSWORD.encode(),
        b"address=" + ADDRESS.encode() + b"&address=other%40example.com&password=x",
        b"password=x&round_trip=1&round_trip=0",
    ],
)
async def test_a_field_sent_twice_gets_a_4xx_and_leaves_the_link_usable(
    client: httpx.AsyncClient, smtp: SmtpServer, fields: bytes
) -> None:
    # The page sends each field once; which of two copies a proxy or firewall read in front
    # is its own guess. The first was taken: 200, the link spent on a password of the two.
    _, path = await chat_to_check_link(client)
    connections = smtp.connections
    form = {"content-type": "application/x-www-form-urlencoded"}
    refused = await client.post(path, content=fields, headers=form)
    assert refused.status_code == 400
    assert "正しく受け取れませんでした" in refused.text
    assert smtp.connections == connections
    done = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert done.status_code == 200
