"""The console names the question a button answered when it was pressed under other lines.

Beside the agent's own questions, a bare 「いいえ」 pressed while the agent had the chat could
answer any of them; the Slack thread and the Chatwoot mirror named the question, the
console did not.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.adapters.agent_console.test_browser import (
    TOKEN,
    NewPage,
    Subscriber,
    base_url,
    browser,
    new_page,
    sign_in,
    subscriber,
    transcript,
)

__all__ = ["base_url", "browser", "new_page", "subscriber"]

AGENT = {"Authorization": f"Bearer {TOKEN}"}


def test_a_press_under_the_agents_words_names_its_question(
    new_page: NewPage, subscriber: Subscriber, base_url: str
) -> None:
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    with httpx.Client(base_url=base_url, timeout=10) as client:
        page = client.get(url).json()
        q1 = next(m["question"] for m in page["messages"] if "question" in m)
        assert client.post(url, json={"choice": "yes", "question": q1}).status_code == 200
        subscriber.say("担当者と話したい")
        agent_url = f"/api/agent/conversations/{subscriber.key}"
        body = {"agent": "佐藤"}
        assert client.post(f"{agent_url}/take", headers=AGENT, json=body).status_code == 200
        said = {"text": "Outlookをお使いですか？", "event_id": "a1", "agent": "佐藤"}
        assert client.post(f"{agent_url}/messages", headers=AGENT, json=said).status_code == 201
        # Q1's 「いいえ」, still on screen, pressed under the agent's question.
        assert client.post(url, json={"choice": "no", "question": q1}).status_code == 200
    console = new_page(f"/agent/#{subscriber.key}")
    sign_in(console)
    lines = transcript(console)
    expect(lines).to_contain_text("いいえ（質問：メールの送受信に、メールソフトをお使いですか？）")
    # The press right after its question reads as the words on the button alone.
    expect(lines.locator(".line--subscriber .line__text").first).to_have_text("はい")
