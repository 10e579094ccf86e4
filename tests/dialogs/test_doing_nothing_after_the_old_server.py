"""「何もしないとどうなりますか」 after the old receiving server stopped says that day's truth once.

On 2008-06-21 the answer said 「設定を変更するまで新しいメールを受信できません」 and the old
servers' line after it 「…利用できなくなりました。新しいサーバーに届いたメールは、設定を変更する
と受信できます。」; where the receiving name stays, 「メールはこれまでどおりサーバーに届いています
ので、設定を変更すれば受信できます」 and the same again in the line (English likewise). The
answer now says it as it is that day: the current settings receive nothing, change now to
receive again; the old servers' line names their days alone.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver
from tests.dialogs.test_sending_later import first_phase as receiving_first

HERE: Final = Path(__file__).resolve().parent
EXAMPLES: Final = HERE.parents[1] / "examples"
ASKED: Final = {"ja": "何もしないとどうなりますか", "en": "What happens if I do nothing?"}
# Every way the texts promise the mail once the settings change.
RECEIVED_ONCE_CHANGED: Final = {
    "ja": re.compile(r"受信できます|受信できるようになります"),
    "en": re.compile(
        r"can receive it|can be received|you receive it|will arrive|receive (?:it |mail )?again"
    ),
}
NOW: Final = {"ja": "すぐに", "en": "now"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name",
    [
        "117net.toml",  # the notice: both servers on one day
        "pop-to-imap.toml",  # any profile's words, sending still up
        "cable-tv-hosted-imap.toml",  # sending stopped first
        "tls-required-one-host.toml",  # both names kept
        "pop-name-kept-smtp-moves.toml",  # the receiving name kept
        "pop-moves-smtp-name-kept.toml",  # the outgoing name kept
        "pop-moves-smtp-unchanged.toml",  # only receiving changes
        "mozu_receiving_second.toml",  # receiving in the second phase
        "receiving first",  # receiving in the first phase, sending in the next
    ],
)
def test_doing_nothing_after_the_old_receiving_server_stopped_is_said_once(
    catalogs: Catalogs, name: str, locale: Locale, tmp_path: Path
) -> None:
    if name == "receiving first":
        profile = receiving_first(tmp_path)
    else:
        profile = load_profile(HERE / name if (HERE / name).exists() else EXAMPLES / name)
    gone = profile.schedule.old_pop_until
    assert gone is not None
    for day in (gone + dt.timedelta(days=1), gone + dt.timedelta(weeks=3)):
        driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
        driver.start(locale)
        driver.type(ASKED[locale])
        said = driver.said()
        assert len(RECEIVED_ONCE_CHANGED[locale].findall(said)) == 1, said
        # Today's truth: change now; the day it stopped is still named.
        assert NOW[locale] in said, said
        assert word_date(catalogs, locale, gone) in said, said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_before_the_old_receiving_server_stops_the_answer_is_as_it_was(
    catalogs: Catalogs, locale: Locale
) -> None:
    # On the last day the old server still delivers: the line says how long, nothing is
    # "no longer" yet.
    profile = load_profile(EXAMPLES / "117net.toml")
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 20))
    driver.start(locale)
    driver.type(ASKED[locale])
    said = driver.said()
    assert {"ja": "もう受信できません", "en": "no longer receive"}[locale] not in said, said
    assert {"ja": "本日", "en": "today"}[locale] in said, said


# Where only sending changes, 「何もしないと？」 said 「受信は今までどおりできます」 and the old
# sending server's line after it 「受信の設定は変わりません」 (en likewise), on every day; in a
# first phase whose receiving moves next, beside 「受信の設定は、…次の段階で変わります」.
RECEIVING_STAYS: Final = {
    "ja": re.compile(r"受信は今までどおり|受信の設定は変わりません"),
    "en": re.compile(r"Receiving goes on as before|receiving settings do not change"),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name", ["op25b-sending-only.toml", "mozu_sending_first.toml", "northlight.toml"]
)
def test_doing_nothing_where_only_sending_changes_says_receiving_stays_once(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = load_profile(HERE / name if (HERE / name).exists() else EXAMPLES / name)
    last = profile.schedule.old_smtp_until
    assert last is not None
    for day in (profile.schedule.window_start, last, last + dt.timedelta(days=1)):
        driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
        driver.start(locale)
        driver.type(ASKED[locale])
        said = driver.said()
        stays = len(RECEIVING_STAYS[locale].findall(said))
        # Northlight moves both: nothing says receiving stays.
        assert stays == (0 if name == "northlight.toml" else 1), said
