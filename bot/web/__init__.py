"""HTTP plumbing every room serves with.

The drain and store gate, body limits, bounds on a request's head (`http_limits`, for
uvicorn), JSON responses, operations endpoints and the mail programs' configuration-file
routes. It may use `ops` and `store`; the app that mounts
everything is `bot.server`, above it.
"""
