"""The model a `transitions` event runs on for one turn: it changes facts and collects replies.

A `Turn` lives for one step. It starts from the stored `DialogState`, the shared machine
moves its `state` attribute, and `result()` freezes it back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from typing import Final

from transitions import Machine

from dialogs import advice, check_words, feedback, frozen, pieces, understanding
from dialogs.desk_hours import WEEKDAYS, span_text
from dialogs.desk_message import (
    CARRY_ON,
    LEAVE_MESSAGE,
    has_callback,
    phone_in,
    says_only_how_to_call,
    withdraws,
)
from dialogs.diagnosis import Diagnosis, Proof, diagnose
from dialogs.facts import word_date
from dialogs.flowchart import ANSWERS, Leaf, Question, Reading, Wording
from dialogs.guide_text import guide_steps, guide_title, numbered
from dialogs.knowledge import (
    TOPIC_LABEL_KEYS,
    Timing,
    Topic,
    Window,
    address_change_keys,
    address_fate_keys,
    address_sender_keys,
    answer_keys,
    days_alone,
    for_profile,
    for_window,
    old_server_key,
    password_reset_keys,
    timing,
)
from dialogs.mail_config_files import apple_file_fits
from dialogs.mail_programs import (
    GMAIL_ON_APPLE,
    OUTLOOK_AMBIGUOUS,
    MailProgram,
    label_key,
    windows_own_mail,
)
from dialogs.profile import CheckAccess, LoginName, MigrationProfile, Protocol, Security, Webmail
from dialogs.prompts import SKIP_AT, ask, program_or_other, say
from dialogs.questionnaire import Position, Stage, position
from dialogs.reading.answers import READ
from dialogs.reading.call_wanted import wants_a_call
from dialogs.reading.emoji_only import emoji_only, worried
from dialogs.reading.new_settings_tried import tried_the_new_settings
from dialogs.reading.picture_words import about_the_picture
from dialogs.reading.problems import Problem, recognise_problem
from dialogs.reading.program_names import (
    GMAIL_POP_FETCH_ENDING,
    GMAIL_POP_FETCH_ENDING_KEY,
    NO_GUIDE_KEYS,
    NoGuide,
)
from dialogs.reading.romaji import in_kana
from dialogs.reading.said_right import (
    asks_about_the_account,
    asks_if_right,
    names_the_whole_address,
    says_it_is_right,
)
from dialogs.reading.said_settings import USERNAME, typed_settings
from dialogs.reading.sending_kept_asked import asks_whether_sending_stays
from dialogs.reading.small_talk import SmallTalk, greeted_at, opened_at, sends_regards
from dialogs.reading.stage_reading import (
    ADDRESS_AFTER_YES,
    ADDRESS_QUESTIONS,
    ADDRESS_WHICH,
    ANOTHER_SERVICE,
    CHECK_AFTER_THE_CARD,
    CHOOSING_PROGRAM,
    COMPUTER,
    EXPLAIN_QUESTION,
    FOREIGN_SMTP,
    GMAIL_NAMED,
    IS_IT_RIGHT,
    LINE_NAMED,
    ON_PAPER,
    PHONE_ASKED,
    PHONE_NUMBER,
    SPOKEN_ADDRESS,
    TERM,
    WHERE_SMTP_SHOWS,
    WHERE_TO_TYPE,
    WHETHER_TO_CHANGE,
    login_domains,
    read_text,
    redact_typed,
)
from dialogs.reading.told_before import may_change, told_answers
from dialogs.redaction import looks_like_a_password, perhaps_a_password
from dialogs.resume import resume_stage
from dialogs.sending_elsewhere import sending_elsewhere
from dialogs.settings_card import CardFacts, SmtpHost, card_items, skip_domains
from dialogs.speaker import Speaker, unsaid
from dialogs.state import (
    CHECK_FAILURE_LIMIT,
    MISUNDERSTOOD_LIMIT,
    DialogState,
    Signal,
    StepContext,
    StepResult,
)
from dialogs.texts import N_
from dialogs.understanding import Intent, Kind
from dialogs.vocabulary import (
    APPLE_PROFILE_PLACEHOLDER,
    CHECK_LINK_PLACEHOLDER,
    EDITED_CHOICE,
    FORWARDED_CHOICE,
    LOCATION_CHOICE,
    STICKER_CHOICE,
    Choice,
    ChoicesReply,
    FileReply,
    LinkReply,
    Locale,
    Receiving,
    Reply,
    Sending,
    SettingsReply,
    SystemEvent,
    TextReply,
    VerdictReply,
)

# The most of one message the dialog reads: the web chat's own limit. Telegram lets 4,096
# characters through, LINE 5,000, Slack 40,000, and the turn holds the event loop while it
# reads: some patterns take time quadratic in the length of a run they allow (「、、、…」),
# so Slack's longest took minutes. No answer, question or error text needs more; the
# transcript keeps the first 4,000 (masked, read for a password 1,000 further) and says how
# long the message was (`bot.engine.KEPT_LENGTH`), and so does a message left for the desk.
READ_LENGTH: Final = 2000
_APPLE_PROGRAMS: Final = frozenset({MailProgram.APPLE_MAIL, MailProgram.IOS_MAIL})
# Another webmail collecting the mail over an encrypted connection must be told to encrypt:
# without it the new port does not answer. Gmail's fetcher has only an SSL box (implicit
# TLS); other services' screens differ, so theirs names the encryption for any.
_ENCRYPTED_WEBMAIL: Final[dict[str, tuple[str, frozenset[Security]]]] = {
    N_("program.gmail_web"): (N_("program.gmail_web.encrypted"), frozenset({Security.TLS})),
    N_("program.gmail_web.receiving_only"): (
        N_("program.gmail_web.encrypted.receiving_only"),
        frozenset({Security.TLS}),
    ),
    N_("program.gmail_web.receiving_only.kept"): (
        N_("program.gmail_web.encrypted.receiving_only.kept"),
        frozenset({Security.TLS}),
    ),
    N_("program.other_webmail"): (
        N_("program.other_webmail.encrypted"),
        frozenset({Security.TLS, Security.STARTTLS}),
    ),
}


def _with_encryption(key: str, security: Security) -> str:
    """`key`, or its twin that names the encryption where the receiving server uses it."""
    encrypted, when = _ENCRYPTED_WEBMAIL.get(key, (key, frozenset()))
    return encrypted if security in when else key


_OUTLOOKS: Final = frozenset(
    {OUTLOOK_AMBIGUOUS, MailProgram.OUTLOOK_NEW.value, MailProgram.OUTLOOK_CLASSIC.value}
)
# What a subscriber reports when sending fails today, in words or by the server's error.
# Symptoms said without an error on the screen (「送信できません」): the way to a person after
# their checks says 「うまくいかない場合は」, not 「同じ表示が続く場合は」, which presumes a
# message they never saw (an error without its text was seen: it keeps the other).
_NOTHING_SHOWN: Final = frozenset({Problem.CANT_SEND, Problem.CANT_RECEIVE, Problem.MAIL_MISSING})
_SENDING_PROBLEMS: Final = frozenset(
    {Problem.CANT_SEND, Problem.SEND_CONNECT, Problem.AUTH_MISSING, Problem.RELAY_DENIED}
)
# 「送信の設定が従来のままの可能性があります」 and its kin, for a subscriber who has just said
# they changed to the new settings: what a new setting that fails needs checked instead.
_CANT_SEND_NEW_SETTINGS_TRIED: Final[dict[str, str]] = {
    N_("problem.cant_send"): N_("problem.cant_send.new_settings_tried"),
    N_("problem.cant_send.old_gone"): N_("problem.cant_send.new_settings_tried"),
    N_("problem.cant_send.hosts_kept"): N_("problem.cant_send.new_settings_tried.hosts_kept"),
    N_("problem.cant_send.old_gone.hosts_kept"): N_(
        "problem.cant_send.new_settings_tried.hosts_kept"
    ),
}
# 「受信サーバーを…に変更すると受信できます」 and its kin, for a subscriber who has just said
# they changed to the new settings: what a new receiving setting that fails needs checked.
_CANT_RECEIVE_NEW_SETTINGS_TRIED: Final[dict[str, str]] = {
    N_("problem.cant_receive"): N_("problem.cant_receive.new_settings_tried"),
    N_("problem.cant_receive.any"): N_("problem.cant_receive.new_settings_tried"),
    N_("problem.cant_receive.old_gone"): N_("problem.cant_receive.new_settings_tried"),
    N_("problem.cant_receive.any.old_gone"): N_("problem.cant_receive.new_settings_tried"),
    N_("problem.cant_receive.hosts_kept"): N_("problem.cant_receive.new_settings_tried.hosts_kept"),
    N_("problem.cant_receive.hosts_kept.old_gone"): N_(
        "problem.cant_receive.new_settings_tried.hosts_kept"
    ),
}
# The same where the account is not the whole address: the profile's {login} instead.
_CANT_RECEIVE_NEW_SETTINGS_TRIED_ANY: Final[dict[str, str]] = {
    key: N_("problem.cant_receive.new_settings_tried.hosts_kept.any")
    if tried.endswith(".hosts_kept")
    else N_("problem.cant_receive.new_settings_tried.any")
    for key, tried in _CANT_RECEIVE_NEW_SETTINGS_TRIED.items()
}
# The same fix said at the question of the provider's outgoing server, before its answer:
# for who sends through it, with the other company's server's case beside it.
_CANT_SEND_SMTP_UNKNOWN: Final[dict[tuple[str, ...], tuple[str, ...]]] = {
    (N_("problem.cant_send"),): (N_("problem.cant_send.smtp_unknown"),),
    (N_("problem.cant_send.hosts_kept"),): (N_("problem.cant_send.smtp_unknown.hosts_kept"),),
}
_SMTP_ANSWERS: Final[dict[Kind, SmtpHost]] = {
    Kind.YES: SmtpHost.OLD,
    Kind.NO: SmtpHost.OTHER,
    Kind.UNSURE: SmtpHost.UNSURE,
}
_ANSWER_LABELS: Final[dict[Kind, str]] = {
    Kind.YES: N_("choice.yes"),
    Kind.NO: N_("choice.no"),
    Kind.UNSURE: N_("choice.unsure"),
}
# Where the password is typed, asked at the check's address (「パスワードもここに入れるの？」),
# not whether it changes (「パスワードは変わりますか」 is the migration's question there too).
_WHERE_IT_GOES: Final = re.compile(
    r"ここ|どこ|入れ|いれ|入力|にゅうりょく|打|どうすれば|どうしたら"
    r"|\b(?:here|where|type|enter|put)\b"
)
# A message that opens with a bare no and a comma: 「いいえ、送れません」 "No, I can't send".
_BARE_NO_FIRST: Final = re.compile(r"\s*(?:いいえ|いえ|no)\s*[、,]", re.IGNORECASE)
# What words at a question may be instead of its answer: an answer to an earlier question
# (`Turn._earlier_answer_told`). Not a problem, a person asked for, a program named.
_MAY_ANSWER_EARLIER: Final = frozenset({Kind.YES, Kind.NO, Kind.UNSURE, Kind.UNKNOWN})
# What 「送信の設定は変えなくていいの？」 was read as: the servers' question, the verdict again
# (「そのままでいいですか」), a question not understood.
_SENDING_KEPT_READ_AS: Final = frozenset(
    {Kind.TOPIC, Kind.CHOICE, Kind.UNKNOWN, Kind.QUESTION, Kind.YES, Kind.NO}
)
# A classic Outlook's year alone (「2016です」「2019年版です」), once Outlook was named.
_OUTLOOK_YEAR: Final = re.compile(
    r"(?:outlook|アウトルック)?\s*20(?:10|13|16|19|21|24)\s*(?:年)?\s*(?:版|バージョン|ばん)?"
    r"\s*(?:です|かな|だと(?:思|おも)います)?[。.!！\s]*"
)
# Why the bot hands a subscriber to the desk other than their asking (the intent's value):
# the desk reads it as the reason, not 「お客様が担当者を希望」.
PASSWORD_FORGOTTEN_REASON: Final = "forgotten_password"  # noqa: S105 (a reason id)
# The desk's closed days said with its hours: those of the next two months (the New Year
# break seen from mid-December, a holiday of the window), at most three runs and "and more".
_CLOSED_DAYS_AHEAD: Final = 60
_CLOSED_RUNS_SAID: Final = 3
_HANDOFF_REASON_KEYS: Final[dict[str, str]] = {
    "still_broken": N_("handoff.reason.still_broken"),
    PASSWORD_FORGOTTEN_REASON: N_("handoff.reason.forgotten_password"),
}
# The button under 「写真や音声などは、こちらでは見たり聞いたりできません」: the trouble said
# in the subscriber's own words, for whoever sent a picture because they cannot type it.
DESCRIBE_IN_WORDS: Final = "describe"
# The button under 「送信できない原因は…お使いの送信サーバー側に」: the outgoing server is the
# provider's after all, so the question that asked is answered yes and the verdict given again.
OURS_AFTER_ALL: Final = "ours_after_all"
# Its twin under 「Webメールは今回の移行で変わりません」: a mail program is used after all.
PROGRAM_AFTER_ALL: Final = "program_after_all"
# What a webmail user may say of webmail itself: no program's error, so nothing proves one.
_SYMPTOMS_WITHOUT_A_PROGRAM: Final = frozenset({Problem.CANT_SEND, Problem.CANT_RECEIVE})
# Said before the questions end, a trouble a webmail user may have too: kept for the verdict.
_TROUBLE_WEBMAIL_MAY_HAVE: Final = _SYMPTOMS_WITHOUT_A_PROGRAM | {Problem.ERROR_WITHOUT_TEXT}
# The webmail-only answer to each of them, naming the trouble said (「メールが受信できないとの
# ことですが…」): 「先ほどのお答えでは…」 alone answered as if nothing had been said.
_WEBMAIL_ONLY_AFTER: Final[dict[str, str]] = {
    Problem.CANT_SEND.value: N_("problem.webmail_only.cant_send"),
    Problem.CANT_RECEIVE.value: N_("problem.webmail_only.cant_receive"),
    Problem.ERROR_WITHOUT_TEXT.value: N_("problem.webmail_only.error_without_text"),
}


# A no to the mail-program question that the problem beside it overturns, said back naming
# the problem (「送信できないとのことですので、メールソフトをお使いのものとしてご案内します…」).
_NO_OVERRULED: Final[dict[str, str]] = {
    Problem.CANT_SEND.value: N_("answer.no_overruled.cant_send"),
    Problem.CANT_RECEIVE.value: N_("answer.no_overruled.cant_receive"),
}


def _webmail_only_after(trouble: str) -> str:
    """The webmail-only answer to `trouble` (a `Problem` value; any other: no kind named)."""
    return _WEBMAIL_ONLY_AFTER.get(trouble, N_("problem.webmail_only"))


# The same, said right under the webmail-only verdict in one answer (the trouble said before
# the questions ended): the verdict has just said webmail goes on as before (「Webメールを
# お使いの場合は、これまでどおりご利用いただけます」), so these do not say it again.
_WEBMAIL_ONLY_UNDER_VERDICT: Final[dict[str, str]] = {
    Problem.CANT_SEND.value: N_("problem.webmail_only.cant_send.under_verdict"),
    Problem.CANT_RECEIVE.value: N_("problem.webmail_only.cant_receive.under_verdict"),
    Problem.ERROR_WITHOUT_TEXT.value: N_("problem.webmail_only.error_without_text.under_verdict"),
}


_GREETINGS_IN_KIND: Final[dict[str, str]] = {
    "morning": N_("smalltalk.greeting.morning"),
    "evening": N_("smalltalk.greeting.evening"),
}
# The greeting's first sentence, answering a first message's 「おはようございます」「こんばんは」.
_OPENINGS_IN_KIND: Final[dict[str, str]] = {
    "morning": N_("greeting.hello.morning"),
    "evening": N_("greeting.hello.evening"),
}
# A message of emoji alone, answered as a sticker is (`dialogs.reading.emoji_only`).
EMOJI_SEEN: Final = "emoji"
# 「🤔」「😢」「😭」 alone: someone stuck, offered help, not thanked (channels3).
EMOJI_WORRIED: Final = "emoji_worried"
_SMALL_TALK_KEYS: Final[dict[str, str]] = {
    "greeting": N_("smalltalk.greeting"),
    "thanks": N_("smalltalk.thanks"),
    "works": N_("smalltalk.works"),
    "anyone_there": N_("smalltalk.anyone_there"),
    "goodbye": N_("smalltalk.goodbye"),
    "help": N_("smalltalk.help"),
    "wait": N_("smalltalk.wait"),
    "resume": N_("smalltalk.resume"),
    "understood": N_("smalltalk.understood"),
    "on_behalf": N_("smalltalk.on_behalf"),
    EDITED_CHOICE: N_("edited.send_again"),
    FORWARDED_CHOICE: N_("forwarded.not_an_answer"),
    STICKER_CHOICE: N_("sticker.seen"),
    EMOJI_SEEN: N_("emoji.seen"),
    EMOJI_WORRIED: N_("emoji.worried"),
    LOCATION_CHOICE: N_("location.seen"),
}
_ADDRESS_HINTS: Final[dict[str, str]] = {
    PHONE_NUMBER: N_("address.phone_number"),
    SPOKEN_ADDRESS: N_("address.spoken"),
    ADDRESS_AFTER_YES: N_("address.after_yes"),
    ANOTHER_SERVICE: N_("address.another_service"),
    ADDRESS_WHICH: N_("address.which"),
}
# 「それってどういう意味ですか」 at a question: what it asks, by the reading it borrows (a
# profile's plain question gets the general words: its meaning is the profile's own).
_EXPLANATIONS: Final[dict[Reading, str]] = {
    Reading.PLAIN: N_("explain.plain"),
    Reading.MAIL_PROGRAM: N_("explain.mail_program"),
    Reading.OTHER_NETWORK: N_("explain.other_network"),
    Reading.OUR_SMTP: N_("explain.our_smtp"),
    Reading.OP25B: N_("explain.op25b"),
    Reading.DEVICES: N_("explain.devices"),
}
# 「POPって何？」: each word the reader may be asked about (stage_reading.TERM), marked so that
# the catalogs are checked for it.
_TERM_KEYS: Final[dict[str, str]] = {
    "pop": N_("term.pop"),
    "smtp": N_("term.smtp"),
    "server": N_("term.server"),
    "provider": N_("term.provider"),
    "lan": N_("term.lan"),
    # The card's 「受信ポート」, the questions' 「ポート25番」 and 「SMTP認証」.
    "port": N_("term.port"),
    "auth": N_("term.auth"),
}
# An answer read beside something else (`Intent.answer`), as the answer typed alone is read.
_ANSWER_KINDS: Final[dict[str, Kind]] = {"yes": Kind.YES, "no": Kind.NO, "unsure": Kind.UNSURE}
_ANSWER_TRIGGERS: Final[dict[Kind, str]] = {
    Kind.YES: "answer_yes",
    Kind.NO: "answer_no",
    Kind.UNSURE: "answer_unsure",
}
# Problems whose answer already ends on what to do next (a person, the error's text), or that
# no setting causes (a bounce for the recipient or the size, a mailbox in use, old mail).
_SAYS_ITS_OWN_NEXT_STEP: Final = frozenset(
    {
        Problem.CERTIFICATE,
        Problem.ERROR_WITHOUT_TEXT,
        Problem.UNKNOWN_CODE,
        Problem.RECIPIENT_UNKNOWN,
        Problem.TOO_LARGE,
        Problem.MAILBOX_FULL,
        Problem.SPAM_REJECTED,
        Problem.TOO_MANY_RECIPIENTS,
        Problem.MAILBOX_IN_USE,
        Problem.MAIL_MISSING,
        Problem.MESSAGE_INCOMPLETE,
        Problem.PROGRAM_FAULT,
        # The webmail's login: a person, named in its answer.
        Problem.WEBMAIL_LOGIN,
    }
)
# Problems answered by asking for the error's sentence: they count toward a person, as a
# message not understood does (a code no rule knows, said again, hands over too).
_ASKS_FOR_THE_TEXT: Final = frozenset({Problem.ERROR_WITHOUT_TEXT, Problem.UNKNOWN_CODE})
# Problems whose fix says to switch SMTP authentication on, in words that name Outlook's box
# (「送信サーバーは認証が必要」): where the program named has it is said after them.
_SMTP_AUTH_FIXES: Final = frozenset(
    {
        Problem.AUTH_MISSING,
        Problem.RELAY_DENIED,
        Problem.SEND_CONNECT,
        Problem.CANT_SEND,
        Problem.CONNECT,
    }
)
_SMTP_AUTH_WHERE: Final[dict[str, str]] = {
    MailProgram.OUTLOOK_CLASSIC.value: N_("problem.smtp_auth_where.outlook_classic"),
    MailProgram.OUTLOOK_NEW.value: N_("problem.smtp_auth_where.outlook_new"),
    MailProgram.THUNDERBIRD.value: N_("problem.smtp_auth_where.thunderbird"),
    MailProgram.APPLE_MAIL.value: N_("problem.smtp_auth_where.apple_mail"),
    MailProgram.IOS_MAIL.value: N_("problem.smtp_auth_where.ios_mail"),
    MailProgram.GMAIL_ANDROID.value: N_("problem.smtp_auth_where.gmail_android"),
    MailProgram.BECKY.value: N_("problem.smtp_auth_where.becky"),
}
# Where the program named changes an account it would not add again (the guide's way in).
_ACCOUNT_NOT_SAVED_WHERE: Final[dict[str, str]] = {
    MailProgram.OUTLOOK_NEW.value: N_("problem.account_not_saved.outlook_new"),
}
_MENU_TOPICS: Final[tuple[Topic, ...]] = (
    Topic.WHY,
    Topic.SCHEDULE,
    Topic.OLD_MAIL,
    Topic.PASSWORD,
    Topic.STEPS,
    Topic.OP25B,
    Topic.SMTP_AUTH,
    Topic.POP_BEFORE_SMTP,
    Topic.WEBMAIL,
    Topic.ACCOUNT,
)


# The servers (and new domains) a settings card names, digested into `card_shown_for`.
_SERVERS: Final = "servers:"


def _servers_of(profile: MigrationProfile) -> str:
    # What the card shows of the servers: not how the login check reaches them (`check`, a
    # connect_host or CA file changed under the same names, tells the subscriber nothing new).
    held = repr(
        (
            dataclasses.replace(profile.incoming, check=CheckAccess()),
            dataclasses.replace(profile.outgoing, check=CheckAccess()),
            profile.new_domains,
        )
    )
    return _SERVERS + hashlib.sha256(held.encode()).hexdigest()[:12]


class Turn:
    """Mutable for one step; the profile's shared machine moves `node` beneath `state`."""

    def __init__(self, stored: DialogState, context: StepContext) -> None:
        self._context = context
        self._questionnaire = context.profile.questionnaire
        self._machine: Machine = self._questionnaire.machine
        self.locale: Locale = stored.locale
        self.words = Speaker(context, self, stored.offered)
        # A stage this profile does not have (START, another profile's) is its first question.
        self.node: str = self._questionnaire.resolve(stored.stage.value).value
        self._stored = stored
        # 「さっきのはパスワードです」 said once more after a withdrawal (`_password_taken_back`).
        self._taken_back_again = False
        # This turn explained the question open (`DialogState.explained`).
        self._explained = False
        self.answers = dict(stored.answers)
        self.told = dict(stored.told)
        self.address = stored.address
        self.program = stored.program
        self.smtp_host = stored.smtp_host
        self.receiving = stored.receiving
        self.sending = stored.sending
        self._profile_key = context.profile.verdict_key
        self._profile_since = context.profile_since
        # A verdict given under another profile, given again from the answers (see
        # `_verdict_under_this_profile`); said by `say_what_changed`.
        self._verdict_moved: Leaf | None = None
        self._verdict_given_again = False
        self.history = list(stored.history)
        self.misunderstood = stored.misunderstood
        self.check_failures = stored.check_failures
        self.check_passed = stored.check_passed
        self.signals: list[Signal] = []
        self.handoff_reason = ""
        self._entered_from: Position = stored.stage
        self.leaving_message = stored.leaving_message
        self.cannot_send = stored.cannot_send
        self.trouble_said = stored.trouble_said
        self.address_skipped = stored.address_skipped
        self.address_domain = stored.address_domain
        self.language_offered = stored.language_offered
        # The chat's language was taken from the first words typed, not the platform's
        # (`follow_the_first_words`): told how to have the other one, once.
        self._language_from_words = False
        self.card_shown_for = stored.card_shown_for
        self.message_left = stored.message_left
        self.message_said = stored.message_said
        # What `say_what_changed` said this turn, and where: the answers after it leave out
        # a sentence it already said (the old servers' end, once).
        self._changed: tuple[int, frozenset[str]] = (0, frozenset())
        # A sending problem was answered this turn: a verdict after it need not say again
        # where to look (`_verdict_text`).
        self._sending_answered = False
        # Typed in the language the chat is not in: told how to switch (see `handle`).
        self._other_language = False
        # The words this turn read (`understand_text`); "" for a pressed button.
        self._typed = ""
        # Words read for a password this turn, as the transcript keeps them, and whether one
        # was masked (`_password_in`). At the stage the turn starts at, as it reads them.
        self._said: tuple[str, str, bool] | None = None
        # What the words around a typed password said: a problem, a request for a person or
        # the feedback question's answer, acted on after the warning (`_secret_typed`).
        self._beside_secret: Intent | None = None
        self._asked_at: Position = self.state
        # A piece of a sentence kept for the next message (`read_in_pieces`); dropped unless
        # this turn keeps one.
        self.fragment = ""
        if stored.profile_key not in ("", self._profile_key):
            if stored.profile_since > self._profile_since:
                # A profile taken up later has answered (a rolling deploy: this replica's is
                # the one being replaced). Taking the conversation back would say 「ご案内の
                # 内容が変わりました」 at every switch between replicas, the verdict going
                # back and forth: it stays the newer one's, and so does the key.
                self._profile_key, self._profile_since = stored.profile_key, stored.profile_since
            elif stored.has_verdict:
                self._verdict_under_this_profile()

    def _verdict_under_this_profile(self) -> None:
        """The verdict of a conversation stored under another profile, from its answers.

        A migration in phases is served as one profile per phase, one after the other (the
        profile check says so): told in April under the first that receiving did not change,
        a subscriber back in June under the second heard nothing of the receiving change, and
        「受信できません」 was 'still not working after the settings' (a person). The answers
        are walked through this profile's questions: a leaf with another verdict is given
        (`say_what_changed`); a question they were never asked is asked.
        """
        leaf = self._leaf_reached()
        if leaf is None:
            at, _ = self._questionnaire.walk(self.answers)
            if self.answers and self._questionnaire.question(at.value) is not None:
                # This profile asks what the other did not: asked now, the verdict after it.
                self.receiving = self.sending = None
                self.node = at.value
                self.words.offered = ()
            return
        when = timing(self._context.profile, self._context.today)
        was = (self.receiving, advice.sending_today(self.sending, when) if self.sending else None)
        if (leaf.receiving, advice.sending_today(leaf.sending, when)) == was:
            if self.state is Stage.SETTINGS_DELIVERED and leaf.proceeds and self._card_moved():
                # The same verdict on other servers (a host corrected in the profile): the
                # card they hold names the old ones. Said as a verdict moved is, the new card
                # after it.
                self._verdict_moved = leaf
            return
        self.receiving, self.sending = leaf.receiving, advice.sending_today(leaf.sending, when)
        self._verdict_moved = leaf
        if self.state is not Stage.SETTINGS_DELIVERED or not leaf.proceeds:
            # Where the answers lead under this profile (its leaf, the address, the program);
            # at the settings the card is given again (`_say_verdict_moved`).
            placed = resume_stage(
                frozen.replace(self._stored, answers=dict(self.answers)),
                "questionnaire",
                questionnaire=self._questionnaire,
            )
            self.node, self.history = placed.stage.value, list(placed.history)
        # The buttons last offered belong to the other verdict's card (「解決しましたか？」 on
        # it): 「受信できません」 is not an answer to it.
        self.words.offered = ()

    @property
    def state(self) -> Position:
        """Where the conversation stands: a `Stage` member where the code names one."""
        return position(self.node)

    @state.setter
    def state(self, value: Position) -> None:
        self.node = value.value

    # -- understanding -------------------------------------------------------------------

    def understand_choice(self, choice_id: str) -> Intent:
        """A pressed button."""
        return understanding.understand_choice(choice_id)

    def understand_text(self, raw: str) -> Intent:
        """Typed words, read in the light of the current stage (the first `READ_LENGTH`)."""
        context = self._context
        offered = self.words.offered
        read = raw[:READ_LENGTH]
        if self._password_in(raw):
            # A password past the part read is still one typed: the subscriber is told. So is
            # 「sakura2008」 alone after 「パスワードは」: the password, in two messages.
            intent = Intent(Kind.SECRET_TYPED)
            # An error pasted with the login in it (「ユーザー名: taro パスワード: … で 535 が
            # 出ます」, a POP trace's PASS line) is answered too, read with the password masked:
            # the warning alone had the error sent again.
            masked = self._said[1] if self._said is not None else ""
            beside = read_text(
                masked[:READ_LENGTH],
                self.state,
                offered,
                context.profile,
                context.analyser,
                checked=True,
            )
            # 「送信できません。パスワードは…です」 under 「解決しましたか？」 is its 「解決しない」
            # and 「…担当者と話したい」 a request for a person: the warning alone dropped both.
            beside = feedback.read(masked[:READ_LENGTH], beside, offered)
            kept = (
                beside.kind in (Kind.PROBLEM, Kind.HUMAN) or feedback.answer_in(beside) is not None
            )
            self._beside_secret = beside if kept else None
        else:
            intent = read_text(
                read, self.state, offered, context.profile, context.analyser, checked=True
            )
        self._other_language = _in_the_other_language(read, self.locale)
        self._typed = raw
        return feedback.read(read, intent, offered)

    def read_in_pieces(self, raw: str) -> Intent | None:
        """Typed words, read joined with the piece of a sentence kept before them, if any.

        「メールが」 then 「見れない」: each was answered 「うまく読み取れませんでした」, and the
        third piece was a handoff. A message read alone (「はい」 to the question on screen, a
        whole sentence) is read as before and the kept piece dropped; one that is not, is read
        after the piece. None: this message is itself an unfinished piece, kept (masked) for
        the next one and not counted as misunderstood.
        """
        kept = self._stored.fragment
        intent = self.understand_text(raw)
        if intent.kind is not Kind.UNKNOWN or (
            DESCRIBE_IN_WORDS in self.words.offered and about_the_picture(raw)
        ):
            # 「this one」 under the photo's answer is about the photo (`handle`), not a piece.
            return intent
        alone = self._said
        piece = alone[1] if alone is not None else raw
        if kept:
            whole = pieces.joined(kept, raw)
            intent = self.understand_text(whole)
            said = self._said
            if said is not None:
                # The transcript keeps this message's own words, masked as they were read
                # after the piece: 「パスワードが」 then 「sakura2008です」 is masked too.
                masked = said[1]
                # Where this message starts in the joined words: the piece and the space
                # between them only when both sides are Latin (`pieces.joined`).
                start = len(whole) - len(raw)
                own = masked[start:] if masked.startswith(whole[:start]) else masked
                self._said = (raw, own, said[2])
            if intent.kind is not Kind.UNKNOWN:
                return intent
            piece = pieces.joined(kept, piece)
        if pieces.is_fragment(piece, self._context.analyser):
            self.fragment = piece
            return None
        return intent

    def keep_if_unfinished(self, raw: str) -> None:
        """A platform's first message that is a piece (「メールが」): kept for the next one.

        It is answered with the greeting and the first question, as before; the next
        message (「見れない」) is read after it.
        """
        said = self._said
        if (
            said is not None
            and said[0] == raw
            and pieces.is_fragment(said[1], self._context.analyser)
        ):
            self.fragment = said[1]

    def go_on(self) -> None:
        """A piece of a sentence kept: acknowledged as a patient listener does.

        In the acknowledgement's words, with the buttons of the question still open: LINE
        shows quick replies under the latest message only, so a bare 「はい。続きをどうぞ。」
        took the question's buttons off the screen (and every turn ends with choices).
        """
        self.prompt()
        asked = self.words.replies.pop()
        go_on = self.words.say(N_("pieces.go_on"))
        if isinstance(asked, ChoicesReply):
            self.words.choices(go_on, list(asked.choices))
        else:
            self.words.replies += [TextReply(go_on), asked]

    def _password_in(self, raw: str) -> bool:
        """Whether `raw` holds a typed password (`redact_typed`), read once a turn."""
        if self._said is None or self._said[0] != raw:
            before = frozen.replace(self._stored, stage=self._asked_at)
            domains = login_domains(self._context.profile)
            analyser, hidden = self._context.analyser, self._context.hidden
            self._said = (raw, *redact_typed(raw, before, domains, analyser, hidden))
        return self._said[2]

    # -- acting --------------------------------------------------------------------------

    def begin(self, locale: Locale) -> None:
        """A new conversation: greet, then ask the first question (or resume a handed-over one)."""
        self.greet(locale)
        self.prompt()

    def keep_the_program(self, value: str) -> None:
        """A program named in a first message that answers nothing: noted for the guide."""
        if self._questionnaire.question(self.state) is not None:
            self._note_program(value)

    def greet(self, locale: Locale) -> None:
        """A conversation's greeting, in `locale`, then what changed since its advice.

        Telegram's /start and LINE's follow start a conversation under way again: advice heard
        before a day of the schedule is put right there, as before a typed message.
        """
        self.locale = locale
        greeting = self.words.say(N_("greeting"))
        hello = self.words.say(N_("greeting.hello"))
        opened = opened_at(understanding.normalise(self._typed[:READ_LENGTH]))
        if opened is not None and greeting.startswith(hello):
            # A first message 「おはようございます」 was greeted 「こんにちは。…」 (words31): its
            # first sentence answers in kind, the rest of the greeting as it is.
            greeting = self.words.say(_OPENINGS_IN_KIND[opened]) + greeting[len(hello) :]
        self.words.replies.append(TextReply(greeting))
        self._offer_the_other_language()
        self.say_what_changed()

    def follow_the_first_words(self, raw: str) -> None:
        """The chat goes on in the language of a conversation's first words, if not its own.

        "Hi, I can't send email since yesterday" as the first message on a phone set to
        Japanese (or in a web chat opened by a Japanese browser) was greeted and answered in
        Japanese, English offered only at the next English message (audit11). The
        subscriber's own sentence in English ("I", "my", "hi"…), not a pasted error (whose
        "Please…", "We couldn't…" are the program's), nor romaji: the program's language
        says nothing of theirs. Said at once how to have
        Japanese back. Not the other way: English is always someone's setting (a phone's, a
        browser's), where Japanese may be only the default for a platform that says none;
        Japanese typed there is offered Japanese, as before.
        """
        if self.language_offered or self.locale != "ja":
            return
        if not _in_the_other_language(raw, "ja") or _OWN_WORDS.isdisjoint(_latin_words(raw)):
            return
        if in_kana(understanding.normalise(raw), names=True) is not None:
            # "hi, meeru no settei ga wakaranai": Japanese in romaji, its 「ひ」 and 「の」
            # taken for "hi" and "no" (reviewer23); read as the Japanese it spells. So is
            # 'hi, iPhone no meeru ga mirenai', a program named among it (words: English).
            return
        self.locale = "en"
        self._language_from_words = True

    def _offer_the_other_language(self) -> None:
        if self._language_from_words and not self.language_offered:
            self.language_offered = True
            self.words.text(N_("language.offer_japanese"))

    def handle(self, intent: Intent) -> None:
        """Act on one understood message; every path ends with a question or choices."""
        self._note_told()
        # A button pressed while a message for the desk was asked for: the subscriber moved on.
        self.leaving_message = False
        if intent.kind is Kind.CHOICE and intent.value == LEAVE_MESSAGE:
            self.leaving_message = True
            self.message_said = False
            # Adding to a message left earlier: its way to call back is known already.
            ask = N_("desk_message.ask_more") if self.message_left else N_("desk_message.ask")
            self.words.text(ask)
            return
        if intent.kind is Kind.CHOICE and intent.value == DESCRIBE_IN_WORDS:
            # Read as anything typed is: a symptom (「メールが送れない」) gets its answer.
            self.words.text(N_("media.describe"))
            self.prompt()
            return
        self._offer_the_other_language()
        if (
            self._other_language
            and intent.kind not in _NO_LANGUAGE_OFFER
            and not self.language_offered
        ):
            # "no, only at home" in the Japanese chat: answered, and told in English first
            # how to have the rest in English (and the other way round). Once: a subscriber
            # who goes on in English has read it (the menu's language button stays).
            self.language_offered = True
            ja = self.locale == "ja"
            self.words.text(N_("language.offer_english") if ja else N_("language.offer_japanese"))
        if intent.kind is Kind.HUMAN and intent.value == "still_broken":
            intent = self._not_changed_yet(intent)
        solved = feedback.answer_in(intent)
        if solved is not None:
            self.answer_feedback(solved)
            return
        if (
            intent.kind in (Kind.UNKNOWN, Kind.QUESTION)
            and DESCRIBE_IN_WORDS in self.words.offered
            and about_the_picture(self._typed)
        ):
            # 「画面の写真です」「読めますか」 under the photo's answer: about the photo.
            self._picture(again=True)
            return
        if self._after_all_typed(intent):
            return
        if self._earlier_answer_told(intent):
            return
        if self._sending_kept_asked(intent):
            return
        if (
            intent.kind is Kind.UNKNOWN
            and self.program == OUTLOOK_AMBIGUOUS
            and _OUTLOOK_YEAR.fullmatch(understanding.normalise(self._typed[:READ_LENGTH]))
        ):
            # 「2016です」 after 「Outlookです」, before which Outlook was asked: the year is
            # the classic Outlook's (it was 「うまく読み取れませんでした」, then asked anyway).
            self._note_program(MailProgram.OUTLOOK_CLASSIC.value)
            self.prompt()
            return
        if intent.kind is Kind.UNKNOWN and emoji_only(self._typed):
            # 「😊」「🙇」「🙏」: courtesy, as a sticker is (channels). Each was 「うまく読み取れ
            # ませんでした」, and the third handed the chat to a person.
            # 「🤔」「😭」 alone are worry, offered help instead of thanks (channels3).
            seen = EMOJI_WORRIED if worried(self._typed) else EMOJI_SEEN
            self._small_talk(Intent(Kind.MEDIA, seen))
            return
        if intent.kind in (Kind.UNKNOWN, Kind.QUESTION):
            self._not_understood(question=intent.kind is Kind.QUESTION)
            return
        if intent.kind in (Kind.SMALL_TALK, Kind.MEDIA):
            # Courtesy and screenshots are not misunderstandings: they never count toward a
            # handoff (nor reset the count of those that do).
            self._small_talk(intent)
            return
        if intent.kind is Kind.PROBLEM and intent.value in _ASKS_FOR_THE_TEXT:
            self._error_without_text(intent)
            return
        self.misunderstood = 0
        self._note_said_alongside(intent)
        handler = _HANDLERS.get(intent.kind)
        if handler is not None:
            handler(self, intent)
        elif not self._handle_for_stage(intent):
            self._not_applicable()

    def _not_changed_yet(self, intent: Intent) -> Intent:
        """「メールが送れない」 after the card, before the window: the problem, not 'still broken'.

        After the card a failure is read as the new settings not working, and a person is
        offered. Before the window the card has just said to change nothing yet: the failure
        is with today's settings, which the problem's before-the-window answer is for (the
        old servers answer; or, where the questions found port 25 blocked, the change fixes
        it once the window opens). Likewise under a verdict given again this turn (another
        profile's card was the one they had): the new settings are not yet theirs.
        """
        window = timing(self._context.profile, self._context.today).window
        if window is not Window.BEFORE and not self._verdict_given_again:
            return intent
        problem = recognise_problem(understanding.normalise(self._typed[:READ_LENGTH]))
        if problem is None:
            return intent
        return dataclasses.replace(intent, kind=Kind.PROBLEM, value=problem.value)

    def _note_said_alongside(self, intent: Intent) -> None:
        """An address and a program said beside the message's point: kept, never asked again."""
        # What the bot already holds is not said back again.
        address = intent.address
        if address and address != self.address and self._context.profile.is_affected(address):
            self.address = address
            self.words.text(N_("address.noted"), address=address)
        if intent.program and intent.program != self.program:
            self._note_program(intent.program)

    def _error_without_text(self, intent: Intent) -> None:
        """An error named without its text: its text is asked for, and it counts toward a person.

        「エラーが出ます」 said again after the text was asked for got the same request word for
        word, as often as it was said, and never the way to a person: whoever cannot copy the
        text needs one. The text itself (「0x800CCC0F」), or anything read, resets the count.
        """
        if self.misunderstood + 1 < MISUNDERSTOOD_LIMIT:
            self.misunderstood += 1
            self._note_said_alongside(intent)
            self._problem(intent)
            return
        self._not_understood()

    def _not_understood(self, *, question: bool = False) -> None:
        self.misunderstood += 1
        if self.misunderstood < MISUNDERSTOOD_LIMIT:
            self.words.text(N_("not_understood.question") if question else N_("not_understood"))
            self.prompt()
            if feedback.is_asked(self._stored.offered):
                # 「うまく読み取れませんでした」 is followed by the question it could not read:
                # under 「解決しましたか？」 that was 「ほかにお手伝い…」, and the answer
                # never came.
                self._ask_whether_solved()
            return
        self.signals.append(Signal.NOT_UNDERSTOOD_REPEATEDLY)
        if self._context.desk_available:
            self._hand_off(N_("handoff.reason.not_understood"))
            return
        # Nobody can take the chat: offering a person here only led to 'I cannot connect
        # you', so say it now, with where to call and the message the desk can take.
        self.words.text(N_("not_understood.repeatedly"))
        self._no_person_now()

    def _not_applicable(self) -> None:
        self.words.text(N_("not_applicable"))
        self.prompt()

    def _change_language(self, intent: Intent) -> None:
        self.locale = "en" if intent.value == "en" else "ja"
        self.words.text(N_("language.switched"))
        self.prompt()

    def _back(self, intent: Intent) -> None:
        if not self.history:
            self.words.text(N_("back.at_start"))
            self.prompt()
            return
        # 「最初の質問、やっぱりいいえです」: back to the question named, and the answers after
        # it go too.
        for _ in range(self._steps_back(intent.value)):
            self._undo_one()
        self.prompt()

    def _earlier_answer_told(self, intent: Intent) -> bool:
        """Words at a question that answer a question asked before it, taken as that answer.

        「いいえ、家だけです」 at the sending-server question, after a yes to the network
        question, was read as 「わからない」 to the server question: the subscriber had changed
        their mind about the line, and the verdict kept the yes. A different answer goes back
        to that question and takes it, said back (so 「戻る」 undoes it); the same answer
        (「外ではドコモです」 after that yes, once not understood) is said to be kept, and the
        question on screen asked again.
        """
        # 「やっぱり会社でも使ってます」 at the address question: its 「使ってます」 is read as
        # "yes, I have an address" (address.after_yes).
        used = intent.kind is Kind.PARTIAL_ADDRESS and intent.value == ADDRESS_AFTER_YES
        if not self._typed or (intent.kind not in _MAY_ANSWER_EARLIER and not used):
            return False
        at_a_question = self._questionnaire.question(self.state) is not None
        if not at_a_question and not (
            # After the verdict, 「117netのサーバーです」 not understood at the address
            # question: said to be kept; a change, only one that asks for more (below).
            self.state is Stage.ASK_ADDRESS and (intent.kind is Kind.UNKNOWN or used)
        ):
            return False
        resolve = self._questionnaire.resolve
        asked = [
            question
            for position in self.history
            if (question := self._questionnaire.question(resolve(position.value))) is not None
            and question.id in self.answers
        ]
        typed = understanding.normalise(self._typed[:READ_LENGTH])
        told = told_answers(
            typed,
            {question.id: question.reading for question in asked},
            self._context.profile,
            self._context.analyser,
        )
        for question in asked:
            answer = told.get(question.id)
            if answer is None:
                continue
            kind = Kind.YES if answer == "yes" else Kind.NO
            wording = {
                "answer": self.words.say(_ANSWER_LABELS[kind]),
                "question": say(self.words, question.text, self.locale),
            }
            if answer == self.answers[question.id]:
                if intent.kind is not Kind.UNKNOWN:
                    continue
                self.words.text(N_("answer.earlier_kept"), **wording)
                self.prompt()
                return True
            # Past the verdict (at the address question), a change of mind that asks for
            # more change is taken: 「やっぱり会社でも使ってます」 after 「いいえ」 to the network
            # question was read as an address hint, and the sending verdict kept the no
            # (subscriber27). Never one that lowers it there: that question is asked again,
            # for its button to answer (audit11: 「やっぱり家だけです」 was 「うまく読み取れません
            # でした」, and nothing said how to change the answer).
            if not may_change(typed, answer, question.reading):
                continue
            lowers = not (at_a_question or answer == "yes")
            while self.history and self.state.value != question.id:
                self._undo_one()
            self.misunderstood = 0
            if lowers:
                self.words.text(N_("answer.earlier_to_choose"), **wording)
                self.prompt()
                return True
            self.words.text(N_("answer.earlier_changed"), **wording)
            self._answer(kind)
            return True
        return False

    def _undo_one(self) -> None:
        """Back one question: its answer and what it decided are open again."""
        previous = self._questionnaire.resolve(self.history.pop().value)
        self.answers.pop(previous.value, None)
        asked = self._questionnaire.question(previous)
        if asked is not None and asked.names_old_smtp:
            # Its "yes" said which outgoing server is in use; the answer is open again.
            self.smtp_host = None
        if asked is not None:
            self.receiving = self.sending = None
        self._machine.set_state(previous.value, model=self)

    def _steps_back(self, nth: str) -> int:
        """How far back the Nth question asked lies (`nth`, "1" for the first), else one."""
        asked = [
            i
            for i, position in enumerate(self.history)
            if self._questionnaire.question(self._questionnaire.resolve(position.value))
        ]
        if not nth.isdigit() or not 0 < int(nth) <= len(asked):
            return 1
        return len(self.history) - asked[int(nth) - 1]

    def _restart(self, _: Intent) -> None:
        self.answers.clear()
        self.told.clear()
        self.history.clear()
        self.receiving = self.sending = None
        self.smtp_host = None
        self.program = None
        self.cannot_send = False
        self.trouble_said = ""
        self.address_skipped = False
        self.address_domain = ""
        # The card the check was passed under is forgotten with the answers that led to it.
        self.check_passed = False
        self.words.text(N_("restart.done"))
        self._fire("restart")

    def _menu(self, _: Intent) -> None:
        choices = [
            self.words.choice("start", N_("menu.start")),
            self.words.choice("settings", N_("menu.settings")),
        ]
        choices += [
            Choice(f"topic:{t.value}", self.words.say(TOPIC_LABEL_KEYS[t])) for t in _MENU_TOPICS
        ]
        choices.append(self.words.choice("human", N_("menu.human")))
        other = "ja" if self.locale == "en" else "en"
        choices.append(self.words.choice(f"lang:{other}", N_("menu.other_language")))
        at_question = self._questionnaire.question(self.state) is not None
        if at_question or self.state in (Stage.ASK_ADDRESS, Stage.ASK_PROGRAM):
            choices.insert(0, self.words.choice(CARRY_ON, N_("menu.resume")))
        self.words.choices(self.words.say(N_("menu.text")), choices)

    def _says_where_to_call_back(self, text: str) -> bool:
        """Whether `text` gives a phone number, or an address other than the one that moves.

        The subscriber's own address on the migrating domain is the account in trouble
        (「taro@vp.117.ne.jp が受信できません」), not where to reach them.
        """
        address = understanding.find_address(text)
        if address is not None and not self._context.profile.is_affected(address):
            return True
        return phone_in(text) is not None

    def _how_to_print(self) -> None:
        """How to keep the settings on paper.

        The card's print button (a screenshot or a copy where there is none); before the card,
        that the settings come after the questions.
        """
        delivered = self.state is Stage.SETTINGS_DELIVERED
        self.words.text(N_("print.after_card") if delivered else N_("print.before_card"))

    def _human(self, intent: Intent) -> None:
        if self._context.desk_available:
            # Why the desk is needed, when the subscriber said more than "a person, please".
            reason = _HANDOFF_REASON_KEYS.get(intent.value, N_("handoff.reason.asked"))
            if self._hand_off(reason) and wants_a_call(self._typed):
                # 「電話で聞きたい」: the desk answers here, and the telephone is where the
                # contact says (the notice itself gives no number).
                support = self._context.profile.support
                contact = support.contact(self.locale)
                self.words.text(N_("handoff.phone"), contact=contact)
            return
        if intent.value == understanding.BY_POST and not self._context.desk_closed:
            # 「郵送してもらえますか」「紙で欲しい」 with no desk at all: nobody will post it, and
            # no one will call back about it. What the chat can do: the print button under the
            # card (the web chat's), or a screenshot or a copy by hand.
            self.words.text(N_("by_post.no_desk"))
            self._how_to_print()
            self.prompt()
            return
        # No one can take the chat now: say so plainly, and offer to take a message rather
        # than asking the questionnaire's question again as if nothing had been asked.
        if LEAVE_MESSAGE in self.words.offered and self._says_where_to_call_back(self._typed):
            # The number typed under the offer: the offer said no one was free a turn ago;
            # said again over the number, it read as a refusal.
            self.take_desk_message(self._typed)
            return
        self._no_person_now()

    def _no_person_now(self) -> None:
        """Nobody can take the chat now: why, where to call, and a message the desk can take."""
        if self._context.desk_closed:
            self.words.text(N_("handoff.closed"), hours=self._hours_text())
        else:
            self.words.text(N_("handoff.no_desk"))
        if self._says_where_to_call_back(self._typed):
            # 「送れません。折り返し電話ください 090-…」 is the message itself: offering to take
            # one asked for the problem and the number a second time.
            self.take_desk_message(self._typed)
            return
        if self.message_left:
            # They have left their message and number: told it is kept, and offered to add
            # to it, not asked for both again.
            self.words.text(N_("desk_message.already_left"))
            self.words.choices(
                self.words.say(N_("desk_message.add_to_it")),
                [
                    self.words.choice(LEAVE_MESSAGE, N_("choice.desk_message")),
                    self.words.choice(CARRY_ON, N_("choice.continue_with_bot")),
                ],
            )
            return
        self.signals.append(Signal.CONTACT_GIVEN)
        support = self._context.profile.support
        contact = support.contact(self.locale)
        self.words.text(N_("human.contact"), contact=contact)
        if not self._context.desk_closed:
            # Sent to a phone number, they need to know when it answers (the closed desk's
            # words have said it already).
            self._say_hours()
        self.words.choices(
            self.words.say(N_("handoff.offer_message")),
            [
                self.words.choice(LEAVE_MESSAGE, N_("choice.desk_message")),
                self.words.choice(CARRY_ON, N_("choice.continue_with_bot")),
            ],
        )

    def wordless_desk_message(self, choice: str) -> None:
        """A picture, a sticker or an edit sent while a message for the desk is written.

        Only words typed anew can be passed on: the next ones are the message's, as before.
        """
        if choice == EDITED_CHOICE:
            self.words.text(N_("edited.send_again"))
        elif choice == STICKER_CHOICE:
            self.words.text(N_("desk_message.sticker_seen"))
        else:
            self.words.text(N_("desk_message.words_only"))

    def take_desk_message(self, raw: str) -> None:
        """The words typed after "leave a message": the desk's, until they say how to call back."""
        if self._password_in(raw):
            self.words.text(N_("secret.warning"))
        if not has_callback(raw) and withdraws(raw):
            self.leaving_message = False
            # A message left already (its number kept) is not taken back by not adding to it.
            self.words.text(
                N_("desk_message.already_left")
                if self.message_left
                else N_("desk_message.withdrawn")
            )
            self.prompt(lead=N_("prompt.continue"))
            return
        if not has_callback(raw) and not self.message_left:
            # Stay in the message: the next words are still for the desk.
            self.message_said = True
            self.words.text(N_("desk_message.need_contact"))
            return
        # 「電話番号は090-…です」 and nothing before it: kept at once (the subscriber may close
        # the chat now and must still be called), then the trouble asked for once, as the
        # offer asked for both: the person who calls back can prepare, and the desk can tell
        # a failing sender from a question about the dates.
        asks_trouble = (
            not self.message_left and not self.message_said and says_only_how_to_call(raw)
        )
        # (Words added to a message left earlier need no second way to call back.)
        self.leaving_message = False
        self.message_said = False
        self.message_left = True
        self.signals.append(Signal.DESK_MESSAGE_LEFT)
        opens = self._context.desk_opens
        if asks_trouble:
            self.leaving_message = True
            # The number alone is the message kept, and the chat may end here: when the desk
            # will call is said now, not only after the trouble that may never be written.
            if opens is not None:
                asked = self.words.say(
                    N_("desk_message.ask_trouble_when"), when=self._opening_text(opens)
                )
            elif (until := self._until_text()) is not None:
                asked = self.words.say(N_("desk_message.ask_trouble_until"), **until)
            else:
                asked = self.words.say(N_("desk_message.ask_trouble"))
            self.words.choices(asked, [self.words.choice(CARRY_ON, N_("choice.continue_with_bot"))])
            return
        if opens is not None:
            # Outside the hours nobody reads it before they begin: said, so that a subscriber
            # does not wait by the phone tonight.
            self.words.text(N_("desk_message.thanks_when"), when=self._opening_text(opens))
        elif (until := self._until_text()) is not None:
            self.words.text(N_("desk_message.thanks_until"), **until)
        else:
            self.words.text(N_("desk_message.thanks"))
        self.prompt(lead=N_("prompt.continue"))

    def _until_text(self) -> dict[str, str] | None:
        """While the hours are open: until when, and when they begin again (words for both).

        Nobody can promise a call before closing (a message left at 17:59), so the subscriber
        is told the hours end and when a call may come at the latest, not that it comes soon.
        """
        closes, reopens = self._context.desk_closes, self._context.desk_reopens
        if closes is None or reopens is None:
            return None
        if closes.date() == self._context.today:
            time = f"{closes.hour}:{closes.minute:02d}"
            until = self.words.say(N_("desk_closes.today"), time=time)
        elif closes.time() == dt.time() and (closes.date() - self._context.today).days == 1:
            # Hours to 24:00 (as the profile writes them) end today at 24:00, not at
            # 「明日（火曜日）の0:00」, which reads as the next day's hours.
            until = self.words.say(N_("desk_closes.today"), time="24:00")
        else:
            until = self._opening_text(closes)
        return {"closes": until, "reopens": self._opening_text(reopens)}

    def _opening_text(self, opens: dt.datetime) -> str:
        """「本日13:00」, 「明日（火曜日）の9:00」, or the day written out after that."""
        time = f"{opens.hour}:{opens.minute:02d}"
        ahead = (opens.date() - self._context.today).days
        if ahead <= 0:
            return self.words.say(N_("desk_opens.today"), time=time)
        if ahead == 1:
            weekday = self.words.say(f"weekday.{opens.weekday()}")
            return self.words.say(N_("desk_opens.tomorrow"), weekday=weekday, time=time)
        day = word_date(self._context.texts, self.locale, opens.date())
        return self.words.say(N_("desk_opens.later"), date=day, time=time)

    def _hours_text(self) -> str:
        """The desk's hours in words: the profile's own text, else from its weekday table."""
        support = self._context.profile.support
        written = support.hours_en if self.locale == "en" else support.hours_ja
        if written:
            return written
        parts = []
        for first, last, spans in support.desk_hours.groups():
            days = self.words.say(f"weekday.{WEEKDAYS[first]}")
            if last != first:
                until = self.words.say(f"weekday.{WEEKDAYS[last]}")
                days = self.words.say(N_("desk_hours.days"), first=days, last=until)
            parts.append(f"{days} {', '.join(span_text(span) for span in spans)}")
        weekly = self.words.say(N_("desk_hours.separator")).join(parts)
        runs = support.desk_hours.closed_runs(self._context.today, ahead=_CLOSED_DAYS_AHEAD)
        if not runs:
            return weekly
        # A holiday inside the hours is said with them: the weekday table alone would
        # promise the desk on 2月11日, a Thursday it is shut.
        closed = [self._closed_run_text(first, last) for first, last in runs[:_CLOSED_RUNS_SAID]]
        key = (
            N_("desk_hours.closed")
            if len(runs) <= _CLOSED_RUNS_SAID
            else N_("desk_hours.closed_more")
        )
        return self.words.say(
            key, hours=weekly, days=self.words.say(N_("desk_hours.separator")).join(closed)
        )

    def _closed_run_text(self, first: dt.date, last: dt.date) -> str:
        texts = self._context.texts
        if first == last:
            return word_date(texts, self.locale, first)
        return self.words.say(
            N_("desk_hours.days"),
            first=word_date(texts, self.locale, first),
            last=word_date(texts, self.locale, last),
        )

    def _say_hours(self) -> None:
        hours = self._hours_text()
        if hours:
            self.words.text(N_("human.hours"), hours=hours)

    def _hand_off(self, reason_key: str) -> bool:
        """Tell the subscriber a person takes over; the runtime makes it so.

        False when the sender is past the client's handoff limit (`handoffs_held`): then
        they are told so, with where to call, and the question open is asked again.
        """
        if self._context.handoffs_held:
            self.signals.append(Signal.HANDOFF_HELD)
            support = self._context.profile.support
            contact = support.contact(self.locale)
            if self._context.handoffs_held_sender:
                self.words.text(N_("handoff.held_sender"), contact=contact)
            else:
                self.words.text(N_("handoff.held"), contact=contact)
            self.prompt()
            return False
        self.signals.append(Signal.HANDOFF_REQUESTED)
        self.handoff_reason = reason_key.rsplit(".", 1)[-1]
        self.words.text(N_("handoff.started"))
        self._say_hours()
        if (until := self._until_text()) is not None:
            # Handed over at 17:59, a reply may come only when the hours begin again: said,
            # so that nobody waits by the chat all evening.
            self.words.text(N_("handoff.until"), **until)
        return True

    def answer_feedback(self, solved: bool, *, after_close: bool = False) -> None:
        """「解決しましたか？」 answered: counted and thanked; 「解決しない」 offers a person.

        `after_close`: asked as an agent closed the conversation, so nothing is open to
        carry on with when it is solved.
        """
        self.signals.append(feedback.respond(self.words, solved=solved))
        if not solved:
            self._human(Intent(Kind.HUMAN, "still_broken"))
        elif not after_close:
            self.prompt()

    def _secret_typed(self, _: Intent) -> None:
        # The runtime stores the message masked; the subscriber should still change nothing
        # and never type it here again.
        self.signals.append(Signal.SECRET_TYPED)
        if (
            self.state in ADDRESS_QUESTIONS
            and perhaps_a_password(self._typed)
            and not looks_like_a_password(self._typed)
        ):
            # 「Kq7xyz99」 alone: a local part or a password. Masked, and not said back; the
            # whole address is asked for, so a real one is never refused.
            self.prompt(instead=self.words.say(N_("address.unsure")))
            return
        self.words.text(N_("secret.warning"))
        beside = self._beside_secret
        if beside is not None:
            solved = feedback.answer_in(beside)
            if solved is not None:
                self.answer_feedback(solved)
            elif beside.kind is Kind.HUMAN:
                self._human(beside)
            else:
                self._problem(beside)
            return
        self.prompt()

    def _password_taken_back(self, _: Intent) -> None:
        """「さっきのはパスワードです」: the message before is withdrawn, what it answered undone.

        A token whose only capital is its first letter passes as an address's local part
        (`dialogs.redaction.looks_like_a_password`), so a password typed at the address
        question was said back and kept. The runtime withdraws that message from the record
        (`Signal.PREVIOUS_WITHDRAWN`); an address taken from it is forgotten, and the question
        it answered asked again, as 「戻る」 would.
        """
        if self._stored.last_pressed and not self._stored.last_words:
            # Only buttons since the last message withdrawn (or none typed at all): there is
            # no typed message to withdraw, and they hear so. A message typed before a press
            # is still the one they mean: a press holds no words.
            self.words.text(N_("password_taken_back.after_press"))
            self.prompt()
            return
        if not self._stored.last_words and not self._stored.taken_back_last:
            # Nothing of theirs typed before (the words as a conversation's first message):
            # telling them a message was removed would be untrue.
            self.words.text(N_("password_taken_back.nothing"))
            self.prompt()
            return
        if self._stored.taken_back_last:
            # Said twice: the message before is the first saying, nothing of the password.
            # Said a third time, still: the saying is never the message it withdraws.
            self._taken_back_again = True
            self.words.text(N_("password_taken_back.again"))
            self.prompt()
            return
        self.signals.append(Signal.PREVIOUS_WITHDRAWN)
        self.words.text(N_("password_taken_back.withdrawn"))
        typed_at = self._stored.address_typed_at
        if typed_at and self.address == self._stored.address:
            self.address = None
            places = [i for i, s in enumerate(self.history) if s is Stage.ASK_ADDRESS]
            if typed_at == Stage.CHECK_ADDRESS.value:
                # The login check's own address question (its answer moved on unremembered).
                self._machine.set_state(Stage.CHECK_ADDRESS.value, model=self)
            elif typed_at == Stage.ASK_ADDRESS.value and places:
                # Back to the address question; the answers the address led past go too.
                for _step in range(len(self.history) - places[-1]):
                    previous = self._questionnaire.resolve(self.history.pop().value)
                    self.answers.pop(previous.value, None)
                    question = self._questionnaire.question(previous)
                    if question is not None and question.names_old_smtp:
                        self.smtp_host = None
                    if question is not None:
                        self.receiving = self.sending = None
                self._machine.set_state(Stage.ASK_ADDRESS.value, model=self)
        self.prompt()

    def _topic(self, intent: Intent) -> None:
        try:
            topic = Topic(intent.value)
        except ValueError:
            self._not_applicable()
            return
        if topic is Topic.DESK_HOURS:
            # Asked for, not a handoff: the contact and the hours, then carry on.
            support = self._context.profile.support
            contact = support.contact(self.locale)
            self.words.text(N_("human.contact"), contact=contact)
            self._say_hours()
            self._carry_on(intent)
            return
        if topic is Topic.WHAT_IS_LEFT:
            self._say_what_is_left()
            return
        said_right = self._said_right_after_a_failed_check(topic)
        if said_right is not None:
            # 「パスワードは合ってるはずです」 after a failed check was told 「パスワードは変わりま
            # せん」, 「アカウント名をメールアドレス全部にしました」 to do what they had done.
            self.words.text(said_right)
            self.prompt()
            return
        if topic is Topic.STEPS and self.state is Stage.SETTINGS_DELIVERED and self.check_failures:
            # 「どうすればいいですか」 right after a failed login check: what to do about the
            # result, not the migration's steps from the start.
            self.words.text(N_("check.what_now"))
            self.prompt()
            return
        if (
            topic is Topic.PASSWORD
            and self.state is Stage.CHECK_ADDRESS
            and _WHERE_IT_GOES.search(understanding.normalise(self._typed[:READ_LENGTH]))
        ):
            # 「パスワードもここに入れるのですか」 while the check asks its address: where the
            # password goes, not 「パスワードは変わりません」 (words9).
            self.words.text(N_("check.password_where"))
            self.prompt()
            return
        when = timing(self._context.profile, self._context.today)
        said = answer_keys(topic, when)
        self.words.text(*said)
        if intent.also_asked and topic is not Topic.FORGOTTEN_PASSWORD:
            # 「パスワードは変わりますか？いつまでですか？」: the second question answered too.
            self.words.text(
                *(key for key in answer_keys(Topic(intent.also_asked), when) if key not in said)
            )
        if topic is Topic.FORGOTTEN_PASSWORD:
            # Only the desk can help with a forgotten password: hand over, or say how to reach it.
            self._human(Intent(Kind.HUMAN, PASSWORD_FORGOTTEN_REASON))
            return
        self._carry_on(intent)

    def _carry_on(self, intent: Intent) -> None:
        """After a question answered: the question on screen again, or the answer beside it taken.

        「いいえ、家だけです。それと送信サーバーは何にすればいいですか」: the servers were told and
        the network question asked again, its no lost. The answer is said back, as one read
        from a sentence is (so 「戻る」 undoes it), and the next question follows.
        """
        if self._program_named_where_asked(intent) or self._address_given_where_asked(intent):
            # 「Outlookです。パスワードは変わりますか」「taro@…です。ポートは何番？」: the
            # program or address asked for, given beside the question, is taken as the answer.
            return
        kind = _ANSWER_KINDS.get(intent.answer)
        asked = self._questionnaire.question(self.state) is not None
        if kind is None or not (asked or self.state is Stage.ASK_SMTP_HOST):
            self.prompt(lead=N_("prompt.continue"))
            return
        # As the answer typed alone is taken: 「はい、vs.117.ne.jpです。…」 names the server too.
        self._handle_for_stage(
            Intent(kind, READ, yes_ahead=intent.yes_ahead, old_smtp_named=intent.old_smtp_named)
        )

    def _said_right_after_a_failed_check(self, topic: Topic, address: str = "") -> str | None:
        """What is left to check, if the password or account is said right after a failure.

        `address`: the address the message names (「ユーザー名はtaro@…にしました」), if any;
        then only a message that names the account is read so.
        """
        typed = understanding.normalise(self._typed[:READ_LENGTH])
        if (
            topic not in (Topic.PASSWORD, Topic.ACCOUNT)
            or self.state is not Stage.SETTINGS_DELIVERED
            or not self.check_failures
        ):
            return None
        if not says_it_is_right(typed):
            return self._asked_right_after_a_failed_check(topic, typed, address)
        if address:
            named = understanding.understand_topic(typed)
            if named is None or named.value != Topic.ACCOUNT.value:
                return None
        whole_address = self._context.profile.incoming.login_name is LoginName.ADDRESS
        if topic is Topic.PASSWORD:
            if whole_address:
                return N_("check.said_right.password")
            return N_("check.said_right.password.other_login")
        if whole_address and not address and self._local_part_said(typed):
            # 「ユーザー名はtaroにしました」: the part before the @ is not the account.
            return N_("check.said_right.account.local_part")
        if whole_address and self._whole_address_is_the_account(address):
            return N_("check.said_right.account")
        # Where the whole address is not the account, the account's own answer says what is.
        return None

    def _asked_right_after_a_failed_check(
        self, topic: Topic, typed: str, address: str
    ) -> str | None:
        """「ユーザー名はtaro@…ですか」 after a failed check: yes or no, and what is left.

        Asked, not told (4444e23 answers the telling): the address typed was read as one given
        and the whole program guide came again. Only a question whether the account is the
        whole address (typed, or in words) or the part before the @; others keep their answer.
        """
        if (
            topic is not Topic.ACCOUNT
            or not asks_if_right(typed)
            or self._context.profile.incoming.login_name is not LoginName.ADDRESS
        ):
            return None
        named = understanding.understand_topic(typed)
        if named is None or named.value != Topic.ACCOUNT.value:
            return None
        if address and not asks_about_the_account(typed, address):
            return None
        if not address and self._local_part_said(typed):
            return N_("check.asked_right.account.local_part")
        if (address or names_the_whole_address(typed)) and self._whole_address_is_the_account(
            address
        ):
            return N_("check.asked_right.account")
        return None

    def _account_asked_about(self, address: str) -> bool:
        """Whether the message asks if `address`, the one the card was made for, is the account."""
        typed = understanding.normalise(self._typed[:READ_LENGTH])
        if self.state is not Stage.SETTINGS_DELIVERED or address != self.address:
            return False
        return asks_about_the_account(typed, address)

    def _local_part_said(self, typed: str) -> bool:
        """Whether `typed` names the address's part before the @ alone, not the whole address."""
        local = (self.address or "").partition("@")[0].casefold()
        if not local or "@" in typed:
            return False
        # The part before the @ as a word of its own: not inside a longer one.
        return (
            re.search(rf"(?<![a-z0-9._+-]){re.escape(local)}(?![a-z0-9._+@-])", typed.casefold())
            is not None
        )

    def _say_what_is_left(self) -> None:
        """「これで終わりですか」: "yes" after the card or a resting verdict; else what is next."""
        stage = self.state
        left = self._questionnaire.questions_left(stage)
        if stage in (Stage.SETTINGS_DELIVERED, Stage.CHECK_ADDRESS):
            self.words.text(N_("what_is_left.after_settings"))
        elif self._questionnaire.resting_leaf(stage) is not None:
            self.words.text(N_("what_is_left.resting"))
        elif left > 1:
            self.words.text(N_("what_is_left.questions"), count=left)
        elif left == 1:
            self.words.text(N_("what_is_left.last_question"))
        else:
            self.words.text(N_("what_is_left.settings_next"))
        self.prompt()

    def _show_settings(self, intent: Intent) -> None:
        if not self.receiving:
            # Straight to the settings without the questions: give everything that may change.
            self.receiving, self.sending = Receiving.REQUIRED, Sending.REQUIRED
        if intent.value:
            # 「設定を教えてください、送信できません」: what to check for the problem named
            # beside the request, then the settings' first question (it ends the turn). The
            # problem proves nothing more here: the settings asked for give every change.
            problem = Problem(intent.value)
            diagnosis = diagnose(problem, timing(self._context.profile, self._context.today))
            self.cannot_send = self.cannot_send or problem in _SENDING_PROBLEMS
            self.words.text(*diagnosis.keys)
        self._fire("show_settings")

    def _address(self, intent: Intent) -> None:
        said_right = self._said_right_after_a_failed_check(Topic.ACCOUNT, intent.value)
        if said_right is not None:
            # 「ユーザー名はtaro@…にしました」 after a failed check was read as an address
            # typed and given the whole program guide again: it says the account is done.
            self.words.text(said_right)
            self.prompt()
            return
        if self._account_asked_about(intent.value):
            # 「ユーザー名はtaro@…ですか」 after the card, no check made (a refused login reported
            # in words): the account's answer, not the whole program guide again.
            self._topic(Intent(Kind.TOPIC, Topic.ACCOUNT.value))
            return
        if not self._context.profile.is_affected(intent.value):
            self.words.text(N_("address.not_affected"), given=intent.value)
            self.prompt()
            return
        self.address = intent.value
        if self.state is Stage.CHECK_ADDRESS:
            self._fire("give_check_address")
            self._request_check()
        elif self.state is Stage.ASK_ADDRESS:
            self.words.text(N_("address.thanks"), address=intent.value)
            self._advance("give_address")
        elif self.state is Stage.SETTINGS_DELIVERED:
            self._deliver_settings()
        else:
            self.words.text(N_("address.noted"), address=intent.value)
            self.prompt()

    def _partial_address(self, intent: Intent) -> None:
        # "taro" or "taro@vp117": say what a whole address looks like, with theirs, and ask
        # again (the way out stays on the buttons). Nothing is stored from a partial one.
        # A phone number or an address read out in words gets how to type one instead.
        # The hint asks for the address itself: the question under it said it a second time.
        hint = _ADDRESS_HINTS.get(intent.value)
        local, _, domain = intent.value.partition("@")
        if self.state not in (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS) and (
            hint is not None or " " in local
        ):
            # An address read out at a question: how to type one (or how its two words are
            # joined), and the question again.
            if hint is not None:
                self.words.text(hint)
            else:
                self.words.text(N_("address.spaced"), words=local, domain=domain)
            self.prompt()
            return
        if hint is not None:
            said = self.words.say(hint)
        elif " " in local:
            # 「taro yamada あっと …」: two words before the @, joined by what, unknown.
            said = self.words.say(N_("address.spaced"), words=local, domain=domain)
        elif intent.near_miss:
            # 「hanako@117.ne.jp」: typed whole, near ours; told it looks different, and asked.
            domain = intent.value.rpartition("@")[2]
            said = self.words.say(
                N_("address.near_miss"), typed=intent.near_miss, example=intent.value, domain=domain
            )
        elif intent.value:
            # The domain the example is at: on a profile of several, the one begun.
            domain = intent.value.rpartition("@")[2]
            said = self.words.say(N_("address.partial"), example=intent.value, domain=domain)
        else:
            said = self.words.say(N_("address.partial_no_name"))
        self.prompt(instead=said)

    def _problem(self, intent: Intent) -> None:
        when = timing(self._context.profile, self._context.today)
        problem = Problem(intent.value)
        if problem in _TROUBLE_WEBMAIL_MAY_HAVE and self.receiving is None:
            self.trouble_said = problem.value
        diagnosis = diagnose(problem, when)
        elsewhere = (
            sending_elsewhere(problem, when, sending_side=intent.sending_side)
            if self._sends_elsewhere()
            else None
        )
        if elsewhere is not None:
            # Told 「送信の設定：変更の必要はありません」: the provider's fix would contradict it.
            diagnosis = elsewhere
        webmail = problem in _SYMPTOMS_WITHOUT_A_PROGRAM and self._said_no_program() is not None
        if webmail:
            # Told Webmail changes nothing: 「受信サーバーを…に変更すると受信できます」 and the
            # questions again, as if a program had been named, was the other way round.
            elsewhere = diagnosis = Diagnosis((_webmail_only_after(problem.value),), None)
        if self._whole_address_tried(problem, intent, when):
            # The fix is what they did: saying it again would be a form's answer.
            diagnosis = dataclasses.replace(
                diagnosis, keys=(N_("problem.login_failed.address_tried"),)
            )
        if intent.box_said_off:
            # 「SMTP認証にチェックしていません」 after the settings: the fix without the 530 it
            # opened with (「送信サーバーが認証を求めています（530など）」), an error they may
            # not have seen. Each profile's wording of it alike: the text names no server move.
            diagnosis = dataclasses.replace(
                diagnosis,
                keys=tuple(
                    N_("problem.auth_missing.box_off")
                    if key.startswith(N_("problem.auth_missing"))
                    else key
                    for key in diagnosis.keys
                ),
            )
        if (
            diagnosis.keys == (N_("problem.before_window"),)
            and problem in _SENDING_PROBLEMS
            and self._may_not_send_today()
        ):
            # The questions have just found that the current settings may not send where
            # they are (port 25 blocked): 「今回の移行とは別の原因」 would deny the cause they
            # found; the change, from the window's first day, is the fix.
            diagnosis = dataclasses.replace(
                diagnosis, keys=(N_("problem.before_window.cannot_send"),)
            )
        if any(
            key.startswith(N_("problem.before_window")) for key in diagnosis.keys
        ) and tried_the_new_settings(
            understanding.normalise(self._typed[:READ_LENGTH]), self._context.profile
        ):
            # 「新しいサーバーに変えたら受信できなくなりました」 before the window: the cause is
            # the change they named, not 「今回の移行とは別の原因」; today's settings go back.
            diagnosis = dataclasses.replace(
                diagnosis, keys=(for_window(N_("problem.before_window.changed_early"), when),)
            )
        if (
            any(key in _CANT_SEND_NEW_SETTINGS_TRIED for key in diagnosis.keys)
            # Its checks name the whole address as the account.
            and self._context.profile.outgoing.login_name is LoginName.ADDRESS
            and tried_the_new_settings(
                understanding.normalise(self._typed[:READ_LENGTH]), self._context.profile
            )
        ):
            # 「新しい設定にしたら送れません」 in or after the window: 「送信の設定が従来のままの
            # 可能性があります」 denies what they said; the checks of a new setting that fails.
            diagnosis = dataclasses.replace(
                diagnosis,
                keys=tuple(_CANT_SEND_NEW_SETTINGS_TRIED.get(k, k) for k in diagnosis.keys),
            )
        if any(key in _CANT_RECEIVE_NEW_SETTINGS_TRIED for key in diagnosis.keys) and (
            tried_the_new_settings(
                understanding.normalise(self._typed[:READ_LENGTH]), self._context.profile
            )
        ):
            # 「新しい設定にしたら受信できません」「vpopに変えたら受信できなくなりました」 in or
            # after the window: 「受信サーバーを…に変更すると受信できます」 is the change they
            # made; the checks of a new receiving setting that fails.
            tried = (
                _CANT_RECEIVE_NEW_SETTINGS_TRIED
                if self._context.profile.incoming.login_name is LoginName.ADDRESS
                # 「@より前だけでなくメールアドレス全体」 would be wrong there: {login} says it.
                else _CANT_RECEIVE_NEW_SETTINGS_TRIED_ANY
            )
            # The old servers' line before the checks names their days alone: its 「設定を
            # 変更すると受信できます」 asks for the change they have made.
            diagnosis = dataclasses.replace(
                diagnosis, keys=tuple(tried.get(k, days_alone(k)) for k in diagnosis.keys)
            )
        on_screen = self._questionnaire.question(self.state)
        if (
            on_screen is not None
            and on_screen.reading is Reading.OUR_SMTP
            and diagnosis.keys in _CANT_SEND_SMTP_UNKNOWN
        ):
            # 「メールが送れません」 at 「117netのメールサーバーを設定して…送信していますか？」:
            # the fix is the provider's server's only, and the answer not given yet.
            diagnosis = dataclasses.replace(diagnosis, keys=_CANT_SEND_SMTP_UNKNOWN[diagnosis.keys])
        self.cannot_send = self.cannot_send or problem in _SENDING_PROBLEMS
        self._sending_answered = problem in _SENDING_PROBLEMS
        ways_on = elsewhere is not None and problem is not Problem.CONNECT
        where = () if elsewhere is not None else self._smtp_auth_where(problem, intent, diagnosis)
        self.words.text(*diagnosis.keys, *where)
        if (
            self.state is Stage.SETTINGS_DELIVERED
            and problem not in _SAYS_ITS_OWN_NEXT_STEP
            # The buttons below offer a person.
            and not ways_on
            # Its 「同じ表示が続く場合は」 presumes an error seen: the box's text names the way
            # to a person in its own words.
            and not intent.box_said_off
            and not any(key.startswith(N_("problem.before_window")) for key in diagnosis.keys)
        ):
            # 「変えたのにまだ0x800CCC0Eが出ます」: the fix may be what they already did, so
            # the way to a person is named with it.
            self.words.text(
                N_("problem.after_settings.nothing_shown")
                if problem in _NOTHING_SHOWN
                else N_("problem.after_settings")
            )
        ahead = self._question_ahead(intent)
        answered = self._answer_beside(intent, diagnosis.proves)
        if diagnosis.proves is not None and self._take_proof(diagnosis.proves, ahead):
            return
        if answered:
            self._ask_what_remains(ahead)
            return
        if self._program_named_where_asked(intent):
            return
        if self._address_given_where_asked(intent):
            return
        if ways_on:
            self._ways_on_from_elsewhere()
            return
        if problem is Problem.PROGRAM_FAULT:
            # Only a person can help with the program itself: the person as a button, and a
            # way on. The question asked again under 「担当者にご相談ください」 read as if the
            # fault had not been heard, and an elderly subscriber had to type 「担当者」.
            self.words.choices(
                self.words.say(N_("problem.program_fault.ways_on")),
                [
                    self.words.choice("human", N_("menu.human")),
                    self.words.choice(CARRY_ON, N_("choice.continue_with_bot")),
                ],
            )
            return
        self.prompt()

    def _sends_elsewhere(self) -> bool:
        """Whether the verdict said sending needs no change: another company's server sends.

        Either the question of the provider's outgoing server was answered no, or the server
        named at 「送信サーバー名は？」 was another company's (`FOREIGN_SMTP`), which turned
        the leaf's change into none.
        """
        if self.sending is not Sending.NOT_NEEDED:
            return False
        if self._our_smtp_said_no() is not None:
            return True
        leaf = self._leaf_reached()
        return leaf is not None and leaf.sending is not Sending.NOT_NEEDED

    def _sending_kept_asked(self, intent: Intent) -> bool:
        """「送信の設定は変えなくていいの？」 after a verdict that said sending needs no change.

        It was read as the servers' question (or the verdict again, or not at all) and
        answered with the new outgoing server, port 587 and SMTP authentication: the change
        the verdict had just said not to make. Now: no change, and why.
        """
        if intent.kind not in _SENDING_KEPT_READ_AS or not self._typed:
            return False
        if not self._sends_elsewhere() or not asks_whether_sending_stays(
            understanding.normalise(self._typed[:READ_LENGTH])
        ):
            return False
        keys = [N_("sending_kept.elsewhere")]
        if self.receiving is Receiving.REQUIRED:
            keys.append(N_("sending_kept.elsewhere.receiving_changes"))
        self.words.text(*keys)
        self.prompt(lead=N_("prompt.continue"))
        return True

    def _our_smtp_said_no(self) -> Question | None:
        """The question of the provider's outgoing server, if it was answered no."""
        return next(
            (
                question
                for question in self._questionnaire.flowchart.questions.values()
                if question.reading is Reading.OUR_SMTP and self.answers.get(question.id) == "no"
            ),
            None,
        )

    def _ways_on_from_elsewhere(self) -> None:
        """A person, the question of the outgoing server again (if it was answered), or on."""
        choices = [
            self.words.choice("human", N_("menu.human")),
            self.words.choice(CARRY_ON, N_("choice.continue_with_bot")),
        ]
        lead = N_("problem.program_fault.ways_on")
        if self._said_no_program() is not None:
            choices.insert(0, self.words.choice(PROGRAM_AFTER_ALL, N_("choice.program_after_all")))
            lead = N_("problem.webmail_only.program_after_all")
        elif self._our_smtp_said_no() is not None:
            # Its server field may name the provider's server after all (q3.hint's test).
            choices.insert(0, self.words.choice(OURS_AFTER_ALL, N_("choice.ours_after_all")))
            lead = N_("problem.sending_elsewhere.ours_after_all")
        self.words.choices(self.words.say(lead), choices)

    def _compared_with_the_card(self) -> bool:
        """「受信サーバー vpop… ユーザー名 taro@… これでいいですか」: each value against the card.

        What matches and what differs (with the card's value), then the login check: the
        question asked, where the whole guide sent again answered none of it.
        """
        profile = self._context.profile
        typed = typed_settings(
            understanding.normalise(self._typed[:READ_LENGTH]),
            (profile.incoming.new_host, profile.outgoing.new_host),
        )
        facts = self.words.card_facts()
        login = typed.get(USERNAME, "")
        if facts.address is None and profile.is_affected(login):
            # No address given: the card's account is the one for the address typed.
            facts = dataclasses.replace(facts, address=login)
        rows = {item.key: item for item in card_items(profile, facts, self.words.say)}
        lines: list[str] = []
        differs = False
        # A row the card keeps as it is (sending that needs no change): what they typed is
        # what they have, and it stays; 「カードでは「変更なし」です。こちらに直してください」
        # asked them to type "no change" into the field.
        kept = {
            self.words.say(N_("settings.unchanged")),
            self.words.say(N_("settings.smtp_server.keep_current")),
        }
        for key, value in typed.items():
            row = rows.get(key)
            if row is None:
                continue
            card = row.value.casefold()
            same = value == card or (
                key.endswith("_port") and re.search(rf"(?<![0-9]){value}(?![0-9])", card)
            )
            if row.value in kept:
                wording = N_("card.compared.kept")
            elif same:
                wording = N_("card.compared.same")
            else:
                wording = N_("card.compared.differs")
                differs = True
            lines.append(self.words.say(wording, label=row.label, typed=value, card=row.value))
        if not lines:
            return False
        check = advice.offers_check(timing(profile, self._context.today))
        if differs:
            tail = (
                N_("card.compared.some_differ")
                if check
                else N_("card.compared.some_differ.no_check")
            )
        else:
            tail = N_("card.compared.all_same") if check else N_("card.compared.all_same.no_check")
        paragraphs = [
            self.words.say(N_("card.compared.head")),
            "\n".join(lines),
            self.words.say(tail),
        ]
        self.words.replies.append(TextReply("\n\n".join(paragraphs)))
        return True

    def _said_no_program(self) -> Question | None:
        """The mail-program question answered no, where the conversation rests on its verdict."""
        if self._questionnaire.resting_leaf(self.state) is None:
            return None
        return next(
            (
                question
                for question in self._questionnaire.flowchart.questions.values()
                if question.reading is Reading.MAIL_PROGRAM
                and self.answers.get(question.id) == "no"
            ),
            None,
        )

    def _after_all_typed(self, intent: Intent) -> bool:
        """The button 「117netの送信サーバーでした」 (or 「メールソフトも使っています」) typed.

        Under it, 「117netのサーバーです」「送信サーバーはvs.117.ne.jpでした」 or the label itself
        was 「うまく読み取れませんでした」 and the buttons were gone with the question asked again.
        """
        if intent.kind not in _MAY_ANSWER_EARLIER or not self._typed:
            return False
        typed = understanding.normalise(self._typed[:READ_LENGTH])
        for choice_id, key, question in (
            (OURS_AFTER_ALL, N_("choice.ours_after_all"), self._our_smtp_said_no()),
            (PROGRAM_AFTER_ALL, N_("choice.program_after_all"), self._said_no_program()),
        ):
            if choice_id not in self.words.offered or question is None:
                continue
            label = understanding.normalise(self.words.say(key))
            told = told_answers(
                typed,
                {question.id: question.reading},
                self._context.profile,
                self._context.analyser,
            )
            if typed.rstrip("。.!！ ") == label or told.get(question.id) == "yes":
                self._ours_after_all(question)
                return True
        return False

    def _ours_after_all(self, question: Question | None) -> None:
        """The provider's outgoing server (or a program) after all: its question yes, and on."""
        if question is None or not any(p.value == question.id for p in self.history):
            # Pressed once the answer had changed (a restart, 「戻る」): nothing to change.
            self.prompt()
            return
        while self.history and self.state.value != question.id:
            self._undo_one()
        self.misunderstood = 0
        self.words.text(
            N_("answer.changed_by_choice"),
            answer=self.words.say(_ANSWER_LABELS[Kind.YES]),
            question=say(self.words, question.text, self.locale),
        )
        self._answer(Kind.YES)

    def _address_given_where_asked(self, intent: Intent) -> bool:
        """Whether an address in a pasted error answered the address question too.

        Thunderbird's 「ユーザー名 taro@… でサーバー … へのログインに失敗しました」 where the
        address was asked: the fix is said and the address noted; asking for it again after
        「メールアドレスtaro@…を承りました」 would be a form's answer.
        """
        if self.state is not Stage.ASK_ADDRESS or not intent.address:
            return False
        if self.address != intent.address:
            return False
        self._advance("give_address")
        return True

    def _smtp_auth_where(
        self, problem: Problem, intent: Intent, diagnosis: Diagnosis
    ) -> tuple[str, ...]:
        """Where the program named switches SMTP authentication on, when the fix says to.

        Also for a refused login on the sending side: the iPhone, Mac Mail, Thunderbird, new
        Outlook and Becky! keep the sending login apart from the receiving one, so the fixed
        account name may be only the receiving one's. Not before the window, whose answer is
        to change nothing yet.
        """
        if problem is Problem.ACCOUNT_NOT_SAVED and self.program in _ACCOUNT_NOT_SAVED_WHERE:
            return (_ACCOUNT_NOT_SAVED_WHERE[self.program],)
        where = _SMTP_AUTH_WHERE.get(self.program or "")
        sending_login = (
            problem is Problem.LOGIN_FAILED
            and intent.sending_side
            and self.program != MailProgram.GMAIL_ANDROID.value
        )
        if where is None or (problem not in _SMTP_AUTH_FIXES and not sending_login):
            return ()
        if any(key.startswith(N_("problem.before_window")) for key in diagnosis.keys):
            return ()
        return (where,)

    def _whole_address_tried(self, problem: Problem, intent: Intent, when: Timing) -> bool:
        """Whether a refused login came with the whole address typed, where it is the account.

        「ユーザー名をtaro@…にしたのにパスワードが違うと出ます」 was told to make the account
        the whole address, what they had just done. Only inside or after the window: before
        it the old account is still the one to use.
        """
        profile = self._context.profile
        return (
            problem is Problem.LOGIN_FAILED
            and intent.tried_address
            and profile.incoming.login_name is LoginName.ADDRESS
            and self._whole_address_is_the_account(intent.address)
            and when.window is not Window.BEFORE
        )

    def _whole_address_is_the_account(self, address: str) -> bool:
        """Whether the whole address typed (or, without one, said in words) is the account.

        「アカウントをアドレス全部にしたけど」 names no address: where the domain changes it may
        be the old one, so only where it does not.
        """
        profile = self._context.profile
        if not address:
            return not profile.new_domains
        # Where the domain changes, the whole OLD address is not the account any more.
        return profile.is_affected(address) and profile.new_address(address) == address

    def _answer_beside(self, intent: Intent, proof: Proof | None) -> bool:
        """Whether the question on screen was answered beside the problem, and kept.

        「はい、会社からも送ります。でも0x800CCC0Eが出ます」: said back, as an answer read from
        a sentence is, so a wrong reading is one 「戻る」 away. Where the problem proves
        another answer (「いいえ。でも0x800CCC0Eが出ます」 at the mail-program question), the
        proof stands and nothing is said back.
        """
        if self._questionnaire.question(self.state) is None:
            return False
        proven = self._proven(proof) if proof is not None else {}
        if not intent.answer:
            if proven.get(self.state.value) == "yes" and _BARE_NO_FIRST.match(
                understanding.normalise(self._typed[:READ_LENGTH])
            ):
                # 「いいえ、送れません」: its bare 「いいえ、」 answers nothing (it may deny the
                # problem's words), yet may be the no, which the problem overrules as
                # 「いいえ。メールが送れません」's is; the line says what is taken, either way.
                self._overruled_no_said_back(dataclasses.replace(intent, answer="no"))
            return False
        if proven.get(self.state.value, intent.answer) != intent.answer:
            self._overruled_no_said_back(intent)
            return False
        self.answers[self.state.value] = intent.answer
        kind = {"yes": Kind.YES, "no": Kind.NO}.get(intent.answer, Kind.UNSURE)
        self.words.text(N_("answer.read_as"), answer=self.words.say(_ANSWER_LABELS[kind]))
        return True

    def _overruled_no_said_back(self, intent: Intent) -> None:
        """Say that a no to the mail-program question is taken as a yes, and how to undo it.

        「いいえ、使っていません。送信できません」: the problem proves a program (the safe
        way: a webmail user told to change a program loses nothing), but the subscriber's
        explicit no was overturned without a word. Said back, as an answer read beside a
        problem is, so 「戻る」 puts it right (and the webmail verdict then names the trouble).
        """
        question = self._questionnaire.question(self.state)
        if (
            intent.answer != "no"
            or question is None
            or question.reading is not Reading.MAIL_PROGRAM
        ):
            return
        self.words.text(_NO_OVERRULED.get(intent.value, N_("answer.no_overruled")))

    def _program_named_where_asked(self, intent: Intent) -> bool:
        """Whether a program named beside a problem answered the program question too.

        「Outlook2019です。0x800CCC0Fが出てます」 where the program was asked: the bot said
        「従来のOutlookをお使いなのですね」 and then asked which program again.
        """
        if not intent.program:
            return False
        if self.state is Stage.ASK_PROGRAM or (
            self.state is Stage.ASK_OUTLOOK_KIND and intent.program != OUTLOOK_AMBIGUOUS
        ):
            return self._program(Intent(Kind.CHOICE, f"program:{intent.program}"))
        return False

    def _question_ahead(self, intent: Intent) -> str | None:
        """The question after the one on screen that `intent` says yes to beside its problem."""
        if not intent.yes_ahead or self._questionnaire.question(self.state) is None:
            return None
        return self._questionnaire.next(self.state.value, "yes").value

    def _take_proof(self, proof: Proof, ahead: str | None = None) -> bool:
        """Answer the questions `proof` settles and carry on from there; False if it settles none.

        Only at a question, or where the bot rests after "nothing to change". A proof only
        ever asks for more change (`Questionnaire.using_a_program`, `.sending_required`).
        """
        questionnaire = self._questionnaire
        resting = questionnaire.resting_leaf(self.state) is not None
        if questionnaire.question(self.state) is None and not resting:
            return False
        proven = self._proven(proof)
        if not proven or (resting and proven.items() <= self.answers.items()):
            return False
        self.answers.update(proven)
        self._ask_what_remains(ahead)
        return True

    def _proven(self, proof: Proof) -> dict[str, str]:
        """The answers `proof` settles (question id → answer); empty if none."""
        proven = self._questionnaire.using_a_program()
        if proof is Proof.SENDING_REQUIRED:
            proven = self._questionnaire.sending_required() or proven
        return dict(proven)

    def _ask_what_remains(self, ahead: str | None = None) -> None:
        """Skip the questions already answered; give the verdict if none remain.

        `ahead`, a question answered yes beside a problem (「…送れません。会社からも使って
        ます」), is taken where the walk reaches it unanswered, and said back with the question
        so that 「戻る」 undoes it.
        """
        stage, passed = self._questionnaire.walk(self.answers)
        question = self._questionnaire.question(stage)
        if ahead is not None and stage.value == ahead and ahead not in self.answers and question:
            self.answers[ahead] = "yes"
            self.words.text(
                N_("answer.read_ahead"),
                answer=self.words.say(_ANSWER_LABELS[Kind.YES]),
                question=say(self.words, question.text, self.locale),
            )
            stage, passed = self._questionnaire.walk(self.answers)
        self.history = list(passed)
        self.receiving = self.sending = None
        self._machine.set_state(stage.value, model=self)
        answer = self.answers.get(stage.value)
        if answer not in ANSWERS:
            if not self._take_told():
                self.prompt(lead=N_("problem.remaining"))
            return
        self._advance(f"answer_{answer}")

    def _note_told(self) -> None:
        """Keep the answers the words typed give to questions not yet asked (`told_answers`)."""
        if not self._typed or (
            self._questionnaire.question(self.state) is None and self.state is not Stage.START
        ):
            return
        questions = {
            question.id: question.reading
            for question in self._questionnaire.flowchart.questions.values()
            if question.id != self.state.value and question.id not in self.answers
        }
        self.told.update(
            told_answers(
                understanding.normalise(self._typed[:READ_LENGTH]),
                questions,
                self._context.profile,
                self._context.analyser,
            )
        )

    def _take_told(self) -> bool:
        """Answer the question on screen with what the subscriber told before it was asked.

        Said back with the question, so that 「戻る」 undoes it (and then it is asked).
        """
        question = self._questionnaire.question(self.state)
        told = self.told.pop(question.id, None) if question is not None else None
        if question is None or told is None or question.id in self.answers:
            return False
        kind = Kind.YES if told == "yes" else Kind.NO
        self.words.text(
            N_("answer.told_before"),
            answer=self.words.say(_ANSWER_LABELS[kind]),
            question=say(self.words, question.text, self.locale),
        )
        self._answer(kind)
        return True

    def _small_talk(self, intent: Intent) -> None:
        if intent.value == SmallTalk.CHANGED.value:
            self._changed_already()
            return
        key = _SMALL_TALK_KEYS.get(intent.value, N_("media.unreadable"))
        if key == N_("media.unreadable"):
            self._picture()
            return
        if key == N_("smalltalk.greeting") and sends_regards(
            understanding.normalise(self._typed[:READ_LENGTH])
        ):
            # 「よろしくお願いします」 is no hello to answer with 「こんにちは」; after a message
            # left for the desk it closes it, and is told the desk will be in touch (audit11:
            # it was greeted, and the questionnaire asked again as if nothing was left).
            regards = N_("smalltalk.regards")
            key = N_("smalltalk.regards.message_left") if self.message_left else regards
        elif key == N_("smalltalk.greeting"):
            # 「おはようございます」「こんばんは」 answered in kind, not 「こんにちは」 (words30).
            greeted = greeted_at(understanding.normalise(self._typed[:READ_LENGTH]))
            key = _GREETINGS_IN_KIND.get(greeted or "", key)
        if key == N_("edited.send_again") and self.answers:
            # 「いいえ」 edited to 「はい」 on Telegram or Slack: sent again as asked, it answered
            # the question on screen (the address), and the earlier answer stood (channels).
            key = N_("edited.send_again.answered")
        if key == N_("smalltalk.resume") and not (self.history or self.answers):
            # Nothing kept (expired, or begun elsewhere): "where you left off" would be untrue.
            key = N_("smalltalk.resume_fresh")
        if key == N_("smalltalk.works") and not self.card_shown_for and self._before_the_card():
            # 「できました」 at a question: nothing was guided yet, so "glad it works" would
            # praise settings the bot never gave (the old ones still work for a while).
            key = N_("smalltalk.works_before_card")
        self.words.text(key)
        if key == N_("smalltalk.goodbye") and self.receiving is not Receiving.NOT_NEEDED:
            when = timing(self._context.profile, self._context.today)
            if when.old_pop_last_day and when.old_mail_to_collect and not when.old_mail_on_imap:
                # 「またあしたやります」 on the old receiving server's last day: tomorrow the mail
                # left on it is out of reach, which the goodbye alone did not say.
                self.words.text(old_server_key(when))
        self.prompt()
        if key == N_("smalltalk.wait") and feedback.is_asked(self._stored.offered):
            # 「わかりました、やってみます」 under 「解決しましたか？」: it is answered once they
            # have tried; 「ほかにお手伝い…」 in its place left 「できました」 uncounted.
            self._ask_whether_solved()

    def _changed_already(self) -> None:
        """「もう設定は変えました」 'I already changed the settings': what proves it, where said.

        Each was not understood, or 「設定変更しました」 praised as working before any card.
        Before the card the answers still decide which change was needed; after it the login
        check proves it (before the window, the change made early may not work yet); after a
        check that passed, nothing is left.
        """
        when = timing(self._context.profile, self._context.today)
        delivered = self.state in (Stage.SETTINGS_DELIVERED, Stage.CHECK_ADDRESS)
        if self.state is Stage.START or self._before_the_card():
            self.words.text(N_("changed.before_card"))
        elif not delivered:
            # A resting verdict (nothing to change, webmail only): nothing more is asked.
            self.words.text(N_("what_is_left.resting"))
        elif self.state is Stage.CHECK_ADDRESS:
            # The check is under way, its address asked: 「下の「ログインを確認する」で」 named
            # a button the screen no longer shows (only 「スキップ」 is there).
            self.words.text(N_("changed.check_under_way"))
        elif self.check_passed:
            self.words.text(N_("changed.check_passed"))
        elif not advice.offers_check(when):
            # Changed before the window: the old settings still work, the new may not yet.
            self.words.text(for_window(N_("problem.before_window.changed_early"), when))
        else:
            self.words.text(N_("changed.check_offer"))
        self.prompt()

    def _picture(self, *, again: bool = False) -> None:
        """A photo, voice message, file or location: what the bot cannot see, and the ways on.

        Often a photo of the screen from someone who cannot type the error: 「エラーの文章を
        文字で入力してください」 alone was a dead end for them, picture after picture.
        `again`: words about the picture just answered so (「読めますか」), told it shorter.
        """
        self.words.choices(
            self.words.say(N_("media.unreadable_again") if again else N_("media.unreadable")),
            [
                self.words.choice(DESCRIBE_IN_WORDS, N_("choice.describe_in_words")),
                self.words.choice("human", N_("menu.human")),
                # Short: LINE cuts a label at 20 characters ("Continue with the a…").
                self.words.choice(CARRY_ON, N_("choice.go_on")),
            ],
        )

    def _before_the_card(self) -> bool:
        """Whether the dialog is still asking what the settings card needs."""
        stage = self.state
        return self._questionnaire.question(stage) is not None or stage in (
            Stage.ASK_ADDRESS,
            Stage.ASK_PROGRAM,
            Stage.ASK_OUTLOOK_KIND,
            Stage.ASK_SMTP_HOST,
        )

    def _note_program(self, value: str, *, corrects: bool = False) -> None:
        """Remember a program named before it was asked for, and say so."""
        if corrects and self.program not in (None, value):
            # 「間違えました、Outlookです」 takes the first name back: the new one is guided.
            self.program = value
            self.words.text(N_("answer.program_corrected"), program=self._program_name(value))
            return
        if self._second_program(value):
            # 「iPhoneです」 then 「Outlookです」 a question later: the first stays the one guided
            # and the other is offered after it, as 「Outlookも使っています」 is.
            self.words.text(N_("program.another_later"))
            return
        self.program = value
        webmail = self._context.profile.webmail
        if webmail is not None and value in webmail.only_for:
            # Sent to webmail after the address ([webmail] only_for): "I will use it for the
            # instructions" would promise steps that never come.
            if value == MailProgram.OTHER.value:
                self.words.text(N_("answer.program_noted_other.webmail_only"))
            else:
                self.words.text(
                    N_("answer.program_noted.webmail_only"), program=self._program_name(value)
                )
            return
        if value == MailProgram.OTHER.value:
            # Its button's label is no name to say back: "You use Other mail program".
            self.words.text(N_("answer.program_noted_other"))
            return
        if value == MailProgram.OUTLOOK_NEW.value and windows_own_mail(self._typed):
            # 「Windowsのメール」: why the new Outlook's steps, not "you use the new Outlook".
            self.words.text(N_("program.windows_mail"))
            return
        self.words.text(N_("answer.program_noted"), program=self._program_name(value))

    def _program_name(self, value: str) -> str:
        if value == OUTLOOK_AMBIGUOUS:
            return "Outlook"
        return self.words.say(label_key(MailProgram(value)))

    def _second_program(self, value: str) -> bool:
        """Whether `value` names another program than the one held, where none is chosen.

        Where a program is chosen (its question, which Outlook, the program list after a
        card) the new name is the choice; 「新しいOutlookです」 after 「Outlookです」 says which.
        """
        held = self.program
        if held is None or held == value or self.state in CHOOSING_PROGRAM:
            return False
        if held == MailProgram.OTHER.value:
            # The common steps stood in for a program not known by name (「わからない」):
            # named now, it is the one to guide, not a second one.
            return False
        return not (held in _OUTLOOKS and value in _OUTLOOKS)

    def _program_named(self, intent: Intent) -> None:
        if (
            intent.answer
            and self.program in (None, intent.value)
            and self._questionnaire.question(self.state) is not None
        ):
            # 「いいえ、Outlookです」 at the network question with no program named before: no
            # program to put right, so its no is the question's (the question came again).
            self._note_program(intent.value)
            self._carry_on(intent)
            return
        self._note_program(intent.value, corrects=intent.corrects)
        # Whoever names a mail program uses one: "webmail only" was not the answer.
        resting = self._questionnaire.resting_leaf(self.state) is not None
        if resting and self._take_proof(Proof.USES_A_PROGRAM):
            return
        self.prompt()

    def _phone(self, intent: Intent) -> None:
        asked = self._questionnaire.question(self.state)
        first = self.state is Stage.START or (
            asked is not None and asked.reading is Reading.MAIL_PROGRAM
        )
        if intent.value == PHONE_ASKED and first:
            # At the mail-program question: the yes to what was asked, and how a phone's app
            # answers the question, which is asked again (which phone comes with the program).
            self.words.text(N_("program.phone_asked.at_question"))
        elif intent.value == PHONE_ASKED:
            # 「スマホでもできますか」: the yes to what was asked, then which phone.
            self.words.text(N_("program.phone_asked"))
        elif intent.value == GMAIL_ON_APPLE:
            # Only Gmail on a Mac (the web page) reaches here on an IMAP profile.
            imap = self._context.profile.incoming.protocol is Protocol.IMAP
            self.words.text(N_("program.gmail_on_mac") if imap else N_("program.gmail_on_apple"))
        elif intent.value in NO_GUIDE_KEYS:
            # Two programs, a feature phone, another company's webmail: what is true of it.
            pop_key, imap_key = NO_GUIDE_KEYS[intent.value]
            imap = self._context.profile.incoming.protocol is Protocol.IMAP
            lead: tuple[str, ...] = ()
            incoming_security = self._context.profile.incoming.security
            if intent.value in (NoGuide.GMAIL_WEB, NoGuide.OTHER_WEBMAIL):
                # What to change there: before the window, not yet (as the settings card says).
                when = timing(self._context.profile, self._context.today)
                lead = advice.settings_lead_keys(when)
                # Worded for the profile (kept host names: the port and SSL, not the names).
                pop_key = for_profile(pop_key, when)
                pop_key = _with_encryption(pop_key, incoming_security)
            gmail_pop = intent.value == NoGuide.GMAIL_WEB and not imap
            if gmail_pop and incoming_security is Security.STARTTLS:
                # Gmail's fetcher has an SSL box (implicit TLS) and no STARTTLS: a POP3 server
                # that encrypts only by STARTTLS refuses its login, however it is filled in.
                pop_key = N_("program.gmail_web.starttls")
            elif gmail_pop and self._context.today >= GMAIL_POP_FETCH_ENDING:
                lead = (*lead, GMAIL_POP_FETCH_ENDING_KEY)
            self.words.text(*lead, imap_key if imap else pop_key)
            if intent.value == NoGuide.TWO_PROGRAMS and self.state is Stage.SETTINGS_DELIVERED:
                # Two more to set up after a guide: the program list, for the first of them.
                self._advance("other_program")
                return
        elif intent.value == COMPUTER:
            self.words.text(N_("program.which_on_computer"))
        else:
            self.words.text(N_("program.which_phone"))
        self.prompt()

    def _handle_for_stage(self, intent: Intent) -> bool:
        stage = self.state
        if self._questionnaire.question(stage) is not None and intent.kind in _ANSWER_TRIGGERS:
            if intent.old_smtp_named and intent.kind is Kind.YES:
                # 「はい、vs.117.ne.jpです」: which outgoing server is in use is said; asking
                # for its name after the card asked what was given.
                self.smtp_host = SmtpHost.OLD
            self._answer(intent.kind, intent.value, yes_ahead=intent.yes_ahead)
            return True
        if stage is Stage.ASK_ADDRESS and intent.kind is Kind.SKIP:
            if skip_domains(self._context.profile):
                # 「入力せずに進む」 typed where each domain moves to its own: which one is
                # theirs decides the new address the card and the guides name.
                self.prompt(instead=self.words.say(N_("address.which_domain")))
                return True
            self.address_skipped = True
            self._advance("skip_address")
            return True
        chosen = intent.value.removeprefix(SKIP_AT)
        if (
            stage is Stage.ASK_ADDRESS
            and intent.kind is Kind.CHOICE
            and intent.value.startswith(SKIP_AT)
            and chosen in skip_domains(self._context.profile)
        ):
            self.address_skipped = True
            self.address_domain = chosen
            self._advance("skip_address")
            return True
        resting = self._questionnaire.resting_leaf(stage) is not None
        if (
            (stage is Stage.SETTINGS_DELIVERED or resting)
            and intent.kind in (Kind.YES, Kind.NO)
            and intent.value != READ
        ):
            # 「はい」/「いいえ」 to 「ほかにお手伝いできることはありますか？」: what, or goodbye.
            yes = intent.kind is Kind.YES
            self.words.text(N_("next.something_else") if yes else N_("smalltalk.goodbye"))
            self.prompt()
            return True
        if stage is Stage.ASK_SMTP_HOST and intent.value.startswith(FOREIGN_SMTP):
            # Mail goes out through another provider's server: this migration does not
            # touch it, whatever the earlier answer said, so sending keeps its settings.
            self.sending = Sending.NOT_NEEDED
            self.words.text(N_("smtp_host.not_ours"), host=intent.value.removeprefix(FOREIGN_SMTP))
            self._advance("tell_smtp_host")
            return True
        if stage is Stage.ASK_SMTP_HOST:
            host = _SMTP_ANSWERS.get(intent.kind) or _smtp_choice(intent)
            if host is not None:
                self.smtp_host = host
                if intent.value and intent.kind in _ANSWER_LABELS:
                    # Read from a sentence: said back, as at the questions.
                    label = self.words.say(_ANSWER_LABELS[intent.kind])
                    self.words.text(N_("answer.read_as"), answer=label)
                self._advance("tell_smtp_host")
                return True
        if intent.kind is Kind.CHOICE and intent.value == CARRY_ON:
            self.prompt()
            return True
        if intent.kind is Kind.CHOICE and intent.value == OURS_AFTER_ALL:
            self._ours_after_all(self._our_smtp_said_no())
            return True
        if intent.kind is Kind.CHOICE and intent.value == PROGRAM_AFTER_ALL:
            self._ours_after_all(self._said_no_program())
            return True
        if intent.kind is Kind.CHOICE and intent.value == WHERE_SMTP_SHOWS:
            self.words.text(N_("smtp_host.where_it_shows"))
            self.prompt()
            return True
        if intent.kind is Kind.CHOICE and intent.value == CHECK_AFTER_THE_CARD:
            # 「ログインできるか確認したい」 at a question: the check comes with the settings.
            self.words.text(N_("check.after_the_card"))
            self.prompt()
            return True
        if intent.kind is Kind.CHOICE and intent.value == IS_IT_RIGHT:
            # 「これでいいですか」 after the card: how to tell, then the card's buttons (the
            # login check among them); the settings typed out before it, compared.
            if not self._compared_with_the_card():
                self.words.text(N_("card.is_it_right"))
            self.prompt()
            return True
        if intent.kind is Kind.CHOICE and intent.value == ON_PAPER:
            # 「印刷したいです」: the card's print button where the channel has one, else a
            # screenshot or a copy by hand; before the card, that it comes after the questions.
            self._how_to_print()
            self.prompt()
            return True
        if (
            intent.kind is Kind.CHOICE
            and intent.value == WHERE_TO_TYPE
            and stage is Stage.SETTINGS_DELIVERED
        ):
            # 「どこに入力するんですか」 under the card: into the program, by its steps (read as
            # the settings asked again, it went back to the address question).
            webmail = self._context.profile.webmail
            if webmail is not None and program_or_other(self.program).value in webmail.only_for:
                # No steps for a program the new servers do not serve: the webmail again.
                self._deliver_settings()
                return True
            self.words.text(N_("card.where_to_type"))
            self.words.replies.append(self._guide())
            self.prompt()
            return True
        if (
            intent.kind is Kind.CHOICE
            and intent.value == LINE_NAMED
            and (asked := self._questionnaire.question(stage)) is not None
            and asked.reading is Reading.OTHER_NETWORK
        ):
            # 「いいえ、ケーブルテレビです」: whose line it is decides, so say how to tell.
            self.words.text(N_("explain.line_named"))
            self.prompt()
            return True
        if intent.kind is Kind.CHOICE and intent.value == EXPLAIN_QUESTION:
            question = self._questionnaire.question(stage)
            if self._stored.explained:
                # 「？」 again straight after the explanation: the same paragraph word for word
                # helped no more the second time; say plainly how to go on, or whom to ask.
                self.words.text(N_("explain.plain"))
            elif question is not None:
                self.words.text(_EXPLANATIONS[question.reading])
            else:
                self.words.text(N_("explain.address"))
            self._explained = True
            self.prompt()
            return True
        if (
            intent.kind is Kind.CHOICE
            and intent.value.startswith(TERM)
            # Only the words the bot explains: a forged "term:xyz" is a button it never sent.
            and intent.value.removeprefix(TERM) in _TERM_KEYS
        ):
            # 「POPって何？」: the word, in a sentence or two; then carry on where we were.
            self.words.text(_TERM_KEYS[intent.value.removeprefix(TERM)])
            self._carry_on(intent)
            return True
        if intent.kind is Kind.CHOICE and intent.value == WHETHER_TO_CHANGE:
            leaf = self._leaf_reached()
            if leaf is None:
                self.words.text(N_("whether_to_change.by_the_questions"))
                if intent.answer:
                    # 'no, I use gmail's smtp server. Do I still need to change anything?': the
                    # questions decide it, and the one on screen was answered beside it.
                    self._carry_on(intent)
                    return True
            else:
                # Asked after the verdict: the verdict is the answer, read for today (the old
                # outgoing server may have stopped since it was given).
                when = timing(self._context.profile, self._context.today)
                self.words.text(N_("whether_to_change.decided"))
                self.words.replies.append(TextReply(self._verdict_text(leaf, when)))
            self.prompt()
            return True
        if stage is Stage.SETTINGS_DELIVERED and intent.value == "other_program":
            self._advance("other_program")
            return True
        if stage is Stage.SETTINGS_DELIVERED and intent.value == "check":
            self._request_check()
            return True
        if stage is Stage.CHECK_ADDRESS and intent.kind is Kind.SKIP:
            self._fire("cancel_check")
            self.prompt()
            return True
        if stage in (Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND) and intent.kind is Kind.UNSURE:
            # Not knowing the program's name (or which Outlook) is no dead end: the generic
            # steps fit any program.
            unsure = stage is Stage.ASK_PROGRAM
            self.words.text(N_("program.unsure") if unsure else N_("program.outlook_unsure"))
            return self._program(Intent(Kind.CHOICE, f"program:{MailProgram.OTHER.value}"))
        if stage in (Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND, Stage.SETTINGS_DELIVERED):
            return self._program(intent)
        if self._questionnaire.resting_leaf(stage) is not None and intent.kind is Kind.YES:
            # 「やっぱりメールソフト使ってた」 corrects the first answer: carry on from there.
            if intent.value in (READ, NoGuide.TWO_PROGRAMS) and self._take_proof(
                Proof.USES_A_PROGRAM
            ):
                return True
            self._restart(intent)
            return True
        return False

    def _program(self, intent: Intent) -> bool:
        if intent.kind is not Kind.CHOICE or not intent.value.startswith("program:"):
            return False
        value = intent.value.removeprefix("program:")
        if value == OUTLOOK_AMBIGUOUS and self.state is Stage.ASK_OUTLOOK_KIND:
            # 「Outlookです」 again where which Outlook is asked: there is nowhere to go but the
            # question (firing name_outlook from here raised MachineError, and nothing answered).
            self.words.text(N_("program.outlook_again"))
            self.prompt()
            return True
        if value == OUTLOOK_AMBIGUOUS:
            self._advance("name_outlook")
            return True
        try:
            program = MailProgram(value)
        except ValueError:
            return False
        self.program = program.value
        if program is MailProgram.OUTLOOK_NEW and windows_own_mail(self._typed):
            # 「Windowsに最初から入っているメール」 where the program is asked: its steps are the
            # new Outlook's, and the subscriber is told why before them.
            self.words.text(N_("program.windows_mail"))
        if self.state is Stage.SETTINGS_DELIVERED:
            self._deliver_settings()
        else:
            self._advance("choose_program")
        return True

    def _answer(self, kind: Kind, read_from: str = "", *, yes_ahead: bool = False) -> None:
        question = self._questionnaire.question(self.state)
        answer = {Kind.YES: "yes", Kind.NO: "no"}.get(kind, "unsure")
        self.answers[self.state.value] = answer
        if question is not None and question.names_old_smtp and answer == "yes":
            # The question named the old outgoing server: "yes" says it is the one in use, so
            # 「今お使いの送信サーバー名は…ですか？」 would ask what was just answered.
            self.smtp_host = SmtpHost.OLD
        if read_from.startswith("program:"):
            self._note_program(read_from.removeprefix("program:"))
        if read_from:
            # Free text taken as an answer is said back, so a wrong reading is one 「戻る」 away.
            self.words.text(N_("answer.read_as"), answer=self.words.say(_ANSWER_LABELS[kind]))
        if read_from == NoGuide.TWO_PROGRAMS:
            # 「iPhoneとパソコンのOutlook」 at the first question: both are guided, one by one.
            self.words.text(N_("program.two_later"))
        if kind is Kind.UNSURE and read_from == GMAIL_NAMED:
            # 「ジーメールで送ってます」「gmailです」: Google's own server (nothing to change for
            # sending) or the Gmail app sending through the provider's (a change); the general
            # note told them nothing of which (subscriber21).
            self.words.text(N_("our_smtp.gmail_named"))
        elif kind is Kind.UNSURE and question is not None and question.unsure_note is not None:
            self._say_text(question.unsure_note)
        following = self._questionnaire.question(self._questionnaire.next(self.state.value, answer))
        if yes_ahead and following is not None:
            # 「はい、会社からも送ります」: the next question answered in the same words. Said
            # back with the question, so that 「戻る」 undoes it; the question is not asked.
            self.history.append(self.state)
            self._machine.set_state(following.id, model=self)
            self.words.text(
                N_("answer.read_ahead"),
                answer=self.words.say(_ANSWER_LABELS[Kind.YES]),
                question=say(self.words, following.text, self.locale),
            )
            self._answer(Kind.YES)
            return
        self._advance(_ANSWER_TRIGGERS[kind])

    def _say_text(self, wording: Wording) -> None:
        """One text reply from a profile's words (a catalog key is filled with the facts)."""
        if wording.key:
            self.words.text(wording.key)
        else:
            self.words.replies.append(TextReply(self.words.fill(wording.inline(self.locale))))

    def _advance(self, trigger: str) -> None:
        """Fire `trigger`, remembering where we were so "back" can return there."""
        self.history.append(self.state)
        self._fire(trigger)

    def _fire(self, trigger: str) -> None:
        self._entered_from = self.state
        self._machine.events[trigger].trigger(self)

    # -- the live login check --------------------------------------------------------------

    def _request_check(self, *, then_ask: bool = True) -> None:
        if not advice.offers_check(timing(self._context.profile, self._context.today)):
            # Before the window (a button from another day, 「ログインを確認したい」 typed, an
            # agent's hand-back to the check): no link, and the day it can be done.
            if self.state is Stage.CHECK_ADDRESS:
                self._fire("cancel_check")
            self.words.text(N_("check.before_window"))
            if then_ask:
                self.prompt()
            return
        if self.address is None:
            self._fire("ask_check_address")
            return
        self.signals.append(Signal.CHECK_REQUESTED)
        self.words.text(N_("check.intro"))
        self.words.replies.append(
            LinkReply(self.words.say(N_("check.link")), CHECK_LINK_PLACEHOLDER)
        )
        if then_ask:
            self.prompt()

    def handle_event(self, event: SystemEvent) -> None:
        """Something outside the chat happened: put it into words and carry on."""
        if event.kind == "handback":
            self._handed_back(event)
            return
        if event.kind != "check_result":
            self.prompt()
            return
        when = timing(self._context.profile, self._context.today)
        count = event.get("pop_count", "0")
        # A server the check could not reach is named with the port the check tried (an
        # event from before the check named its ports: the profile's first ones).
        profile = self._context.profile
        tried = {
            "checked_pop_port": event.get("pop_port") or str(profile.incoming.port),
            "checked_smtp_port": event.get("smtp_port") or str(profile.outgoing.port),
        }
        retry_at = check_words.retry_moment(event)
        if retry_at is not None:
            # The zone's short name is the runtime's (「JST」): an offset alone names none.
            zone = event.get("retry_zone") or profile.timezone
            tried |= {"retry_time": self._opening_text(retry_at), "zone": zone}
        self.words.replies.append(
            check_words.result_reply(
                event, lambda key: self.words.say(for_profile(key, when), count=count, **tried)
            )
        )
        # A check begun before midnight (JST) may end after it, on a new day of the schedule
        # (the old servers stopped): said after the result the subscriber waits for, as the
        # advice's day moves to today.
        self.say_what_changed()
        if event.get("refused"):
            # Refused before connecting (rate limit): neither a pass nor a failure.
            self.prompt()
            return
        verdict = check_words.verdict(event)
        if verdict is check_words.Verdict.PASSED:
            self.signals.append(Signal.CHECK_PASSED)
            self.check_failures = 0
            self.check_passed = True
        elif verdict is check_words.Verdict.FAILED:
            self.signals.append(Signal.CHECK_FAILED)
            self.check_failures += 1
            self.check_passed = False
        # Else refused for safety before any password left: nothing verified, nothing
        # found wrong, so it neither counts towards a person nor resets the count.
        if self.state is Stage.CHECK_ADDRESS:
            self._fire("cancel_check")
        if verdict is check_words.Verdict.FAILED and self.check_failures >= CHECK_FAILURE_LIMIT:
            self.signals.append(Signal.HANDOFF_SUGGESTED)
            if self._context.desk_available:
                self._hand_off(N_("handoff.reason.check_failed"))
                return
            # As after words not understood: no offer of a person that cannot be kept (the
            # check page repeats these words and has no button at all).
            self.words.text(N_("check.failed_repeatedly"))
            self._no_person_now()
            return
        self.prompt()

    def _answer_left_over(self, question: str) -> bool:
        """What the subscriber asked the agent and got no answer to, answered if the bot can.

        Only a question the bot has an answer for (a topic, a problem report, the settings):
        a "yes" said to the agent is not an answer to the bot's question, and a request for a
        person is not repeated (a forgotten password is answered with where to reach the desk).
        """
        intent = self._left_over_intent(question)
        if intent is None:
            return False
        self._answer_left_over_with(intent, question)
        return True

    def _handed_back(self, event: SystemEvent) -> None:
        """An agent gave the conversation back: greet, and carry on where the facts leave off.

        The runtime already placed the state there (`dialogs.resume`). Given back by the
        subscriber, who stopped waiting (the late-reply notice's button), it says so instead
        of greeting from the agent.
        """
        if event.get("by") == "subscriber":
            self.words.text(N_("handback.left_waiting"))
        else:
            self.words.text(N_("handback.greeting"))
        # The agent may have had it across a day of the schedule: said before the card.
        self.say_what_changed()
        leaf = self._leaf_reached()
        if (
            leaf is not None
            and leaf.proceeds
            and self._stored.advised_on is None
            and event.get("step") != "check"
        ):
            # The agent's answers reach a verdict the subscriber has never heard (handed to
            # the desk mid-questions): said, as after the last question. The hand-back went
            # straight to 「今お使いの送信（SMTP）サーバー名は…」 and the card, and the
            # subscriber never heard what must change, nor the window and the old servers' days.
            self._give_verdict(leaf)
        typed = event.get("typed_address")
        if typed and self._questionnaire.resting_leaf(self.state) is None:
            # Typed under the address question while the agent had the chat, and no other
            # given back: said, so the subscriber sees which address the settings are for
            # (nothing to say where the agent's answers end with nothing to change).
            self.words.text(N_("handback.typed_address"), address=typed)
        left_over = event.get("unanswered")
        if self.state is Stage.SETTINGS_DELIVERED and event.get("step") == "check":
            # 「ログイン確認から」: the agent has seen to the settings, so the login check
            # follows, not the card and guide again.
            self._check_after_handback(self._left_over_intent(left_over), left_over)
            return
        if self.state is Stage.SETTINGS_DELIVERED and not self._card_shown_holds_now():
            # Settings the subscriber has not seen (the agent gave the program, or changed
            # it): sent, and then the question left with the agent answered, which ends the
            # turn with one question; a request for the settings needs nothing but the card.
            self._deliver_settings(then_ask=False)
            intent = self._left_over_intent(left_over)
            if intent is None or intent.kind is Kind.SHOW_SETTINGS:
                self.prompt()
                self._ask_whether_solved()
            else:
                self._answer_left_over_with(intent, left_over)
            return
        if self._answer_left_over(left_over):
            return
        leaf = self._questionnaire.resting_leaf(self.state)
        if leaf is not None:
            # The agent's answers end the questions where nothing is to be changed: said,
            # as after the last question, before 「ほかにお手伝いできることは…」.
            self._give_verdict(leaf)
        if self.state is Stage.SETTINGS_DELIVERED:
            # The card and guide above hold these very facts: a second copy (six messages)
            # only pushes the agent's words out of sight.
            self.words.text(N_("handback.settings_above"))
        self.prompt()

    def _check_after_handback(self, left: Intent | None, question: str) -> None:
        """「ログイン確認から」: the login check, and the question left with the agent answered.

        The answer ends the turn with the one question: after the check's link, or, with no
        address yet, the question for the address to check.
        """
        if left is None:
            self._request_check()
        elif self.address is None and advice.offers_check(
            timing(self._context.profile, self._context.today)
        ):
            self._machine.set_state(Stage.CHECK_ADDRESS.value, model=self)
            self._answer_left_over_with(left, question)
        else:
            self._request_check(then_ask=False)
            self._answer_left_over_with(left, question)

    def _left_over_intent(self, question: str) -> Intent | None:
        """What the question left with the agent asks, if the bot can answer it (else None)."""
        if not question:
            return None
        intent = self.understand_text(question)
        if intent.kind is Kind.PROGRAM and self._before_the_card():
            # 「Outlookの場合はどこで設定しますか？」 at the questions (`_answer_left_over_with`).
            return intent
        return intent if intent.kind in _LEFT_OVER_KINDS else None

    def _answer_left_over_with(self, intent: Intent, question: str) -> None:
        self.words.text(N_("handback.left_over"), question=question)
        if intent.kind is Kind.PROGRAM and self._before_the_card():
            # 「Outlookの場合はどこで設定しますか？」 left with the agent was met with nothing:
            # the program is noted, and where its steps come (with the settings, after the
            # questions), then the question on screen.
            self._note_program(intent.value, corrects=intent.corrects)
            webmail = self._context.profile.webmail
            if webmail is None or program_or_other(intent.value) not in webmail.only_for:
                self.words.text(N_("answer.program_steps_later"))
            self.prompt()
            return
        if intent.kind is Kind.TOPIC and intent.value == Topic.FORGOTTEN_PASSWORD.value:
            # Left unanswered, 「パスワードを忘れました」 was met with nothing at all. Only the
            # desk can help, and the desk has just given the chat back (or the subscriber
            # left its queue): the answer and where to reach the desk, not a handoff back.
            when = timing(self._context.profile, self._context.today)
            self.words.text(*answer_keys(Topic.FORGOTTEN_PASSWORD, when))
            contact = self._context.profile.support.contact(self.locale)
            self.words.text(N_("human.contact"), contact=contact)
            self.prompt(lead=N_("prompt.continue"))
            return
        self.handle(intent)

    # -- callbacks and prompts -------------------------------------------------------------

    def prompt(self, *, lead: str | None = None, instead: str | None = None) -> None:
        """End the turn with the current stage's question (`instead`: in those words)."""
        ask(
            self.words,
            self.state,
            self._questionnaire,
            self.locale,
            can_go_back=bool(self.history),
            program=self.program,
            lead=lead,
            instead=instead,
            check_open=advice.offers_check(timing(self._context.profile, self._context.today)),
            skip_domains=skip_domains(self._context.profile),
        )

    def needs_smtp_host(self) -> bool:
        """Condition: whether the outgoing server name matters for this subscriber.

        Not where the profile keeps it: "only users of smtp.a get smtp.a" asks nothing;
        nor for a program sent to webmail ([webmail] only_for): no settings follow.
        """
        webmail = self._context.profile.webmail
        return (
            self.sending is not Sending.NOT_NEEDED
            and self.smtp_host is None
            and not self._context.profile.outgoing.host_kept
            and not (webmail is not None and program_or_other(self.program) in webmail.only_for)
        )

    def on_stage_entered(self) -> None:
        """Machine callback after every transition."""
        if (
            self.state is Stage.ASK_PROGRAM
            and self.program
            and self._entered_from is Stage.ASK_ADDRESS
        ):
            # Named earlier in the conversation: the subscriber is not asked again.
            self._program(Intent(Kind.CHOICE, f"program:{self.program}"))
            return
        if self.state is Stage.ASK_ADDRESS and self.address:
            # Given earlier in the conversation: thanked for, not asked for again ("back"
            # to this question still asks, through `prompt`).
            self.words.text(N_("address.thanks"), address=self.address)
            self._advance("give_address")
            return
        leaf = self._questionnaire.leaf(self.state)
        if leaf is not None:
            self._give_verdict(leaf)
            if leaf.proceeds:
                self._fire("proceed")
                return
            if self.trouble_said and self._said_no_program() is not None:
                # 「メールが使えなくなりました」 first, then webmail only: "keep using it as
                # before" alone dropped the trouble; it is not the migration's, and a person
                # can look (as when it is said after this verdict).
                self.words.text(
                    _WEBMAIL_ONLY_UNDER_VERDICT.get(
                        self.trouble_said, N_("problem.webmail_only.under_verdict")
                    )
                )
                self._ways_on_from_elsewhere()
                return
        if self.state is Stage.SETTINGS_DELIVERED:
            if self._entered_from is not Stage.CHECK_ADDRESS:
                self._deliver_settings()
            return
        if self._take_told():
            return
        self.prompt()

    def say_what_changed(self) -> None:
        """Advice heard before a day of the schedule, the conversation taken up after it.

        A verdict or card from the window (「当面は送信できます」, "the old server answers
        until 20 June") or from before it ("change nothing yet") reads false once the window
        opens or an old server stops: the subscriber is told that it changed, the schedule as
        it stands today, and a sending change now needed, before their message is answered.
        """
        if self._verdict_moved is not None:
            self._say_verdict_moved(self._verdict_moved)
            return
        advised_on = self._stored.advised_on
        # Not with a clock behind the advice's (another replica's, a second before midnight):
        # the schedule does not move backwards.
        if advised_on is None or advised_on >= self._context.today or not self._stored.has_verdict:
            return
        if self.receiving is Receiving.NOT_NEEDED and self.sending is Sending.NOT_NEEDED:
            # Webmail only: nothing they were told rests on the schedule.
            return
        profile = self._context.profile
        then, now = timing(profile, advised_on), timing(profile, self._context.today)
        if _schedule_phase(then) == _schedule_phase(now):
            return
        keys = [N_("resume.dates_moved_on")]
        sending = advice.sending_today(self.sending, now) if self.sending else None
        if sending is not self.sending:
            # 「当面は送信できます」 was said; the old outgoing server is gone now.
            # The schedule's old servers' days follow: the day is said there.
            keys.append(advice.old_smtp_gone_key(now, days_follow=True))
            self.sending = sending
        elif sending is Sending.RECOMMENDED and now.old_smtp_last_day and not self.cannot_send:
            # 「当面は送信できます」 was said the day before; today they send until tonight only.
            keys.append(advice.old_smtp_last_day_key(now, days_follow=True))
        keys += answer_keys(Topic.SCHEDULE, now)
        day = word_date(self._context.texts, self.locale, advised_on)
        paragraphs = [self.words.say(key, advised_on=day) for key in keys]
        self.words.replies.append(TextReply("\n\n".join(paragraphs)))
        self._changed = (len(self.words.replies), frozenset(paragraphs))

    def _say_verdict_moved(self, leaf: Leaf) -> None:
        """The verdict given again under this profile, said once before the message's answer."""
        self._verdict_moved = None
        self._verdict_given_again = True
        when = timing(self._context.profile, self._context.today)
        receiving, sending = leaf.receiving, advice.sending_today(leaf.sending, when)
        self.signals.append(Signal.VERDICT_REACHED)
        # A check passed before proved the old advice's servers: 「もう変えました」 under the new
        # card was told 「これ以上の作業はありません」 in the same reply that named a new server.
        self.check_passed = False
        self.words.text(N_("resume.verdict_moved"))
        self.words.replies.append(VerdictReply(receiving, sending, self._verdict_text(leaf, when)))
        if self.state is Stage.SETTINGS_DELIVERED and leaf.proceeds:
            # The card they hold is the other profile's: this one's, before their message.
            self._deliver_settings(then_ask=False)

    def _give_verdict(self, leaf: Leaf) -> None:
        when = timing(self._context.profile, self._context.today)
        receiving = leaf.receiving
        # The flowchart's "recommended" rests on the old server answering: read it for today.
        sending = advice.sending_today(leaf.sending, when)
        self.receiving, self.sending = receiving, sending
        self.signals.append(Signal.VERDICT_REACHED)
        self.words.replies.append(VerdictReply(receiving, sending, self._verdict_text(leaf, when)))

    def _leaf_reached(self) -> Leaf | None:
        """The leaf the answers lead to, once the verdict has been given; else None."""
        if self.receiving is None or self.sending is None:
            return None
        # The walk stops at the last question answered; its answer leads to the leaf.
        at, _ = self._questionnaire.walk(self.answers)
        answer = self.answers.get(at.value)
        if answer not in ANSWERS:
            return None
        return self._questionnaire.leaf(self._questionnaire.next(at.value, answer).value)

    def _verdict_text(self, leaf: Leaf, when: Timing) -> str:
        """The verdict's words on `when`'s day: receiving first, sending, then the dates."""
        receiving = leaf.receiving
        # Sending that does not change, after this turn's answer to 「送信できません」 (a
        # one-question profile's first answer): that answer said where to look, and the
        # verdict's own 「…ご確認ください。それでも送信できない場合は…」 said it twice.
        cannot_send = self.cannot_send and not (
            self._sending_answered and leaf.sending is Sending.NOT_NEEDED
        )
        wording = advice.verdict_wording(leaf, when, cannot_send=cannot_send)
        parts = [say(self.words, wording, self.locale)]
        if receiving is Receiving.REQUIRED:
            # Receiving first: it concerns every mail-program user, whatever the flowchart says.
            # The dates of the settings; the old address's day is said with the new address,
            # before the card, not ahead of it.
            fate = (*address_fate_keys(when), *address_sender_keys(when))
            # A problem's answer just before it in this turn may have said the old servers'
            # days (its line, or its days alone): said once, not again under the verdict.
            said = "\n".join(r.text for r in self.words.replies if isinstance(r, TextReply))
            # Nor a sentence of them it said (a kept sending name, 「送信サーバー名（…）は変わり
            # ません」 beside 530's fix, then again in the old servers' line).
            schedule = [
                line
                for line in (
                    unsaid(self.words.say(k), said)
                    for k in answer_keys(Topic.SCHEDULE, when)
                    if k not in fate
                    and not any(self.words.say(line) in said for line in {k, days_alone(k)})
                )
                if line
            ]
            required = for_profile(N_("verdict.receiving_required"), when)
            parts = [self.words.say(required), *parts, *schedule]
        elif when.receiving_unchanged and leaf.proceeds:
            # Only sending changes: the leaf says what; that receiving stays is said once here,
            # before the card (which leaves its rows out), whatever the leaf's own words.
            parts = [*parts, self.words.say(N_("verdict.receiving_unchanged"))]
        return "\n\n".join(parts)

    def _may_not_send_today(self) -> bool:
        """Whether the verdict found that the current settings may not send where they are."""
        return advice.may_not_send_today(self.sending, self._questionnaire.flowchart, self.answers)

    def _card_moved(self) -> bool:
        """Whether the card last shown named other servers than this profile's."""
        shown = [fact for fact in self._stored.card_shown_for if fact.startswith(_SERVERS)]
        # None kept (a card shown before they were): unknown, and not sent again for it.
        return bool(shown) and shown[0] != _servers_of(self._context.profile)

    def _card_shown_holds_now(self) -> bool:
        """Whether the card last shown was filled with the facts it would be filled with now.

        A card shown before its servers were kept (926a522) is compared on the rest: its
        servers are unknown and, as in `_card_moved`, not a reason to send it again (every
        hand-back in such a conversation sent the card and guide once more).
        """
        now = self._card_facts()
        if not any(fact.startswith(_SERVERS) for fact in self.card_shown_for):
            now = tuple(fact for fact in now if not fact.startswith(_SERVERS))
        return self.card_shown_for == now

    def _card_facts(self) -> tuple[str, ...]:
        """What the settings card and guide would be filled with now."""
        when = timing(self._context.profile, self._context.today)
        sending = advice.sending_today(self.sending, when) if self.sending else None
        return (
            _servers_of(self._context.profile),
            self.locale,
            self.address or "",
            self.address_domain,
            self.program or "",
            self.smtp_host.value if self.smtp_host else "",
            self.receiving.value if self.receiving else "",
            sending.value if sending else "",
            # The words before the card follow the schedule (old servers up or gone).
            when.window.value,
            str(when.old_pop_up),
            str(when.old_smtp_up),
        )

    def _deliver_settings(self, *, then_ask: bool = True) -> None:
        """The card and the guide; with `then_ask`, what next and 「解決しましたか？」."""
        self.signals.append(Signal.SETTINGS_DELIVERED)
        profile = self._context.profile
        when = timing(profile, self._context.today)
        if self.sending is not None:
            # A verdict given before the old server stopped may be read after it.
            self.sending = advice.sending_today(self.sending, when)
        # A new address domain is news before any field: the card's first row is the address.
        lead = [
            *advice.settings_lead_keys(when, self.sending if self._may_not_send_today() else None),
            *address_change_keys(when),
            # The new password before any field: every field that asks for one wants it.
            *password_reset_keys(when),
        ]
        program = program_or_other(self.program)
        webmail = profile.webmail
        if webmail is not None and program.value in webmail.only_for:
            # The provider does not support this program on the new servers ([webmail]
            # only_for): a card and guide would not work; webmail, or another program, will.
            self._send_to_webmail(program, lead, webmail)
            return
        if self.address is None:
            lead.append(N_("settings.placeholder_note"))
        if lead:
            self.words.text(*lead)
        facts = self.words.card_facts()
        self.card_shown_for = self._card_facts()
        items = card_items(profile, facts, self.words.say)
        # A new domain: the title names the address they have and the one it becomes (unless
        # the new one typed cannot tell which of several old domains it came from).
        typed = facts.address
        moves = profile.domain_changes and (
            typed is None or profile.old_address(typed) != profile.new_address(typed)
        )
        title_key = N_("settings.title.address_changes") if moves else N_("settings.title")
        self.words.replies.append(SettingsReply(self.words.say(title_key), items))
        # The order of the notice: receive what is left, then change (the guide), then receive.
        self.words.text(*answer_keys(Topic.STEPS, when))
        self.words.replies.append(self._guide(program, facts))
        if (
            program in _APPLE_PROGRAMS
            and self.address
            and advice.offers_config_file(when)
            and apple_file_fits(facts.sending, facts.smtp_host, profile)
        ):
            # Apple devices install a configuration profile: fewer fields to type by hand.
            # It adds a second account, so the chat says what to do with the old one.
            keys = [N_("config.apple.offer"), for_profile(N_("config.apple.old_account"), when)]
            if when.old_mail_to_collect:
                keys.insert(1, for_profile(N_("config.apple.receive_first"), when))
            self.words.replies.append(
                FileReply(
                    "\n\n".join(self.words.say(key) for key in keys),
                    f"{self.address.split('@', 1)[0]}-mail.mobileconfig",
                    "application/x-apple-aspen-config",
                    APPLE_PROFILE_PLACEHOLDER,
                )
            )
        if then_ask:
            self.prompt()
            self._ask_whether_solved()

    def _guide(
        self, program: MailProgram | None = None, facts: CardFacts | None = None
    ) -> TextReply:
        """The steps in `program` (the one chosen), with the card's `facts` filled in."""
        profile = self._context.profile
        when = timing(profile, self._context.today)
        if program is None:
            program = program_or_other(self.program)
        if facts is None:
            facts = self.words.card_facts()
        steps = guide_steps(
            program, facts, self.words.say, profile, old_mail_to_collect=when.old_mail_to_collect
        )
        return TextReply(guide_title(program, self.words.say) + "\n\n" + numbered(steps))

    def _send_to_webmail(self, program: MailProgram, lead: list[str], webmail: Webmail) -> None:
        """Where `program` is not supported: the provider's reason and its webmail instead.

        What comes before the card still holds (a new address, a new password: webmail signs
        in with them too); the next question offers another program's steps.
        """
        if lead:
            self.words.text(*lead)
        reason = webmail.reason_ja if self.locale == "ja" else webmail.reason_en
        if program is MailProgram.OTHER:
            self.words.text(N_("program.webmail_only.other"), reason=reason)
        else:
            self.words.text(
                N_("program.webmail_only"), program=self._program_name(program.value), reason=reason
            )
        self.prompt()

    def _ask_whether_solved(self) -> None:
        """「解決しましたか？」 after the card, once the window has opened.

        Before it the card says to change nothing yet: nothing can have been solved, and a
        'no' handed the subscriber over as 'still not working after changing the settings'.
        """
        if timing(self._context.profile, self._context.today).window is not Window.BEFORE:
            # The login check stays offered: it tells whether the settings work.
            feedback.ask(self.words, keep=("check", "other_program"))

    def result(self) -> StepResult:
        """Freeze the turn back into a stored state."""
        state = frozen.replace(
            self._stored,
            stage=self.state,
            locale=self.locale,
            answers=dict(self.answers),
            address=self.address,
            program=self.program,
            smtp_host=self.smtp_host,
            receiving=self.receiving,
            sending=self.sending,
            history=tuple(self.history),
            misunderstood=self.misunderstood,
            check_failures=self.check_failures,
            check_passed=self.check_passed,
            offered=self.words.offered,
            leaving_message=self.leaving_message,
            cannot_send=self.cannot_send,
            trouble_said=self.trouble_said,
            card_shown_for=self.card_shown_for,
            message_left=self.message_left,
            message_said=self.message_said,
            # What is said from now on follows today's schedule (`say_what_changed`).
            advised_on=self._context.today if self.receiving and self.sending else None,
            address_typed_at=(
                self._asked_at.value
                if self._typed and self.address is not None and self.address != self._stored.address
                # Nothing typed (a photo, a sticker, a press): the message before is still the
                # one 「さっきのはパスワードです」 withdraws, with the address it gave.
                else self._stored.address_typed_at
                if not self._typed and self.address == self._stored.address
                else ""
            ),
            taken_back_last=Signal.PREVIOUS_WITHDRAWN in self.signals or self._taken_back_again,
            explained=self._explained,
            fragment=self.fragment,
            told=dict(self.told),
            address_skipped=self.address_skipped,
            address_domain=self.address_domain,
            language_offered=self.language_offered,
            profile_key=self._profile_key,
            profile_since=self._profile_since,
        )
        return StepResult(
            state,
            _said_once(self.words.replies, *self._changed),
            tuple(dict.fromkeys(self.signals)),
            handoff_reason=self.handoff_reason,
            said=self._said[:2] if self._said else None,
        )


