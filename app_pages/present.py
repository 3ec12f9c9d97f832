"""Present a briefing: /present?briefing=<id>&slide=<n> (or ?draft=… from the editor), one slide full-screen, arrow keys
or a clicker to move."""

from lib import ui

ui.present(ui.with_url_draft(ui.load()))  # ?draft=…: the editor's draft, presented unsaved
