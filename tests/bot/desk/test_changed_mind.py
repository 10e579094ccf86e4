"""A subscriber waiting in the queue who types that they want the bot back gets it at once.

Before, 「最初から」「ボットに戻りたい」「やっぱり自分でやってみます」 typed after 「担当者と話す」
were relayed to the desk and answered by nobody until an agent wrote or the late-reply notice
came an hour later. The real app with the console as its desk, as test_agent_silence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.back_to_bot import starts_over, wants_the_bot_back
from dialogs.vocabulary import Locale
from testbed.clock import IN_WINDOW
from tests.bot.desk.test_agent_api import Chat, client_for

SATO = "sato-token-0123456789"
AS_SATO = {"Authorization": f"Bearer {SATO}"}
BACK = "かしこまりました。担当者へのおつなぎを取りやめ"
TAKEN = "担当者がすでに対応を始めておりますので"


def _settings(tmp_path: Path) -> Settings:
    return Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{SATO}",))


def _replies(history: list[dict[str, object]]) -> str:
    return " ".join(str(line.get("reply")) for line in history)


@pytest.mark.parametrize("words", ["最初から", "ボットに戻りたい", "やっぱり自分でやってみます"])
async def test_the_bot_asked_for_in_the_queue_takes_the_chat_back(
    tmp_path: Path, words: str
) -> None:
    app = build_app(_settings(tmp_path), clock=lambda: IN_WINDOW)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(choice="yes")  # Q1 answered before asking for a person
        await chat.send(text="担当者と話したい")
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "queue"
        await chat.send(text=words)
        await app.state.runtime.tasks.idle()
        replies = _replies(await chat.history())
        assert BACK in replies
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "bot"
        url = f"/api/agent/conversations/{chat.key}"
        transcript = (await client.get(url, headers=AS_SATO)).json()["transcript"]
        texts = [line["text"] for line in transcript]
        assert words in texts  # the agents still read what was typed
        assert any(text.startswith("handback: agent=subscriber by=subscriber") for text in texts)
        after = replies[replies.index(BACK) :]
        if words == "最初から":
            # Started over, as the word means (and the web chat's 「最初から」 does): Q1
            # again, its answer forgotten. It carried on at Q2, where the subscriber was.
            assert "メールソフト（Outlook" in after
            assert "接続していますか" not in after
            read = (await client.get(url, headers=AS_SATO)).json()
            assert read["answers"] == {}
        else:
            # Carried on where the subscriber was: Q1's answer kept, Q2 next.
            assert "接続していますか" in after


async def test_a_platforms_restart_pressed_in_the_queue_takes_the_chat_back(
    tmp_path: Path,
) -> None:
    # Telegram's /restart (or a menu's 「最初から」) was answered 「お選びいただいた内容は、
    # 担当者にお伝えしました」, as if the agent had a choice to read.
    app = build_app(_settings(tmp_path), clock=lambda: IN_WINDOW)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        await chat.send(choice="restart")
        await app.state.runtime.tasks.idle()
        replies = _replies(await chat.history())
        assert BACK in replies
        assert "担当者にお伝えしました" not in replies
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "bot"
        # 「最初から」 pressed is the word typed: the first question again.
        assert "メールソフト（Outlook" in replies[replies.index(BACK) :]


async def test_other_words_in_the_queue_and_a_taken_chat_stay_with_the_agent(
    tmp_path: Path,
) -> None:
    app = build_app(_settings(tmp_path), clock=lambda: IN_WINDOW)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        await chat.send(text="まだですか")
        await app.state.runtime.tasks.idle()
        assert BACK not in _replies(await chat.history())
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AS_SATO)).status_code == 200
        # Taken, not yet written to: told an agent has started, once, as the button's press.
        for _ in range(2):
            await chat.send(text="最初から")
            await app.state.runtime.tasks.idle()
        replies = _replies(await chat.history())
        assert BACK not in replies
        assert replies.count(TAKEN) == 1
        posted = await client.post(f"{url}/messages", headers=AS_SATO, json={"text": "確認します"})
        assert posted.status_code == 201
        # Once she has written, the words are hers to answer: the bot says nothing.
        await chat.send(text="ボットに戻りたい")
        await app.state.runtime.tasks.idle()
        history = await chat.history()
        assert history[-1].get("text") == "ボットに戻りたい"
        assert _replies(history).count(TAKEN) == 1
        transcript = (await client.get(url, headers=AS_SATO)).json()
        assert (transcript["holder"], transcript["agent"]) == ("agent", "佐藤")


@pytest.mark.parametrize(("locale", "typed"), [("ja", "自動案内に戻る"), ("en", "back to the bot")])
def test_the_handoff_says_what_to_type_to_go_back(
    catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    # Typing it works only if the subscriber knows it does: the handoff's words say so.
    assert typed in catalogs.raw(locale, "handoff.started")
    assert wants_the_bot_back(typed)


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ("最初からやり直したい", True),
        ("自動案内に戻りたいです", True),
        ("I'll try it myself", True),
        ("Can I go back to the bot?", True),
        ("自分でやってみたけどできません", False),
        ("自分で設定したらエラーが出ます", False),
        ("iPhoneの最初から入ってるメールです", False),
        ("まだですか", False),
        ("I tried it myself but it fails", False),
        # What they have done already is a report for the agent: typed in the queue, it left
        # the queue, and with 「最初から」 read in it forgot every answer (reviewer25).
        ("メールソフトの設定をやり直しましたが、まだ届きません", False),
        ("最初からやり直しました", False),
        ("パスワードを入力し直したのですが", False),
        ("I had to restart my PC", False),
        ("Do I need to restart Outlook?", False),
        ("restart", True),
        # 「最初から」 in a sentence says since when, not start over.
        ("最初から入っているメールアプリを使っています", False),
        ("最初からお願いします", True),
    ],
)
def test_the_wish_is_read_and_a_failure_is_not(words: str, wanted: bool) -> None:
    assert wants_the_bot_back(words) is wanted


@pytest.mark.parametrize(
    ("words", "over"),
    [
        ("最初から", True),
        ("最初からやり直したい", True),
        ("やり直したいです", True),
        ("Start over", True),
        ("ボットに戻りたい", False),
        ("自動案内に戻る", False),
        ("やっぱり自分でやってみます", False),
        ("最初からやってみたけどできません", False),
    ],
)
def test_start_over_is_told_from_the_other_wishes(words: str, over: bool) -> None:
    # 「最初から」 starts the questions again; the others carry on where the subscriber was.
    assert starts_over(words) is over


@pytest.mark.parametrize(
    ("wish", "question", "answer"),
    [
        (
            "自動案内に戻る",
            "古いメールはどうなりますか",
            "メールボックスの中身は新しいサーバーへ移されません",
        ),
        (
            "最初から",
            "古いメールはどうなりますか",
            "メールボックスの中身は新しいサーバーへ移されません",
        ),
        # Answered with where to reach the desk, not handed straight back to it.
        (
            "自動案内に戻る",
            "パスワードを忘れました",
            "お忘れの場合はこのチャットではお調べできません",
        ),
    ],
)
async def test_a_question_asked_while_waiting_is_answered_once_the_bot_has_it_back(
    tmp_path: Path, wish: str, question: str, answer: str
) -> None:
    # 「古いメールはどうなりますか」 typed in the queue, then the wish: the wish was read as the
    # question left unanswered, so the bot answered nothing and the question was lost.
    app = build_app(_settings(tmp_path), clock=lambda: IN_WINDOW)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(choice="yes")
        await chat.send(text="担当者と話したい")
        await chat.send(text=question)
        await chat.send(text=wish)
        await app.state.runtime.tasks.idle()
        replies = _replies(await chat.history())
        after = replies[replies.index(BACK) :]
        assert after.count(f"「{question}」についてお答えします") == 1
        assert answer in after
        assert f"「{wish}」についてお答えします" not in after
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "bot"
