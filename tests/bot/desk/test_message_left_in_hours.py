"""A message left within the desk's hours says until when they run, and when they begin again.

Without a desk to hand over to, a subscriber who leaves a message at 17:59 (the desk
closing at 18:00) was thanked with nothing about time, as if a call would come soon.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.ops.settings import Settings
from bot.server import build_app
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_desk_hours import weekday_profile

# Monday 2 June 2008, 17:59 in Tokyo; the desk answers on Mondays and Fridays 9:00-18:00.
BEFORE_CLOSING = dt.datetime(2008, 6, 2, 8, 59, tzinfo=dt.UTC)


async def test_a_message_left_a_minute_before_closing_says_when_a_call_may_come(
    tmp_path: Path,
) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=weekday_profile(tmp_path)
    )
    app = build_app(settings, clock=lambda: BEFORE_CLOSING)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        await chat.send(choice="desk_message")
        said = json.dumps(
            await chat.send(text="メールが送れません。03-1234-5678 にお電話ください"),
            ensure_ascii=False,
        )
        assert "伝言を承りました" in said
        # Friday is the next day the desk answers.
        assert (
            "担当者の受付は本日18:00までのため、それまでにご連絡できない場合は、"
            "2008年6月6日(金)の9:00以降のご連絡となります。"
        ) in said


async def test_a_handoff_a_minute_before_closing_says_when_a_reply_may_come(
    tmp_path: Path,
) -> None:
    # Handed to the console's queue at 17:59, the subscriber was told a person would reply
    # in this chat, and the week's hours: nothing said the reply might come only on Friday.
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=("佐藤:sato-token-0123456789",),
    )
    app = build_app(settings, clock=lambda: BEFORE_CLOSING)
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = json.dumps(await chat.send(text="担当者と話したい"), ensure_ascii=False)
        assert "担当者におつなぎします" in said
        assert (
            "担当者の受付は本日18:00までのため、それまでにご連絡できない場合は、"
            "2008年6月6日(金)の9:00以降のご連絡となります。"
        ) in said


# examples/cable-tv-hosted-imap.toml: weekdays 9:00-12:00 and 13:00-18:00, Saturdays
# 10:00-17:00, shut on the holidays it lists (Thursday 11 February 2027 among them).
CABLE_TV = Path(__file__).resolve().parents[3] / "examples" / "cable-tv-hosted-imap.toml"


async def test_a_holiday_is_not_promised_as_the_next_days_hours(tmp_path: Path) -> None:
    # Wednesday 10 February 2027, 17:59 in Tokyo (08:59 UTC): the next morning is a holiday.
    # The desk's week alone said 「明日（木曜日）の9:00以降」, a day nobody is there.
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=CABLE_TV,
        agent_tokens=("佐藤:sato-token-0123456789",),
    )
    app = build_app(settings, clock=lambda: dt.datetime(2027, 2, 10, 8, 59, tzinfo=dt.UTC))
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = json.dumps(await chat.send(text="担当者と話したい"), ensure_ascii=False)
        assert "担当者におつなぎします" in said
        assert (
            "担当者の受付は本日18:00までのため、それまでにご連絡できない場合は、"
            "2027年2月12日(金)の9:00以降のご連絡となります。"
        ) in said
        # The hours name the holidays ahead with the week's hours.
        assert "休業日：2027年2月11日(木)、2027年2月23日(火)、2027年3月22日(月)" in said


async def test_just_after_midnight_in_tokyo_the_holiday_is_today(tmp_path: Path) -> None:
    # 15:30 UTC on Wednesday the 10th is 0:30 on Thursday the 11th in Tokyo, the holiday:
    # the desk is closed, and opens tomorrow, Friday the 12th (not 「本日9:00」).
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=CABLE_TV,
        agent_tokens=("佐藤:sato-token-0123456789",),
    )
    app = build_app(settings, clock=lambda: dt.datetime(2027, 2, 10, 15, 30, tzinfo=dt.UTC))
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        await chat.send(choice="desk_message")
        said = json.dumps(
            await chat.send(text="メールが送れません。03-1234-5678 にお電話ください"),
            ensure_ascii=False,
        )
        assert "担当者の受付は明日（金曜日）の9:00からです" in said
