"""The agents' desk message in Block Kit: a handoff's facts, its status, and its buttons.

Pure functions; the words come from the catalogs, in the desk's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from adapters.rendering import truncate
from adapters.slack.desk_actions import CLOSE, GIVE_BACK, STATE_MARK, TAKE, TRANSFER, DeskAction
from adapters.slack.desk_members import slack_member_id
from adapters.slack.render import SlackMessage, escape, plain
from bot.desk.agent_models import DEFAULT_AGENT
from bot.desk.ownership import ANONYMOUS, GivenBack, Holder, holder_shown
from bot.desk.summary import MESSAGE_LEFT, HandoffSummary
from bot.ops.catalogs import Catalogs
from dialogs.vocabulary import Locale

DESK_LOCALE: Final[Locale] = "ja"
STATUS_BLOCK: Final = "mailmove_desk_status"
ACTIONS_BLOCK: Final = "mailmove_desk_actions"
# Block Kit limits (https://docs.slack.dev/reference/block-kit).
MAX_HEADER: Final = 150
MAX_FIELD: Final = 2000
MAX_TEXT: Final = 3000
MAX_BUTTON_VALUE: Final = 2000
# The buttons each holder's message shows; a press of any other is stale and changes nothing.
BUTTONS: Final[dict[Holder, tuple[str, ...]]] = {
    Holder.QUEUE: (TAKE, GIVE_BACK),
    Holder.AGENT: (GIVE_BACK, CLOSE, TRANSFER),
    Holder.BOT: (),
    Holder.CLOSED: (),
}


def say(catalogs: Catalogs, key: str, **params: object) -> str:
    """A catalog text in the desk's language."""
    return catalogs.fill(DESK_LOCALE, key, params)


def summary_rows(summary: HandoffSummary, catalogs: Catalogs) -> list[str]:
    """Who, address, mail program, answers, verdict and last check, one line each."""
    return summary.rows(catalogs, DESK_LOCALE)


def _status(text: str) -> dict[str, Any]:
    # mrkdwn, so that the agent's <@U…> mention shows as their name.
    return {
        "type": "context",
        "block_id": STATUS_BLOCK,
        "elements": [{"type": "mrkdwn", "text": text}],
    }


def button_value(key: str, state: int) -> str:
    """A desk button's value: the conversation and the state it was drawn in.

    The state (`bot.desk.ownership.owner_changes`) makes a press act once per state: a
    double click or a Slack retry is one press, the same button drawn again after the
    conversation changed hands is a new one.
    """
    return f"{key}{STATE_MARK}{state}"


def _buttons(
    key: str, catalogs: Catalogs, action_ids: Sequence[str], state: int
) -> list[dict[str, Any]]:
    labels = {TAKE: "slack_desk.take", GIVE_BACK: "slack_desk.give_back", CLOSE: "slack_desk.close"}
    if not action_ids:
        return []
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": action_id,
            "text": plain(catalogs.raw(DESK_LOCALE, labels[action_id])),
            # The conversation key: what the click acts on, without reading the message.
            "value": button_value(key, state),
            **({"style": "primary"} if action_id == TAKE else {}),
        }
        for action_id in action_ids
        if action_id != TRANSFER
    ]
    if TRANSFER in action_ids:
        # Slack's own member picker: the pick arrives as a block action naming the member
        # (`selected_user`); the conversation is read from the button beside it.
        elements.append(
            {
                "type": "users_select",
                "action_id": TRANSFER,
                "placeholder": plain(catalogs.raw(DESK_LOCALE, "slack_desk.transfer")),
            }
        )
    return [{"type": "actions", "block_id": ACTIONS_BLOCK, "elements": elements}]


