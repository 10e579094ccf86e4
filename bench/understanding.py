"""Understanding what subscribers type: corpus accuracy, and how long a message takes to read.

1. The labelled corpus (`tests/dialogs/reading/utterances.tsv`) read at its stage, with the
   morphological analyser and with patterns alone: accuracy per expected class and per
   stage, and every dangerous reading (a "no" nobody said, which lowers the change needed).
2. Time to read one message in-process (`read_text`, everything from normalising to the
   intent): the corpus, a 2,000-character pasted error and a 2,000-character story, and
   inputs built to be slow (long runs of one character, of a pattern's prefix, of
   password words); the slowest against a normal 2,000-character message.
3. The two analysers the issue names, when installed: SudachiPy (core) and fugashi
   (unidic-lite): load time, time per short message and per 2,000 characters.

Run: `make bench-understanding` (or `python -m bench.understanding`).
"""

from __future__ import annotations

import functools
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Final

from bot.japanese_analyser import japanese_analyser
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.morphemes import Analyser
from dialogs.reading.stage_reading import read_text
from testbed.utterances import Utterance, dangerous, load_corpus, reading_class

OFFERED: Final = ("yes", "no", "unsure", "back", "menu")
PASTED_ERROR: Final = (
    "タスク 'vp.117.ne.jp - 送信中' がエラー (0x800CCC0F) を報告しました : "
    "'サーバーへの接続が中断されました。サーバーに問題がある場合は、管理者またはインターネット "
    "サービス プロバイダー (ISP) に連絡してください。' "
)
STORY: Final = (
    "昨日の夜から急にメールが送れなくなってしまい、受信はできるのですが、送信ボタンを押すと"
    "しばらくしてからエラーが出てしまいます。会社でも家でも同じで、困っています。"
)
PATHOLOGICAL: Final[dict[str, str]] = {
    "one letter": "a" * 2000,
    "one kana": "あ" * 2000,
    "negations": "ない" * 1000,
    "password words": "パスワード " * 400,
    "password tokens": "password: x1y2z3w4 " * 100,
    "error prefixes": "0x800ccc " * 222,
    "question marks": "?" * 2000,
    "spaces": "a " * 1000,
    "server words": "送信サーバー " * 285,
    "addresses": "taro@" * 400,
    "digits": "5" * 2000,
    "mixed": "送れないエラー0x800CCC0Fパスワードはabc " * 60,
}


