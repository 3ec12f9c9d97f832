"""Briefing dashboard library: schema, loading, filters, charts and exports (no Streamlit here)."""
