"""A setting only a channel's platform can judge, refused as `mailmove serve` starts.

Some settings are checked by asking the platform as the channel starts, inside uvicorn's
lifespan (Chatwoot's `CHATWOOT_API_TOKEN`: a user's token rather than the agent bot's).
Raised there, the refusal reached the operator as a Python traceback logged by uvicorn,
then "Application startup failed. Exiting." and status 3, where every other bad setting is
one line naming it and status 2. After the traceback went, uvicorn's own "Application
startup failed. Exiting." still came before that line: an error line that named no cause,
the first an operator's log search for errors found.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Final

import pytest

from tests.bot.ops.test_startup_summary import free_port
from tests.fakes.chatwoot_api import ACCOUNT, USER_TOKEN, running_chatwoot

ROOT: Final = Path(__file__).resolve().parents[3]
_PLATFORM_VARIABLES: Final = ("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_")


@pytest.mark.timeout(90)
async def test_serve_refuses_a_users_chatwoot_token_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PLATFORM_VARIABLES)}
    async with running_chatwoot() as fake:
        env |= {
            "MAILMOVE_LOG_FORMAT": "json",
            "NO_PROXY": "127.0.0.1",
            "CHATWOOT_URL": fake.url,
            "CHATWOOT_API_TOKEN": USER_TOKEN,
            "CHATWOOT_ACCOUNT_ID": ACCOUNT,
            "CHATWOOT_WEBHOOK_TOKEN": "cw-hook-Xk3_9fQ-2LmPz8Rt",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--port",
            str(free_port()),
            "--store",
            f"sqlite:///{tmp_path}/mailmove.sqlite3",
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, raw = await asyncio.wait_for(process.communicate(), timeout=80)
    stderr = raw.decode()

    assert "Traceback" not in stderr, stderr
    assert process.returncode == 2, stderr
    summary, *after = stderr.splitlines()
    assert json.loads(summary)["event"] == "mailmove starting"
    # The refusal alone: nothing of uvicorn's about the start-up it cut short.
    assert len(after) == 1, after
    assert after[0].startswith("mailmove: CHATWOOT_API_TOKEN is the access token of the user")
    assert USER_TOKEN not in stderr
