"""What a verdict means on a given day: the flowchart's leaves read against the schedule.

The notice's flowchart was written for the settings-change window. Its "recommended"
leaves rest on the old servers still answering ("現在の設定でもご利用が可能",
"従来の設定(POP before SMTP)でご利用が可能"): once the old SMTP server is gone
(`old_smtp_until`), sending through it is impossible and those leaves say "required".
Before the window opens nothing should be changed yet, so the settings come with a
"wait until" instead of as if the switch had happened.
"""

from __future__ import annotations

from typing import Final

from dialogs.knowledge import Timing, Window
from dialogs.questionnaire import Stage
from dialogs.texts import N_
from dialogs.vocabulary import Sending

_VERDICT_KEYS: Final[dict[Stage, str]] = {
    Stage.WEBMAIL_ONLY: N_("verdict.webmail_only"),
    Stage.OWN_LINE_RECOMMENDED: N_("verdict.own_line_recommended"),
    Stage.SENDING_NOT_NEEDED: N_("verdict.sending_not_needed"),
    Stage.POP_BEFORE_SMTP_RECOMMENDED: N_("verdict.pop_before_smtp_recommended"),
    Stage.SENDING_REQUIRED: N_("verdict.sending_required"),
}


def sending_today(sending: Sending, when: Timing) -> Sending:
    """The sending verdict on `when`'s day: "recommended" is "required" once old SMTP is gone."""
    if sending is Sending.RECOMMENDED and not when.old_smtp_up:
        return Sending.REQUIRED
    return sending


def verdict_key(stage: Stage, when: Timing) -> str:
    """Catalog key of the sending verdict of a flowchart leaf on `when`'s day."""
    recommended = (Stage.OWN_LINE_RECOMMENDED, Stage.POP_BEFORE_SMTP_RECOMMENDED)
    if stage in recommended and not when.old_smtp_up:
        return N_("verdict.sending_required_old_gone")
    return _VERDICT_KEYS[stage]


def settings_lead_keys(when: Timing) -> tuple[str, ...]:
    """What to say before the card: before the window, that nothing is to be changed yet."""
    if when.window is Window.BEFORE:
        return (N_("settings.wait_for_window"),)
    return ()


def offers_config_file(when: Timing) -> bool:
    """Whether a configuration file may be offered today.

    Installing one adds an account on the new server; before the window opens, mail still
    arrives on the old one, so the file would only be a second, empty account.
    """
    return when.window is not Window.BEFORE
