"""Curate (curation mode only): add an article, decide on the drafted events, add actors, fix problems, save."""

from lib import ui

ui.curate_page()
