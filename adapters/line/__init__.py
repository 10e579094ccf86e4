"""LINE: one-to-one chats with quick replies (line-bot-sdk v3, async API); groups get one line.

`config` reads the environment; `events` turns webhook events into inbound messages and
`render` replies into LINE message objects (pure functions); `channel` holds the webhook,
the Messaging API client, and the reply-then-push sends.
"""
