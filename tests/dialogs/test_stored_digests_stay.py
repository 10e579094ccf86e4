"""The digests a conversation keeps of its profile stay the same across releases.

A conversation stores `MigrationProfile.verdict_key` (its questions and servers) and, in
`card_shown_for`, a digest of the servers its settings card named. Both are digests of the
`repr` of the profile's data classes: a field added to one of them (even with a default, even
one no card shows) changes every digest, and on the next release every conversation past the
questions is told 「ご案内の内容が変わりました」 and sent its card again, though nothing a
subscriber reads changed (desk6 noticed). Pinned for the seed's profile: a change that moves
them must keep them (leave the new field out of the digest) or say why every subscriber
should be told again.
"""

from __future__ import annotations

from dialogs.profile import MigrationProfile
from dialogs.turn import _servers_of


def test_the_seed_profiles_verdict_key_stays(profile: MigrationProfile) -> None:
    assert profile.verdict_key == "f44594ec41c36cf6"


def test_the_seed_profiles_servers_digest_stays(profile: MigrationProfile) -> None:
    assert _servers_of(profile) == "servers:a98c82f3ef72"