# A sentence of three words or more in Latin letters, one of them a word only a sentence has,
# and nothing Japanese, in the Japanese chat; anything in kana or kanji in the English one.
# Not a pasted error (the program's language), a host name or an address (「vp.117.ne.jp」 is
# no three words), a password or the switch itself.
_LATIN_WORD: Final = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# From a word's start only: tried inside every word too, it took time quadratic in its length.
_NAMES: Final = re.compile(r"(?<!\S)\S*[.@:/]\S*")
_SENTENCE_WORDS: Final = frozenset(
    {
        "i", "i'm", "im", "you", "my", "me", "the", "a", "an", "is", "are", "do", "don't",
        "dont", "does", "it", "it's", "at", "from", "only", "just", "not", "no", "yes", "what",
        "how", "why", "please", "can", "could", "use", "using", "have", "has", "this", "that",
        "there", "we", "am", "was", "and", "or", "to", "in", "on", "of", "for", "with", "when",
        "where", "which", "who",
    }
)  # fmt: skip
# A person's own English, as no program's error says it: "Hi, I can't send email", "my mail
# stopped" (an English Outlook's "Your server has unexpectedly terminated the
# connection" pasted into the Japanese chat is the program's language, not the subscriber's).
# Not "please", "we" or "our": programs address their users so ("Sending of the message
# failed. Please verify…", "We couldn't find settings for…"), and such an error pasted into a
# Japanese chat switched it to English (reviewer23).
_OWN_WORDS: Final = frozenset(
    {"i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "hi", "hello", "hey", "thanks",
     "thank"}
)  # fmt: skip
_JAPANESE: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Hiragana or kanji: Japanese written, not a name in katakana.
_JAPANESE_WORDS: Final = re.compile(r"[\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff]")
_ENGLISH_WORDS: Final = 3
_NO_LANGUAGE_OFFER: Final = frozenset(
    {
        Kind.LANGUAGE,
        Kind.PROBLEM,
        Kind.ADDRESS,
        Kind.PARTIAL_ADDRESS,
        Kind.SECRET_TYPED,
        Kind.MEDIA,
    }
)


