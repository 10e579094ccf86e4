"""Chatwoot: the bot as an Agent Bot of a Chatwoot inbox, and the inbox as the agents' desk.

`config` reads the environment; `events` turns webhook bodies into inbound messages and
status changes, `render` replies into Chatwoot messages (pure functions); `api` is the
REST client, `desk` hands a conversation to the inbox's agents, and `channel` holds the
webhook and follows the conversation's status both ways.
"""
