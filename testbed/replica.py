"""One bot replica for the drills and the benchmarks: `python -m testbed.replica PORT`.

The same server `mailmove serve` runs (JSON logs, draining on SIGTERM), configured from the
environment (`MAILMOVE_STORE`, `MAILMOVE_PUBLIC_URL`...), with the clock fixed inside the seed's
settings-change window so every replica answers the same way on any day.
"""

from __future__ import annotations

import os
import sys

from bot.ops.logging_setup import configure_json_logging
from bot.ops.settings import Settings
from bot.server import build_app, listening_socket, serve
from testbed.clock import fixed_clock


def main() -> None:
    """Serve on 127.0.0.1:PORT until SIGTERM (drain) or SIGKILL (the drills' crash)."""
    port = int(sys.argv[1])
    configure_json_logging()
    settings = Settings.from_env({**os.environ, "MAILMOVE_HOST": "127.0.0.1"})
    with listening_socket("127.0.0.1", port) as sock:
        serve(build_app(settings, clock=fixed_clock()), sock)


if __name__ == "__main__":
    main()
