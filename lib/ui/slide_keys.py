"""The presentation's keyboard: one small offline component (inline JS, no iframe, no CDN) that counts every press
(a key, a click on an on-screen button or in the presenter's slide list, Back or Forward in the browser).

It listens on the page from the moment it is drawn, and it draws the "Slide k of n" counter itself, so no
counter is ever on screen before the keys work. A press is sent to the server as "press number q of this
window: step from slide k", where k is the slide the window shows when the key goes down, counting the presses
not yet answered: ten presses during one change move ten slides, and a press that arrives while a run is busy
is folded into the next (each message carries the whole cursor, so a lost intermediate message loses no press).
The server applies a press through lib.ui.rooms.press, once and in order (a number it has seen or passed moves
nothing), and tells the window the last number it applied; a press the server has not applied once the app is
idle again (its message, or the callback answering it, cut off by another run) is sent again, as it was. B or '.' blanks the
screen and Escape brings it back, as presentation software does; that is drawn in the browser alone. The same
script fits the slide to the window (the chart takes the height left; an event's text the largest type that
fits), so no slide scrolls at any screen size. In the presenter's window it counts the time elapsed beside the
counter, every second in the browser (no script run for it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st

KEY = "present_keys_handler"
MIN_SCALE, MAX_SCALE = 0.75, 2.5  # the screen's size against the design screen's (1280x720), as charts use it
# An event's text is fitted up to this share of the slide heading's type (its quotes, 1.12 times the text, stay under it)
HEADING_SHARE = 0.8
BELL_MS = 100  # how often a window reads its room's doorbell (lib.ui.rooms.ring): one small static file
WINDOW = "present_keys_window"  # the window id its presses carry: the server's answer names the last one applied
# Keys a presenter clicker or keyboard sends, and their step. "first"/"last" jump; "end" is after the last slide.
STEPS: dict[str, int | str] = {"ArrowRight": 1, "PageDown": 1, "ArrowDown": 1, " ": 1, "ArrowLeft": -1,
                               "PageUp": -1, "ArrowUp": -1, "Home": "first", "End": "last"}  # fmt: skip
BLANK_KEYS = ("b", "B", ".")
# The on-screen buttons the component answers as presses (by their Streamlit key), and their step; the presenter's
# slide list (keys presenter_goto_<n>) presses "to slide n".
BUTTONS: dict[str, int | str] = {"present_first": "first", "present_prev": -1, "present_next": 1, "present_last": "last"}

JS = ("""
const MIN_SCALE = %s, MAX_SCALE = %s, HEADING_SHARE = %s;
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  const w = window;
  const s = w.__slideKeys || (w.__slideKeys = { seq: 0, cursor: null, bound: false, acked: 0,
    window: [...crypto.getRandomValues(new Uint32Array(2))].map((n) => n.toString(36)).join("") });
  s.send = setTriggerValue;
  s.el = parentElement;
  s.count = data.count;
  s.steps = data.steps;
  s.blankKeys = data.blank_keys;
  s.buttons = data.buttons;
  s.version = data.version;  // the room's version this run drew
  s.bell = data.bell ? new URL(data.bell, location.href).href : null;
  s.last = data.last;
  // The chart text the server draws is sized for this screen: tell it the screen's scale against the design
  // screen (1280x720) when it differs from the one the slide was drawn for (once per change: one more run).
  s.drawnScale = data.scale;
  s.setState = component.setStateValue;
  s.report = () => {
    const k = Math.round(20 * Math.max(MIN_SCALE, Math.min(MAX_SCALE, window.innerWidth / 1280,
                                                            window.innerHeight / 720))) / 20;
    if (k !== s.drawnScale && k !== s.reported) { s.reported = k; s.setState("scale", k); }
  };
  s.report();
  // The server answered every press sent so far: the slide it shows is where the next press starts.
  s.acked = Math.max(s.acked, data.ack);
  if (s.cursor === null || data.ack >= s.seq) { s.cursor = data.slide; }
  let label = parentElement.querySelector("p.slide-counter");
  if (!label) {
    label = document.createElement("p");
    label.className = "slide-counter";
    label.setAttribute("aria-live", "polite");
    parentElement.appendChild(label);
  }
  const title = document.createElement("strong");
  title.textContent = data.title;
  label.replaceChildren(title, document.createTextNode(" · " + data.counter));
  // The presenter's clock: the room's start (server time) against the server's clock as this run read it, counted
  // here every second (a script run per second held up the follow, round 10).
  clearInterval(s.clockTimer);
  let clock = parentElement.querySelector("p.slide-clock");
  if (data.clock !== null && data.clock !== undefined) {
    if (!clock) {
      clock = document.createElement("p");
      clock.className = "slide-clock";  // beside the counter, whose label keeps the counter as its last words
      parentElement.style.display = "flex";
      parentElement.appendChild(clock);
    }
    const skew = data.now - Date.now() / 1000;
    const tick = () => {
      const t = Math.max(0, Math.floor(Date.now() / 1000 + skew - data.clock));
      const mm = String(Math.floor(t / 60) %% 60).padStart(2, "0"), ss = String(t %% 60).padStart(2, "0");
      clock.textContent = `\u00a0· ${Math.floor(t / 3600)}:${mm}:${ss} elapsed`;
    };
    tick();
    s.clockTimer = setInterval(tick, 1000);
  } else if (clock) { clock.remove(); }
  const blank = () => document.getElementById("slide-blank");
  const setBlank = (on) => {
    let b = blank();
    if (on && !b) {
      b = document.createElement("div");
      b.id = "slide-blank";
      b.setAttribute("data-testid", "slide-blank");
      b.style.cssText = "position:fixed;inset:0;background:#000;z-index:2147483647;cursor:none";
      document.body.appendChild(b);
    } else if (!on && b) { b.remove(); }
  };
  if (!s.fitting) {
    // Fit the slide to the window: a chart box (or an event's spotlight) takes the height left below it, an
    // event's text takes the largest type that fits. Re-fitted whenever the page's content or size changes.
    s.fitting = true;
    const FILL = ".st-key-present_chart, .st-key-present_spot";
    const TEXT = ".st-key-present_event";
    const SIDE = ".st-key-presenter_side";
    // the presenter's window keeps a little more room: its main pane scrolls (the audience's hides its overflow)
    const bottomOf = () => window.innerHeight - (document.querySelector(".st-key-presenter_now") ? 16 : 5);
    // A box still holding the slide before (Streamlit marks its elements stale until the run replaces them) is left
    // alone: resizing it made plotly.js redraw the old chart, once or twice, during every change.
    const stale = (box) => box.querySelector("[data-stale=true]") !== null;
    const busy = () => {
      const app = document.querySelector("[data-testid=stApp]");
      const state = app && app.dataset.testScriptState;
      return !!state && state !== "notRunning";
    };
    // The chart boxes, sized as soon as they are in the page (in the mutation's callback, before plotly.js draws
    // into them): sized a frame later, a new chart was drawn at the stylesheet's height, then again at this one.
    const fill = () => {
      if (!s.el || !s.el.isConnected) { return; }
      const bottom = bottomOf();
      document.querySelectorAll(FILL).forEach((box) => {
        if (stale(box)) { return; }
        const h = Math.max(160, Math.floor(bottom - box.getBoundingClientRect().top));
        if (box.style.getPropertyValue("height") !== h + "px") { box.style.setProperty("height", h + "px", "important"); }
      });
    };
    const fit = () => {
      s.queued = false;
      if (!s.el || !s.el.isConnected) { return; }
      const bottom = bottomOf();
      fill();
      // Text is fitted once a run has drawn it all: fitted while its pieces arrive, a change did the search (a
      // forced layout of the page per step) again for every piece, up to a second of the window's main thread
      // per event slide on a loaded machine (round 13), in both windows at once.
      if (busy()) { return; }
      document.querySelectorAll(TEXT).forEach((box) => {
        if (stale(box)) { return; }
        // Fitted already for this place, window and text: nothing to do.
        const top = box.getBoundingClientRect().top;
        const sign = [Math.round(top), window.innerWidth, window.innerHeight, box.textContent.length].join();
        // The box may be stretched to its row: measure where its last piece of text ends.
        const end = () => Math.max(...[...box.querySelectorAll("p, li, blockquote, a")].map(
          (e) => e.getBoundingClientRect().bottom), 0);
        if (box.dataset.fitted === sign && end() <= bottom) { return; }
        // Never as large as the slide's heading: fitted to the height alone, a short event's text outgrew it and its
        // first line (the date, in bold) read as the heading's second line. A quote is 1.12 times the box's type.
        const heading = document.querySelector(".st-key-present_heading h1");
        const above = heading ? parseFloat(getComputedStyle(heading).fontSize) || 48 : 48;
        const most = Math.max(14, Math.min(48, window.innerHeight / 17, HEADING_SHARE * above));
        const fits = (size) => { box.style.fontSize = size + "px"; return end() <= bottom; };
        // Wrapped text grows about as the square of its size: one look at the current size gives a close first
        // guess, and a short search near it the largest size that fits (a search over all sizes took ten looks).
        const now = parseFloat(getComputedStyle(box).fontSize) || 16;
        const guess = Math.max(9, Math.min(most, now * Math.sqrt(Math.max(1, bottom - top) / Math.max(1, end() - top))));
        let lo = 9, hi = most, best = 9;
        if (fits(guess)) { lo = best = guess; hi = Math.min(most, guess * 1.1); } else { hi = guess; lo = Math.max(9, guess * 0.9); }
        if (best !== lo) { if (fits(lo)) { best = lo; } else { lo = 9; } }
        for (let i = 0; i < (lo === 9 && best === 9 ? 8 : 4); i++) {
          const mid = (lo + hi) / 2;
          if (fits(mid)) { best = mid; lo = mid; } else { hi = mid; }
        }
        box.style.fontSize = best.toFixed(1) + "px";
        for (let i = 0; i < 12 && end() > bottom && best > 9; i++) {  // wrapping is not monotonic: step down
          best *= 0.95;
          box.style.fontSize = best.toFixed(1) + "px";
        }
        box.dataset.fitted = sign;
      });
      // The presenter's side column: the notes take the largest type (up to 1.35rem, or a 40th of the window's
      // height on a large screen) at which everything in the column ends on the screen; notes too long even at
      // 13 px scroll inside their own box. What the open slide list's own box hides is not counted.
      document.querySelectorAll(SIDE).forEach((side) => {
        const notes = side.querySelector(".st-key-presenter_notes");
        if (!notes) { return; }
        const shown = (e) => e.getClientRects().length && !e.closest("details:not([open]) > :not(summary)");
        const clipped = (e) => {
          const box = e.closest(".st-key-presenter_list");
          const bottom = e.getBoundingClientRect().bottom;
          return box ? Math.min(bottom, box.getBoundingClientRect().bottom) : bottom;
        };
        const end = () => Math.max(...[...side.querySelectorAll("p, button, a, summary")].filter(shown).map(clipped), 0);
        const sign = [Math.round(side.getBoundingClientRect().top), window.innerWidth, window.innerHeight,
                      notes.textContent.length, side.querySelectorAll("details[open]").length].join();
        if (notes.dataset.fitted === sign && end() <= bottom) { return; }
        notes.style.maxHeight = "";
        let lo = 13, hi = Math.max(21.6, window.innerHeight / 40), best = lo;
        for (let i = 0; i < 6; i++) {  // to a seventh of a pixel
          const mid = (lo + hi) / 2;
          notes.style.setProperty("--notes-size", mid + "px");
          if (end() <= bottom) { best = mid; lo = mid; } else { hi = mid; }
        }
        notes.style.setProperty("--notes-size", best.toFixed(1) + "px");
        if (end() > bottom) {
          const room = notes.getBoundingClientRect().height - (end() - bottom);
          notes.style.maxHeight = Math.max(40, Math.floor(room)) + "px";
        }
        notes.dataset.fitted = sign;
      });
    };
    const later = () => { if (!s.queued) { s.queued = true; requestAnimationFrame(fit); } };
    new MutationObserver(() => { fill(); later(); }).observe(document.body, { childList: true, subtree: true,
                                                                      characterData: true });
    window.addEventListener("resize", () => { later(); clearTimeout(s.resized); s.resized = setTimeout(() => s.report(), 300); });
    // the end of a run: the text drawn in it is fitted now (fit() leaves it alone while a run is in progress)
    new MutationObserver(later).observe(document.body, { subtree: true, attributes: true,
                                                         attributeFilter: ["data-test-script-state"] });
    document.fonts.ready.then(later);
    setInterval(later, 400);  // what moves the box without a DOM change (a font, an icon, a chart's layout)
    s.fit = later;
  }
  s.fit();
  if (!s.bound) {
    s.bound = true;
    // One press: a step ("first", "last", +1, -1) or {to: n}, from the slide this window shows (counting the
    // presses not yet answered), numbered and sent; the same for a key, an on-screen button or the slide list.
    s.press = (step) => {
      const from = s.cursor;
      // s.last + 1 is the end screen, after the last slide; Escape there goes back to the last slide.
      const to = typeof step === "object" ? Math.min(s.last + 1, Math.max(1, step.to))
        : step === "first" ? 1 : step === "last" ? s.last : Math.min(s.last + 1, Math.max(1, from + step));
      if (to === from) { return; }
      s.cursor = to;
      s.seq += 1;
      s.pending = typeof step === "object" ? { window: s.window, seq: s.seq, from: from, step: "to", to: to }
        : { window: s.window, seq: s.seq, from: from, step: step };
      s.sentAt = performance.now();
      s.wait = 1000;
      s.send("press", s.pending);
    };
    // The on-screen buttons (drawn by Streamlit, keyed present_first ... present_last, presenter_goto_<n>) are
    // answered here, before Streamlit sees the click: a click is a numbered press like a key, never lost or doubled.
    document.addEventListener("click", (e) => {
      if (!s.el || !s.el.isConnected || !e.target || !e.target.closest) { return; }
      const button = e.target.closest("button");
      const box = button && button.closest("[class*='st-key-present'], [class*='st-key-presenter_goto_']");
      if (!box || button.disabled) { return; }
      const key = [...box.classList].find((c) => c.startsWith("st-key-")).slice(7);
      const step = key in s.buttons ? s.buttons[key]
        : key.startsWith("presenter_goto_") ? { to: parseInt(key.slice(15), 10) } : undefined;
      if (step === undefined) { return; }
      e.preventDefault();
      e.stopPropagation();
      e.stopImmediatePropagation();
      s.press(step);
    }, true);
    // Back and Forward inside the presentation: the address's slide (each move wrote one) is a press "to" it, so
    // the room follows history as it follows a key (else the room's slide would take the window back at once).
    window.addEventListener("popstate", () => {
      if (!s.el || !s.el.isConnected) { return; }
      const raw = new URLSearchParams(location.search).get("slide");
      const to = raw === "end" ? s.last + 1 : /^[0-9]+$/.test(raw || "") ? parseInt(raw, 10) : NaN;
      if (to >= 1 && to !== s.cursor) { s.press({ to: to }); }
    });
    document.addEventListener("keydown", (e) => {
      if (!s.el || !s.el.isConnected) { return; }  // the presentation page is gone
      if (e.ctrlKey || e.altKey || e.metaKey) { return; }
      const t = e.target;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) { return; }
      if (s.blankKeys.includes(e.key)) { e.preventDefault(); setBlank(!blank()); return; }
      if (e.key === "Escape" && blank()) { e.preventDefault(); setBlank(false); return; }
      const step = e.key === "Escape" ? (s.cursor > s.last ? -1 : undefined) : s.steps[e.key];
      if (step === undefined) { return; }
      e.preventDefault();
      e.stopPropagation();
      s.press(step);
    }, true);
    // The doorbell: the room's version, a tiny static file the app's server writes on every move. When it is
    // newer than the one this window drew (and the window is idle, with no press of its own on the way), one
    // full run shows the room's slide: no script run per look, and no wait for the room-polling fragment.
    setInterval(async () => {
      if (!s.bell || s.ringing || !s.el || !s.el.isConnected) { return; }
      if (s.pending && s.acked < s.pending.seq) { return; }
      const app = document.querySelector("[data-testid=stApp]");
      const state = app && app.dataset.testScriptState;
      if (state && state !== "notRunning") { return; }
      s.ringing = true;
      try {
        const answer = await fetch(s.bell, { cache: "no-store" });
        const version = answer.ok ? parseInt(await answer.text(), 10) : NaN;
        // A run may have started while the read was on its way (the server wakes a window of its own room at
        // once, lib.ui.rooms.listen): a follow now would cut that run off and start it again.
        const now = app && app.dataset.testScriptState;
        if (version > s.version && version !== s.rang && (!now || now === "notRunning")) {
          s.rang = version;
          s.send("follow", version);
        }
      } catch (e) { /* no bell: the room-polling fragment still follows */ }
      finally { s.ringing = false; }
    }, %s);
    // A press not applied once the app is idle again was cut off on its way (the server applies a number once:
    // sending it again is safe): send it again, waiting longer each time.
    setInterval(() => {
      if (!s.pending || s.acked >= s.pending.seq || !s.el || !s.el.isConnected) { return; }
      const app = document.querySelector("[data-testid=stApp]");
      const state = app && app.dataset.testScriptState;
      if ((state && state !== "notRunning") || performance.now() - s.sentAt < s.wait) { return; }
      s.sentAt = performance.now();
      s.wait = Math.min(2 * s.wait, 8000);
      s.send("press", s.pending);
    }, 250);
  }
}
""" % (MIN_SCALE, MAX_SCALE, HEADING_SHARE, BELL_MS))

_component = st.components.v2.component("briefing_slide_keys", js=JS, isolate_styles=False)


def valid_window(window: Any) -> bool:
    """True for a window id the key component could have made (short, letters and digits)."""
    return isinstance(window, str) and 0 < len(window) <= 32 and window.isascii() and window.isalnum()


def target_of(press: Any, last: int) -> int | None:
    """The slide a press asks for ("step from slide k", or "to slide n"), kept within 1..last + 1 (the end screen
    after the last slide); None for a malformed press."""
    if not isinstance(press, dict):
        return None
    start, step = press.get("from"), press.get("step")
    if not isinstance(start, int) or isinstance(start, bool):
        return None
    if step == "first":
        return 1
    if step == "last":
        return last
    if step == "to":  # a slide chosen by number (the presenter's slide list, or the address's on Back/Forward)
        to = press.get("to")
        return to if isinstance(to, int) and not isinstance(to, bool) and 1 <= to <= last + 1 else None
    if step not in (1, -1):
        return None
    return min(last + 1, max(1, start + step))


def _pressed(last: int, apply: Callable[[str, int, int], object]) -> None:
    press = st.session_state[KEY].get("press")
    seq = press.get("seq") if isinstance(press, dict) else None
    window = press.get("window") if isinstance(press, dict) else None
    target = target_of(press, last)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1 or not valid_window(window) or target is None:
        return
    apply(window, seq, target)  # first: nothing before it that could cut the callback off
    st.session_state[WINDOW] = window


def window() -> str | None:
    """The id of this session's window as its last press named it (None before its first press)."""
    found = st.session_state.get(WINDOW)
    return found if valid_window(found) else None