def _said_once(replies: list[Reply], start: int, said: frozenset[str]) -> tuple[Reply, ...]:
    """`replies`, those from `start` on without a paragraph of text `said` before them."""
    kept = replies[:start]
    for reply in replies[start:]:
        if isinstance(reply, TextReply) and reply.verdict is None and not reply.verdicts:
            paragraphs = [p for p in reply.text.split("\n\n") if p not in said]
            if not paragraphs:
                continue
            reply = frozen.replace(reply, text="\n\n".join(paragraphs))
        kept.append(reply)
    return tuple(kept)


def _schedule_phase(when: Timing) -> tuple[object, ...]:
    """What of the schedule advice rests on: the window, and which old server still answers.

    The last day of the window or of an old server is a phase of its own: the day before,
    "please change soon" and "the current settings send for the time being" were said; that
    day they send and receive until tonight only, and the change is asked for today.
    """
    return (
        when.window,
        when.last_day,
        when.old_pop_up,
        when.old_smtp_up,
        when.old_pop_last_day,
        when.old_smtp_last_day,
        when.old_address_receives,
        when.old_sender_allowed,
    )


def _in_the_other_language(raw: str, locale: Locale) -> bool:
    if locale == "en":
        # "yes, I use サンダーバード": katakana in an English sentence is a name (a program's,
        # as Japanese screens spell it), not Japanese to answer in. So are the words of a
        # Japanese screen quoted in an English sentence: "I use Outlook (新しいOutlook)",
        # "I click 送受信 but nothing" were offered Japanese for what they quoted.
        if _JAPANESE_WORDS.search(raw) is not None:
            return not _english_sentence(raw)
        return _JAPANESE.search(raw) is not None and _LATIN_WORD.search(raw) is None
    if _JAPANESE.search(raw) is not None:
        return False
    # Romaji is Japanese typed in the alphabet: 'Hello. Watashi no meeru ga todokimasen.' in
    # the Japanese chat was offered English for its 「no」 (words).
    return _english_sentence(raw) and in_kana(understanding.normalise(raw), names=True) is None


