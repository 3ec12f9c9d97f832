"""Streamlit glue, the only part of lib/ that imports streamlit, one job per module:

- `keys`: every session-state key
- `cached`: the data folder, views, figures, overview parts and the events search, cached and shared across sessions
- `sidebar`: the shared filter sidebar and page choices, kept in the URL
- `messages`: the project's errors and the data-problems panel
- `render`: a page's opening, charts and one event with its sources
- `chart_element`: the element every dashboard chart is drawn by (the shipped partial plotly.js, static/plotly/)
- `key_numbers`: the overview's key numbers and their date span, one element
- `lists`: short lists where a page needs no data grid on first sight (the overview's articles, the map's events)
- `downloads`: chart, data and briefing-pack download buttons
- `sections`: a section's heading, caption and static table, one element
- `server`: once-per-process set-up (warm export browser, download grace patch)
- `names`: finding actors and countries by any of their names (sidebar box, search index)
- `builder`: building a briefing (add a view or an event, read when clicked; the editor, deck downloads)
- `drafts`: the briefing draft, kept in the URL across reloads and presented from it unsaved
- `present`: the presentation page (one briefing slide full-screen, keyboard navigation)
- `team`: the signed-in user (OIDC or a trusted proxy's header) and their roles from team.yaml
- `history`: an event's history from git (who, when, which fields) and restoring an earlier version
- `curate`: the Curate page, only in curation mode (the article form, drafts, saving through lib.model.store)

Pages use `from lib import ui` and the names re-exported here.
"""

from lib.ui.builder import add_event_button, add_view_button, deck_downloads, editor
from lib.ui.cached import (
                           Loaded,
                           View,
                           current_view,
                           event_listing,
                           figure,
                           folded_figure,
                           load,
                           overview_parts,
                           run_loaded,
                           search_events,
                           share_view,
                           stance_targets,
)
from lib.ui.coverage import show_coverage
from lib.ui.curate import CURATE_PATH, curate_page, curate_pages
from lib.ui.downloads import briefing_button, chart_downloads, data_downloads
from lib.ui.drafts import with_url_draft
from lib.ui.history import event_history
from lib.ui.key_numbers import show_key_numbers
from lib.ui.keys import ExportKeys, Keys
from lib.ui.lists import EVENT_TABLE_COLUMNS, show_articles, show_latest_events, table_on_demand
from lib.ui.messages import show_error, show_problems
from lib.ui.names import name_index
from lib.ui.present import PRESENT_PATH, present, presenting
from lib.ui.render import (
                           PICKER_LIMIT,
                           event_picker,
                           fit_css,
                           no_events,
                           page_heading,
                           page_map,
                           page_start,
                           show_chart,
                           show_event,
)
from lib.ui.sections import show_section
from lib.ui.server import keep_downloads, refuse_exposed_curation, warm_drafter, warm_exports
from lib.ui.sidebar import apply_url_filters, page_choice, reset_filters, sidebar_filters
from lib.ui.team import can, sign_in_gate, signed_in_user, user_badge

__all__ = [
                           "CURATE_PATH",
                           "EVENT_TABLE_COLUMNS",
                           "PICKER_LIMIT",
                           "PRESENT_PATH",
                           "ExportKeys",
                           "Keys",
                           "Loaded",
                           "View",
                           "add_event_button",
                           "add_view_button",
                           "apply_url_filters",
                           "briefing_button",
                           "can",
                           "chart_downloads",
                           "curate_page",
                           "curate_pages",
                           "current_view",
                           "data_downloads",
                           "deck_downloads",
                           "editor",
                           "event_history",
                           "event_listing",
                           "event_picker",
                           "figure",
                           "fit_css",
                           "folded_figure",
                           "keep_downloads",
                           "load",
                           "name_index",
                           "no_events",
                           "overview_parts",
                           "page_choice",
                           "page_heading",
                           "page_map",
                           "page_start",
                           "present",
                           "presenting",
                           "refuse_exposed_curation",
                           "reset_filters",
                           "run_loaded",
                           "search_events",
                           "share_view",
                           "show_articles",
                           "show_chart",
                           "show_coverage",
                           "show_error",
                           "show_event",
                           "show_key_numbers",
                           "show_latest_events",
                           "show_problems",
                           "show_section",
                           "sidebar_filters",
                           "sign_in_gate",
                           "signed_in_user",
                           "stance_targets",
                           "table_on_demand",
                           "user_badge",
                           "warm_drafter",
                           "warm_exports",
                           "with_url_draft",
]
