"""What a verdict means on a given day: the flowchart's leaves read against the schedule.

The notice's flowchart was written for the settings-change window. Its "recommended"
leaves rest on the old servers still answering ("現在の設定でもご利用が可能",
"従来の設定(POP before SMTP)でご利用が可能"): once the old SMTP server is gone
(`old_smtp_until`), sending through it is impossible and those leaves say "required".
Before the window opens nothing should be changed yet, so the settings come with a
"wait until" instead of as if the switch had happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from dialogs.flowchart import Flowchart, Leaf, Reading, Wording
from dialogs.knowledge import Timing, Window, for_profile, for_window
from dialogs.texts import N_
from dialogs.vocabulary import Receiving, Sending

_OLD_SMTP_GONE: Final = Wording(key=N_("verdict.sending_required_old_gone"))
_OLD_SMTP_LAST_DAY: Final = Wording(key=N_("verdict.sending_recommended_last_day"))
_CANNOT_SEND_NOW: Final = Wording(key=N_("verdict.sending_recommended_cannot_send"))
_CANNOT_SEND_ELSEWHERE: Final = Wording(key=N_("verdict.sending_not_needed_cannot_send"))
# The wordings naming the old outgoing server's last day that have a twin without it, for a
# verdict whose old servers' days follow (verdict_dates.po).
_DATED_BELOW: Final = frozenset(
    {
        N_("verdict.sending_required_old_gone"),
        N_("verdict.sending_required_old_gone.hosts_kept"),
        N_("verdict.sending_recommended_last_day"),
        N_("verdict.sending_recommended_last_day.hosts_kept"),
    }
)


def sending_today(sending: Sending, when: Timing) -> Sending:
    """The sending verdict on `when`'s day: "recommended" is "required" once old SMTP is gone."""
    if sending is Sending.RECOMMENDED and not when.old_smtp_up:
        return Sending.REQUIRED
    return sending


def verdict_wording(leaf: Leaf, when: Timing, *, cannot_send: bool = False) -> Wording:
    """The explanation of a flowchart leaf's verdict on `when`'s day.

    A leaf's words about sending rest on the old server answering (the old settings still
    send, or fail only where port 25 is blocked); once it is gone nothing sends the old way,
    so every leaf that changes sending says that, and why. Its words also
    say the current settings still send: not to a subscriber who has just said they do not
    (`cannot_send`), who is asked to change them, the fix the bot has already given.
    """
    if leaf.sending is not Sending.NOT_NEEDED and not when.old_smtp_up:
        # A verdict that changes receiving goes on to the schedule and the old servers' days.
        return Wording(
            key=old_smtp_gone_key(when, days_follow=leaf.receiving is Receiving.REQUIRED)
        )
    if leaf.sending is Sending.RECOMMENDED and cannot_send:
        return _CANNOT_SEND_NOW
    if leaf.sending is Sending.RECOMMENDED and when.old_smtp_last_day:
        # 「当面は送信できます」 beside 「本日中に変更をお願いします」: they send until today only.
        return Wording(
            key=old_smtp_last_day_key(when, days_follow=leaf.receiving is Receiving.REQUIRED)
        )
    if leaf.sending is Sending.NOT_NEEDED and leaf.receiving is Receiving.REQUIRED and cannot_send:
        # 「送信できません」, then "not our outgoing server": "it can stay as it is" alone
        # would leave them where they were; where to look, and the way back if it is ours.
        return _in_profile_words(_CANNOT_SEND_ELSEWHERE, when)
    return leaf.text


def old_smtp_gone_key(when: Timing, *, days_follow: bool) -> str:
    """The sending verdict once the old outgoing server is gone, in the profile's words.

    `days_follow`: the old servers' days are said after it (the verdict of a profile that
    changes receiving too, the resumed conversation's schedule), so it does not name the
    day itself: it was said twice (「従来の送信サーバーは6月20日(金)で利用できなくなりました」,
    then 「従来のサーバーは6月20日(金)で…」).
    """
    key = for_profile(_OLD_SMTP_GONE.key, when)
    return f"{key}.dated_below" if days_follow and key in _DATED_BELOW else key


def old_smtp_last_day_key(when: Timing, *, days_follow: bool) -> str:
    """A "recommended" sending verdict on the old outgoing server's last day.

    `days_follow` as for `old_smtp_gone_key`: 「…使える本日（2008年6月20日(金)）までです」 and
    then 「従来のサーバーは、受信・送信とも本日（2008年6月20日(金)）までご利用いただけます」.
    """
    key = for_profile(_OLD_SMTP_LAST_DAY.key, when)
    return f"{key}.dated_below" if days_follow and key in _DATED_BELOW else key


def _in_profile_words(wording: Wording, when: Timing) -> Wording:
    """The wording for a profile that keeps its host names, where it has one."""
    key = for_profile(wording.key, when)
    return wording if key == wording.key else Wording(key=key)


# The questions whose "yes" (or "not sure") says the current settings may not send from where
# the subscriber is: another network (the seed's Q2), a port 25 blocked there (Q4).
_WHERE_THEY_ARE: Final = frozenset({Reading.OTHER_NETWORK, Reading.OP25B})


def may_not_send_today(
    sending: Sending | None, flowchart: Flowchart, answers: Mapping[str, str]
) -> bool:
    """Whether a "required" sending verdict says the current settings may not send today.

    In the seed it does: its only "required" leaves follow 「Outbound Port25 Blocking」 answered
    yes or not sure. In a profile whose every mail program sends through a new server
    ("required" because the server moves) the old one sends until the window and after:
    told 「お使いの接続先からは今の設定では送信できないことがあり」 before the window, a
    subscriber of such a profile heard of a block no question had asked about. So: a question
    of the profile asks where they send from, and they did not answer it "no" (unanswered, as
    when the settings are asked for without the questions, may be blocked).
    """
    return sending is Sending.REQUIRED and any(
        question.reading in _WHERE_THEY_ARE and answers.get(question.id) != "no"
        for question in flowchart.questions.values()
    )


def settings_lead_keys(when: Timing, sending: Sending | None = None) -> tuple[str, ...]:
    """What to say before the card: before the window, that nothing is to be changed yet.

    A "required" sending verdict may mean the current settings send nothing today (port 25
    blocked where they are): "they keep working until then" would be false for them, so
    they hear that sending works once the window has opened and the settings are changed.
    """
    if when.window is Window.BEFORE:
        wait = N_("settings.wait_for_window")
        if sending is Sending.REQUIRED:
            wait = N_("settings.wait_for_window.cannot_send")
        return (for_window(wait, when),)
    return ()


def offers_check(when: Timing) -> bool:
    """Whether the live login check may be offered today.

    It logs in with the new settings, which before the window the subscriber is told not to
    use yet: a failure then would say something is wrong with settings that are right, and a
    pass would invite a change before its time.
    """
    return when.window is not Window.BEFORE


def offers_config_file(when: Timing) -> bool:
    """Whether a configuration file may be offered today.

    Installing one adds an account on the new server; before the window opens, mail still
    arrives on the old one, so the file would only be a second, empty account.
    """
    return when.window is not Window.BEFORE
