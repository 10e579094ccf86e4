"""The live login check: one-time links, the password page, SMTP and POP logins, limits.

It connects only to the profile's servers and never keeps a password. It may use the
`engine` and `delivery` (to put a result into the chat), `web`, `ops` and `store`; it knows
nothing of the desk.
"""
