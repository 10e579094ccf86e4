"""The words of one turn: catalog texts in the subscriber's language, filled with facts."""

from __future__ import annotations

import re
import weakref
from collections import ChainMap
from typing import Final, Protocol

from dialogs.facts import profile_facts
from dialogs.profile import MigrationProfile
from dialogs.settings_card import CardFacts, SmtpHost, personal_values, profile_values
from dialogs.state import StepContext
from dialogs.texts import Texts
from dialogs.vocabulary import Choice, ChoicesReply, Locale, Reply, Sending, TextReply

# Facts worded for a profile, texts and a subscriber's facts: about 3 KB each, a bounded few.
_WORDED_LIMIT: Final = 1024
_worded: dict[tuple[object, ...], tuple[MigrationProfile, Texts, dict[str, object]]] = {}
# What of them is the same for everyone: per profile, texts and language (a few).
_SHARED_LIMIT: Final = 64
_shared: dict[tuple[object, ...], tuple[MigrationProfile, Texts, dict[str, object]]] = {}


# A sentence's end: 。 in Japanese, . ! ? and a space in English (a host's dots have none).
_SENTENCE_END: Final = re.compile(r"(?<=。)|(?<=[.!?])[ \t]+")
# Shorter sentences (「はい。」, 'OK.') may well be said twice on purpose.
_SENTENCE_WORTH_A_LOOK: Final = 12


def unsaid(paragraph: str, said: str) -> str:
    """`paragraph` without the sentences `said` holds already ("" if nothing is left).

    Two texts of one turn may share a sentence (a kept server name in a problem's answer and
    in the old servers' line after it): said once, where it came first.
    """
    sentences = [s for s in _SENTENCE_END.split(paragraph) if s]
    kept = [
        s for s in sentences if len(s.strip()) < _SENTENCE_WORTH_A_LOOK or s.strip() not in said
    ]
    if len(kept) == len(sentences):
        return paragraph
    # Japanese sentences follow one another as they are; English ones after a space.
    return "".join(s if s.endswith("。") else f"{s} " for s in kept).strip()


class Facts(Protocol):
    """What a conversation knows that its words may mention; read afresh at every `say`."""

    locale: Locale
    address: str | None
    sending: Sending | None
    smtp_host: SmtpHost | None
    # The affected domain chosen without an address ("" if none): the card's words follow it.
    address_domain: str


class Speaker:
    """Collects one turn's replies, worded from the catalogs.

    Every text may use the profile's and the conversation's facts (`{pop_server}`,
    `{window_end}`, `{address}`...).
    """

    def __init__(self, context: StepContext, about: Facts, offered: tuple[str, ...]) -> None:
        self._context = context
        # Weak: the turn owns its words, and a strong reference back would make every turn
        # a reference cycle that only the garbage collector frees (under load that was a
        # fifth more collections, and their pauses were the slowest turns).
        self._about: Facts = weakref.proxy(about)
        self.offered = offered
        self.replies: list[Reply] = []
        self._facts_cache: tuple[tuple[object, ...], dict[str, object]] | None = None

    def say(self, key: str, /, **params: object) -> str:
        """The catalog text for `key` in the subscriber's current language.

        Every text may use the profile's facts (`{pop_server}`, `{window_end}`, ...);
        `params` add to them.
        """
        texts = self._context.texts
        locale = self._about.locale
        # Most texts (every button label but a few) have no placeholder: no facts to word.
        plain = texts.plain(locale, key)
        if plain is not None:
            return plain
        values = self._facts()
        return texts.fill(locale, key, ChainMap(params, values) if params else values)

    def fill(self, template: str, /) -> str:
        """A profile's inline words with its facts in place (「{old_smtp_until}まで」)."""
        return template.format_map(self._facts())

    def text(self, *keys: str, **params: object) -> None:
        """Add one text reply made of `keys`' texts, a blank line between them.

        A sentence one of them has said is not said again by those after it.
        """
        paragraphs = [self.say(k, **params) for k in keys]
        if len(paragraphs) > 1:
            paragraphs = [
                p if i == 0 else unsaid(p, "\n".join(paragraphs[:i]))
                for i, p in enumerate(paragraphs)
            ]
        self.replies.append(TextReply("\n\n".join(p for p in paragraphs if p)))

    def choices(self, text: str, choices: list[Choice]) -> None:
        """Add a question with buttons, and remember the buttons for typed numbers."""
        self.replies.append(ChoicesReply(text, tuple(choices)))
        self.offered = tuple(c.id for c in choices)

    def choice(self, choice_id: str, key: str) -> Choice:
        """A button whose label is catalog `key`."""
        return Choice(choice_id, self.say(key))

    def card_facts(self) -> CardFacts:
        """The conversation's facts as the settings card reads them."""
        about = self._about
        return CardFacts(
            address=about.address,
            sending=about.sending or Sending.REQUIRED,
            smtp_host=about.smtp_host,
            domain=about.address_domain or None,
        )

    def _facts(self) -> dict[str, object]:
        about = self._about
        signature = (
            about.locale,
            about.address,
            about.sending,
            about.smtp_host,
            about.address_domain,
        )
        if self._facts_cache is None or self._facts_cache[0] != signature:
            self._facts_cache = (signature, self._worded_facts(signature))
        return self._facts_cache[1]

    def _worded_facts(self, signature: tuple[object, ...]) -> dict[str, object]:
        # Kept between turns: the same subscriber's next turn (and every subscriber's turns
        # before they give an address) needs the same thirty words, and wording them was a
        # sixth of a turn's dialog time. Never changed once made (`say` reads them only).
        context = self._context
        key = (id(context.profile), id(context.texts), *signature)
        known = _worded.get(key)
        if known is not None and known[0] is context.profile and known[1] is context.texts:
            return known[2]
        personal = personal_values(context.profile, self.card_facts(), self._plain_with)
        facts = {**self._shared_facts(), **personal}
        if len(_worded) >= _WORDED_LIMIT:
            del _worded[next(iter(_worded))]  # the oldest
        _worded[key] = (context.profile, context.texts, facts)
        return facts

    def _shared_facts(self) -> dict[str, object]:
        # A new address words only its own few values: the thirty the profile decides (its
        # servers, ports, security and login methods, in the subscriber's language) were
        # worded again for each, most of the cost of a first address.
        context = self._context
        key = (id(context.profile), id(context.texts), self._about.locale)
        known = _shared.get(key)
        if known is not None and known[0] is context.profile and known[1] is context.texts:
            return known[2]
        shared: dict[str, object] = {
            **profile_facts(context.profile, context.texts, self._about.locale),
            **profile_values(context.profile, self._plain_with),
        }
        if len(_shared) >= _SHARED_LIMIT:
            del _shared[next(iter(_shared))]  # the oldest
        _shared[key] = (context.profile, context.texts, shared)
        return shared

    def _plain_with(self, key: str, /, **params: object) -> str:
        # For the facts themselves, which must not recurse into `_facts`.
        return self._context.texts.fill(self._about.locale, key, params)
