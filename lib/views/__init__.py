"""What the pages draw: aggregates of the filtered events, Plotly figures and their style and palette, map
points, each chart's reader's table and description, the events search and an event's sources.

Imports `lib.model` and the shared pieces below it; never `lib.reading`, `lib.exports` or `lib.ui`.
"""
