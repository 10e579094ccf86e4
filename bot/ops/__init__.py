"""Running the process: settings, logs, metrics, statistics, background tasks, start-up.

Start-up loads the migration profile and the message catalogs. It may use the `engine`
(whose turns it observes) and `store`; the rooms above count through it.
"""
