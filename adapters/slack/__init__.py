"""Slack: subscribers in direct messages and channel threads, and agents in a desk channel.

`config` reads the environment; `events` turns Slack's events into inbound messages and
`render` replies into Block Kit (pure functions, no SDK); `channel` is the subscribers'
channel on slack-bolt. The agents' desk is the same shape: `desk_actions` (a click),
`desk_blocks` (the handoff message) and `desk` (the desk and its endpoint).
"""
