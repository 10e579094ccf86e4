"""Telegram: private chats with an inline keyboard (python-telegram-bot).

`config` reads the environment; `events` turns updates into inbound messages and `render`
replies into `sendMessage` calls (pure functions); `channel` is the bot itself: its
webhook or long polling, and its sends.
"""
