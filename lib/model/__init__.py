"""The data model and its files: the schema, loading and validating the data folder (events.yaml, the bulk
events.parquet, articles, actors, countries, places, briefings), the tables built from it, the filters that
select from them, codebook rules, and saving (atomic files, round-trip YAML edits, the checked store).

Imports only `lib.errors`, `lib.paths`, `lib.text`, `lib.wording` and its own modules.
"""