def holder_status(
    holder: Holder,
    agent: str,
    catalogs: Catalogs,
    *,
    message_left: bool = False,
    back: GivenBack | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The status line (mrkdwn) saying who has the conversation now, and the buttons left.

    With `message_left`, a queued conversation is one the bot still answers whose
    subscriber left a message for the desk: it can be taken, not given back. `back`: the
    hand-back that gave the bot the conversation, said by who gave it and how.
    """
    if holder is Holder.QUEUE and message_left:
        return escape(catalogs.raw(DESK_LOCALE, "slack_desk.message_waiting")), (TAKE,)
    if holder is Holder.AGENT:
        return say(catalogs, "slack_desk.taken", agent=_named(agent)), BUTTONS[holder]
    if holder is Holder.BOT and back is not None:
        # 「この会話はすでにボットに戻っています」 said neither who nor how: the subscriber
        # who stopped waiting (or started over) read as any agent's hand-back.
        if back.by_subscriber:
            key = "slack_desk.started_over" if back.started_over else "slack_desk.left_waiting"
            return escape(catalogs.raw(DESK_LOCALE, key)), BUTTONS[holder]
        if back.agent not in ANONYMOUS:
            return say(catalogs, "slack_desk.given_back", agent=_named(back.agent)), ()
    key = {
        Holder.QUEUE: "slack_desk.waiting",
        Holder.BOT: "slack_desk.already_bot",
        Holder.CLOSED: "slack_desk.closed",
    }[holder]
    return escape(catalogs.raw(DESK_LOCALE, key)), BUTTONS[holder]


def _named(agent: str) -> str:
    """An agent as the status line names her (mrkdwn).

    A member named by her take (`slack_member`) by her mention, as Slack shows her name
    today; a U… or an Enterprise Grid's W… member id alike.
    """
    member = slack_member_id(agent)
    return f"<@{member}>" if member else escape(holder_shown(agent) or DEFAULT_AGENT)


def render_summary(
    summary: HandoffSummary,
    catalogs: Catalogs,
    status: tuple[str, Sequence[str]] | None = None,
    *,
    state: int = 0,
) -> SlackMessage:
    """The handoff message: the facts as blocks, a link to the transcript, its buttons.

    Posted waiting with both buttons; re-rendered with a `status` (line and buttons) when
    the conversation changes hands elsewhere.
    """
    if len(button_value(summary.key, state)) > MAX_BUTTON_VALUE:
        raise ValueError(f"a conversation key longer than {MAX_BUTTON_VALUE} cannot be a button")
    left = summary.kind == MESSAGE_LEFT
    line, action_ids = status or holder_status(Holder.QUEUE, "", catalogs, message_left=left)
    title = summary.title(catalogs, DESK_LOCALE)
    rows = summary_rows(summary, catalogs)
    link_label = escape(catalogs.raw(DESK_LOCALE, "slack_desk.open_transcript"))
    link = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"<{escape(summary.transcript_url)}|{link_label}>"},
    }
    blocks = [
        {"type": "header", "text": plain(truncate(title, MAX_HEADER))},
        # plain_text: a subscriber's words or address must not turn into markup or mentions.
        {"type": "section", "fields": [plain(truncate(row, MAX_FIELD)) for row in rows]},
        link,
        _status(line),
        *_buttons(summary.key, catalogs, action_ids, state),
    ]
    # The notification text, shown where blocks are not (push notifications, search). Slack
    # reads it as mrkdwn: escaped, a subscriber's name cannot ping the channel or link.
    text = escape(truncate(f"{title}\n{rows[0]}", MAX_TEXT, measure=_escaped_length))
    return {"text": text, "blocks": blocks}


def _escaped_length(text: str) -> int:
    return len(escape(text))


def updated_message(
    action: DeskAction,
    status: str,
    catalogs: Catalogs,
    action_ids: Sequence[str],
    *,
    state: int = 0,
) -> SlackMessage:
    """The pressed message with a new status line and the buttons that still make sense."""
    kept = [
        dict(b) for b in action.blocks if b.get("block_id") not in (STATUS_BLOCK, ACTIONS_BLOCK)
    ]
    if not kept and action.text:
        # A message Slack sent without its blocks: keep at least its words.
        kept = [{"type": "section", "text": plain(truncate(action.text, MAX_TEXT))}]
    blocks = [*kept, _status(status), *_buttons(action.key, catalogs, action_ids, state)]
    return {"text": action.text or " ", "blocks": blocks}
