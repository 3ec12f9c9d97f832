"""Briefing dashboard library (no Streamlit outside `lib.ui`). Imports flow one way, top to bottom, as
`.importlinter` at the project root says and tests/test_layout.py checks:

- `validate`, `draft`, `briefing`, `gazetteer`: the command-line entry points (`python -m lib.…`)
- `ui`: the Streamlit glue, one job per module
- `exports`: files for readers: chart images and data files, the briefing pack, decks and handouts
- `views` | `reading`: what pages draw (aggregates, charts, map points, sources, search) | drafting events
  from an article (dates, the lexicon, modality, relations, places)
- `model`: the data folder: schema, loading and validation, tables, filters, briefings, saving
- `errors`, `paths`, `text`, `wording`: small shared pieces that import nothing from the project
"""
