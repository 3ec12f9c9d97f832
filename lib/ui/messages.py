"""Showing the project's errors and data problems on a page: one place for `st.error` and the problems panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.errors import DashboardError, DataProblem
from lib.model.filters import escape_markdown
from lib.wording import count


def show_error(error: DashboardError) -> None:
    """Render the project's one error type: a title and what to do, never a traceback."""
    st.error(f"**{escape_markdown(error.title)}** — {escape_markdown(error.message)}")


def show_problems(problems: list[DataProblem]) -> None:
    """A "data problems" panel listing every rejected entry (file, record, field, reason)."""
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    parts = [count(errors, "entry") + " rejected"] if errors else []
    parts += [count(len(problems) - errors, "warning")] if len(problems) > errors else []
    with st.expander(f"⚠️ Data problems: {', '.join(parts)}", expanded=False):
        st.caption("The dashboard shows the valid events (a warning keeps its entry). Fix these in the data "
                   "folder, or run `python -m lib.validate` for the same list.")  # fmt: skip
        frame = pd.DataFrame(
            [{"file": p.file, "entry": p.record or "", "field": p.field or "", "kind": p.severity,
              "problem": p.message} for p in problems]  # fmt: skip
        )
        st.dataframe(frame, hide_index=True, width="stretch")
