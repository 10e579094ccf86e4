"""Keeping the settings: the print button puts the settings card and the program's steps on
A4 paper, without the chat around them. Chromium renders the print media to a PDF (its
`page.pdf()`), and pypdf reads the text back."""

from __future__ import annotations

import io
import unicodedata
from typing import Final

from pypdf import PdfReader

from tests.adapters.webchat.chat_page import PHONE, NewPage, reach_settings
from tests.browser import SCREENSHOTS

ADDRESS: Final = "taro@vp.117.ne.jp"
A4_POINTS: Final = (595, 842)
# Headless Chromium's window.print() starts a print job that page.pdf() then waits behind:
# the test counts the calls instead, and renders the print media itself.
COUNT_PRINTS: Final = "window.print = () => { window.__prints = (window.__prints || 0) + 1; };"


def pdf_text(pdf: bytes) -> tuple[str, list[tuple[float, float]]]:
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    text = "\n".join(page.extract_text() for page in reader.pages)
    # The font's glyphs map some kanji to their Kangxi-radical twins (⽬ for 目): NFKC
    # folds them back.
    return unicodedata.normalize("NFKC", text), sizes


def test_the_print_button_prints_the_card_and_the_steps_on_a4(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, init_script=COUNT_PRINTS)
    card = reach_settings(page, address=ADDRESS)
    card.get_by_role("button", name="設定と手順を印刷").click()
    assert page.evaluate("window.__prints") == 1
    pdf = page.pdf(format="A4", print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "settings-print.pdf").write_bytes(pdf)
    text, sizes = pdf_text(pdf)
    squeezed = "".join(text.split())
    # A4, one or two sheets.
    assert 1 <= len(sizes) <= 2
    for width, height in sizes:
        # 210 × 297 mm is 595.3 × 841.9 pt; Chromium rounds to whole CSS pixels.
        assert abs(width - A4_POINTS[0]) <= 1.5
        assert abs(height - A4_POINTS[1]) <= 1.5
    # The card: its title, every row and value, changed or not.
    for words in (
        f"新しい設定（{ADDRESS}）",
        "受信（POP）サーバー",
        "vpop.117.ne.jp",
        "vsmtp.117.ne.jp",
        "587",
        "変更あり",
        "変更なし",
    ):
        assert unicodedata.normalize("NFKC", words) in squeezed, words
    # The steps for the chosen program.
    assert "Thunderbirdでの設定手順" in squeezed
    # No chat chrome: no header, toolbar, input, buttons, earlier questions or answers.
    for chrome in (
        "メール設定サポート",
        "最初から",
        "担当者と話す",
        "パスワードはこのチャットに入力しないでください",
        "コピー",
        "印刷",
        "メールの送受信に",
        "あなた",
    ):
        assert unicodedata.normalize("NFKC", chrome) not in squeezed, chrome


def test_the_browsers_own_print_command_prints_the_latest_card(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    reach_settings(page, address=ADDRESS)
    # Ctrl+P fires beforeprint, which picks the latest card (page.pdf() does not fire it).
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    text, _ = pdf_text(page.pdf(format="A4"))
    squeezed = "".join(text.split())
    assert "vpop.117.ne.jp" in squeezed
    assert "メールの送受信に" not in squeezed
