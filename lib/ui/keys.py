"""Every st.session_state key the app uses, in one place."""

from __future__ import annotations


class Keys:
    """Every st.session_state key the app uses, in one place."""

    countries = "filter_countries"
    years = "filter_years"
    actors = "filter_actors"
    types = "filter_types"
    url_applied = "filters_from_url_applied"
    url_notes = "filters_url_notes"
    selected_country = "map_selected_country"
    page_notes = "page_choice_notes"
    event_search = "events_search"
    event_pick = "events_pick"
    event_table = "events_table"
    map_chart = "map_chart"
    map_event_pick = "map_event_pick"
    timeline_chart = "timeline_chart"
    stance_chart = "stance_chart"
    run_view = "view_of_this_run"

    @staticmethod
    def page_choice(key: str) -> str:
        """The widget key of a page choice kept in the URL (`rows`, `target`, `dir`, `metric`)."""
        return f"page_{key}"

    @staticmethod
    def page_choice_kept(key: str) -> str:
        """Where a page choice survives while its page is not shown (Streamlit drops unrendered widgets)."""
        return f"page_{key}_kept"


class ExportKeys:
    """st.session_state keys of the export helpers."""

    briefing = "briefing_pack"
