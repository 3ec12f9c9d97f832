"""Briefings: build one from views and events added on the other pages; reorder, retitle, annotate; download or save."""

from lib import ui

ui.page_heading("Briefings", "A briefing is a sequence of slides, each a dashboard view or one event, with speaker notes. "
                "The draft lives in this page's address (a reload keeps it); present it at once, or download it as "
                "slides or a handout.")  # fmt: skip
ui.editor(ui.load())
