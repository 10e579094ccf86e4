"""Where conversations live: records, transcripts, handled event ids, audit counts, rate limits.

SQLite for one process, Redis for several replicas, behind one protocol
(`conversation_store`). The bottom room: it may use `dialogs` (the dialog state it stores)
and nothing else of `bot`.
"""
