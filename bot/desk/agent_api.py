"""The agents' HTTP API: list and read conversations, take one over, hand it to the bot, close.

Every call needs `Authorization: Bearer <token>` with a token from MAILMOVE_AGENT_TOKENS,
compared in constant time; a refusal says nothing about what exists. A named token
(`name:token`) is who acts; with a bare one the request may say who (else "agent").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Final

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.delivery import Delivery
from bot.desk.agent_messages import (
    AgentMessages,
    MessageRefusedError,
    PasswordRefusedError,
    agent_of,
    undelivered,
    undelivered_note,
)
from bot.desk.agent_models import (
    CLOSE,
    CONVERSATION,
    CONVERSATIONS,
    DESCRIPTION,
    HANDBACK,
    MAX_LIST,
    MAY_HAVE_ARRIVED,
    ME,
    MESSAGES,
    NOT_DELIVERED,
    QUESTIONNAIRE,
    TAKE,
    TRANSFER,
    AgentMessage,
    Close,
    Handback,
    Take,
    Transfer,
    description_for,
)
from bot.desk.closing import close, reopen
from bot.desk.handback import FactRefusedError, facts_from, hand_back
from bot.desk.ownership import (
    ANONYMOUS,
    DeskRequest,
    Holder,
    agents_named,
    another_agent,
    decides_holder,
    desk_request,
    holder_of,
    holder_shown,
    persons_request,
    state_event,
    take_over,
    take_over_note,
    transfer,
    unanswered_since,
)
from bot.desk.questions import described_questions
from bot.desk.summary import (
    LATEST_WORDS,
    MESSAGE_LEFT,
    check_line,
    latest_words,
    pressed_labels,
    pressed_questions,
    standing_label,
    worded_check,
)
from bot.engine import Engine
from bot.ops.agent_tokens import AgentToken, agent_tokens
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    is_bookkeeping,
)
from bot.store.transcript_tail import lines_back_to
from bot.web.check_path import hide_check_tokens
from bot.web.json_response import FastJSONResponse
from bot.web.openapi import error_response, read_body
from bot.web.secret_compare import same_digest, secret_digest
from dialogs.advice import sending_today
from dialogs.knowledge import timing
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import LOCALES, reply_to_dict

# How many bot conversations' answers to "is a message waiting?" are remembered, by the
# record's last change: the console asks every 2 s, and reading each transcript again
# costs (200 transcripts, about 0.1 s on SQLite) what only a new turn can change.
_REMEMBERED: Final = 10 * MAX_LIST
# The 422's `reason` when a body's name is refused (agent_models.RefusedName, RefusedTransfer):
# the agent's own (the console's sign-in name) or the colleague's. `take_over_from` is the
# console's copy of what a 409 named, not the agent's to put right.
_NAME_FIELDS: Final = {"agent": "agent", "to": "to"}
# How a colleague is spoken of, not her name: 「鈴木さん」 handed on is 鈴木 (and the subscriber
# read 「サポート担当の鈴木さんが」, a company's own staff with さん, to a customer).
_HONORIFIC: Final = re.compile(r"(?<=\S)[\s\u3000]*(?:さん|様|さま)$")


class ApiError(ValueError):
    """A refused request: status and a message for the agent's tool.

    `reason`: a word the console says in the agent's language (the message is English).
    """

    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        # More the console words the refusal with (a transfer's colleagues' `names`).
        self.extra = dict(extra or {})


def _error(err: ApiError) -> FastJSONResponse:
    if err.reason is None:
        return error_response(err.status, str(err))
    return FastJSONResponse(
        {"error": str(err), "reason": err.reason, **err.extra}, status_code=err.status
    )


def _kept_changing() -> FastJSONResponse:
    """409: every read found the conversation changed again; nothing was done."""
    return _error(ApiError(409, "the conversation kept changing: try again", "kept_changing"))


def _version(view: Mapping[str, object], latest: Sequence[TranscriptEntry]) -> str:
    """The ETag of a conversation's read: its record's view and its latest line."""
    line = latest[-1] if latest else None
    mark = (line.seq, line.at.isoformat(), line.author, line.text) if line else None
    digest = hashlib.blake2b(orjson.dumps([view, mark]), digest_size=16).hexdigest()
    return f'"{digest}"'


def _unchanged(if_none_match: str, tag: str) -> bool:
    """Whether `If-None-Match` names the current version (RFC 9110 §13.1.2).

    `*` matches any current version; otherwise any tag of the list matches, compared weakly
    (a `W/` prefix, as a proxy may add, names the same version). Our tags are hex digits in
    quotes, so a comma never sits inside one.
    """
    sent = [t.strip() for t in if_none_match.split(",")]
    return "*" in sent or tag in {t.removeprefix("W/") for t in sent}


def record_json(
    record: ConversationRecord, profile: MigrationProfile, today: dt.date
) -> dict[str, object]:
    """A conversation as the list and the console show it, its verdict read for `today`."""
    dialog = record.dialog
    # A "recommended" sending change rests on the old outgoing server answering: one given
    # before its last day and still waiting for an agent after it is "required", as the bot
    # says it that day (dialogs.advice).
    sending = sending_today(dialog.sending, timing(profile, today)) if dialog.sending else None
    # Where the domain changes, the address the subscriber has after the move, so an agent
    # does not tell them to log in with the one they typed (None: it stays as typed).
    moved = profile.new_address(dialog.address) if dialog.address else None
    return {
        "key": record.key,
        "channel": record.channel,
        "owner": record.owner.value,
        "stage": dialog.stage.value,
        "locale": dialog.locale,
        "address": dialog.address,
        "new_address": moved if moved != dialog.address else None,
        "program": dialog.program,
        "answers": dict(dialog.answers),
        "receiving": dialog.receiving.value if dialog.receiving else None,
        "sending": sending.value if sending else None,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }


def line_json(
    line: TranscriptEntry,
    label: str | None = None,
    *,
    question: str | None = None,
    undelivered: bool | None = None,
    catalogs: Catalogs | None = None,
) -> dict[str, object]:
    """One transcript line; a pressed button's line also says what the button said.

    `question`: the one a pressed button answered, when other lines came between them.

    `undelivered` on an agent's line the platform did not take: True when it may have
    arrived all the same. With `catalogs`, a login check's audit line carries its result
    in words (`check`, in every language), worded as the handoff summary words it.
    """
    body: dict[str, object] = {
        "seq": line.seq,
        "at": line.at.isoformat(),
        "author": line.author,
        # A check link's token is the subscriber's alone: an agent who opened it would use
        # up the check (the web chat keeps it for the subscriber's own reload).
        "text": hide_check_tokens(line.text),
    }
    if line.author == "agent":
        # Shown as every desk shows it: a reply in Chatwoot's own conversation is kept
        # under 「佐藤 花子 (Chatwoot)」, a mirror's under 「佐藤」, both hers.
        body["agent"] = holder_shown(agent_of(line)) or None
        if undelivered is not None:
            body["delivery"] = MAY_HAVE_ARRIVED if undelivered else NOT_DELIVERED
    if label is not None:
        body["label"] = label
    if question is not None:
        body["question"] = question
    if (note := undelivered_note(line) or take_over_note(line)) is not None:
        body["note"] = note
    # The agents a system line names, as every desk shows them (`names`: only those shown
    # otherwise), so the console words 「佐藤 花子が…」 and not 「佐藤 花子 (Chatwoot)が…」.
    shown = {who: name for who in agents_named(line) if (name := holder_shown(who)) != who}
    if shown:
        body["names"] = shown
    if catalogs is not None and (data := check_line(line)) is not None:
        body["check"] = {locale: worded_check(data, catalogs, locale) for locale in LOCALES}
    return body


def _for_agents(reply: dict[str, object]) -> dict[str, object]:
    """A reply as the bot sent it, with a check link's token hidden (`hide_check_tokens`)."""
    return {
        name: hide_check_tokens(value) if isinstance(value, str) else value
        for name, value in reply.items()
    }


