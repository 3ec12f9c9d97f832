// The dashboard's chart element (lib/ui/chart_element.py): one figure drawn by the shipped partial plotly.js
// (plotly-charts.min.js beside this file), loaded once per page from the app's own server. Sent inline to
// Streamlit's components v2; each new `data` (a rerun that changed the figure) redraws with Plotly.react. The same
// code is the preload element (`preload_charts`, data.preload), sent first in a run: it only starts the bundle's load.
const bundles = new Map();

function plotly(url) {
  if (!bundles.has(url)) bundles.set(url, import(url).then((module) => module.default));
  return bundles.get(url);
}

// A selected or clicked point as Streamlit's plotly_chart reports it (selection.points), so pages read both alike.
function point(p) {
  const out = { curve_number: p.curveNumber, point_number: p.pointNumber, point_index: p.pointIndex };
  for (const name of ["x", "y", "z", "lat", "lon", "location", "customdata", "text", "hovertext"]) {
    if (p[name] !== undefined) out[name] = p[name];
  }
  if (Array.isArray(p.pointNumbers)) out.point_numbers = p.pointNumbers;
  return out;
}

// A stretched chart takes its height from the page's style element (lib/ui/render.py fit_css), which can arrive after
// the preloaded plotly.js has drawn it: draw it again at its box's size whenever that changes (once per chart box).
function keepFitted(Plotly, gd) {
  if (gd.__dashboardFit) return;
  gd.__dashboardFit = new ResizeObserver(() => {
    const drawn = gd._fullLayout;
    if (drawn && (Math.abs(drawn.height - gd.clientHeight) > 1 || Math.abs(drawn.width - gd.clientWidth) > 1)) {
      Plotly.Plots.resize(gd);
    }
  });
  gd.__dashboardFit.observe(gd);
}

export default function chartElement({ data, parentElement, setStateValue }) {
  const bundle = plotly(new URL(data.bundle, document.baseURI).href);
  if (data.preload) return;
  let box = parentElement.querySelector(":scope > .dashboard-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "dashboard-chart";
    box.dataset.testid = "dashboardChart";
    box.style.width = "100%";
    parentElement.appendChild(box);
  }
  box.setAttribute("role", "figure");
  box.setAttribute("aria-label", data.alt || "");
  box.style.height = data.stretch ? "100%" : "";
  const spec = JSON.parse(data.spec);
  if (data.stretch) spec.layout.height = undefined;
  if (data.select) spec.layout.clickmode = spec.layout.clickmode || "event+select"; // a click selects, as in Streamlit
  const config = { responsive: true, ...data.config };
  bundle
    .then((Plotly) => Plotly.react(box, spec.data, spec.layout, config).then((gd) => {
      if (data.stretch) keepFitted(Plotly, gd);
      return gd;
    }))
    .then((gd) => {
      if (!data.select || gd.__dashboardSelect) return;
      gd.__dashboardSelect = true;
      const send = (event) => setStateValue("selection", { points: event && event.points ? event.points.map(point) : [] });
      gd.on("plotly_selected", send);
      gd.on("plotly_deselect", () => send(null));
    });
}
