"""Running the process: settings, logs, metrics, statistics, background tasks, and loading
the migration profile and the message catalogs at start-up.

It may use the engine (whose turns it observes) and `store`; rooms above count through it.
"""
