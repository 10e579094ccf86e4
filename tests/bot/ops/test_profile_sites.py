"""The provider's own sites come from the Public Suffix List, not from a pattern (attacker9).

After a password's word, a host under the provider's site is its server, anything else a
password written with dots (b76d867). The site was guessed by a pattern: the parent of a mail
domain was the provider's unless it looked like 'ne.jp' or 'co.uk' (two or three letters, a
dot, two). 'abc.de', a company's, looked like a registry's, so 「password is pop.abc.de」 was
taken for a password; 'tokyo.jp', a registry's, did not, so any host under it was taken for
the provider's, and a password 'my.tokyo.jp' was kept as typed.
"""

from __future__ import annotations

import pytest
from publicsuffixlist import PublicSuffixList

from bot.japanese_analyser import japanese_analyser
from bot.ops.profile_loader import load_profile, sites_of
from dialogs.redaction import MASK, ProviderDomains, redact


def test_the_seeds_site_is_its_registrable_domain() -> None:
    assert load_profile().sites == ("117.ne.jp",)


@pytest.mark.parametrize(
    ("domain", "typed", "masked"),
    [
        # A company's own domain under a country's registry: its other host is its server.
        ("mail.abc.de", "password is pop.abc.de?", None),
        ("mail.example.co.uk", "パスワードは pop.example.co.uk と同じですか", None),
        # A registry's name: another host under it is anyone's.
        ("isp.tokyo.jp", "パスワードは my.tokyo.jp です", f"パスワードは {MASK} です"),
        ("mail.example.co.uk", "password is my.co.uk", f"password is {MASK}"),
    ],
)
def test_the_providers_site_is_the_public_suffix_lists(
    domain: str, typed: str, masked: str | None
) -> None:
    domains = ProviderDomains((domain,), sites_of([domain]))
    expected = (typed, False) if masked is None else (masked, True)
    assert redact(typed, domains=domains, analyser=japanese_analyser()) == expected


def test_the_rules_of_a_hosts_own_top_level_domain_answer_as_the_whole_list() -> None:
    # `sites_of` parses only the rules of the top-level domains asked about.
    hosts = [
        "vp.117.ne.jp", "mail.city.kawasaki.jp", "www.city.kawasaki.jp", "a.b.kobe.jp",
        "isp.tokyo.jp", "mail.abc.de", "x.github.io", "pop.example.co.uk", "mail.example",
        "pop.mail.test", "ne.jp", "localhost",
    ]  # fmt: skip
    whole = PublicSuffixList()
    assert sites_of(hosts) == tuple(
        dict.fromkeys(site for host in hosts if (site := whole.privatesuffix(host)))
    )
