"""Present a briefing: /present?briefing=<id>&slide=<n>, one slide full-screen, arrow keys or a clicker to move."""

from lib import ui

ui.present(ui.load())