def screen_scale() -> float:
    """The window's size against the design screen's (1280x720, the smaller of the two ratios), as the key
    component reported it (1.0 until it has): chart text on a slide is drawn at this scale."""
    state = st.session_state.get(KEY)
    try:
        reported = state.get("scale") if state is not None else None
    except AttributeError:
        return 1.0
    if isinstance(reported, bool) or not isinstance(reported, (int, float)) or not reported == reported:
        return 1.0
    return round(min(MAX_SCALE, max(MIN_SCALE, float(reported))) * 20) / 20


def slide_keys(title: str, counter: str, slide: int, last: int, ack: int,
               apply: Callable[[str, int, int], object], version: int = 0, bell: str | None = None,
               clock: float | None = None) -> None:  # fmt: skip
    """Draw the counter ("title · counter") and listen for slide keys; a press calls `apply(window, seq, target)`
    before the run, which must apply each (window, seq) once and never one older than the last applied.

    `slide` is the slide shown (last + 1 for the end screen); `last` the number of the last slide; `ack` the last
    press of this window applied, read with `slide` (the window counts from `slide` once every press is answered);
    `version` the room's version read with them, `bell` the address of the room's doorbell (lib.ui.rooms), which
    the window reads and answers with one run when the room has moved past `version`; `clock`, the time (epoch
    seconds, the server's clock) the presenter's clock counts from, shown after the counter and counted in the
    browser (None: no clock)."""
    _component(key=KEY, data={"title": title, "counter": counter, "slide": slide, "last": last, "count": last,
                              "ack": ack, "steps": STEPS, "blank_keys": list(BLANK_KEYS), "scale": screen_scale(), "buttons": BUTTONS, "version": version, "bell": bell,
                              "clock": clock, "now": time.time() if clock is not None else None},
               width="content", on_press_change=lambda: _pressed(last, apply), on_scale_change=lambda: None,
               on_follow_change=lambda: None)  # fmt: skip
