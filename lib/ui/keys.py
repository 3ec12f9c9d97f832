"""Every st.session_state key the app uses, in one place."""

from __future__ import annotations


class Keys:
    """Every st.session_state key the app uses, in one place."""

    countries = "filter_countries"
    years = "filter_years"
    actors = "filter_actors"
    types = "filter_types"
    reviewed = "filter_reviewed"
    url_applied = "filters_from_url_applied"
    url_notes = "filters_url_notes"
    reset_filters = "filters_reset"
    selected_country = "map_selected_country"
    page_notes = "page_choice_notes"
    event_search = "events_search"
    event_pick = "events_pick"
    event_table = "events_table"
    map_chart = "map_chart"
    map_event_pick = "map_event_pick"
    timeline_chart = "timeline_chart"
    stance_chart = "stance_chart"
    timeline_pick = "timeline_pick"
    stance_pick = "stance_pick"
    run_view = "view_of_this_run"
    run_data = "data_of_this_run"
    view_rows = "rows_of_the_views_shown_last"
    name_search = "filter_find_by_name"
    name_search_note = "filter_find_by_name_note"
    briefing_draft = "briefing_draft"
    draft_url_note = "briefing_draft_url_note"
    room_seen = "present_room_seen"

    @staticmethod
    def picker_search(key: str) -> str:
        """The search box in front of the event chooser keyed `key` when its chart has too many events for one box."""
        return f"{key}_find"

    @staticmethod
    def page_choice(key: str) -> str:
        """The widget key of a page choice kept in the URL (`rows`, `target`, `dir`, `metric`)."""
        return f"page_{key}"

    @staticmethod
    def page_choice_kept(key: str) -> str:
        """Where a page choice survives while its page is not shown (Streamlit drops unrendered widgets)."""
        return f"page_{key}_kept"


class CurateKeys:
    """st.session_state keys of the Curate page (curation mode)."""

    seen = "curate_seen_state"
    upload = "curate_upload"
    upload_note = "curate_upload_note"
    article_form = "curate_article_form"
    article = "curate_article"
    proposals = "curate_proposals"
    editing = "curate_editing"
    notice = "curate_notice"
    new_actors = "curate_new_actors"
    actor_form = "curate_actor_form"
    fixing = "curate_fixing"
    fix_form = "curate_fix_form"
    save = "curate_save"
    save_problems = "curate_save_problems"
    reload = "curate_reload"
    add_event = "curate_add_event"
    message = "curate_message"
    history_note = "curate_history_note"
    review_fixing = "curate_review_fixing"
    review_form = "curate_review_form"
    new_countries = "curate_new_countries"
    new_places = "curate_new_places"
    country_form = "curate_country_form"
    place_search = "curate_place_search"
    place_hits = "curate_place_hits"
    place_problems = "curate_place_problems"
    period_form = "curate_period_form"

    @staticmethod
    def field(name: str) -> str:
        """An article form field (`title`, `body`, …)."""
        return f"curate_article_{name}"

    @staticmethod
    def button(name: str, index: int | str) -> str:
        """A per-proposal or per-event control (`accept`, `edit`, `fix`, …)."""
        return f"curate_{name}_{index}"


class ExportKeys:
    """st.session_state keys of the export helpers."""

    briefing = "briefing_pack"
