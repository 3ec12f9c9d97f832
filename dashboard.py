"""Entry point: page config, navigation over app_pages/, and the one shared filter sidebar.

The page scripts live in app_pages/, not pages/: a folder named pages/ beside this script puts a
freshly started Streamlit server in its old file-based multipage mode, where a permalink opened
first (/map?country=TJK) runs the page alone, without this script, its sidebar or its filters.
"""

import streamlit as st

from lib import ui

# The page choices each page keeps in the URL besides the shared filters (see ui.page_choice).
PAGE_PARAMS = {"timeline": ("rows",), "stance": ("target", "dir"), "map": ("metric", "target", "layers")}

APP_TITLE = "Central Asia & the Taliban: briefing dashboard"
st.set_page_config(page_title=APP_TITLE, page_icon="🗺️", layout="wide")
ui.refuse_exposed_curation()  # curation mode beyond localhost without sign-in: a message, no page
ui.sign_in_gate()  # with sign-in configured (DASHBOARD_AUTH): a user on the team, or the run stops here

loaded = ui.load()
navigation = st.navigation(
    [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="home", default=True),
        # Streamlit serves the default page only at "/"; this hidden alias makes /overview?… permalinks work too.
        st.Page("app_pages/overview.py", title="Overview", url_path="overview", visibility="hidden"),
        st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page("app_pages/stance.py", title="Actor stance", icon=":material/swap_vert:", url_path="stance"),
        st.Page("app_pages/map.py", title="Regional map", icon=":material/map:", url_path="map"),
        st.Page("app_pages/events.py", title="Events and sources", icon=":material/article:", url_path="events"),
        st.Page("app_pages/briefings.py", title="Briefings", icon=":material/co_present:", url_path="briefings"),
        st.Page("app_pages/present.py", title="Present a briefing", icon=":material/slideshow:", url_path=ui.PRESENT_PATH),
        *ui.curate_pages(),  # only in curation mode (scripts/start.sh --curate): the one page that writes data
    ],
    position="hidden" if ui.presenting() else "sidebar",  # a presentation has no sidebar
)
st.set_page_config(page_title=f"{navigation.title} · {APP_TITLE}")  # each page its own browser title (WCAG 2.4.2)
ui.user_badge()
ui.warm_exports()
ui.warm_drafter(tuple(loaded.dataset.countries))
ui.keep_downloads()
if navigation.url_path in (ui.PRESENT_PATH, ui.CURATE_PATH):  # no filter sidebar, no briefing pack
    navigation.run()
    st.stop()
ui.apply_url_filters(loaded.options)  # a permalink's filters, before the page reads them
view = ui.current_view()


def sidebar() -> None:
    """The sidebar under the navigation: "Add this view" (in reach without scrolling at 720 px), the filters,
    the briefing pack."""
    with st.sidebar:
        ui.add_view_button(navigation.url_path)
    ui.sidebar_filters(loaded, keep=PAGE_PARAMS.get(navigation.url_path, ()))
    with st.sidebar:
        st.subheader("Briefing pack", anchor=False, divider="gray")  # one element, where a divider and a heading were two
        ui.briefing_button(view)


ui.show_problems(loaded.dataset.problems)
ui.share_view(view)
if view.events.empty:  # the page stops at its empty state (ui.page_start): the filters first, to change them
    sidebar()
    navigation.run()
else:
    # The page first, then the sidebar's widgets: a cold link's browser asks for the chart's code (4.7 MB) before
    # the widgets' 40 small chunks, not queued behind them (bench/RESULTS.md, issue 24 round 10). The sidebar is
    # drawn whatever the page does, so a page's error never drops the filters' state.
    try:
        navigation.run()
    finally:
        sidebar()
