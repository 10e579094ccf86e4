"""Property: whatever a subscriber sends, the dialog answers and can still reach a verdict."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import ChoicesReply
from tests.dialogs.driver import Driver

COMMANDS = ["戻る", "最初から", "メニュー", "人と話したい", "English", "日本語", "back", "menu"]
CHOICES = [
    "yes", "no", "unsure", "back", "restart", "menu", "human", "skip", "start", "settings",
    "resume", "other_program", "lang:en", "lang:ja", "lang:xx", "topic:why", "topic:nope",
    "program:thunderbird", "program:outlook_ambiguous", "program:nothing", "smtp:old", "",
]  # fmt: skip

messages = st.one_of(
    st.tuples(st.just("text"), st.text(max_size=80)),
    st.tuples(st.just("text"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("text"), st.from_regex(r"[a-z]{1,8}@vp\.117\.ne\.jp", fullmatch=True)),
    st.tuples(st.just("choice"), st.sampled_from(CHOICES)),
    st.tuples(st.just("choice"), st.text(max_size=20)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages, max_size=25))
def test_any_input_is_answered_and_a_verdict_stays_reachable(
    inputs: list[tuple[str, str]],
) -> None:
    profile, catalogs = _shared()
    driver = Driver(profile, catalogs)
    driver.start()
    for kind, value in inputs:
        result = driver.type(value) if kind == "text" else driver.press(value)
        assert result.replies, f"no reply to {kind} {value!r}"
        # Every turn ends by asking something: never a dead end.
        assert isinstance(result.replies[-1], ChoicesReply)
    driver.press("restart")
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    assert driver.verdict().sending.value == "required"


_CACHE: dict[str, object] = {}


def _shared() -> tuple[MigrationProfile, Catalogs]:
    # Hypothesis reruns the body many times; function-scoped fixtures are not reset between
    # examples, so load the (read-only) profile and catalogs once here instead.
    if not _CACHE:
        from bot.ops.profile_loader import load_profile

        _CACHE["profile"] = load_profile()
        _CACHE["catalogs"] = Catalogs.load()
    return _CACHE["profile"], _CACHE["catalogs"]  # type: ignore[return-value]
