"""`--as-of` / MAILMOVE_AS_OF: another day's answers, for staging and demos, never on production."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Final

import httpx
import pytest

from bot.cli import main
from bot.ops.preview_clock import preview_clock, refuse_shared_store
from bot.ops.settings import ConfigError, Settings
from bot.server import build_app

ROOT: Final = Path(__file__).resolve().parents[3]
JST: Final = dt.timezone(dt.timedelta(hours=9))


class StepClock:
    """A real clock stand-in that the test moves on by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_the_day_is_the_chosen_one_and_the_time_of_day_runs_on() -> None:
    real = StepClock(dt.datetime(2026, 11, 28, 14, 30, tzinfo=dt.UTC))  # 23:30 JST
    clock = preview_clock(dt.date(2008, 6, 20), "Asia/Tokyo", real)

    assert clock().astimezone(JST) == dt.datetime(2008, 6, 20, 23, 30, tzinfo=JST)
    real.now += dt.timedelta(minutes=29)
    assert clock().astimezone(JST).date() == dt.date(2008, 6, 20)
    real.now += dt.timedelta(minutes=1)
    # Midnight in the profile's zone: the preview crosses into the day after the cut-off.
    assert clock().astimezone(JST) == dt.datetime(2008, 6, 21, 0, 0, tzinfo=JST)


@pytest.mark.parametrize("url", ["redis://redis:6379/0", "rediss://redis:6380/0"])
def test_a_preview_on_a_shared_store_is_refused_unless_forced(url: str) -> None:
    with pytest.raises(ConfigError, match="--force"):
        refuse_shared_store(url, force=False)
    refuse_shared_store(url, force=True)
    refuse_shared_store("sqlite:///var/mailmove.sqlite3", force=False)


@pytest.mark.parametrize("by_variable", [False, True])
def test_serve_refuses_a_preview_with_redis_before_starting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, by_variable: bool
) -> None:
    args = ["serve", "--store", "redis://127.0.0.1:1/0"]
    if by_variable:
        monkeypatch.setenv("MAILMOVE_AS_OF", "2008-06-01")
    else:
        args += ["--as-of", "2008-06-01"]

    assert main(args) == 2
    assert "--force" in capsys.readouterr().err


def test_a_bad_as_of_date_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--as-of", "June"])
    assert "2008-06-01" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["serve", "chat"])
def test_a_preview_of_the_first_day_there_is_is_one_line(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # 0001-01-01 before 09:00 in Tokyo is 0000-12-31 in UTC: an OverflowError's traceback.
    assert main([command, "--as-of", "0001-01-01"]) == 2
    assert capsys.readouterr().err == (
        "mailmove: MAILMOVE_AS_OF='0001-01-01' must be from 0001-01-02 to 9999-12-30 (the"
        " first and last days are not whole days in every time zone)\n"
    )


def test_the_terminal_chat_previews_a_day_before_the_window() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--as-of", "2008-05-01"],
        input="\n".join(
            ["1", "はい", "はい", "はい", "taro@vp.117.ne.jp", "サンダーバード", "はい"]
        )
        + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "今はまだ変更せず" in result.stdout
    assert "Preview" in result.stderr
    assert "2008-05-01" in result.stderr


async def test_the_web_chat_page_says_it_is_a_preview(tmp_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", as_of=dt.date(2008, 6, 1))
    # As `mailmove serve` builds it: the preview's clock with the preview's day.
    app = build_app(settings, clock=preview_clock(dt.date(2008, 6, 1), "Asia/Tokyo"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ja = (await client.get("/api/webchat/texts/ja")).json()
        en = (await client.get("/api/webchat/texts/en")).json()
        page = (await client.get("/")).text
    assert "2008年6月1日" in ja["preview"]
    assert "プレビュー" in ja["preview"]
    assert "Preview" in en["preview"]
    assert 'id="preview"' in page


async def test_the_page_names_the_bots_day_after_midnight(tmp_path: Path) -> None:
    # A preview of the night of the switch, left running past midnight in Tokyo: the bot
    # answers as on 21 June (the old servers stopped), and the page said 「2008年6月20日」.
    real = StepClock(dt.datetime(2026, 11, 28, 14, 59, 30, tzinfo=dt.UTC))  # 23:59:30 JST
    as_of = dt.date(2008, 6, 20)
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", as_of=as_of)
    app = build_app(settings, clock=preview_clock(as_of, "Asia/Tokyo", real))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        before = (await client.get("/api/webchat/texts/ja")).json()["preview"]
        real.now += dt.timedelta(minutes=1)
        after = (await client.get("/api/webchat/texts/ja")).json()["preview"]
        english = (await client.get("/api/webchat/texts/en")).json()["preview"]
    assert "2008年6月20日" in before
    assert "2008年6月21日" in after
    assert "21 June 2008" in english


async def test_the_real_web_chat_says_nothing_of_a_preview(tmp_path: Path) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        texts = (await client.get("/api/webchat/texts/ja")).json()
    assert "preview" not in texts
