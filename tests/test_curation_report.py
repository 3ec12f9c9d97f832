"""bench/curation.py (the curation logs summarised) and bench/agreement.py (two coders compared), on fixtures."""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.agreement import cohen_kappa, compare, report
from bench.curation import main as curation_main
from bench.curation import summary

TEXT = "Uzbekistan said on Monday it would build the railway. The Taliban welcomed the plan. Russia kept quiet."


def _event(eid: str, actor: str, target: str | None, quote: str, **more: object) -> dict:
    return {"id": eid, "date": "2025-07-14", "actor": actor, "target": target, "event_type": "verbal_cooperation",
            "stance": 1, "sources": [{"article": "a1", "quote": quote}], **more}  # fmt: skip


def _write(folder: Path, name: str, log: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(log, allow_unicode=True), encoding="utf-8")


def test_the_summary_counts_fates_fields_added_events_and_minutes(tmp_path: Path, capsys) -> None:
    log = {"article": "a1", "minutes": 7, "added": ["e3"], "events": [{"id": "e1"}, {"id": "e2"}, {"id": "e3"}],
           "proposals": [{"fate": "accepted"}, {"fate": "edited", "edited": ["title", "date"]},
                         {"fate": "edited", "edited": ["title"]}, {"fate": "rejected", "why": "x"}]}  # fmt: skip
    rows, fields = summary([log, {"article": "a2", "minutes": 3, "proposals": [], "added": ["e9"], "events": [{"id": "e9"}]}])
    assert rows[0] == ["a1", 4, 1, 2, 1, 1, 3, 7]
    assert rows[-1][1:] == [4, 1, 2, 1, 2, 4, 10]
    assert fields == {"title": 2, "date": 1}
    _write(tmp_path / "logs", "a1.yaml", log)
    assert curation_main(["--dir", str(tmp_path / "logs")]) == 0
    assert "| a1 | 4 | 1 | 2 | 1 | 1 | 3 | 7 |" in capsys.readouterr().out


def test_kappa_is_one_for_perfect_agreement_zero_for_chance_and_none_when_undefined() -> None:
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None and cohen_kappa([], []) is None


def test_events_match_by_actor_target_and_overlapping_quotes(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.md").write_text("---\nid: a1\n---\n" + TEXT + "\n", encoding="utf-8")
    a = [_event("x1", "UZB", None, "Uzbekistan said on Monday it would build the railway"),
         _event("x2", "taliban", "UZB", "The Taliban welcomed the plan"),
         _event("x3", "RUS", None, "Russia kept quiet")]  # fmt: skip
    b = [_event("y1", "UZB", None, "it would build the railway", date="2025-07", stance=0),
         _event("y2", "taliban", "UZB", "The Taliban welcomed", event_type="material_cooperation"),
         _event("y3", "RUS", "UZB", "Russia kept quiet")]  # fmt: skip
    _write(tmp_path / "A", "a1.yaml", {"article": "a1", "events": a})
    _write(tmp_path / "B", "a1.yaml", {"article": "a1", "events": b})
    (pair,) = compare(tmp_path / "A", tmp_path / "B", tmp_path / "articles")
    assert [(x["id"], y["id"]) for x, y in pair.matched] == [("x1", "y1"), ("x2", "y2")] or \
        sorted((x["id"], y["id"]) for x, y in pair.matched) == [("x1", "y1"), ("x2", "y2")]
    assert [e["id"] for e in pair.only_a] == ["x3"] and [e["id"] for e in pair.only_b] == ["y3"], "another target"
    text = report([pair], "A", "B")
    assert "| **Total (1 articles)** | 3 | 3 | 2 | 1 | 1 | 67% |" in text
    assert "| Event type (4 CAMEO quad classes) | 1/2 | 50% |" in text
    assert "| Stance sign (−, 0, +) | 1/2 | 50% |" in text
    assert "| Date, same date and precision | 1/2 | 50% | — |" in text
    assert "| Date, at the coarser precision of the two | 2/2 | 100% | — |" in text
