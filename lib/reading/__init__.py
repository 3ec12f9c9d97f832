"""Reading articles: drafting proposed events from an article's text (names, dates, the verb lexicon,
modality, relations between acts, place guesses from the offline gazetteer) and turning accepted drafts
into records.

Imports `lib.model` and the shared pieces below it; never `lib.views`, `lib.exports` or `lib.ui`.
"""
