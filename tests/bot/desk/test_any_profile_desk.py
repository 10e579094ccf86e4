"""The desk follows the running profile's questionnaire, not the seed's four questions.

With `examples/imap-move.toml` (two questions, other ids) and `examples/tls-migration.toml`
(one): the agent API lists the questions with their words, a hand-back names them, and the
handoff summary labels them Q1, Q2... as it does the seed's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.desk.summary import HandoffSummary
from bot.mailcheck.outcomes import Outcome
from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.questionnaire import QUESTIONS
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import HEADERS, TOKEN, Chat, check, client_for

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
QUESTIONNAIRE = "/api/agent/questionnaire"


def app_for(tmp_path: Path, profile: str | None) -> Starlette:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(TOKEN,),
        profile_path=EXAMPLES / profile if profile else None,
    )
    return build_app(settings, clock=fixed_clock())


@pytest.fixture
def imap_app(tmp_path: Path) -> Starlette:
    return app_for(tmp_path, "imap-move.toml")


@pytest.fixture
async def imap(imap_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(imap_app):
        yield client


async def questions_of(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    listed = await client.get(QUESTIONNAIRE, headers=HEADERS)
    assert listed.status_code == 200
    check(QUESTIONNAIRE, "get", 200, listed.json())
    # The console shows times in the profile's zone, not in the agent's computer's.
    assert listed.json()["timezone"] == "Asia/Tokyo"
    questions: list[dict[str, Any]] = listed.json()["questions"]
    return questions


async def test_the_agent_api_lists_the_profiles_questions_with_their_words(
    imap: httpx.AsyncClient,
) -> None:
    questions = await questions_of(imap)
    assert [(q["id"], q["label"]) for q in questions] == [
        ("uses_mail_program", "Q1"),
        ("sends_through_us", "Q2"),
    ]
    second = questions[1]
    assert "smtp.minato-cable.example.jp" in second["text"]["ja"]
    assert second["text"]["en"].startswith("Is your mail program's outgoing server")
    # The profile's own button words, and the default ones where it gives none.
    assert second["answers"]["no"] == {"ja": "ほかの会社のサーバー", "en": "Another company's"}
    assert second["answers"]["unsure"] == {"ja": "わからない", "en": "Not sure"}
    refused = await imap.get(QUESTIONNAIRE)
    assert refused.status_code == 401
    check(QUESTIONNAIRE, "get", 401, refused.json())


@pytest.mark.parametrize(("profile", "count"), [(None, 4), ("tls-migration.toml", 1)])
async def test_every_profile_lists_its_own_questions(
    tmp_path: Path, profile: str | None, count: int
) -> None:
    async for client in client_for(app_for(tmp_path, profile)):
        questions = await questions_of(client)
        assert len(questions) == count
        if profile is None:
            assert [q["id"] for q in questions] == [q.value for q in QUESTIONS]
            # Placeholders filled with the seed's facts.
            assert questions[1]["text"]["ja"].startswith("117net以外のプロバイダ")


async def test_a_handback_names_the_profiles_questions(imap: httpx.AsyncClient) -> None:
    chat = await Chat.start(imap)
    await imap.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handback = f"/api/agent/conversations/{chat.key}/handback"
    # The seed's question is not one of this profile's: refused, naming the ones it has.
    refused = await imap.post(
        handback, headers=HEADERS, json={"answers": {"q1_mail_program": "yes"}}
    )
    assert refused.status_code == 422
    assert "answers" in refused.json()["error"]
    assert "uses_mail_program, sends_through_us" in refused.json()["error"]
    check("/api/agent/conversations/{key}/handback", "post", 422, refused.json())
    handed = await imap.post(
        handback,
        headers=HEADERS,
        json={"answers": {"uses_mail_program": "yes", "sends_through_us": "no"}},
    )
    assert handed.status_code == 200, handed.text
    body = handed.json()
    check("/api/agent/conversations/{key}/handback", "post", 200, body)
    # Both answered, so the verdict is this profile's receiving_only, and the address is next.
    assert (body["receiving"], body["sending"]) == ("required", "not_needed")
    assert body["stage"] == "ask_address"
    read = (await imap.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    check("/api/agent/conversations/{key}", "get", 200, read)
    assert read["answers"] == {"uses_mail_program": "yes", "sends_through_us": "no"}


async def test_the_summary_labels_the_profiles_questions(
    imap_app: Starlette, imap: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    chat = await Chat.start(imap)
    await chat.send(choice="yes")
    await chat.send(choice="no")
    engine = imap_app.state.runtime.engine
    record = await engine.store.load(chat.key)
    summary = await imap_app.state.runtime.handoffs.summary(record, "asked")
    assert summary.questions == {"uses_mail_program": "Q1", "sends_through_us": "Q2"}
    assert summary.as_json()["questions"] == summary.questions
    text = summary.as_text(catalogs)
    assert "Q1=はい, Q2=いいえ" in text
    assert "USES" not in text
    assert "SENDS" not in text


def test_a_summary_without_labels_names_questions_by_id(catalogs: Catalogs) -> None:
    summary = HandoffSummary(
        key="webchat:x",
        channel="webchat",
        conversation_id="x",
        sender="",
        locale="ja",
        reason="",
        address="",
        program="",
        answers={"uses_mail_program": "yes"},
        receiving="",
        sending="",
        stage="",
        last_check="",
        transcript_url="",
    )
    assert "uses_mail_program=はい" in summary.as_text(catalogs)


@pytest.mark.parametrize(
    ("stage", "program", "shown"),
    [
        ("ask_outlook_kind", "", "Outlook（新しいOutlookか従来のOutlookか、いまお尋ねしています）"),
        ("ask_outlook_kind", "outlook_ambiguous", "Outlook（新しいOutlookか従来のOutlookか、いま"),
        ("ask_program", "", "メールソフト: いまお尋ねしています"),
        ("ask_address", "", "メールソフト: 不明"),
    ],
)
def test_the_summary_says_the_program_is_being_asked(
    catalogs: Catalogs, stage: str, program: str, shown: str
) -> None:
    # The Slack desk message and the Chatwoot note said 「メールソフト: 不明」 while the bot
    # was asking which Outlook: the agent would ask again what the bot had just asked.
    summary = HandoffSummary(
        key="webchat:x",
        channel="webchat",
        conversation_id="x",
        sender="",
        locale="ja",
        reason="",
        address="",
        program=program,
        answers={},
        receiving="",
        sending="",
        stage=stage,
        last_check="",
        transcript_url="",
    )
    assert shown in summary.as_text(catalogs)


def test_the_summary_words_the_last_login_check(catalogs: Catalogs) -> None:
    # The audit line's ids ("smtp=auth_failed pop=ok pop_count=3 …") in the desk's words:
    # which side failed, how, on which port; the timing and counts left out.
    summary = HandoffSummary(
        key="webchat:x",
        channel="webchat",
        conversation_id="x",
        sender="",
        locale="ja",
        reason="",
        address="taro@vp.117.ne.jp",
        program="",
        answers={},
        receiving="",
        sending="",
        stage="",
        last_check="smtp=auth_failed pop=ok pop_count=3 smtp_port=587 pop_port=110 seconds=1.20",
        transcript_url="",
    )
    text = summary.as_text(catalogs)
    assert "最後のログイン確認: 送信（ポート587）: 認証に失敗、受信（ポート110）: 成功" in text
    assert "auth_failed" not in text
    assert "seconds" not in text
    english = summary.as_text(catalogs, "en")
    assert (
        "Last login check: sending (port 587): login refused; receiving (port 110): ok" in english
    )
    odd = dataclasses.replace(summary, last_check="smtp=some_new_outcome refused=rate_limited")
    words = odd.as_text(catalogs)
    assert "送信: some_new_outcome" in words  # an outcome with no word yet, as it is
    assert "回数制限のため確認できず" in words


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_check_outcome_has_the_desks_word(catalogs: Catalogs, outcome: Outcome) -> None:
    for locale in ("ja", "en"):
        assert f"summary.outcome.{outcome.value}" in catalogs.keys(locale)


async def test_the_api_descriptions_examples_follow_the_profile(
    imap: httpx.AsyncClient, tmp_path: Path
) -> None:
    # An agent (or a developer of the page) copies the examples: they must name the
    # running migration's domain and questions, never the seed's.
    agent = (await imap.get("/api/agent/openapi.json")).json()
    (handback,) = agent["components"]["schemas"]["Handback"]["examples"]
    questions = [q["id"] for q in await questions_of(imap)]
    assert handback["address"] == "taro@minato-cable.example.jp"
    assert list(handback["answers"]) == questions[:2]
    webchat = (await imap.get("/api/webchat/openapi.json")).json()
    texts = [m.get("text") for m in webchat["components"]["schemas"]["Message"]["examples"]]
    assert "taro@minato-cable.example.jp" in texts
    for document in (agent, webchat):
        assert "vp.117.ne.jp" not in str(document)
    # The hand-back example is one the running server takes.
    chat = await Chat.start(imap)
    await imap.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handed = await imap.post(
        f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS, json=handback
    )
    assert handed.status_code == 200, handed.text
    # The seed's profile keeps the seed's examples.
    async for seed in client_for(app_for(tmp_path / "seed", None)):
        seeded = (await seed.get("/api/agent/openapi.json")).json()
        (example,) = seeded["components"]["schemas"]["Handback"]["examples"]
        assert example["address"] == "taro@vp.117.ne.jp"
