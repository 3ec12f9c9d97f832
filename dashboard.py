"""Entry point: page config, navigation over pages/, and the one shared filter sidebar."""

import streamlit as st

from lib import ui

st.set_page_config(page_title="Central Asia & the Taliban: briefing dashboard", page_icon="🗺️", layout="wide")

loaded = ui.load()
navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon="📋", url_path="overview", default=True),
    ]
)
ui.sidebar_filters(loaded)
ui.show_problems(loaded.dataset.problems)
navigation.run()