def _english_sentence(raw: str) -> bool:
    """Whether `raw` holds an English sentence: a few words, one of them a sentence's."""
    words = _latin_words(raw)
    return len(words) >= _ENGLISH_WORDS and not _SENTENCE_WORDS.isdisjoint(words)


def _latin_words(raw: str) -> list[str]:
    return [word.casefold() for word in _LATIN_WORD.findall(_NAMES.sub(" ", raw))]


def _smtp_choice(intent: Intent) -> SmtpHost | None:
    if intent.kind is Kind.CHOICE and intent.value.startswith("smtp:"):
        try:
            return SmtpHost(intent.value.removeprefix("smtp:"))
        except ValueError:
            return None
    return None


# The questions left unanswered at a hand-back that the bot answers itself.
_LEFT_OVER_KINDS: Final = frozenset({Kind.TOPIC, Kind.PROBLEM, Kind.SHOW_SETTINGS})

_HANDLERS: Final = {
    Kind.LANGUAGE: Turn._change_language,
    Kind.BACK: Turn._back,
    Kind.RESTART: Turn._restart,
    Kind.START_CHECK: Turn._restart,
    Kind.MENU: Turn._menu,
    Kind.HUMAN: Turn._human,
    Kind.TOPIC: Turn._topic,
    Kind.SHOW_SETTINGS: Turn._show_settings,
    Kind.ADDRESS: Turn._address,
    Kind.PARTIAL_ADDRESS: Turn._partial_address,
    Kind.SECRET_TYPED: Turn._secret_typed,
    Kind.PASSWORD_TAKEN_BACK: Turn._password_taken_back,
    Kind.PROBLEM: Turn._problem,
    Kind.PROGRAM: Turn._program_named,
    Kind.PHONE: Turn._phone,
}
