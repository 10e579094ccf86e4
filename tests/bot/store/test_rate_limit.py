"""The sliding-window limiter in front of the live login check."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from bot.store.rate_limit import RateLimiter, SlidingWindowLimiter, check_keys
from dialogs.profile import Security
from testbed import mailservers


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_allows_the_limit_then_refuses(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(3, 60.0, clock=clock)

    allowed = [await limiter.try_acquire(["k"]) for _ in range(4)]

    assert allowed == [True, True, True, False]


async def test_the_window_slides(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(2, 100.0, clock=clock)
    assert await limiter.try_acquire(["k"])  # at 1000
    clock.now += 40
    assert await limiter.try_acquire(["k"])  # at 1040
    clock.now += 59  # 1099: both still inside the window

    assert not await limiter.try_acquire(["k"])
    assert await limiter.retry_after(["k"]) == pytest.approx(1.0)

    clock.now += 1  # 1100: the first attempt has left the window
    assert await limiter.retry_after(["k"]) == 0.0
    assert await limiter.try_acquire(["k"])
    assert not await limiter.try_acquire(["k"])
    assert await limiter.retry_after(["k"]) == pytest.approx(40.0)


async def test_a_refusal_counts_against_no_key(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(2, 60.0, clock=clock)
    conversation, address = check_keys("web:c1", "taro@vp.117.ne.jp")
    assert await limiter.try_acquire([address])
    assert await limiter.try_acquire([address])

    for _ in range(5):  # the address is spent: these are all refused...
        assert not await limiter.try_acquire([conversation, address])

    # ...and none of them used up the conversation's own allowance.
    assert await limiter.try_acquire([conversation])
    assert await limiter.try_acquire([conversation])
    assert not await limiter.try_acquire([conversation])


async def test_keys_are_counted_separately(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 60.0, clock=clock)

    assert await limiter.try_acquire(check_keys("web:c1", "taro@vp.117.ne.jp"))
    assert await limiter.try_acquire(check_keys("web:c2", "hanako@vp.117.ne.jp"))
    # Another conversation cannot keep guessing the same account's password.
    assert not await limiter.try_acquire(check_keys("web:c3", "taro@vp.117.ne.jp"))


async def test_a_key_repeated_in_one_call_counts_once(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(2, 60.0, clock=clock)

    assert await limiter.try_acquire(["k", "k"])
    assert await limiter.try_acquire(["k"])
    assert not await limiter.try_acquire(["k"])


def test_address_keys_ignore_case_and_spaces() -> None:
    assert check_keys("c", " Taro@VP.117.ne.jp ") == check_keys("c", "taro@vp.117.ne.jp")
    assert check_keys("c", "taro@vp.117.ne.jp")[0] != check_keys("d", "taro@vp.117.ne.jp")[0]


def test_address_keys_do_not_hold_the_address() -> None:
    _, account = check_keys("c", "Taro@vp.117.ne.jp")
    assert "taro" not in account.lower()
    assert "117" not in account
    assert account != check_keys("c", "hanako@vp.117.ne.jp")[1]


async def test_keys_with_no_recent_attempts_are_forgotten(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 10.0, clock=clock)
    for number in range(300):
        await limiter.try_acquire([f"address:{number}"])
    assert len(limiter) == 300

    clock.now += 11
    for _ in range(256):  # enough calls to reach the next sweep
        await limiter.try_acquire(["address:new"])

    assert len(limiter) == 1


async def test_asking_how_long_to_wait_keeps_nothing(clock: Clock) -> None:
    # Every web chat message asks the handoff limit whether its client is past it (and every
    # agent API request the token-guessing limit): each client ever seen stayed in memory as
    # an empty entry, swept only by the next 256 handoffs (or refused tokens).
    limiter = SlidingWindowLimiter(1, 10.0, clock=clock)
    for number in range(1000):
        assert await limiter.retry_after([f"client:webchat_handoffs:{number}"]) == 0
    assert len(limiter) == 0
    # A key with attempts is still read, and forgotten once they leave the window.
    await limiter.try_acquire(["client:a"])
    assert await limiter.retry_after(["client:a", "client:b"]) == 10.0
    assert len(limiter) == 1
    clock.now += 10
    assert await limiter.retry_after(["client:a"]) == 0
    assert len(limiter) == 0
    assert await limiter.try_acquire(["client:a"])


@pytest.mark.parametrize(("limit", "window"), [(0, 60.0), (3, 0.0), (3, -1.0)])
def test_nonsense_settings_are_refused(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        SlidingWindowLimiter(limit, window)


async def test_the_attempt_past_the_limit_opens_no_connection(tmp_path: Path) -> None:
    limiter: RateLimiter = SlidingWindowLimiter(2, 900.0)
    certificates = mailservers.Certificates(tmp_path)
    keys = check_keys("web:c1", mailservers.CHECK_ACCOUNT.address)
    outcomes: list[Outcome | None] = []

    with mailservers.running_smtp_server(mailservers.SmtpMode.CRAM_MD5, certificates) as server:
        checked = CheckTarget(
            server.host, server.port, Security.NONE, server.host, 1, Security.NONE, False
        )
        for _ in range(3):
            if not await limiter.try_acquire(keys):  # the caller's side of the contract
                outcomes.append(None)
                continue
            result = await check_login(
                checked, mailservers.CHECK_ACCOUNT.address, "guess", check_pop=False
            )
            outcomes.append(result.smtp.outcome)

    assert outcomes == [Outcome.AUTH_FAILED, Outcome.AUTH_FAILED, None]
    assert server.connections == 2