class AgentApi:
    """The routes, bound to the engine, the channels and the configured tokens."""

    def __init__(
        self, engine: Engine, delivery: Delivery, tokens: Sequence[str], messages: AgentMessages
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._messages = messages
        self._tokens = [(t, t.token.encode()) for t in agent_tokens(tokens) if t.token]
        # Who holds a named token: a bare token's request may not act as them.
        self._named = {_name_key(t.name): t.name for t, _ in self._tokens if t.named}
        # What a request's token is compared with: each token's SHA-256 digest, as long as
        # the given token's, since compare_digest returns at once on two lengths and the time
        # of a 401 told a guesser how long the token is.
        self._digests = [(t, secret_digest(known)) for t, known in self._tokens]
        self._left: dict[str, tuple[ConversationRecord, DeskRequest | None]] = {}
        self._questions: list[dict[str, object]] | None = None

    def routes(self) -> list[Route]:
        """Everything under /api/agent/."""
        return [
            Route(DESCRIPTION, self.openapi, methods=["GET"]),
            Route(QUESTIONNAIRE, self.questionnaire, methods=["GET"]),
            Route(ME, self.me, methods=["GET"]),
            Route(CONVERSATIONS, self.list, methods=["GET"]),
            Route(CONVERSATION, self.read, methods=["GET"]),
            Route(TAKE, self.take, methods=["POST"]),
            Route(HANDBACK, self.handback, methods=["POST"]),
            Route(CLOSE, self.close, methods=["POST"]),
            Route(TRANSFER, self.transfer, methods=["POST"]),
            Route(MESSAGES, self.message, methods=["POST"]),
        ]

    def _acting(self, holder: AgentToken, claimed: str | None) -> str:
        """`acting`, refusing a bare token's claim to a named token's holder (422)."""
        agent = acting(holder, claimed)
        if not holder.named and self._holds_a_token(agent):
            # A token pasted into the console's name box was recorded as the agent's name:
            # in the transcript, beside each message the subscriber read, in others' 409s.
            # Said without it: the error is shown, and may be logged by the agent's tool.
            raise ApiError(
                422,
                "agent: the name holds an agent token; give the agent's own name instead",
                "agent_token",
            )
        named = self._named.get(_name_key(agent))
        if not holder.named and named is not None:
            raise ApiError(
                422,
                f"agent: {agent.strip()!r} is {named!r}, who holds a named token; a bare "
                "token cannot act as them",
                "agent_named",
            )
        return agent

    def _colleague(self, to: str, agent: str) -> str:
        """The colleague `to` names, as she acts: a named token's holder by her token's name.

        Kept as typed, 「鈴木 」, 「鈴木さん」 and 「すずき」 handed the conversation to a name
        nobody signs in with: the subscriber was told of 「鈴木さん」, and 鈴木's replies were
        refused (409, 「鈴木さん has this conversation」). Where every token is named, a name
        no agent acts under is refused (422 `to_unknown`, with the colleagues' `names`); a
        shared token's holder may sign in with any name, and another desk's agent (a Slack
        member, a Chatwoot agent) is named as that desk marks her.
        """
        typed = _HONORIFIC.sub("", to.strip())
        named = self._named.get(_name_key(typed)) or self._named.get(_name_key(to))
        if named is not None:
            return named
        if holder_shown(to) != to:
            return to  # another desk's agent, as that desk marks her
        if any(not holder.named for holder, _ in self._tokens):
            return typed
        names = [name for key, name in self._named.items() if key != _name_key(agent)]
        raise ApiError(
            422,
            "to: no agent acts under that name: name a colleague as they sign in"
            f" ({', '.join(names) or 'no other agent has a token'})",
            "to_unknown",
            {"names": names},
        )

    def _holds_a_token(self, name: str) -> bool:
        """Whether `name`, as typed or width-folded, has any configured token in it."""
        folded = unicodedata.normalize("NFKC", name)
        return any(known.decode() in typed for _, known in self._tokens for typed in (name, folded))

    def _authorise(self, request: Request) -> AgentToken:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not self._tokens:
            raise ApiError(401, "the agent API is off: set MAILMOVE_AGENT_TOKENS")
        given = token.strip()
        # Compare against every token so the time taken does not tell which one was close.
        matched: AgentToken | None = None
        for holder, known in self._digests:
            if same_digest(given, known):
                matched = holder
        if scheme.lower() != "bearer" or matched is None:
            raise ApiError(401, "a valid agent token is required")
        return matched

    async def _record(self, request: Request) -> tuple[ConversationRecord, AgentToken]:
        holder = self._authorise(request)
        record = await self._engine.store.load(request.path_params["key"])
        if record is None:
            raise ApiError(404, "no such conversation")
        return record, holder

    async def openapi(self, _: Request) -> Response:
        """The OpenAPI description of the agent API (public: it holds no data)."""
        profile = self._engine.profile
        questions = tuple(profile.questionnaire.flowchart.questions)
        return FastJSONResponse(description_for(profile.affected_domains[0], questions))

    async def questionnaire(self, request: Request) -> Response:
        """The running profile's questions: what the console offers for a hand-back."""
        try:
            self._authorise(request)
        except ApiError as err:
            return _error(err)
        if self._questions is None:
            # The profile and catalogs do not change while the server runs.
            self._questions = described_questions(self._engine.profile, self._engine.texts)
        return FastJSONResponse(
            {"questions": self._questions, "timezone": self._engine.profile.timezone}
        )

    async def me(self, request: Request) -> Response:
        """Who the token acts as, so that the console does not show a name nobody records."""
        try:
            holder = self._authorise(request)
        except ApiError as err:
            return _error(err)
        return FastJSONResponse({"agent": holder.name if holder.named else None})

    async def list(self, request: Request) -> Response:
        """Conversations, newest first; `?owner=`, `?desk=true`, `?stage=`, `?limit=`."""
        try:
            self._authorise(request)
            owner_text = request.query_params.get("owner")
            try:
                owner = Owner(owner_text) if owner_text else None
            except ValueError:
                raise ApiError(422, "owner must be bot, agent or closed") from None
            limit_text = request.query_params.get("limit", "100")
            if not limit_text.isdigit() or not 0 < int(limit_text) <= MAX_LIST:
                raise ApiError(422, f"limit must be 1 to {MAX_LIST}")
            desk_text = request.query_params.get("desk", "false")
            if desk_text not in ("true", "false"):
                raise ApiError(422, "desk must be true or false")
            stage = request.query_params.get("stage")
        except ApiError as err:
            return _error(err)
        limit = int(limit_text)
        if desk_text == "true":
            # A person's conversations, and the bot's with a message left for the desk: the
            # store cannot ask for the latter, so the bot's are read and the rest dropped.
            owners = [owner] if owner else [Owner.AGENT, Owner.BOT]
            records = [
                r
                for o in owners
                for r in await self._engine.store.list_records(owner=o, limit=limit)
            ]
            records.sort(key=lambda r: r.updated_at, reverse=True)
        else:
            records = await self._engine.store.list_records(owner=owner, limit=limit)
        if stage:
            records = [r for r in records if r.dialog.stage.value == stage]
        listed = [self._view(r) | await self._desk_facts(r) for r in records]
        if desk_text == "true":
            listed = [body for body in listed if body.get("holder")][:limit]
        return FastJSONResponse({"conversations": listed, "now": self._engine.now().isoformat()})

    def _view(self, record: ConversationRecord) -> dict[str, object]:
        """`record_json` with the running profile and the provider's calendar day today."""
        return record_json(record, self._engine.profile, self._engine.context().today)

    def _held(self, record: ConversationRecord, agent: str) -> dict[str, object]:
        """`_view`, and the agent who has it now (`Held`): the one who took it or was handed it."""
        return {
            **self._view(record),
            "holder": Holder.AGENT.value,
            "agent": agent,
            "agent_name": holder_shown(agent),
        }

    async def _desk_facts(self, record: ConversationRecord) -> dict[str, object]:
        """For the desk's queue: who holds it, why it was handed over and since when.

        Read from the transcript; a closed conversation has none. One the bot answers is in
        the queue only with a message left for the desk (then what it says, and the callback).
        """
        if record.owner is Owner.CLOSED:
            return {}
        if record.owner is Owner.BOT:
            request = await self._left_message(record)
            if request is None:
                return {}
            holder, agent = Holder.QUEUE, ""
        else:
            # The latest lines, back to the one that names the holder (`holder_of`).
            tail = await lines_back_to(self._engine.store, record.key, decides_holder)
            request = await persons_request(self._engine.store, record, tail)
            holder, agent = holder_of(record, tail)
        facts: dict[str, object] = {
            "holder": holder.value,
            "agent": agent or None,
            "agent_name": holder_shown(agent) or None,
            "reason": request.reason if request else None,
            "waiting_since": request.since.isoformat() if request else None,
        }
        if record.owner is Owner.AGENT:
            unanswered = unanswered_since(tail, request)
            facts["unanswered_since"] = unanswered.isoformat() if unanswered else None
        elif request is not None:
            facts["unanswered_since"] = request.since.isoformat()
        if record.owner is Owner.AGENT:
            # What tells twenty 'asked for a person' apart in the queue: their own words.
            said = latest_words(tail)
            if len(said) < LATEST_WORDS and tail and tail[0].seq > 1:
                # Fewer typed lines among the latest than are quoted: an agent wrote on.
                said = latest_words(await self._engine.store.transcript(record.key))
            facts["said"] = list(said)
        if request is not None and request.reason == MESSAGE_LEFT:
            facts["message_left"] = {
                "at": request.since.isoformat(),
                "text": request.message,
                "callback": request.callback,
            }
        return facts

    async def _left_message(self, record: ConversationRecord) -> DeskRequest | None:
        """The message waiting for the desk in a bot's conversation, read once per change.

        Every turn and every change of owner changes the stored record (its `updated_at`,
        and its dialog when a fixed clock keeps the time), so what was read for an equal
        record still holds: the answer `holder_of` gives from the lines.
        """
        known = self._left.get(record.key)
        if known is not None and known[0] == record:
            return known[1]
        if len(self._left) >= _REMEMBERED:
            self._left.clear()
        request = desk_request(record, await self._engine.store.transcript(record.key))
        self._left[record.key] = (record, request)
        return request

    async def read(self, request: Request) -> Response:
        """One conversation with its whole transcript."""
        try:
            record, _ = await self._record(request)
        except ApiError as err:
            return _error(err)
        view = self._view(record)
        # Lines are only ever added, and every change of the record is in its view: the two
        # tell whether anything shown changed since the console's last read, which then
        # costs the record and one line, not the whole transcript, every few seconds.
        latest = await self._engine.store.transcript(record.key, last=1)
        tag = _version(view, latest)
        # A validator, never a stored copy: the transcript holds personal data.
        headers = {"ETag": tag, "Cache-Control": "no-store"}
        if _unchanged(request.headers.get("if-none-match", ""), tag):
            return Response(status_code=304, headers=headers)
        transcript = await self._engine.store.transcript(record.key)
        labels = pressed_labels(transcript)
        catalogs = self._messages.catalogs
        for line in transcript:
            if line.author == "subscriber" and line.seq not in labels:
                # Offered by no bot line (the web chat's bar): its words all the same.
                shown = standing_label(line.text, catalogs, record.dialog.locale)
                if shown is not None:
                    labels[line.seq] = shown
        questions = pressed_questions(transcript)
        failed = undelivered(transcript)
        holder, agent = holder_of(record, transcript, left_messages=True)
        return FastJSONResponse(
            {
                **view,
                "holder": holder.value,
                "agent": agent or None,
                "agent_name": holder_shown(agent) or None,
                "transcript": [
                    line_json(
                        line,
                        labels.get(line.seq),
                        question=questions.get(line.seq),
                        undelivered=failed.get(line.seq),
                        catalogs=self._messages.catalogs,
                    )
                    for line in transcript
                    # An adapter's note of where a copy went or of a question's platform id:
                    # one per message, for that adapter alone (the console hid them already).
                    if not is_bookkeeping(line)
                ],
            },
            headers=headers,
        )

    async def take(self, request: Request) -> Response:
        """An agent takes over: the bot stops answering until it is handed back.

        From another agent only when the body names them (`take_over_from`): the console's
        「引き継ぐ」, after a 409 said who has it.
        """
        try:
            record, holder = await self._record(request)
        except ApiError as err:
            return _error(err)
        body = await read_body(request, Take, allow_empty=True, reasons=_NAME_FIELDS)
        if isinstance(body, Response):
            return body
        try:
            agent = self._acting(holder, body.agent if "agent" in body.model_fields_set else None)
        except ApiError as err:
            return _error(err)
        for _ in range(COMPARE_AND_SET_READS):
            transcript = await self._engine.store.transcript(record.key)
            other = another_agent(record, transcript, agent)
            if other is not None and other != body.take_over_from:
                return _owned_by(other)
            holder_now, who = holder_of(record, transcript)
            if holder_now is Holder.AGENT and who == agent:
                return FastJSONResponse(self._held(record, agent))  # taken by this agent already
            if holder_now is Holder.AGENT and who and who not in ANONYMOUS and agent in ANONYMOUS:
                # A request naming nobody does not take a named agent's conversation.
                return _owned_by(who)
            shown = holder_of(record, transcript, left_messages=True)[0]
            if body.expected_holder is not None and shown.value != body.expected_holder:
                # The console's button acts on its last read, up to a poll old: a subscriber
                # who went back to the bot, or a conversation closed, meanwhile was taken and
                # told a person has them, just after the bot's words said otherwise.
                return _changed_since_read(body.expected_holder, shown, "taken")
            # One take per state of the conversation, and only onto the record as read: of
            # two agents pressing at once (or one handing back as the other takes over) the
            # store records the first; the second reads again and is told who has it.
            if record.owner is Owner.CLOSED:
                # Following a closed case up: the subscriber is told a person has it.
                taken = await reopen(
                    self._engine,
                    self._delivery,
                    record.key,
                    agent,
                    event_id=state_event(record.key, transcript),
                    only_as=record,
                )
            else:
                taken = await take_over(
                    self._engine,
                    record.key,
                    agent,
                    event_id=state_event(record.key, transcript),
                    taken_from=other,
                    only_as=record,
                    delivery=self._delivery,
                )
            if taken is not None:
                return FastJSONResponse(self._held(taken, agent))
            now = await self._engine.store.load(record.key)
            if now is None:
                return _error(ApiError(404, "no such conversation"))
            record = now
        return _kept_changing()

    async def transfer(self, request: Request) -> Response:
        """The agent who has the conversation hands it to a named colleague.

        Before, only the colleague could take it (「引き継ぐ」 naming the agent who had it),
        and the subscriber read a new name under the next message with no word of why.
        """
        try:
            record, holder = await self._record(request)
        except ApiError as err:
            return _error(err)
        body = await read_body(request, Transfer, reasons=_NAME_FIELDS)
        if isinstance(body, Response):
            return body
        try:
            agent = self._acting(holder, body.agent)
        except ApiError as err:
            return _error(err)
        colleague = body.to
        if colleague in ANONYMOUS or self._holds_a_token(colleague):
            # Said without the name: one that holds a token is shown, and may be logged.
            return _error(
                ApiError(
                    422,
                    "to: name the colleague who takes the conversation",
                    "to" if colleague in ANONYMOUS else "to_token",
                )
            )
        try:
            colleague = self._colleague(colleague, agent)
        except ApiError as err:
            return _error(err)
        for _ in range(COMPARE_AND_SET_READS):
            transcript = await self._engine.store.transcript(record.key)
            other = another_agent(record, transcript, agent)
            if other is not None:
                return _owned_by(other)
            if record.owner is not Owner.AGENT:
                bot = record.owner is Owner.BOT
                state = "the bot has" if bot else "nobody has (closed)"
                return _error(
                    ApiError(
                        409,
                        f"{state} this conversation: take it over first",
                        "bot" if bot else "closed",
                    )
                )
            holder_now, who = holder_of(record, transcript)
            if holder_now is Holder.AGENT and who == colleague:
                return FastJSONResponse(self._held(record, colleague))  # theirs already
            if holder_now is Holder.AGENT and who and who not in ANONYMOUS and agent in ANONYMOUS:
                # A request naming nobody does not hand on a named agent's conversation.
                return _owned_by(who)
            event_id = state_event(record.key, transcript)
            if holder_now is Holder.QUEUE:
                # Nobody took it yet: given to the colleague as their take would (the
                # subscriber was told at the handoff that a person is coming).
                handed = await take_over(
                    self._engine, record.key, colleague, event_id=event_id, only_as=record
                )
            else:
                handed = await transfer(
                    self._engine,
                    self._delivery,
                    record.key,
                    who or agent,
                    colleague,
                    event_id=event_id,
                    only_as=record,
                )
            if handed is not None:
                return FastJSONResponse(self._held(handed, colleague))
            now = await self._engine.store.load(record.key)
            if now is None:
                return _error(ApiError(404, "no such conversation"))
            record = now
        return _kept_changing()

    async def handback(self, request: Request) -> Response:
        """The bot takes the conversation back with what the agent knows, and says so."""
        try:
            record, holder = await self._record(request)
        except ApiError as err:
            return _error(err)
        body = await read_body(request, Handback, allow_empty=True, reasons=_NAME_FIELDS)
        if isinstance(body, Response):
            return body
        try:
            agent = self._acting(holder, body.agent)
        except ApiError as err:
            return _error(err)
        body = body.model_copy(update={"agent": agent})
        try:
            facts = facts_from(body, self._engine.profile, record.dialog.answers)
        except FactRefusedError as err:
            facts, invalid = None, err
        for _ in range(COMPARE_AND_SET_READS):
            transcript = await self._engine.store.transcript(record.key)
            other = another_agent(record, transcript, agent)
            if other is not None:
                return _owned_by(other)
            if record.owner is Owner.BOT:
                # Handed back already (a retry whose first answer was lost, another agent,
                # Slack's button): a second greeting and the questions again would confuse.
                return _error(ApiError(409, "the bot has this conversation already", "bot"))
            if record.owner is Owner.CLOSED:
                # Neither desk offers it (the console's button, Slack's): the subscriber was
                # asked whether it was solved, and a greeting and the questions would follow.
                return _error(
                    ApiError(
                        409, "the conversation is closed: there is nothing to hand back", "closed"
                    )
                )
            if facts is None:
                # `reason` for the console, which says it in the agent's language.
                refused: dict[str, object] = {"error": str(invalid), "reason": invalid.reason}
                if invalid.domains is not None:
                    refused["domains"] = list(invalid.domains)
                return FastJSONResponse(refused, status_code=422)
            # Under the state's event id and onto the record as read, as a take is: a
            # take-over landing between this read and the turn wins, and is named below.
            event_id = state_event(record.key, transcript)
            outcome = await hand_back(
                self._engine,
                record.channel,
                record.conversation_id,
                facts,
                event_id=event_id,
                only_as=record,
            )
            if outcome.record is not None and not outcome.duplicate:
                # Answered now: the greeting follows whatever is on its way to the subscriber.
                self._delivery.push_soon(
                    record.channel, record.conversation_id, outcome.replies, name=event_id
                )
                return FastJSONResponse(
                    {
                        **self._view(outcome.record),
                        # The check link's token is the subscriber's alone (`line_json`).
                        "replies": [_for_agents(reply_to_dict(r)) for r in outcome.replies],
                    }
                )
            now = await self._engine.store.load(record.key)
            if now is None:
                return _error(ApiError(404, "no such conversation"))
            record = now
        return _kept_changing()

    async def close(self, request: Request) -> Response:
        """End the conversation: the subscriber's next message starts afresh."""
        try:
            record, holder = await self._record(request)
        except ApiError as err:
            return _error(err)
        body = await read_body(request, Close, allow_empty=True, reasons=_NAME_FIELDS)
        if isinstance(body, Response):
            return body
        try:
            agent = self._acting(holder, body.agent)
        except ApiError as err:
            return _error(err)
        for _ in range(COMPARE_AND_SET_READS):
            transcript = await self._engine.store.transcript(record.key)
            other = another_agent(record, transcript, agent)
            if other is not None:
                return _owned_by(other)
            shown = holder_of(record, transcript, left_messages=True)[0]
            if body.expected_holder is not None and shown.value != body.expected_holder:
                # Read as waiting, and gone back to the bot since: 「解決しましたか？」 came
                # right after the bot's words that it carries on.
                return _changed_since_read(body.expected_holder, shown, "closed")
            # The subscriber is asked whether it was solved (bot.desk.closing). Under the
            # state's event id and onto the record as read, as a take and a hand-back are.
            closed = await close(
                self._engine,
                self._delivery,
                record.key,
                agent,
                event_id=state_event(record.key, transcript),
                only_as=record,
            )
            if closed is not None:
                return FastJSONResponse(self._view(closed))
            now = await self._engine.store.load(record.key)
            if now is None:
                return _error(ApiError(404, "no such conversation"))
            record = now
        return _kept_changing()

    async def message(self, request: Request) -> Response:
        """The agent writes to the subscriber: stored now, delivered in the background."""
        try:
            holder = self._authorise(request)
        except ApiError as err:
            return _error(err)
        body = await read_body(request, AgentMessage, reasons=_NAME_FIELDS)
        if isinstance(body, Response):
            return body
        try:
            agent = self._acting(holder, body.agent)
        except ApiError as err:
            return _error(err)
        try:
            posted = await self._messages.post(
                request.path_params["key"],
                agent,
                body.text,
                event_id=body.event_id,
                owner_only=True,
            )
        except PasswordRefusedError as err:
            # `reason` for the console, which says it in the agent's language.
            return FastJSONResponse({"error": str(err), "reason": err.reason}, status_code=422)
        except MessageRefusedError as err:
            if err.agent is not None:
                return _owned_by(err.agent)
            if err.reason is not None:
                # `reason` for the console, which says what to do in the agent's language.
                return _error(ApiError(err.status, str(err), err.reason))
            return error_response(err.status, str(err))
        return FastJSONResponse(
            {**line_json(posted.line), "agent": posted.agent, "duplicate": posted.duplicate},
            status_code=200 if posted.duplicate else 201,
        )


def _owned_by(other: str) -> FastJSONResponse:
    """409 naming the agent who has the conversation (`agent`, for the console's words)."""
    return FastJSONResponse(
        {
            "error": f"{other} has this conversation: ask them to hand it over, or take it "
            "over from them (take with take_over_from)",
            "agent": other,
            "agent_name": holder_shown(other),
        },
        status_code=409,
    )


_HOLDING: Final = {
    Holder.BOT: "the bot has it",
    Holder.QUEUE: "it waits in the desk's queue",
    Holder.AGENT: "an agent has it",
    Holder.CLOSED: "it is closed",
}


def _changed_since_read(expected: str, holder: Holder, done: str) -> FastJSONResponse:
    """409: the conversation is no longer held as the request read it (`holder`: as it is now).

    `done`: what was not done ("taken", "closed").
    """
    return FastJSONResponse(
        {
            "error": f"the conversation changed since it was read: {_HOLDING[holder]} now, "
            f"not {expected!r} as expected_holder says. Nothing was {done} and the subscriber "
            "was told nothing: read it again, and act on it as it is now",
            "holder": holder.value,
        },
        status_code=409,
    )


def _name_key(name: str) -> str:
    """A name as two agents' names are told apart: 「ｓａｔｏ」, " Sato " and "sato" are one."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def acting(holder: AgentToken, claimed: str | None) -> str:
    """Who acts: a named token's holder; with a bare token, the name the request gives."""
    if holder.named or not claimed:
        return holder.name
    return claimed
