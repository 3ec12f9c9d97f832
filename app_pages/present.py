"""Present a briefing: /present?briefing=<id>&slide=<n> (or ?draft=… from the editor), one slide full-screen, arrow keys
or a clicker to move."""

from lib import ui

# the data dashboard.py loaded at the top of this run (a second load() would look at every data file again)
ui.present(ui.with_url_draft(ui.run_loaded()))  # ?draft=…: the editor's draft, presented unsaved
