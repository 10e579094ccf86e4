"""A second ISP's slips in its own profile: the line names the file, the key and the fix.

Written from `examples/imap-local-part-new-year.toml`. `tests/bot/ops/test_profile_mistakes.py`
holds the slips whose lines already said what to write; these said only what was wrong
(`is not a known key (known: …)` with the right key somewhere in a list of thirteen,
`is before schedule.window_start` without either day, a host name with a space read as any
other bad name) or refused what the profile cannot say (an OAuth-only login, a migration in
waves) as a typo, without what the ISP can write instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "imap-local-part-new-year.toml"

MISTAKES: Final = [
    # A merger into a domain whose own addresses stay: what to serve instead.
    (
        'affected_domains = ["hoshizora.example.ne.jp", "biz.hoshizora.example.jp"]',
        'affected_domains = ["hoshizora.example.ne.jp", "biz.hoshizora.example.jp"]\n'
        'new_domain = "hoshizora.example.ne.jp"',
        "[provider.new_domain] 'hoshizora.example.ne.jp' is one of affected_domains: the new"
        " domain must differ from every old one; a domain merged into one whose own addresses"
        " stay (biz.hoshizora.example.jp → hoshizora.example.ne.jp) cannot be said in one"
        ' profile yet: serve two, one with affected_domains = ["hoshizora.example.ne.jp"] and'
        " no new_domain,",
    ),
    # The hours in one language only: Japanese subscribers heard them, English ones nothing.
    (
        'hours_en = "weekdays 9:00-17:00 (closed 12:00-13:00)"\n',
        "",
        "[support.hours_en] says no hours while hours_ja says '平日9時〜17時（12時〜13時を除く）':"
        " write the hours in both languages (or leave both out)",
    ),
    # One name where a list goes, and a protocol as notices name it.
    (
        'old_hosts = ["mail.hoshizora.example.ne.jp"]',
        'old_hosts = "mail.hoshizora.example.ne.jp"',
        "[outgoing.old_hosts] must be a list, even of one:"
        ' old_hosts = ["mail.hoshizora.example.ne.jp"]',
    ),
    (
        'protocol = "imap"',
        'protocol = "imap4"',
        "[incoming.protocol] 'imap4' is not one of pop3, imap: IMAP is written \"imap\" (its"
        " encryption goes in security)",
    ),
    # Another provider's operator (profiles): words written where a catalog key goes, one
    # language only, a host with its port, a port twice, a day the month does not have.
    (
        'text = "verdict.webmail_only"',
        'text = "No settings to change."',
        "[questionnaire.leaves.webmail_only.text] 'No settings to change.' is read as a catalog"
        ' key, and no catalog has it: write your own words in both languages, { ja = "…", en ='
        ' "…" }',
    ),
    (
        'text = { ja = "メールソフト（Outlook、Thunderbird、スマートフォンのメールアプリなど）で、'
        'ほしぞらネットのメールを読んだり送ったりしていますか？", en = ',
        "text = { en = ",
        "[questionnaire.questions.uses_program.text] inline text needs both ja and en: it has"
        " no ja; write",
    ),
    (
        'new_host = "imap.hoshizora.example.ne.jp"',
        'new_host = "imap.hoshizora.example.ne.jp:993"',
        "[incoming.new_host] 'imap.hoshizora.example.ne.jp:993' is not a host name like"
        " mail.example.jp: write the host name alone (imap.hoshizora.example.ne.jp) and the port"
        " in port or ports",
    ),
    (
        'ports = [{port = 993, security = "tls"}, {port = 143, security = "starttls"}]',
        'ports = [{port = 993, security = "tls"}, {port = 993, security = "starttls"}]',
        "[incoming.ports] names port 993 twice: write each port once",
    ),
    (
        "[schedule]",
        '[outgoing.check]\nconnect_host = "127.0.0.1:2525"\n\n[schedule]',
        "[outgoing.check.connect_host] '127.0.0.1:2525' is not a host name or an IP address:"
        " write the host alone (127.0.0.1); the check connects on the server's port or ports",
    ),
    (
        "window_end = 2028-01-21",
        "window_end = 2028-02-30",
        "is not valid TOML: Invalid date or datetime (at line 47, column 14):"
        " window_end = 2028-02-30",
    ),
    # A key one letter off: the line names the key meant.
    (
        'login_methods = ["password"]\n# The part',
        'login_method = ["password"]\n# The part',
        "[incoming.login_method] is not a known key: did you mean login_methods?",
    ),
    (
        'timezone = "Asia/Tokyo"',
        'time_zone = "Asia/Tokyo"',
        "[provider.time_zone] is not a known key: did you mean timezone?",
    ),
    (
        "[support.desk_hours]",
        "[support.desk_hour]",
        "[support.desk_hour] is not a known key: did you mean desk_hours?",
    ),
    (
        "old_smtp_until = 2028-01-21",
        "old_smpt_until = 2028-01-21",
        "[schedule.old_smpt_until] is not a known key: did you mean old_smtp_until?",
    ),
    (
        "[questionnaire.leaves.webmail_only]",
        "[questionnaire.leave.webmail_only]",
        # The known keys as [incoming]'s line lists them, not as a Python list.
        "[questionnaire.leave] is not a key here: did you mean leaves?"
        " (known: leaves, questions, start)",
    ),
    # The window the wrong way round: both days, and what is meant.
    (
        "window_end = 2028-01-21",
        "window_end = 2027-11-21",
        "[schedule.window_end] 2027-11-21 is before schedule.window_start 2027-12-06: the"
        " window's last day must be on or after its first (the same day for a single"
        " cut-over day)",
    ),
    # A space in a host name, where it cannot be seen in the quoted value at a glance.
    (
        'new_host = "imap.hoshizora.example.ne.jp"',
        'new_host = "imap.hoshizora .example.ne.jp"',
        "[incoming.new_host] 'imap.hoshizora .example.ne.jp' is not a host name like"
        " mail.example.jp: it has a space; remove it",
    ),
    (
        'old_hosts = ["mail.hoshizora.example.ne.jp"]',
        'old_hosts = ["mail.hoshizora.example.ne.jp "]',
        "[outgoing.old_hosts] 'mail.hoshizora.example.ne.jp ' is not a host name like"
        " mail.example.jp: it has a space; remove it",
    ),
    # What mailmove cannot say: why, and what the ISP can write instead.
    (
        'login_methods = ["password"]\n# The part',
        'login_methods = ["oauth2"]\n# The part',
        "[incoming.login_methods] 'oauth2' is not one of password, cram-md5, apop: mailmove"
        " cannot guide a login by OAuth alone",
    ),
    (
        'login_methods = ["password"]\nlogin_name = "local-part"\nold_login_name = "address"'
        "\n\n[schedule]",
        'login_methods = ["XOAUTH2"]\nlogin_name = "local-part"\nold_login_name = "address"'
        "\n\n[schedule]",
        '[password] kind = "app"',
    ),
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\nwaves = [{customers = 'A', window_start = 2028-02-01}]",
        "[schedule.waves] mailmove cannot say a migration in waves: one profile has one window."
        " Write one profile per wave",
    ),
    # Waves told by their shape, or by what a group is told by, where the name says nothing
    # of waves: each read as a typo ('is not a known key', 'must be a date') said nothing of
    # one profile per wave.
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\n\n[schedule.a_to_m]\nwindow_start = 2028-02-01",
        "[schedule.a_to_m] mailmove cannot say a migration in waves: one profile has one window."
        " Write one profile per wave",
    ),
    (
        "window_start = 2027-12-06",
        "window_start = [2027-12-06, 2028-02-01]",
        "[schedule.window_start] has 2 days, one per group: mailmove cannot say a migration in"
        " waves",
    ),
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\ncontract_numbers = 'A00000-A49999'",
        "[schedule.contract_numbers] mailmove cannot say a migration in waves",
    ),
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\n\n[[stages]]\nname = 'a-m'\nwindow_start = 2028-02-01",
        "[stages] mailmove cannot say a migration in waves",
    ),
    # A window for each service (sending first, receiving later): not a typo of window_start
    # ('did you mean window_start?' led the writer to one window for both, and the later
    # server was given out before it answered), nor groups of subscribers (waves).
    (
        "window_start = 2027-12-06",
        "window_start = 2027-12-06\nsmtp_window_start = 2027-11-01",
        "[schedule.smtp_window_start] mailmove cannot say a window for each service (sending"
        " first, receiving later): one profile has one window",
    ),
    (
        "window_start = 2027-12-06",
        "window_start = 2027-12-06\nreceiving_from = 2028-02-01",
        "[schedule.receiving_from] mailmove cannot say a window for each service",
    ),
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\n\n[schedule.sending]\nwindow_start = 2027-11-01",
        "[schedule.sending] mailmove cannot say a window for each service",
    ),
    # How a notice words it, not how the profile does: each line says what to write.
    (
        'ports = [{port = 993, security = "tls"}',
        'ports = [{port = 993, security = "SSL/TLS"}',
        "[incoming.ports[0].security] 'SSL/TLS' is not one of none, starttls, tls: SSL/TLS"
        ' (implicit TLS, as on 995, 993 and 465) is written "tls"',
    ),
    (
        '\nsecurity = "starttls"\n',
        '\nsecurity = "STARTTLS"\n',
        "[outgoing.security] 'STARTTLS' is not one of none, starttls, tls: write it in lower"
        ' case, "starttls"',
    ),
    (
        'affected_domains = ["hoshizora.example.ne.jp",',
        'affected_domains = ["@hoshizora.example.ne.jp",',
        "[provider.affected_domains] '@hoshizora.example.ne.jp' is not a host name like"
        " mail.example.jp: write the domain without the @ (hoshizora.example.ne.jp)",
    ),
    (
        "[support]",
        '[password]\nkind = "post"\nletter = "郵送でお届けした「ご案内」"\n\n[support]',
        '[password.letter] must be a table of both languages: letter = { ja = "…", en = "…" }',
    ),
    (
        "[support]",
        '[password]\nkind = "letter"\n\n[support]',
        "[password.kind] 'letter' is not one of new, app, post, email: a password sent in a"
        ' letter is kind = "post"',
    ),
    # The desk's closed days (holidays, the New Year break): a day in quotes is text to TOML,
    # a run of them must end after it starts and be a break, not a desk that is not there.
    (
        'mon = "09:00-12:00,13:00-17:00"',
        'closed = ["2027-12-29"]\nmon = "09:00-12:00,13:00-17:00"',
        "[support.desk_hours] closed: '2027-12-29' is not a date such as 2027-02-11, written"
        " without quotes: 2027-12-29",
    ),
    (
        'mon = "09:00-12:00,13:00-17:00"',
        'closed = [{from = 2028-01-03, until = 2027-12-29}]\nmon = "09:00-12:00,13:00-17:00"',
        "[support.desk_hours] closed: {from = 2028-01-03, until = 2027-12-29} ends before it"
        " starts",
    ),
    (
        'mon = "09:00-12:00,13:00-17:00"',
        'closed = [{from = 2027-12-01, until = 2028-01-31}]\nmon = "09:00-12:00,13:00-17:00"',
        "[support.desk_hours] closed: {from = 2027-12-01, until = 2028-01-31} is 62 days; a run"
        " of more than 31 is not a holiday",
    ),
    (
        'mon = "09:00-12:00,13:00-17:00"',
        'holidays = [2028-01-10]\nmon = "09:00-12:00,13:00-17:00"',
        "[support.desk_hours] holidays: not a weekday; the days the desk is shut are written"
        " closed = [2028-01-10, {from = …, until = …}]",
    ),
    # A table in [schedule] without a day of its own is not a wave: its key is unknown.
    (
        "old_smtp_until = 2028-01-21",
        "old_smtp_until = 2028-01-21\n\n[schedule.old_servers]\npop = 2028-01-31",
        "[schedule.old_servers] is not a known key",
    ),
    # A slip of [schedule] is a typo, not waves, though it holds the days.
    (
        "[schedule]",
        "[schedlue]",
        "[schedlue] is not a known key: did you mean schedule?",
    ),
]


def mistaken(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text("utf-8")
    assert old in text, old
    path = tmp_path / "hoshizora.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), MISTAKES)
def test_the_line_says_what_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    path = mistaken(tmp_path, old, new)
    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: "), err
    assert message in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_a_key_unlike_any_known_one_is_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mistaken(tmp_path, 'timezone = "Asia/Tokyo"', 'timezone = "Asia/Tokyo"\ncolour = 3')
    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[provider.colour] is not a known key (known: " in err, err
    assert "did you mean" not in err, err
    # A key of a newer mailmove, put in during a rolling upgrade, stops the older replica:
    # the line says what to do (profiles; leftover (c)).
    assert "if a newer mailmove reads it, leave it out until every replica runs" in err, err