def to_length(text: str, length: int = 2000) -> str:
    return (text * (length // len(text) + 1))[:length]


def accuracy(
    corpus: list[Utterance], profile: MigrationProfile, analyser: Analyser | None, title: str
) -> None:
    right_by_class: Counter[str] = Counter()
    total_by_class: Counter[str] = Counter()
    right_by_stage: Counter[str] = Counter()
    total_by_stage: Counter[str] = Counter()
    danger: list[str] = []
    wrong: dict[str, list[str]] = defaultdict(list)
    for u in corpus:
        reading = reading_class(read_text(u.text, u.stage, OFFERED, profile, analyser))
        label = u.expected.split(":")[0]
        total_by_class[label] += 1
        total_by_stage[u.stage.value] += 1
        if reading == u.expected:
            right_by_class[label] += 1
            right_by_stage[u.stage.value] += 1
        else:
            wrong[label].append(f"{u.stage.value}: {u.text!r} → {reading}")
        if dangerous(u, reading):
            danger.append(f"{u.stage.value}: {u.text!r} → {reading}")
    right = sum(right_by_class.values())
    print(
        f"\n== corpus, {title}: {right}/{len(corpus)} = {right / len(corpus):.1%} right, "
        f"{len(danger)} dangerous"
    )
    for label in sorted(total_by_class):
        print(
            f"  {label:<12} {right_by_class[label]:>4}/{total_by_class[label]:<4}"
            f" {right_by_class[label] / total_by_class[label]:.1%}"
        )
    for stage in Stage:
        if total_by_stage[stage.value]:
            n, r = total_by_stage[stage.value], right_by_stage[stage.value]
            print(f"  at {stage.value:<22} {r:>4}/{n:<4} {r / n:.1%}")
    for line in danger:
        print(f"  DANGEROUS {line}")
    for label, lines in sorted(wrong.items()):
        for line in lines:
            print(f"  wrong ({label}) {line}")


def per_call_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm the caches (compiled patterns, the analyser's pages)
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat * 1000


def timings(corpus: list[Utterance], profile: MigrationProfile, analyser: Analyser) -> None:
    print("\n== time to read one message (read_text, in-process)")
    per_message = [
        per_call_ms(functools.partial(read_text, u.text, u.stage, OFFERED, profile, analyser), 20)
        for u in corpus
    ]
    print(
        f"  corpus: mean {statistics.mean(per_message):.3f} ms, "
        f"p99 {statistics.quantiles(per_message, n=100)[98]:.3f} ms, "
        f"max {max(per_message):.3f} ms"
    )
    normal = {
        "2,000-char pasted error": to_length(PASTED_ERROR),
        "2,000-char story": to_length(STORY),
    }
    baseline = 0.0
    for name, text in normal.items():
        for stage in (Stage.Q1_MAIL_PROGRAM, Stage.SETTINGS_DELIVERED):
            ms = per_call_ms(
                functools.partial(read_text, text, stage, OFFERED, profile, analyser), 50
            )
            baseline = max(baseline, ms)
            print(f"  {name} at {stage.value}: {ms:.3f} ms")
    slowest = 0.0
    for name, text in PATHOLOGICAL.items():
        ms = per_call_ms(
            functools.partial(read_text, text, Stage.Q1_MAIL_PROGRAM, OFFERED, profile, analyser),
            20,
        )
        slowest = max(slowest, ms)
        print(f"  pathological {name!r} ({len(text)} chars): {ms:.3f} ms")
    print(f"  slowest pathological / slowest normal 2,000 chars: {slowest / baseline:.1f}x")


def analysers() -> None:
    print("\n== the two analysers (when installed)")
    short = [
        "メールが送れない",
        "使用しておりません",
        "会社からは接続していない",
        "ブロックされてるみたい",
    ]
    long = to_length(STORY)
    candidates: dict[str, Callable[[], Callable[[str], object]]] = {}
    try:
        from sudachipy import Dictionary, SplitMode

        def sudachi() -> Callable[[str], object]:
            tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
            return lambda text: [m.dictionary_form() for m in tokenizer.tokenize(text)]

        candidates["SudachiPy + sudachidict_core"] = sudachi
    except ImportError:
        print("  SudachiPy: not installed")
    try:
        import fugashi  # type: ignore[import-not-found, unused-ignore]

        def mecab() -> Callable[[str], object]:
            tagger = fugashi.Tagger()
            return lambda text: [w.feature.lemma for w in tagger(text)]

        candidates["fugashi + unidic-lite"] = mecab
    except ImportError:
        print("  fugashi + unidic-lite: not installed (pip install fugashi unidic-lite)")
    for name, make in candidates.items():
        started = time.perf_counter()
        cut = make()
        load_ms = (time.perf_counter() - started) * 1000
        short_ms = statistics.mean(per_call_ms(functools.partial(cut, t), 200) for t in short)
        long_ms = per_call_ms(functools.partial(cut, long), 50)
        print(
            f"  {name}: load {load_ms:.0f} ms, short message {short_ms:.3f} ms, "
            f"2,000 chars {long_ms:.2f} ms"
        )


def main() -> None:
    profile = load_profile()
    corpus = load_corpus()
    japanese = sum(u.japanese for u in corpus)
    print(f"corpus: {len(corpus)} utterances, {japanese} Japanese ({japanese / len(corpus):.0%})")
    analyser = japanese_analyser()
    accuracy(corpus, profile, analyser, "with the analyser")
    accuracy(corpus, profile, None, "patterns alone")
    timings(corpus, profile, analyser)
    analysers()


if __name__ == "__main__":
    main()
