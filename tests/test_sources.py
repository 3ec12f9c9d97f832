"""Events and sources: the table, search, one event's detail, and the article with the quote highlighted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import sources
from lib.views.style import ChartMeta
from tests.conftest import make_events, write_data_dir, write_yaml


@pytest.fixture
def fixture(data_dir: Path):
    ds = load_dataset(data_dir)
    return ds, build_tables(ds), ChartMeta.from_dataset(ds)


def test_events_table_has_reader_columns_and_dates_as_known(fixture) -> None:
    _, tables, meta = fixture
    table = sources.events_table(tables.events, meta)
    assert list(table.columns) == sources.TABLE_COLUMNS
    row = table.set_index("id").loc["taliban-warns-kaz"]
    assert (row["date"], row["actors"], row["countries"], row["type"], row["stance"]) == (
        "May 2011", "Taliban → Kazakhstan", "Kazakhstan", "Verbal conflict", "-1 Opposed")  # fmt: skip


def test_first_rows_lists_the_earliest_events_and_says_how_many_are_left_out(fixture) -> None:
    _, tables, _ = fixture
    events = tables.events
    listed, note = sources.first_rows(events, limit=1)
    assert listed["id"].tolist() == events["id"].tolist()[:1]
    assert listed["start"].iloc[0] == events["start"].min()
    assert f"first 1 of {len(events)} events" in note and "CSV and Excel downloads" in note
    everything, none = sources.first_rows(events, limit=len(events))
    assert everything is events and none == ""


def test_search_matches_titles_quotes_and_country_names_in_any_case(fixture) -> None:
    _, tables, meta = fixture
    assert sources.search_events(tables.events, tables, meta, "PARLIAMENT")["id"].tolist() == ["kaz-votes-isaf"]
    assert sources.search_events(tables.events, tables, meta, "afghanistan")["id"].tolist() == ["kaz-votes-isaf"]
    assert sources.search_events(tables.events, tables, meta, "severe taliban")["id"].tolist() == [
        "taliban-warns-kaz"
    ]
    assert len(sources.search_events(tables.events, tables, meta, "  ")) == 2
    assert sources.search_events(tables.events, tables, meta, "nothing-like-this").empty


def test_quote_is_found_despite_different_whitespace() -> None:
    text = "The Taliban has warned\n  Kazakhstan that"
    assert sources.quote_span(text, "The Taliban has warned   Kazakhstan") == (0, len("The Taliban has warned\n  Kazakhstan"))
    assert sources.quote_span(text, "not there") is None


def test_article_text_highlights_the_quote_and_escapes_everything() -> None:
    text = "Intro [link](http://x) *a*.\n\nThe Taliban has warned Kazakhstan of <b>severe</b> consequences."
    markdown = sources.highlighted_markdown(text, ["warned Kazakhstan of <b>severe</b>"])
    assert ":orange-background[**warned Kazakhstan of \\<b\\>severe\\</b\\>**]" in markdown
    assert "\\[link\\]\\(http\\:" in markdown and "\\*a\\*" in markdown
    assert markdown.count("\n\n") == 1


def test_a_quote_across_paragraphs_is_highlighted_in_each() -> None:
    markdown = sources.highlighted_markdown("One two.\n\nThree four.", ["two. Three"])
    assert ":orange-background[**two\\.**]" in markdown and ":orange-background[**Three**]" in markdown


def test_event_detail_has_summary_quote_and_citation(fixture) -> None:
    ds, tables, meta = fixture
    detail = sources.event_detail("taliban-warns-kaz", tables, ds, meta)
    assert detail is not None
    assert (detail.title, detail.date, detail.actor, detail.target) == (
        "Taliban warn Kazakhstan", "May 2011", "Taliban", "Kazakhstan")  # fmt: skip
    assert detail.stance_label == "Opposed"
    (source,) = detail.sources
    assert source.outlet == "The Moscow Times" and source.published == "22 May 2011"
    assert source.url == "https://example.org/a" and "KABUL" in source.article_text
    assert sources.event_detail("no-such-event", tables, ds, meta) is None


def test_a_source_that_dates_the_event_otherwise_says_so_beside_its_quote(tmp_path: Path) -> None:
    events = make_events()
    events[0]["sources"][0] |= {"date": "2011-05-17", "date_note": "It says Tuesday; the house's record, Wednesday."}
    folder = write_data_dir(tmp_path / "data")
    write_yaml(folder / "events.yaml", {"events": events})
    ds = load_dataset(folder)
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    (source,) = sources.event_detail("kaz-votes-isaf", tables, ds, meta).sources
    assert source.dated == "This source dates it 17 May 2011: It says Tuesday; the house's record, Wednesday."
    (other,) = sources.event_detail("taliban-warns-kaz", tables, ds, meta).sources
    assert other.dated is None


def test_articles_table_lists_outlet_author_date_and_events_cited(fixture) -> None:
    ds, tables, _ = fixture
    table = sources.articles_table(ds, tables, tables.events)
    assert table[["outlet", "author", "date", "events"]].values.tolist() == [["The Moscow Times", "—", "22 May 2011", 2]]
    assert sources.articles_table(ds, tables, tables.events.iloc[0:0])["events"].tolist() == [0]


def articles(*rows: tuple[str, str, str, int, object]) -> pd.DataFrame:
    """An articles table as `sources.articles_table` makes it (oldest first), from (title, outlet, date, events, link)."""
    return pd.DataFrame([{"title": t, "outlet": o, "author": "—", "date": d, "events": n, "link": link}
                         for t, o, d, n, link in rows])  # fmt: skip


def test_most_cited_articles_are_listed_first_newest_first_among_equals_and_uncited_ones_left_out() -> None:
    table = articles(("Old", "A", "1 Jan 2001", 3, None), ("Mid", "B", "1 Jan 2005", 5, None),
                     ("New", "C", "1 Jan 2010", 3, None), ("Uncited", "D", "1 Jan 2011", 0, None))  # fmt: skip
    assert sources.most_cited_articles(table)["title"].tolist() == ["Mid", "New", "Old"]
    assert sources.most_cited_articles(table, limit=2)["title"].tolist() == ["Mid", "New"]
    assert sources.most_cited_articles(table.assign(events=0)).empty


def test_an_article_list_links_titles_to_http_addresses_only_and_escapes_data_text() -> None:
    table = articles(("Kabul *falls*", "The [Times]", "c. 2001", 1, "https://example.org/a_(1)"),
                     ("No link", "Wire", "2002", 2, "javascript:alert(1)"), ("Nothing", "Wire", "2003", 3, None))  # fmt: skip
    first, second, third = sources.articles_html(table).removeprefix("<ol><li>").removesuffix("</li></ol>").split("</li><li>")
    assert first.startswith('<a href="https://example.org/a_%281%29" target="_blank" rel="noopener noreferrer">'
                            "Kabul *falls*</a> — The [Times], c. 2001")  # fmt: skip
    assert first.endswith("· 1 event")
    assert second == "No link — Wire, 2002 · 2 events", "no link but to an http(s) address"
    assert third == "Nothing — Wire, 2003 · 3 events"
    assert "&lt;b&gt;" in sources.articles_html(articles(("<b>", "Wire", "2003", 1, None)))


def test_the_latest_events_are_listed_newest_first_with_date_title_actors_and_countries(fixture) -> None:
    import html

    _, tables, meta = fixture
    events = tables.events
    newest = sources.events_table(events.tail(1), meta).iloc[0]
    e = html.escape
    assert sources.latest_events_html(events, meta, limit=1) == (
        f"<ul><li><strong>{e(newest['date'])}</strong> · {e(newest['title'])} — {e(newest['actors'])} · "
        f"{e(newest['countries'])}</li></ul>")  # fmt: skip
    everything = sources.latest_events_html(events, meta, limit=len(events) + 5)
    assert everything.count("<li>") == len(events) and everything.startswith(sources.latest_events_html(events, meta, 1)[:-5])


def test_selection_points_give_event_ids_and_country_codes() -> None:
    points = [{"customdata": ["a", "x"]}, {"customdata": ["a"]}, {"customdata": ["b"]}, {"x": 1}]
    assert sources.selected_event_ids(points) == ["a", "b"]
    assert sources.selected_countries([{"location": "KAZ"}, {"location": "KAZ"}, {"z": 1}]) == ["KAZ"]


def test_events_in_countries_keeps_only_events_concerning_them(fixture) -> None:
    _, tables, _ = fixture
    assert sources.events_in_countries(tables.events, tables, ["AFG"])["id"].tolist() == ["kaz-votes-isaf"]
    assert len(sources.events_in_countries(tables.events, tables, [])) == 2


def test_every_real_quote_is_highlighted_in_its_article() -> None:
    ds = load_dataset()
    tables = build_tables(ds)
    for event_id, article, quote in tables.sources[["event_id", "article", "quote"]].itertuples(index=False):
        assert sources.quote_span(ds.articles[article].text, quote), event_id


def test_events_table_labels_every_row_as_a_row_by_row_formatting_would() -> None:
    from lib.model.schema import display_date

    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    events = tables.events.copy()
    events["target"] = events["target"].cat.add_categories([]).where(events.index % 5 != 0)  # some without target
    table = sources.events_table(events.iloc[::2], meta)
    for row, (_, event) in zip(table.itertuples(index=False), events.iloc[::2].iterrows(), strict=True):
        target = event["target"]
        assert row.actors == (meta.actor(event["actor"]) if target != target or target is None
                              else f"{meta.actor(event['actor'])} → {meta.actor(target)}")  # fmt: skip
        assert row.date == display_date(event["date"])
        assert row.countries == ", ".join(meta.country(c.strip()) for c in event["countries"].split(","))
        assert row.type == meta.type_labels[event["event_type"]]
        assert row.stance == f"{int(event['stance']):+d} {meta.stance_labels[int(event['stance'])]}"
    assert list(table.index) == list(events.index[::2])


def test_events_citing_counts_each_event_once_per_article(fixture) -> None:
    _, tables, _ = fixture
    first = tables.sources.iloc[[0]]
    doubled = type(tables)(tables.events, tables.event_countries,
                           pd.concat([tables.sources, first.assign(n=2), first.assign(n=3, article="other")],
                                     ignore_index=True))  # fmt: skip
    for events in (tables.events, tables.events.iloc[[0]], tables.events.iloc[[1]], tables.events.iloc[0:0]):
        expected = sources.sources_of(events, doubled).groupby("article")["event_id"].nunique()
        got = sources.events_citing(events, doubled)
        assert got.to_dict() == expected[expected > 0].to_dict()
    assert sources.events_citing(tables.events, doubled)["mt-2011"] == 2
