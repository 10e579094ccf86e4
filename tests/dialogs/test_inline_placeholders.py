"""A profile's inline words may name its own facts: `{old_smtp_until}`, `{new_smtp}`, ….

An operator writing a leaf such as 「自宅の回線からは、今の設定でも2027年9月30日(木)まで送信で
きます」 had to copy the date out of `[schedule]` by hand (inline texts were shown as written),
and a date moved later left the leaf saying the old one. Inline `text`, `hint` and
`unsure_note` now take the placeholders the catalogs' texts take, filled from the profile;
one the profile does not fill stops start-up with the key; `{{` and `}}` write a brace.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from bot.desk.questions import described_questions
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.ops.profile_texts import check_questionnaire_texts
from dialogs.profile import MigrationProfile, ProfileError
from tests.dialogs.driver import Driver

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "pop-to-imap.toml"
LEAF: Final = "[questionnaire.leaves.sending_recommended_home]"


def with_leaf_words(tmp_path: Path, ja: str, en: str) -> Path:
    text = EXAMPLE.read_text("utf-8")
    leaf = re.search(
        r"(?ms)^\[questionnaire\.leaves\.sending_recommended_home\]\n.*?^text = .*?$", text
    )
    assert leaf is not None
    head = leaf.group(0).rsplit("text = ", 1)[0]
    path = tmp_path / "profile.toml"
    path.write_text(
        text.replace(leaf.group(0), f'{head}text = {{ ja = "{ja}", en = "{en}" }}'), "utf-8"
    )
    return path


def home_verdict(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)  # type: ignore[arg-type]
    for answer in ("yes", "yes", "no"):
        driver.press(answer)
    return driver.verdict().text


def test_a_leaf_names_the_profiles_date_and_server(tmp_path: Path, catalogs: Catalogs) -> None:
    path = with_leaf_words(
        tmp_path,
        "送信の設定：変更をおすすめします。\\n今の設定でも{old_smtp_until}まで送信できます。"
        "新しい送信サーバーは{new_smtp}です。{{大切}}",
        "Sending settings: a change is recommended.\\nThe current settings send until"
        " {old_smtp_until}. The new outgoing server is {new_smtp}. {{important}}",
    )
    profile = load_profile(path)
    check_questionnaire_texts(profile, catalogs, path)

    ja = home_verdict(profile, catalogs, "ja")
    assert "今の設定でも2027年9月30日(木)まで送信できます" in ja
    assert "新しい送信サーバーはsmtp.tsubame-mail.example.jpです。{大切}" in ja
    en = home_verdict(profile, catalogs, "en")
    assert "until Thursday 30 September 2027" in en
    assert "{important}" in en


def test_the_example_question_names_its_old_server_from_the_profile(
    catalogs: Catalogs,
) -> None:
    # examples/pop-to-imap.toml asks about {old_smtp}: the chat and the agents' API fill it.
    profile = load_profile(EXAMPLE)
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    assert "「smtp.tsubame.example.jp」ですか？" in driver.said()
    assert "{" not in driver.said()
    texts = [
        text
        for question in described_questions(profile, catalogs)
        for text in question["text"].values()  # type: ignore[attr-defined]
    ]
    assert not [text for text in texts if "{" in text]
    assert "Is your mail program's outgoing (SMTP) server smtp.tsubame.example.jp?" in texts


@pytest.mark.parametrize(
    ("ja", "en", "message"),
    [
        ("{old_smtp_till}まで", "until {old_smtp_until}", ".text] (ja) has a placeholder"),
        ("{old_smtp_until}まで", "until {old_smtp_until", ".text] (en) "),
    ],
)
def test_a_placeholder_the_profile_does_not_fill_stops_start_up(
    tmp_path: Path, catalogs: Catalogs, ja: str, en: str, message: str
) -> None:
    path = with_leaf_words(tmp_path, ja, en)
    profile = load_profile(path)
    with pytest.raises(ProfileError) as refused:
        check_questionnaire_texts(profile, catalogs, path)
    assert f"{LEAF[:-1]}{message}" in str(refused.value)
    assert "{{" in str(refused.value)  # how to write a brace


def test_a_day_not_decided_has_no_placeholder(tmp_path: Path, catalogs: Catalogs) -> None:
    # examples/pop-to-imap.toml's leaf says 「{old_smtp_until}まで」: with that day left out of
    # [schedule] (not decided yet) there is nothing to say, and start-up says where.
    text = EXAMPLE.read_text("utf-8")
    assert "old_smtp_until = 2027-09-30\n" in text
    path = tmp_path / "profile.toml"
    path.write_text(text.replace("old_smtp_until = 2027-09-30\n", ""), "utf-8")
    profile = load_profile(path)
    with pytest.raises(ProfileError) as refused:
        check_questionnaire_texts(profile, catalogs, path)
    assert f"{LEAF[:-1]}.text] (ja) has a placeholder this profile does not fill:" in str(
        refused.value
    )
    assert "{old_smtp_until} (its day is left out of [schedule])" in str(refused.value)
