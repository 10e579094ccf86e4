"""Running the process: settings, logs, metrics, statistics, background tasks, start-up.

Start-up loads the migration profile and the message catalogs. It may use the `engine`
(whose turns it observes), `store`, and `delivery` (whose causes name why a platform did not
take a reply, counted in the metrics); the rooms above count through it.
"""
