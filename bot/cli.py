"""The `mailmove` command: `serve` the bot, or `chat` with it in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from bot.channels import TerminalChannel, available_factories
from bot.config import ConfigError, Settings
from bot.server import build_app, build_runtime
from dialogs.profile import ProfileError


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_env().with_overrides(
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            store_url=getattr(args, "store", None),
            profile_path=args.profile,
        )
        if args.command == "serve":
            return _serve(settings)
        return _chat(settings, args.locale)
    except (ProfileError, ConfigError, ValueError) as err:
        print(f"mailmove: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailmove", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the web chat and every configured channel")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8080)")
    serve.add_argument("--store", help="conversation store URL (default sqlite:///var/...)")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--locale", choices=["ja", "en"], help="language to start in")
    for sub in (serve, chat):
        sub.add_argument("--profile", type=Path, help="migration profile (TOML)")
    return parser


def _serve(settings: Settings) -> int:
    import uvicorn  # imported here: `mailmove chat` does not need a web server

    app = build_app(settings)
    logging.getLogger("mailmove").info("Web chat on http://%s:%s/", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


def _chat(settings: Settings, locale: str | None) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    # The terminal conversation lives only as long as the terminal does.
    runtime = build_runtime(settings.with_overrides(store_url="sqlite://:memory:"))
    factory = available_factories().get("console")
    if factory is None:
        print("mailmove: the console channel is not installed", file=sys.stderr)
        return 2
    channel = cast(TerminalChannel, factory(runtime))
    runtime.delivery.register(channel)

    async def run() -> int:
        await runtime.engine.store.open()
        try:
            return await channel.run(locale=locale)
        finally:
            await runtime.engine.store.close()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
