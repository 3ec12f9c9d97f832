// The dashboard's plotly.js: the core (which carries scatter) and only the trace types lib/views draws.
// Built by scripts/build_plotly_bundle.sh into static/plotly/; tests/test_plotly_bundle.py checks the list.
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
import heatmap from 'plotly.js/lib/heatmap';
import choropleth from 'plotly.js/lib/choropleth';
import scattergeo from 'plotly.js/lib/scattergeo';

Plotly.register([bar, heatmap, choropleth, scattergeo]);

export default Plotly;
