"""Files for readers: chart images (kaleido), HTML and data files, the briefing pack (PDF/HTML), briefing
slides, PowerPoint decks and PDF handouts, and the PDF fonts they share.

Imports `lib.views`, `lib.model` and the shared pieces below them; never `lib.reading` or `lib.ui`.
"""
