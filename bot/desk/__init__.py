"""The people: who owns a conversation, handing it to agents and back, and the agent API.

It may use the `engine`, `delivery`, the `japanese_analyser` (an agent's words holding a
password are refused), `web`, `ops` and `store`; it knows nothing of the login check.
"""
