"""The Curate page's forms for reference data an article needs: a country not yet in countries.yaml, a
place in any country (the offline gazetteer), a period. Countries and places wait in the session and are
saved with the article's events; a period is saved at once (it fixes "outside every period" warnings).
The logic is in `lib/reading/additions.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.errors import DataProblem
from lib.model.dataset import Dataset
from lib.model.filters import escape_markdown
from lib.reading import additions
from lib.ui.keys import CurateKeys as K


def new_countries() -> list[dict[str, Any]]:
    """The countries added on the page, not saved yet."""
    return st.session_state.setdefault(K.new_countries, [])


def new_places() -> list[dict[str, Any]]:
    """The places added on the page, not saved yet."""
    return st.session_state.setdefault(K.new_places, [])


def _errors(problems: list[DataProblem]) -> bool:
    for p in problems:
        (st.error if p.is_error else st.warning)(escape_markdown(str(p)))
    return any(p.is_error for p in problems)


def country_form(ds: Dataset) -> None:
    """Add a country by its ISO 3166-1 alpha-3 code (checked with pycountry)."""
    with st.expander("Add a missing country"), st.form(K.country_form):
        left, right = st.columns(2)
        iso3 = left.text_input("ISO-3 code (e.g. CHN)")
        name = right.text_input("Name (blank: the ISO short name)")
        region = left.selectbox("Region", additions.REGIONS)
        capital = right.text_input("Capital (optional)")
        aliases = left.text_input("Aliases, comma-separated")
        demonyms = right.text_input("Demonyms, comma-separated")
        if st.form_submit_button("Add country"):
            record = additions.country_record(iso3=iso3, name=name, region=region or "", capital=capital,
                                              aliases=aliases.split(","), demonyms=demonyms.split(","))  # fmt: skip
            if not _errors(additions.country_problems(record, ds, [c["iso3"] for c in new_countries()])):
                st.session_state[K.new_countries] = [*new_countries(), record]
                outline = "with its outline on the map" if additions.has_outline(record["iso3"]) else "no map outline"
                st.success(f"Added {escape_markdown(record['name'])} ({outline}): it is saved with the events.")


def place_form(ds: Dataset) -> None:
    """Find a town in the gazetteer, in one country or in every country, and add it."""
    with st.expander("Add a place (any country, from the offline gazetteer)"):
        with st.form(K.place_search):
            left, right = st.columns(2)
            name = left.text_input("Town name")
            known = {**{c.iso3: c.name for c in ds.countries.values()}, **{c["iso3"]: c["name"] for c in new_countries()}}
            codes = {**known, **{k: v for k, v in additions.iso_countries().items() if k not in known}}
            country = right.selectbox("Country (blank: search every country)", list(codes), index=None,
                                      format_func=lambda c: f"{codes[c]} ({c})", placeholder="Every country")  # fmt: skip
            if st.form_submit_button("Find") and name.strip():
                st.session_state[K.place_hits] = [additions.place_record(h) for h in
                                                  additions.place_candidates(name, country)[:10]]  # fmt: skip
        for message in st.session_state.pop(K.place_problems, []):
            st.error(escape_markdown(message))
        hits = st.session_state.get(K.place_hits)
        if hits == []:
            st.info("No GeoNames place of 500+ people by that name there.")
        for i, record in enumerate(hits or []):
            line = f"{record['name']} ({record['country']}), GeoNames {record['geonameid']}, {record['lat']}, {record['lon']}"
            cols = st.columns([4, 1])
            cols[0].markdown(escape_markdown(line))
            cols[1].button("Add", key=K.button("add_place", i), on_click=_add_place, args=(record, ds))


def _add_place(record: dict[str, Any], ds: Dataset) -> None:
    taken = {p["id"] for p in new_places()}
    if record["id"] in ds.places or record["id"] in taken:
        record = {**record, "id": f"{record['id']}-{record['country'].lower()}"}
    problems = additions.place_problems(record, ds, [c["iso3"] for c in new_countries()], taken)
    if any(p.is_error for p in problems):
        st.session_state[K.place_problems] = [str(p) for p in problems if p.is_error]
        return
    st.session_state[K.new_places] = [*new_places(), record]
    st.session_state[K.place_hits] = None


def period_form(ds: Dataset, save: Callable[[list[dict[str, Any]]], list[DataProblem] | None]) -> None:
    """Add a period and save it at once through `save` (the page's checked, atomic save)."""
    with st.expander("Add a period"), st.form(K.period_form):
        left, right = st.columns(2)
        period_id = left.text_input("Id (lower-case slug, e.g. taliban-government-2021)")
        label = right.text_input("Label")
        start = left.text_input("Start (YYYY-MM-DD)")
        end = right.text_input("End (YYYY-MM-DD)")
        description = st.text_area("Description", height=80)
        if st.form_submit_button("Save the period"):
            record = additions.period_record(id=period_id, label=label, start=start, end=end, description=description)
            if not _errors(additions.period_problems(record, ds.periods, f"{ds.data_dir.name}/periods.yaml")):
                problems = save([record])
                if problems:
                    _errors(problems)
                else:
                    st.session_state[K.message] = f"Saved the period {record['label']}."
                    st.rerun()
