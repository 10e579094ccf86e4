"""A long address at the phone's largest text: wrapped before its domain, never inside it.

With a line-break chance after every dot, at 200 % text on a 375 or 320 px phone the
settings card's account name read 「yamada.taro. / 1948@vp.117.ne. / jp」: the domain cut
after its last dot, and 「jp」 alone on a line, which an elderly subscriber copying by hand
took for a separate value. The domain (with its @) now goes to the next line whole.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Locator, ViewportSize

from tests.adapters.webchat.chat_page import NARROW, NewPage, reach_settings, settings_value

PHONE_375: Final[ViewportSize] = {"width": 375, "height": 667}
ADDRESS: Final = "yamada.taro.1948@vp.117.ne.jp"
LARGEST_TEXT: Final = "document.documentElement.style.fontSize = '200%'"

_LINES: Final = """el => {
  const lines = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i += 1) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || rect.top > top + 2) { lines.push(''); top = rect.top; }
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines;
}"""


# The title's lines at each card width whose last line is a lone mark, laid out in one call
# into the page (a call a width took 6 s for the 105 widths).
_ALONE_AT_WIDTHS: Final = f"""(card, widths) => {{
  const linesOf = {_LINES};
  const title = card.querySelector('.card__title');
  const alone = [];
  for (const width of widths) {{
    card.style.width = `${{width}}px`;
    const lines = linesOf(title);
    if (lines[lines.length - 1].length < 2) alone.push([width, lines]);
  }}
  card.style.width = '';
  return alone;
}}"""


def lines_of(value: Locator) -> list[str]:
    """The value's text as laid out, one string per line on screen."""
    lines: list[str] = value.evaluate(_LINES)
    return lines


@pytest.mark.parametrize("viewport", [NARROW, PHONE_375], ids=["320", "375"])
def test_the_account_name_wraps_before_its_domain_at_the_largest_text(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    card = reach_settings(page, address=ADDRESS)
    page.evaluate(LARGEST_TEXT)
    value = settings_value(card, "username")
    lines = lines_of(value)
    assert "".join(lines) == ADDRESS, lines
    # Broken before the @, and the domain kept whole where a line holds it (at 320 px even
    # a line of its own does not: there it breaks after a dot, never before its last label).
    assert any(line.startswith("@") for line in lines), lines
    assert lines[-1] in ("@vp.117.ne.jp", "ne.jp"), lines
    # And a long press still selects all of it.
    assert value.evaluate("el => el.querySelector('.whole').innerText") == ADDRESS
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_card_title_never_leaves_its_closing_bracket_alone_on_a_line(
    new_page: NewPage,
) -> None:
    # The address's domain is a box of its own, which a line may always end after: at 320 px
    # the title 「新しい設定（yamada.taro.1948@vp.117.ne.jp）」 put its 「）」 alone on the
    # last line. The title is laid out at every width a 320 px card may give an address
    # (a longer or shorter address comes to the same lines), down to 200 % text's.
    page = new_page(viewport=NARROW)
    card = reach_settings(page, address=ADDRESS)
    title = card.locator(".card__title")
    alone = card.evaluate(_ALONE_AT_WIDTHS, list(range(120, 330, 2)))
    assert not alone, alone
    assert title.inner_text() == f"新しい設定（{ADDRESS}）"
    # A double click (a long press on a phone) on the address still selects it alone.
    corner = title.locator(".domain").evaluate(
        "el => { const r = el.getClientRects()[0]; return [r.x + 8, r.y + 8]; }"
    )
    page.mouse.dblclick(corner[0], corner[1])
    assert page.evaluate("getSelection().toString()") == ADDRESS
