"""The Japanese morphological analyser the dialog reads with: SudachiPy and its core dictionary.

Created here, in the runtime, because it loads its dictionary from disk (about 90 ms, once
per process); the dialog receives it as a `dialogs.reading.morphemes.Analyser`.

Why Sudachi rather than fugashi with unidic-lite (both measured on this machine, see
`bench/understanding.py`): a 2,000-character message takes 4.8 ms against 10.8 ms, a
short one 0.029 ms against 0.040 ms; its dictionary is maintained (sudachidict_core
2026 against unidic-lite's UniDic 2.1.2 of 2013) and smaller (193 MB against 249 MB
installed); it needs no MeCab C library. Its cost is memory: about 110 MB resident against
37 MB, because the dictionary is memory-mapped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sudachipy import Dictionary, SplitMode

from dialogs.reading.morphemes import Analyser, Morpheme


class SudachiAnalyser:
    """Cuts text into morphemes with SudachiPy (mode C: the longest units)."""

    def __init__(self) -> None:
        self._tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def __call__(self, text: str, /) -> Sequence[Morpheme]:
        """The morphemes of `text`, in order."""
        return [
            Morpheme(m.surface(), m.dictionary_form(), *m.part_of_speech()[:3])
            for m in self._tokenizer.tokenize(text)
        ]


@functools.cache
def japanese_analyser() -> Analyser:
    """The process's one analyser, loaded on first use."""
    return SudachiAnalyser()
