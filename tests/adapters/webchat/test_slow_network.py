"""The chat on a slow mobile connection: what the first visit has to bring down.

On Chrome's "Slow 3G" (2 s round trips, 50 kB/s) the first question took 8.7 s to take a
tap, 2.4 s of it the page's own script and style (75 kB and 32 kB) sent uncompressed.
"""

from __future__ import annotations

from typing import Final

import httpx
import pytest

from tests.adapters.webchat.chat_page import PHONE, NewPage

ASSETS: Final = ("chat.js", "chat.css")


def test_the_script_and_style_come_compressed(new_page: NewPage) -> None:
    """What the browser brought down for each (its transfer size) against what it read."""
    page = new_page(viewport=PHONE)
    sizes: dict[str, list[int]] = page.evaluate(
        """(names) => Object.fromEntries(names.map((name) => {
            const entry = performance.getEntriesByType('resource')
                .find((e) => e.name.endsWith('/webchat/static/' + name));
            return [name, [entry.encodedBodySize, entry.decodedBodySize]];
        }))""",
        list(ASSETS),
    )
    for name, (sent, read) in sizes.items():
        assert read > 10_000, (name, read)
        assert sent < read / 2, f"{name}: {sent} bytes sent for {read}"


@pytest.mark.parametrize("name", ASSETS)
def test_a_compressed_asset_still_answers_a_conditional_request(base_url: str, name: str) -> None:
    """A returning phone asks with the tag it has: nothing is sent again (304)."""
    url = f"{base_url}/webchat/static/{name}"
    first = httpx.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert first.headers["content-encoding"] == "gzip"
    again = httpx.get(
        url,
        headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]},
        timeout=10,
    )
    assert again.status_code == 304
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "content-encoding" not in plain.headers
    assert plain.content == first.content


@pytest.mark.parametrize("name", ASSETS)
def test_the_compressed_and_plain_asset_do_not_share_a_strong_tag(base_url: str, name: str) -> None:
    """RFC 9110 8.8.3: a strong tag names one representation, and the gzip one is other bytes.

    Both came with the file's one strong tag, which told a cache or a range request that the
    compressed bytes and the plain ones were the same. The tag is weak (as nginx makes it
    when it compresses): equal content, not equal bytes. A returning phone still gets 304
    with either tag, and the 304 carries the tag the full answer had.
    """
    url = f"{base_url}/webchat/static/{name}"
    tags = {}
    for encoding in ("gzip", "identity"):
        full = httpx.get(url, headers={"Accept-Encoding": encoding}, timeout=10)
        tag = full.headers["etag"]
        assert tag.startswith('W/"'), (encoding, tag)
        tags[encoding] = tag
        again = httpx.get(
            url, headers={"Accept-Encoding": encoding, "If-None-Match": tag}, timeout=10
        )
        assert again.status_code == 304
        assert again.headers["etag"] == tag
    # A tag kept from before (strong) still matches: If-None-Match compares weakly.
    for encoding, tag in tags.items():
        kept = tag.removeprefix("W/")
        again = httpx.get(
            url, headers={"Accept-Encoding": encoding, "If-None-Match": kept}, timeout=10
        )
        assert again.status_code == 304
