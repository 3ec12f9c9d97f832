"""Finding actors and countries by any of their names in the sidebar ("Taleban", "Nazarbayev", "Astana")."""

from __future__ import annotations

import streamlit as st

from lib.model.names import NameIndex
from lib.ui.cached import Loaded
from lib.ui.keys import Keys


@st.cache_resource(max_entries=4, show_spinner=False)
def _index(records: str, _loaded: Loaded) -> NameIndex:
    return NameIndex(_loaded.dataset.actors, _loaded.dataset.countries)


def name_index(loaded: Loaded) -> NameIndex:
    """Every name of the loaded actors and countries, built once per version of those records."""
    ds = loaded.dataset
    records = repr((sorted(a.model_dump_json() for a in ds.actors.values()),
                    sorted(c.model_dump_json() for c in ds.countries.values())))  # fmt: skip
    return _index(records, loaded)


def find_by_name(loaded: Loaded) -> None:
    """A sidebar box: a name in any spelling adds the actors it names to the actor filter, or, when it
    names no actor, the countries it names to the country filter; a caption says what was added."""

    def apply() -> None:
        text = st.session_state.get(Keys.name_search, "").strip()
        if not text:
            return
        actors, countries = name_index(loaded).match_query(text)
        options = loaded.options
        actors = [a for a in options.actors if a in actors]
        countries = [c for c in options.countries if c in countries]
        if actors:
            chosen = list(st.session_state.get(Keys.actors, []))
            st.session_state[Keys.actors] = chosen + [a for a in actors if a not in chosen]
            names = ", ".join(options.actors[a] for a in actors)
            st.session_state[Keys.name_search_note] = f"“{text}”: actor filter now includes {names}."
        elif countries:
            chosen = list(st.session_state.get(Keys.countries, []))
            st.session_state[Keys.countries] = chosen + [c for c in countries if c not in chosen]
            names = ", ".join(options.countries[c] for c in countries)
            st.session_state[Keys.name_search_note] = f"“{text}”: country filter now includes {names}."
        else:
            st.session_state[Keys.name_search_note] = f"“{text}” is not a name of any actor or country in the data."
        st.session_state[Keys.name_search] = ""

    st.text_input(
        "Find an actor or country by any name",
        key=Keys.name_search,
        on_change=apply,
        placeholder="e.g. Taleban, Nazarbayev, Astana",
        help="Names, other spellings, demonyms and capitals all work; press Enter to add it to the filters.",
    )
    note = st.session_state.pop(Keys.name_search_note, None)
    if note:
        from lib.model.filters import escape_markdown

        st.caption(escape_markdown(note))
