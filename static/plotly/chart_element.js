// The dashboard's chart element (lib/ui/chart_element.py): one figure drawn by the shipped partial plotly.js
// (plotly-charts.min.js beside this file), loaded once per page from the app's own server. Sent inline to
// Streamlit's components v2; each new `data` (a rerun that changed the figure) redraws with Plotly.react.
const bundles = new Map();

function plotly(url) {
  if (!bundles.has(url)) {
    // A failed load is forgotten, so the next chart (or the next run) asks again instead of staying blank for good.
    bundles.set(url, import(url).then((module) => module.default, (error) => { bundles.delete(url); throw error; }));
  }
  return bundles.get(url);
}

function showFailure(box, error) {
  box.textContent = "This chart could not be drawn: its plotly.js did not load (" + error + "). Reload the page.";
  box.setAttribute("role", "alert");
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
// plotly.js has drawn it (a bundle already loaded draws at once): draw it again at its box's size whenever that
// changes (once per chart box).
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
  const url = new URL(data.bundle, document.baseURI).href;
  const bundle = plotly(url);
  let box = parentElement.querySelector(":scope > .dashboard-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "dashboard-chart";
    box.dataset.testid = "dashboardChart";
    box.style.width = "100%";
    parentElement.appendChild(box);
  }
  if (box.getAttribute("role") === "alert") box.textContent = ""; // a failed load's message, before a new try
  box.setAttribute("role", "figure");
  box.setAttribute("aria-label", data.alt || "");
  box.style.height = data.stretch ? "100%" : "";
  const spec = JSON.parse(data.spec);
  spec.layout = spec.layout || {};
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
    })
    .catch((error) => showFailure(box, error));
  // Streamlit calls this when the element goes (or before it draws new data): a chart no longer in the page frees its
  // plot, its resize listeners and its observer, which would otherwise live as long as the page.
  return () => plotly(url).then((Plotly) => {
    if (box.isConnected) return;
    if (box.__dashboardFit) box.__dashboardFit.disconnect();
    box.__dashboardFit = box.__dashboardSelect = null;
    Plotly.purge(box);
  }, () => {});
}
