"""The xdist workers share the rewriting of the test modules' asserts instead of each doing it all.

pytest rewrites the asserts of every test module it imports (so that a failing `assert` says
what it compared) and caches the result beside the module (`__pycache__/*-pytest-*.pyc`). In
a fresh clone there is no such cache, and every xdist worker collects every module, rewriting
whatever no worker has cached yet: about 10 s of CPU for the 620 modules, done by both at
once where they kept pace, and xdist hands out no test before every worker has collected.
Each worker now first caches its share (every n-th module) without importing anything, then
collects as before: a module the other worker has cached by then is read from the cache, one
it has not is rewritten again, as before. The cache is pytest's own (the same functions write
and check it), so every test runs the same code.
"""

from __future__ import annotations

import sys
from pathlib import PurePath

import pytest
from _pytest.assertion.rewrite import (
    PYC_TAIL,
    _read_pyc,
    _rewrite_test,
    _write_pyc,
    assertstate_key,
    get_cache_dir,
    try_makedirs,
)
from _pytest.pathlib import fnmatch_ex


def rewrite_this_workers_share(config: pytest.Config) -> int:
    """Cache the rewritten code of this worker's share of the modules the session collects
    (under the paths given, or `testpaths`); how many it wrote."""
    workerinput = getattr(config, "workerinput", None)
    state = config.stash.get(assertstate_key, None)
    if workerinput is None or state is None or state.hook is None or sys.dont_write_bytecode:
        return 0  # one process collects alone, asserts are not rewritten, or nothing is cached
    worker = int(str(workerinput["workerid"]).removeprefix("gw"))
    workers = int(workerinput["workercount"])
    patterns = config.getini("python_files")
    # The modules pytest's import hook rewrites: conftest files and those named like tests.
    given = {config.invocation_params.dir / arg.split("::")[0] for arg in config.args}
    found = {path for top in given for path in (top.rglob("*.py") if top.is_dir() else [top])}
    modules = sorted(
        path
        for path in found
        if path.name == "conftest.py" or any(fnmatch_ex(p, PurePath(path)) for p in patterns)
    )
    written = 0
    for path in modules[worker::workers]:
        cache_dir = get_cache_dir(path)
        pyc = cache_dir / (path.name[:-3] + PYC_TAIL)
        if _read_pyc(path, pyc) is not None or not try_makedirs(cache_dir):
            continue
        source_hash, code = _rewrite_test(path, config)
        written += _write_pyc(state, code, source_hash, pyc)
    return written
