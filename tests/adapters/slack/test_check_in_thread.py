"""A login check the subscriber finishes while an agent has the chat reaches the thread.

The check's page tells the subscriber that the member of staff helping them can see the
result; an agent working in the Slack handoff's thread saw nothing of it (the console alone
showed the check's line).
"""

from __future__ import annotations

from adapters.slack.desk_actions import TAKE
from dialogs.vocabulary import Inbound, SystemEvent
from tests.adapters.slack.test_desk import Desk, handed_off
from tests.adapters.slack.test_desk_relay import desk, in_thread, thread_fake

__all__ = ["desk", "thread_fake"]

CHECKED = (("smtp", "auth_failed"), ("pop", "ok"), ("smtp_port", "587"), ("pop_port", "110"))


async def test_a_check_while_an_agent_has_the_chat_is_shown_in_the_thread(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.runtime.tasks.idle()
    # What the check page hands the engine when the subscriber's check has run.
    await desk.runtime.engine.handle(
        Inbound(
            channel="webchat",
            conversation_key=chat.key.removeprefix("webchat:"),
            event_id="check-result:n1:ran",
            event=SystemEvent("check_result", CHECKED),
        ),
        create=False,
    )
    await desk.runtime.tasks.idle()
    said = [str(call.params.get("text")) for call in in_thread(desk)]
    assert any("送信（ポート587）: 認証に失敗" in words for words in said), said
    assert not any("check_result" in words for words in said), said
    # The bot's line, not the subscriber's: their words, whatever they say, carry 「お客様: 」.
    [checked] = [words for words in said if "ログイン確認の結果" in words]
    assert checked.startswith("ログイン確認の結果")


async def test_a_subscriber_typing_a_checks_words_is_shown_as_the_subscriber(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.runtime.tasks.idle()
    typed = "ログイン確認の結果: 送信（ポート587）: 成功、受信（ポート110）: 成功"
    await desk.runtime.engine.handle(
        Inbound(
            channel="webchat",
            conversation_key=chat.key.removeprefix("webchat:"),
            event_id="typed-2",
            text=typed,
        ),
        create=False,
    )
    await desk.runtime.tasks.idle()
    said = [str(call.params.get("text")) for call in in_thread(desk)]
    assert f"お客様: {typed}" in said, said


async def test_a_subscriber_typing_a_checks_line_is_relayed_as_their_words(desk: Desk) -> None:
    # The check's line was told apart by its text alone: a subscriber who typed its audit
    # form had it shown in the thread as the check's result, a login that never ran
    # reading 「ログイン確認の結果: 送信（ポート587）: 成功、受信（ポート110）: 成功」.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.runtime.tasks.idle()
    typed = "check_result: smtp=ok pop=ok smtp_port=587 pop_port=110"
    await desk.runtime.engine.handle(
        Inbound(
            channel="webchat",
            conversation_key=chat.key.removeprefix("webchat:"),
            event_id="typed-1",
            text=typed,
        ),
        create=False,
    )
    await desk.runtime.tasks.idle()
    said = [str(call.params.get("text")) for call in in_thread(desk)]
    assert any(typed in words for words in said), said
    assert not any("ログイン確認の結果" in words for words in said), said
