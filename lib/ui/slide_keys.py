"""The presentation's keyboard: one small offline component (inline JS, no iframe, no CDN) that counts every press.

It listens on the page from the moment it is drawn, and it draws the "Slide k of n" counter itself, so no
counter is ever on screen before the keys work. A press is sent to the server as "step from slide k", where
k is the slide the window shows when the key goes down, counting the presses not yet answered: ten presses
during one change move ten slides, and a press that arrives while a run is busy is folded into the next
(each message carries the whole cursor, so a lost intermediate message loses no press). B or '.' blanks the
screen and Escape brings it back, as presentation software does; that is drawn in the browser alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

KEY = "present_keys_handler"
ACK = "present_keys_acknowledged"
# Keys a presenter clicker or keyboard sends, and their step. "first"/"last" jump; "end" is after the last slide.
STEPS: dict[str, int | str] = {"ArrowRight": 1, "PageDown": 1, "ArrowDown": 1, " ": 1, "ArrowLeft": -1,
                               "PageUp": -1, "ArrowUp": -1, "Home": "first", "End": "last"}  # fmt: skip
BLANK_KEYS = ("b", "B", ".")

JS = """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  const w = window;
  const s = w.__slideKeys || (w.__slideKeys = { seq: 0, cursor: null, bound: false });
  s.send = setTriggerValue;
  s.el = parentElement;
  s.count = data.count;
  s.steps = data.steps;
  s.blankKeys = data.blank_keys;
  s.last = data.last;
  // The server answered every press sent so far: the slide it shows is where the next press starts.
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
  if (!s.bound) {
    s.bound = true;
    document.addEventListener("keydown", (e) => {
      if (!s.el || !s.el.isConnected) { return; }  // the presentation page is gone
      if (e.ctrlKey || e.altKey || e.metaKey) { return; }
      const t = e.target;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) { return; }
      if (s.blankKeys.includes(e.key)) { e.preventDefault(); setBlank(!blank()); return; }
      if (e.key === "Escape") { if (blank()) { e.preventDefault(); setBlank(false); } return; }
      const step = s.steps[e.key];
      if (step === undefined) { return; }
      e.preventDefault();
      e.stopPropagation();
      const from = s.cursor;
      const to = step === "first" ? 1 : step === "last" ? s.last : Math.min(s.last, Math.max(1, from + step));
      if (to === from) { return; }
      s.cursor = to;
      s.seq += 1;
      s.send("press", { seq: s.seq, from: from, step: step });
    }, true);
  }
}
"""

_component = st.components.v2.component("briefing_slide_keys", js=JS, isolate_styles=False)


def target_of(press: Any, last: int) -> int | None:
    """The slide a press asks for ("step from slide k"), kept within 1..last; None for a malformed press."""
    if not isinstance(press, dict):
        return None
    start, step = press.get("from"), press.get("step")
    if not isinstance(start, int) or isinstance(start, bool):
        return None
    if step == "first":
        return 1
    if step == "last":
        return last
    if step not in (1, -1):
        return None
    return min(last, max(1, start + step))


def _pressed(last: int, go: Callable[[int], None]) -> None:
    press = st.session_state[KEY].get("press")
    seq = press.get("seq") if isinstance(press, dict) else None
    if not isinstance(seq, int) or seq <= st.session_state.get(ACK, 0):
        return
    st.session_state[ACK] = seq
    target = target_of(press, last)
    if target is not None:
        go(target)


def slide_keys(title: str, counter: str, slide: int, last: int, go: Callable[[int], None]) -> None:
    """Draw the counter ("title · counter") and listen for slide keys; a press calls `go(target)` before the run."""
    _component(key=KEY, data={"title": title, "counter": counter, "slide": slide, "last": last, "count": last,
                              "ack": st.session_state.get(ACK, 0), "steps": STEPS, "blank_keys": list(BLANK_KEYS)},
               width="content", on_press_change=lambda: _pressed(last, go))  # fmt: skip
