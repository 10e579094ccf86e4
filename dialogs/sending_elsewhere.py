"""A sending problem of a subscriber who sends through another company's outgoing server.

Their verdict said 「送信の設定：変更の必要はありません」 (the seed's Q3 "no", or another
company's server named at 「送信サーバー名は？」). The provider's fix for a sending problem
(port 587, SMTP AUTH with this account, its new outgoing server) would tell them to change
what they were told to leave, on a server that is not the provider's: its cause lies with
the server they use, and its words come from sending_elsewhere.po.
"""

from __future__ import annotations

from typing import Final

from dialogs.diagnosis import Diagnosis, Proof
from dialogs.knowledge import Timing, Window, old_server_key
from dialogs.reading.problems import Problem
from dialogs.texts import N_

# What fails on the sending side: a subscriber told that sending needs no change, because
# they send through another company's server, hears that it lies with that server.
_SENDING_SIDE: Final = frozenset(
    {
        Problem.CANT_SEND,
        Problem.SEND_CONNECT,
        Problem.AUTH_MISSING,
        Problem.RELAY_DENIED,
        # 「送信の認証に使うアカウント（受信と同じアカウント）」 is the provider's account: the
        # other company's server signs in with its own.
        Problem.SENDER_NOT_OWNED,
    }
)


def sending_elsewhere(problem: Problem, when: Timing, *, sending_side: bool) -> Diagnosis | None:
    """The diagnosis for a subscriber who sends through another company's outgoing server.

    Their verdict said 「送信の設定：変更の必要はありません」; the fix of the provider's own
    server (port 587, SMTP AUTH with this account) would tell them to change what they were
    told to leave, on a server that is not the provider's. The cause lies with the server
    they use, on any day, unless the provider blocks port 25 on its lines from a day already
    come (`Timing.op25b_started`), which stops port 25 to every server. None: a problem of
    the receiving side, or one whose usual answer holds for them too.
    """
    if problem in _SENDING_SIDE or (problem is Problem.LOGIN_FAILED and sending_side):
        blocked = when.op25b_started
        key = N_("problem.sending_elsewhere.op25b") if blocked else N_("problem.sending_elsewhere")
        return Diagnosis((key,), None)
    if (
        problem is Problem.CONNECT
        and when.window is not Window.BEFORE
        and not when.receiving_unchanged
    ):
        # Receiving or sending, the error does not say: the receiving half of the usual fix
        # holds, the sending half is the other company's.
        key = (
            N_("problem.connect.sending_elsewhere.op25b")
            if when.op25b_started
            else N_("problem.connect.sending_elsewhere")
        )
        if when.old_pop_up and when.old_smtp_up:
            return Diagnosis((key,), Proof.USES_A_PROGRAM)
        return Diagnosis((key, old_server_key(when)), Proof.USES_A_PROGRAM)
    return None
