"""`mailmove stats`: the desk's figures for a period, as a table and as JSON, from either store."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.stats import VERDICT_KINDS, period, render_table, summarise
from bot.store.conversation_store import ConversationStore
from bot.store.store_url import store_from_url
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock
from testbed.redis_server import RedisServer, running_redis

JUNE_1: dt.date = dt.date(2008, 6, 1)
# 2008-06-01 10:00 in Tokyo, and 2008-06-02 08:00 in Tokyo (still 2008-06-01 in UTC).
FIRST_DAY = dt.datetime(2008, 6, 1, 1, 0, tzinfo=dt.UTC)
SECOND_DAY = dt.datetime(2008, 6, 1, 23, 0, tzinfo=dt.UTC)


def test_counts_become_the_desks_figures() -> None:
    counts = {
        ("started", ""): 7,
        ("verdict_reached", "required/required"): 3,
        ("verdict_reached", "required/not_needed"): 1,
        ("settings_delivered", ""): 2,
        ("check_passed", ""): 1,
        ("check_failed", "smtp=auth_failed pop=ok"): 4,
        ("handoff_requested", ""): 2,
    }

    figures = summarise(counts, JUNE_1, JUNE_1, "Asia/Tokyo")

    assert figures.started == 7
    assert figures.verdicts["required/required"] == 3
    assert figures.verdicts["required/not_needed"] == 1
    assert figures.verdicts["not_needed/not_needed"] == 0  # every kind shown, even at zero
    assert set(VERDICT_KINDS) <= set(figures.verdicts)
    assert figures.verdicts_total == 4
    assert (figures.settings_delivered, figures.check_passed, figures.handed_to_agents) == (2, 1, 2)


def test_a_period_is_whole_days_in_the_providers_timezone() -> None:
    since, until = period(JUNE_1, JUNE_1 + dt.timedelta(days=1), "Asia/Tokyo")
    assert since == dt.datetime(2008, 5, 31, 15, 0, tzinfo=dt.UTC)
    assert until == dt.datetime(2008, 6, 2, 15, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="before it starts"):
        period(JUNE_1, JUNE_1 - dt.timedelta(days=1), "Asia/Tokyo")


def test_the_table_lists_every_figure() -> None:
    figures = summarise({("started", ""): 12, ("handoff_requested", ""): 3}, JUNE_1, JUNE_1, "UTC")
    table = render_table(figures)
    assert "2008-06-01 .. 2008-06-01 (UTC)" in table
    rows = {
        line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in table.splitlines()[2:]
    }
    assert rows["started"] == "12"
    assert rows["handed to agents"] == "3"
    assert rows["receiving required, sending recommended"] == "0"
    assert rows["live check passed"] == "0"


async def run_subscribers(
    store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    """Three subscribers on the first Tokyo day, one on the next, in one store."""
    await store.open()
    try:
        for moment, conversations in ((FIRST_DAY, ["a", "b", "c"]), (SECOND_DAY, ["d"])):
            engine = Engine(store, profile, catalogs, fixed_clock(moment))
            for name in conversations:
                await engine.handle(Inbound("webchat", name, f"{name}0", start=True))
            # Subscriber a walks to the settings card: Q1..Q4 yes, address, program, and yes
            # to using the old SMTP server.
            if "a" in conversations:
                for n, answer in enumerate(["yes", "yes", "yes", "yes"], start=1):
                    await engine.handle(Inbound("webchat", "a", f"a{n}", choice=answer))
                await engine.handle(Inbound("webchat", "a", "a5", text="taro@vp.117.ne.jp"))
                await engine.handle(Inbound("webchat", "a", "a6", choice="program:thunderbird"))
                await engine.handle(Inbound("webchat", "a", "a7", choice="yes"))
                # Subscriber b uses webmail only: nothing to change.
                await engine.handle(Inbound("webchat", "b", "b1", choice="no"))
    finally:
        await store.close()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_mailmove_stats_reads_the_store(
    kind: str,
    tmp_path: Path,
    redis_server: RedisServer,
    profile: MigrationProfile,
    catalogs: Catalogs,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = (
        f"sqlite:///{tmp_path}/s.sqlite3"
        if kind == "sqlite"
        else f"{redis_server.url}?prefix={tmp_path.name}:"
    )
    asyncio.run(run_subscribers(store_from_url(url), profile, catalogs))

    one_day = ["stats", "--store", url, "--since", "2008-06-01", "--until", "2008-06-01"]
    assert main([*one_day, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*one_day[:-1], "2008-06-02", "--json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert main(one_day) == 0
    table = capsys.readouterr().out

    assert first["started"] == 3
    assert first["verdicts"]["required/required"] == 1
    assert first["verdicts"]["not_needed/not_needed"] == 1
    assert first["settings_delivered"] == 1
    assert first["timezone"] == "Asia/Tokyo"
    assert both["started"] == 4  # the fourth subscriber came on the next Tokyo day
    assert "started" in table
    assert table.splitlines()[2].split()[-1] == "3"


def test_a_reversed_period_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "s.sqlite3").touch()  # a store that exists (an empty file is a database)
    url = f"sqlite:///{tmp_path}/s.sqlite3"
    assert main(["stats", "--store", url, "--since", "2008-06-02", "--until", "2008-06-01"]) == 2
    assert "before it starts" in capsys.readouterr().err


@pytest.mark.parametrize(
    "days",
    [["--since", "0001-01-01"], ["--until", "9999-12-31"], ["--until", "0001-01-05"]],
    ids=["first_day", "last_day", "thirty_days_before_the_fifth"],
)
def test_a_period_past_the_calendars_ends_is_refused_in_one_line(
    days: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Each ended in an OverflowError's traceback (the period's end, its UTC instants, the
    # 30 days before --until).
    (tmp_path / "s.sqlite3").touch()
    assert main(["stats", "--store", f"sqlite:///{tmp_path}/s.sqlite3", *days]) == 2
    said = capsys.readouterr().err
    assert said.startswith("mailmove: the period ")
    assert said.endswith(
        " runs past the first or last day there is; give days from 0001-01-02 to 9999-12-30\n"
    )


def test_an_unreachable_store_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    from testbed.redis_server import free_port

    assert main(["stats", "--store", f"redis://127.0.0.1:{free_port()}/0"]) == 1
    assert "unavailable" in capsys.readouterr().err


def test_every_verdict_pair_a_profile_can_declare_is_a_row() -> None:
    # examples/tls-migration.toml and imap-move.toml may pair receiving unchanged with
    # sending required: counted, and shown at zero like the seed's pairs.
    figures = summarise({("verdict_reached", "not_needed/required"): 2}, JUNE_1, JUNE_1, "UTC")
    assert figures.verdicts["not_needed/required"] == 2
    assert figures.verdicts["not_needed/recommended"] == 0
    assert len(figures.verdicts) == 6
    rows = render_table(summarise({}, JUNE_1, JUNE_1, "UTC"))
    assert "receiving not needed, sending required" in rows


def test_a_misspelt_variable_is_said_and_the_figures_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # serve says it in its start-up summary; the commands that talk to a person warn.
    (tmp_path / "s.sqlite3").touch()
    monkeypatch.setenv("MAILMOVE_RETENTON_DAYS", "30")
    url = f"sqlite:///{tmp_path}/s.sqlite3"

    assert main(["stats", "--store", url, "--since", "2008-06-01", "--until", "2008-06-01"]) == 0

    said = capsys.readouterr()
    assert "MAILMOVE_RETENTON_DAYS is not a variable mailmove reads" in said.err
    assert "(MAILMOVE_RETENTION_DAYS?)" in said.err
    assert "started" in said.out
