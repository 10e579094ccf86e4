"""Once the old outgoing server is gone, the verdict names its last day once.

On 2008-06-21 the verdict of every path that changes sending said 「送信の設定：変更が必要
です。従来の送信サーバーは2008年6月20日(金)で利用できなくなりました。…」 and, after the
window's dates, 「従来のサーバーは2008年6月20日(金)で利用できなくなりました。…」 ("The old
outgoing server could be used until Friday 20 June 2008 and no longer answers" twice over in
English); a kept outgoing name said 「送信の暗号化しない接続（ポート25番）は2027年3月31日(水)
で使えなくなりました。」 twice word for word. The sending line now says the server is gone,
and the old servers' line says since when.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, Sending, VerdictReply
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
# The seed, a kept outgoing name whose old connection stops before receiving's, and sending
# that outlives receiving (both gone on the day after the later).
PROFILES: Final = ("117net.toml", "pop-moves-smtp-name-kept.toml", "pop-to-imap.toml")
WINDOW: Final = {"ja": "設定変更の期間", "en": "The settings-change period"}


def verdict_of_yes(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date
) -> VerdictReply:
    """The verdict after "yes" to every question: the leaves that change sending."""
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
    driver.start(locale)
    for _ in range(len(profile.questionnaire.flowchart.questions)):
        if any(isinstance(reply, VerdictReply) for reply in driver.all_replies()):
            break
        driver.press("yes")
    return driver.verdict()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("name", PROFILES)
def test_the_old_outgoing_servers_day_is_said_once(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = load_profile(EXAMPLES / name)
    last = profile.schedule.old_smtp_until
    assert last is not None
    verdict = verdict_of_yes(profile, catalogs, locale, last + dt.timedelta(days=1))
    assert verdict.sending is Sending.REQUIRED
    # The window's own dates may end on that day too: its paragraph is not counted.
    said = "\n\n".join(
        part for part in verdict.text.split("\n\n") if not part.startswith(WINDOW[locale])
    )
    assert said.count(word_date(catalogs, locale, last)) == 1, verdict.text


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("name", "answers"),
    [("117net.toml", ["yes", "no"]), ("pop-to-imap.toml", ["yes", "yes", "no"])],
)
def test_on_the_old_outgoing_servers_last_day_today_is_dated_once(
    catalogs: Catalogs, name: str, answers: list[str], locale: Locale
) -> None:
    # A "recommended" change on 20 June said 「今の設定で送信できるのは、従来の送信サーバーが
    # 使える本日（2008年6月20日(金)）までです。…」 and 「従来のサーバーは、受信・送信とも本日
    # （2008年6月20日(金)）までご利用いただけます。…」.
    profile = load_profile(EXAMPLES / name)
    last = profile.schedule.old_smtp_until
    assert last is not None
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=last)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    verdict = driver.verdict()
    assert verdict.sending is Sending.RECOMMENDED
    assert {"ja": "本日中に設定を変更してください", "en": "please change them today"}[locale] in (
        verdict.text
    )
    said = "\n\n".join(
        part for part in verdict.text.split("\n\n") if not part.startswith(WINDOW[locale])
    )
    assert said.count(word_date(catalogs, locale, last)) == 1, verdict.text
