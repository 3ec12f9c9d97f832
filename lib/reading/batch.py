"""Curation logs (one YAML file per article: the drafter's proposals and their fates, the new reference
records and the final events; format in docs/curation-log.md) turned into one save of the data folder.

`log_skeleton` drafts an article and writes the log a curator fills in. `plan_logs` reads logs, checks
them against the data folder and each other, and returns the files a save would write; `apply_logs`
saves them through `lib.model.store.save`, the Curate page's checked, atomic path: the whole folder as
it would be is validated first, nothing is written on any problem, and a file changed since it was read
is refused. Every problem names the log file, the record and the field.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lib.errors import DashboardError, DataProblem
from lib.model import store
from lib.model.codebook import after_publication, dates_meet
from lib.model.dataset import normalise_whitespace
from lib.model.distinct import DISTINCT_FILE
from lib.model.files import write_atomic
from lib.model.hints import quote_departure
from lib.model.load import load_dataset
from lib.model.read import load_yaml
from lib.model.schema import Article, display_date, parse_partial_date
from lib.model.yaml_edit import YamlEditError, append_to_record, remove_record, replace_record
from lib.paths import CURATE_ENV, ROOT, data_dir
from lib.reading import additions, curate, duplicates
from lib.reading.draft import draft_events, read_article_file, same_occurrence
from lib.text import terminal_safe

FATES = ("accepted", "edited", "rejected")
# the reference files a log may add to: log key -> (file, the file's list key, the records' id field)
REFERENCE = {"new_countries": ("countries.yaml", "countries", "iso3"), "new_actors": ("actors.yaml", "actors", "id"),
             "new_places": ("places.yaml", "places", "id")}  # fmt: skip


def log_skeleton(article_file: str | os.PathLike[str], data_dir: str | os.PathLike[str] | None = None) -> str:
    """The curation log of a new article as YAML: its drafts as proposals whose fate the curator sets, the
    drafted events (for reference: copy what you keep into `events`, never the `draft:` mapping), empty
    lists for the rest."""
    article = read_article_file(article_file)
    ds = load_dataset(data_dir)
    drafts = draft_events(article, ds)
    proposals = []
    for d in drafts:
        proposal = {"draft_id": d.event.get("id"), "actor": d.event.get("actor"), "target": d.event.get("target"),
                    "quote_start": d.quote_span[0], "fate": None, "event": None}  # fmt: skip
        try:
            same = [e.id for e in same_occurrence(dict(d.event), ds, article.id)]
        except (KeyError, ValueError):  # a draft without a readable date or actor: nothing to compare
            same = []
        if same:  # possible re-reports of coded events: the curator adds this article as a source instead
            proposal["same_occurrence"] = same
        proposals.append(proposal)
    log = {
        "article": article.id, "curator": None, "minutes": None, "proposals": proposals,
        "added": [], "new_actors": [], "new_countries": [], "new_places": [], "events": [], "sources_added": [],
        "drafts": [dict(d.event) for d in drafts],
    }  # fmt: skip
    header = (f"# Curation log of {article.id}, drafted by python -m lib.curate draft ({len(drafts)} proposals).\n"
              "# Set each proposal's fate (accepted | edited + edited: [fields] | rejected + why) and its final event id;\n"
              "# put the final events in `events` (codebook format); `drafts` is for reference and is not saved.\n"
              "# A proposal with `same_occurrence:` may re-report an event already coded (CODEBOOK.md 8): if it does,\n"
              "# set its event to that id and add {event: <id>, quote: <passage>} to `sources_added`, not to `events`\n"
              "# (with date: and date_note: when this article dates the event more finely, docs/curation-log.md).\n")  # fmt: skip
    return header + yaml.safe_dump(log, allow_unicode=True, sort_keys=False, width=110)


@dataclass
class Batch:
    """What applying some logs would do: the files' new text, what was skipped as already there, problems."""

    changes: dict[str, str] = field(default_factory=dict)
    problems: list[DataProblem] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids added
    skipped: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids already present, same definition
    logs: list[Path] = field(default_factory=list)


def read_log(path: Path, events: set[str] | None = None) -> tuple[dict[str, Any] | None, list[DataProblem]]:
    """A curation log and the problems of its shape: fates, and the event ids its proposals and `added`
    name, which must be among `events` (default: the log's own; a batch passes every log's and the
    folder's, as an occurrence two articles report is coded once, citing both)."""
    label = str(path)
    try:
        log = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [DataProblem(label, None, None, f"cannot be read: {exc}")]
    except yaml.YAMLError as exc:
        return None, [DataProblem(label, None, None, f"is not valid YAML: {exc}")]
    if not isinstance(log, dict) or not isinstance(log.get("article"), str):
        return None, [DataProblem(label, None, "article", "a curation log is a mapping with the article's id in 'article'")]
    problems = []
    for key in ("proposals", "added", "events", "sources_added", *REFERENCE):
        if log.get(key) is not None and not isinstance(log[key], list):
            problems.append(DataProblem(label, None, key, "must be a list"))
    if problems:
        return None, problems
    if events is None:
        events = {str(e.get(k)) for k, key in (("id", "events"), ("event", "sources_added"))
                  for e in log.get(key) or [] if isinstance(e, dict)}  # fmt: skip
    for i, p in enumerate(log.get("proposals") or []):
        rec = f"proposal {i + 1} ('{p.get('draft_id')}')" if isinstance(p, dict) else f"proposal {i + 1}"
        if not isinstance(p, dict):
            problems.append(DataProblem(label, rec, None, "must be a mapping"))
            continue
        if p.get("fate") not in FATES:
            problems.append(DataProblem(label, rec, "fate", f"{p.get('fate')!r}: must be one of {', '.join(FATES)}"))
        elif p["fate"] != "rejected" and p.get("event") not in events:
            problems.append(DataProblem(label, rec, "event", f"{p.get('event')!r} is not an event of the log, the batch or the folder"))
        elif p["fate"] == "edited" and not p.get("edited"):
            problems.append(DataProblem(label, rec, "edited", "an edited proposal lists the fields changed"))
        elif p["fate"] == "rejected" and not p.get("why"):
            problems.append(DataProblem(label, rec, "why", "a rejected proposal says why, in one line"))
    for event_id in log.get("added") or []:
        if str(event_id) not in events:
            problems.append(DataProblem(label, None, "added", f"{event_id!r} is not an event of the log, the batch or the folder"))
    return log, problems


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two records are the same definition: equal fields, a field set to null counting as left out."""
    def clean(r: Mapping[str, Any]) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items() if v is not None and v != []}

    return clean(a) == clean(b)


def _same_event(before: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """An event as saved is the log's event with sources added later (`sources_added` of other logs), perhaps
    with its date refined by one of them: the same fields, every source of the log's event among the saved
    one's, and the saved date inside the log's date."""
    def key(source: Any) -> tuple[str, str]:
        return (str(source.get("article")), normalise_whitespace(str(source.get("quote") or ""))) if isinstance(source, dict) else ("", "")

    saved = {key(s) for s in before.get("sources") or []}
    mine = [key(s) for s in record.get("sources") or []]
    later = ("sources", "date", "date_note")
    rest = {k: v for k, v in before.items() if k not in later}
    same_date = before.get("date") == record.get("date") and before.get("date_note") == record.get("date_note")
    return (_same(rest, {k: v for k, v in record.items() if k not in later}) and all(k in saved for k in mine)
            and (same_date or _inside(before.get("date"), record.get("date"))))  # fmt: skip


def _inside(new: Any, old: Any) -> bool:
    """Whether the partial date `new` lies wholly inside `old`'s window (a finer or the same date)."""
    try:
        (start, end, _), (first, last, _) = parse_partial_date(str(new)), parse_partial_date(str(old))
    except ValueError:
        return False
    return first <= start and end <= last


def _raw(folder: Path, name: str, key: str) -> list[dict[str, Any]]:
    path = folder / name
    if not path.is_file():
        return []
    document = load_yaml(path.read_text(encoding="utf-8")) or {}
    return [r for r in document.get(key) or [] if isinstance(r, dict)]


def plan_logs(paths: Sequence[str | os.PathLike[str]], data_dir: str | os.PathLike[str], articles_dir: str | os.PathLike[str]
              ) -> Batch:  # fmt: skip
    """Read and check the logs against the data folder and each other; the files a save would write.

    An article, a reference record (country, actor, place) or an event already in the folder, or given
    earlier in the batch, with the same definition is skipped; with a different one it is a problem
    naming both places. The folder itself must load without errors before anything is added."""
    folder = Path(data_dir).resolve()
    batch = Batch(logs=[Path(p) for p in paths])
    ds = load_dataset(folder)
    errors = [p for p in ds.problems if p.is_error]
    if errors:
        batch.problems = [DataProblem(folder.name, None, None, "the data folder has errors; fix them before applying logs"),
                          *errors]  # fmt: skip
        return batch
    known: dict[str, dict[str, tuple[dict[str, Any], str]]] = {}
    for log_key, (name, key, id_field) in REFERENCE.items():
        known[log_key] = {str(r.get(id_field)): (r, f"{folder.name}/{name}") for r in _raw(folder, name, key)}
    known["events"] = {str(r.get("id")): (r, f"{folder.name}/events.yaml") for r in _raw(folder, "events.yaml", "events")}
    new: dict[str, list[dict[str, Any]]] = {k: [] for k in (*REFERENCE, "events")}
    every_event = set(known["events"])
    folder_events = frozenset(known["events"])
    read: list[tuple[Path, dict[str, Any]]] = []
    quoted = {(str(s.get("article")), normalise_whitespace(str(s.get("quote") or ""))): event_id
              for event_id, (r, _) in known["events"].items() for s in r.get("sources") or [] if isinstance(s, dict)}  # fmt: skip
    appended: list[tuple[str, dict[str, str]]] = []  # (event id, source) added to events of the folder
    dated: dict[str, dict[str, Any]] = {}  # event of the folder -> its date and date_note refined by a source
    for path in batch.logs:
        try:
            log = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # read_log below says what is wrong
        if isinstance(log, dict) and isinstance(log.get("events"), list):
            every_event |= {str(e.get("id")) for e in log["events"] if isinstance(e, dict)}
    for path in batch.logs:
        log, problems = read_log(path, every_event)
        batch.problems.extend(problems)
        if log is None:
            continue
        article = _article(batch, path, str(log["article"]), folder, Path(articles_dir))
        for log_key in (*REFERENCE, "events"):
            id_field = REFERENCE[log_key][2] if log_key in REFERENCE else "id"
            for i, record in enumerate(log.get(log_key) or []):
                if not isinstance(record, dict) or not record.get(id_field):
                    batch.problems.append(DataProblem(str(path), f"{log_key}[{i}]", id_field, f"each entry needs its '{id_field}'"))
                    continue
                record = curate.without_nulls(record) if log_key == "events" else dict(record)
                record_id = str(record[id_field])
                kind = log_key.removeprefix("new_")
                if record_id in known[log_key]:
                    before, where = known[log_key][record_id]
                    if _same(before, record) or (log_key == "events" and _same_event(before, record)):
                        batch.skipped.setdefault(kind, []).append(record_id)
                    else:
                        batch.problems.append(DataProblem(str(path), f"{kind.rstrip('s')} '{record_id}'", None,
                                                          f"is already defined differently in {where}: give it the same "
                                                          "definition there and here, or another id"))  # fmt: skip
                    continue
                merged = _cited_elsewhere(record, quoted) if log_key == "events" else None
                if merged:
                    batch.problems.append(DataProblem(str(path), f"event '{record_id}'", "sources",
                                                      f"every source is already a source of '{merged}' in {folder.name}/"
                                                      "events.yaml (merged as one occurrence?): the same passage would be "
                                                      "coded twice; drop this event or give it its own quote"))  # fmt: skip
                    continue
                known[log_key][record_id] = (record, str(path))
                new[log_key].append(record)
                batch.added.setdefault(kind, []).append(record_id)
        for i, entry in enumerate(log.get("sources_added") or []):
            _source_added(batch, path, i, entry, str(log["article"]), article, known["events"], folder_events,
                          appended, dated)  # fmt: skip
        read.append((path, log))
    for path, log in read:
        batch.problems.extend(_uncited(path, log, known["events"], appended))
    batch.problems.extend(_record_problems(new, ds))
    if batch.problems:
        return batch
    plan = curate.Plan(events=new["events"], actors=new["new_actors"], countries=new["new_countries"],
                       places=new["new_places"], sources=appended, dates=dated)  # fmt: skip
    try:
        batch.changes.update(curate.changes(folder, plan))
    except (YamlEditError, OSError) as exc:
        batch.problems.append(DataProblem(folder.name, None, None, f"cannot prepare the save: {exc}"))
    return batch


def _article(batch: Batch, log: Path, article_id: str, folder: Path, articles_dir: Path) -> Article | None:
    """The log's article file, copied byte for byte from `articles_dir` (skipped if the folder has it already);
    returns it as the loader reads it (None if it cannot be read)."""
    source = articles_dir / f"{article_id}.md"
    rel = f"articles/{article_id}.md"
    if not source.is_file():
        batch.problems.append(DataProblem(str(log), None, "article", f"no article file {source}"))
        return None
    data = source.read_bytes()
    present = folder / rel
    if present.is_file():
        if present.read_bytes() == data:
            batch.skipped.setdefault("articles", []).append(article_id)
        else:
            batch.problems.append(DataProblem(str(log), None, "article", f"{folder.name}/{rel} already exists with other "
                                              f"text than {source}"))  # fmt: skip
            return None
        return _body(source, batch)
    if rel in batch.changes:
        return _body(source, batch)
    try:
        batch.changes[rel] = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        batch.problems.append(DataProblem(str(source), None, None, f"is not UTF-8: {exc}"))
        return None
    batch.added.setdefault("articles", []).append(article_id)
    return _body(source, batch)


def _cited_elsewhere(record: Mapping[str, Any], quoted: Mapping[tuple[str, str], str]) -> str | None:
    """The folder's event that already cites every source of a new event with the same quote, if one does."""
    keys = [(str(s.get("article")), normalise_whitespace(str(s.get("quote") or "")))
            for s in record.get("sources") or [] if isinstance(s, dict)]  # fmt: skip
    owners = {quoted.get(k) for k in keys}
    return owners.pop() if keys and len(owners) == 1 and None not in owners else None


def _uncited(path: Path, log: Mapping[str, Any], events: Mapping[str, tuple[dict[str, Any], str]],
             appended: Sequence[tuple[str, Mapping[str, Any]]]) -> list[DataProblem]:
    """An accepted or edited proposal's event must cite the log's article once the batch is saved: else the
    passage would be lost (a re-report is a `sources_added` entry, a new event an `events` one)."""
    article = str(log["article"])
    problems = []
    for i, p in enumerate(log.get("proposals") or []):
        if not isinstance(p, dict) or p.get("fate") not in ("accepted", "edited") or str(p.get("event")) not in events:
            continue
        event_id = str(p["event"])
        record = events[event_id][0]
        cited = {str(s.get("article")) for s in record.get("sources") or [] if isinstance(s, dict)}
        cited |= {str(s.get("article")) for e, s in appended if e == event_id}
        if article not in cited:
            problems.append(DataProblem(str(path), f"proposal {i + 1} ('{p.get('draft_id')}')", "event",
                                        f"'{event_id}' does not cite this article: code the event in 'events' with this "
                                        f"article's quote, or add {{event: {event_id}, quote: ...}} to 'sources_added'"))  # fmt: skip
    return problems


def _body(source: Path, batch: Batch) -> Article | None:
    try:
        return read_article_file(source)
    except (DashboardError, OSError, ValueError):
        return None  # the save's whole-folder check names what is wrong with the file


ENTRY_FIELDS = ("event", "quote", "date", "date_note", "source_date", "source_date_note")


def _source_added(batch: Batch, log: Path, i: int, entry: Any, article_id: str, article: Article | None,
                  events: dict[str, tuple[dict[str, Any], str]], folder_events: frozenset[str],
                  appended: list[tuple[str, dict[str, str]]], dated: dict[str, dict[str, Any]]) -> None:  # fmt: skip
    """One `sources_added` entry checked and planned: the log's article is another source of an event of the
    folder or the batch (CODEBOOK.md 8). Already citing the article with this quote: skipped (a log applied
    twice); with another quote: a problem. An event new in this batch gets the source in its record. An entry
    with `date` (and `date_note`) also refines the event's date, which must lie inside the date it has; one with
    `source_date` (and `source_date_note`) records the date this text gives where it disagrees (CODEBOOK.md 18.4)."""
    label = f"sources_added[{i}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("event"), str) or not entry["event"]:
        batch.problems.append(DataProblem(str(log), label, "event", "each entry names an existing event: "
                                          "{event: <event id>, quote: <the passage, verbatim>}"))  # fmt: skip
        return
    event_id, quote = entry["event"], entry.get("quote")
    record = f"{label} (event '{event_id}')"
    if set(entry) - set(ENTRY_FIELDS):
        batch.problems.append(DataProblem(str(log), record, None, f"unknown field(s) {', '.join(sorted(set(entry) - set(ENTRY_FIELDS)))}: "
                                          "an entry has only 'event', 'quote', to refine the date 'date' and 'date_note', and for a "
                                          "date this text gives that disagrees 'source_date' and 'source_date_note'"))  # fmt: skip
        return
    if not isinstance(quote, str) or not quote.strip():
        batch.problems.append(DataProblem(str(log), record, "quote", "the passage of this article that reports the event, verbatim"))
        return
    if event_id not in events:
        batch.problems.append(DataProblem(str(log), record, "event", f"{event_id!r} is not an event of the data folder "
                                          "or the batch: code it in 'events' instead"))  # fmt: skip
        return
    if article is None:
        return  # the article's own problem is reported
    wanted = normalise_whitespace(quote)
    body = normalise_whitespace(article.text)
    if wanted not in body:
        batch.problems.append(DataProblem(str(log), record, "quote", f"is not verbatim in the article '{article_id}': "
                                          f"{quote_departure(wanted, body)}"))  # fmt: skip
        return
    event, where = events[event_id]
    refined = _refined_date(entry, event, article)
    if isinstance(refined, tuple):
        batch.problems.append(DataProblem(str(log), record, *refined))
        return
    own = _source_date(entry, str(refined["date"] if isinstance(refined, dict) else event.get("date")), article)
    if isinstance(own, tuple):
        batch.problems.append(DataProblem(str(log), record, *own))
        return
    cited = [s for s in event.get("sources") or [] if isinstance(s, dict) and s.get("article") == article_id]
    cited += [s for e, s in appended if e == event_id and s["article"] == article_id]
    if cited:
        if any(normalise_whitespace(str(s.get("quote") or "")) == wanted for s in cited):
            batch.skipped.setdefault("sources", []).append(f"{event_id} <- {article_id}")
        else:
            batch.problems.append(DataProblem(str(log), record, "event", f"the article '{article_id}' is already a source "
                                              f"of this event (in {where}) with another quote: one quote per article"))  # fmt: skip
            return
    else:
        source = {"article": article_id, "quote": quote.strip(), **(own or {})}
        if event_id in folder_events:
            appended.append((event_id, source))
        else:  # an event new in this batch: saved with the source
            event["sources"] = [*event.get("sources", []), source]
        batch.added.setdefault("sources", []).append(f"{event_id} <- {article_id}")
    if refined is None:
        if "date" in entry:
            batch.skipped.setdefault("dates", []).append(f"{event_id} {entry['date']}")
        return
    change = f"{event_id} {event.get('date')} -> {refined['date']}"
    event.update(refined)  # a later entry of the batch refines from this date
    if event_id in folder_events:
        dated[event_id] = dict(refined)
    batch.added.setdefault("dates", []).append(change)


def _refined_date(entry: Mapping[str, Any], event: Mapping[str, Any], article: Article
                  ) -> dict[str, str] | tuple[str, str] | None:  # fmt: skip
    """The `date` and `date_note` an entry gives its event (CODEBOOK.md 8: a more precise text refines the date),
    None when it gives none or the event already has that date, or a problem as (field, message), which the
    caller locates. A refinement lies inside the event's date and not after the article's publication."""
    if "date" not in entry:
        if "date_note" in entry:
            return ("date_note", "a 'date_note' comes with the 'date' it explains")
        return None
    new, note, old = entry.get("date"), entry.get("date_note"), str(event.get("date"))
    start = _written_date(new, "date")
    if isinstance(start, tuple):
        return start
    if new == old:
        return None  # already so dated (a log applied twice, or another source refined it alike)
    if not _inside(new, old):
        return ("date", (f"'{new}' is not inside the event's date '{old}' ({display_date(old)}): a new source may "
                         "only refine the date within its precision; if the texts disagree, decide by CODEBOOK.md 18.2 "
                         "and edit the event itself, or record this text's date on its source with 'source_date' (18.4)"))  # fmt: skip
    if not isinstance(note, str) or not note.strip():
        return ("date_note", ("a refined date needs a 'date_note' saying how this text fixes it (CODEBOOK.md 3); "
                              "it replaces the event's note"))  # fmt: skip
    if after_publication(start, article):
        return ("date", _after_publication_message(new, article))
    return {"date": new, "date_note": " ".join(note.split())}


def _source_date(entry: Mapping[str, Any], event_date: str, article: Article) -> dict[str, str] | tuple[str, str] | None:
    """The `date` and `date_note` the new source records (CODEBOOK.md 18.4: this text dates the act otherwise than
    the event), None when the entry gives none, or a problem as (field, message). The date must disagree with
    the event's (a date inside it refines the event: 'date') and not fall after the article's publication."""
    if "source_date" not in entry:
        if "source_date_note" in entry:
            return ("source_date_note", "a 'source_date_note' comes with the 'source_date' it explains")
        return None
    new, note = entry.get("source_date"), entry.get("source_date_note")
    start = _written_date(new, "source_date")
    if isinstance(start, tuple):
        return start
    if dates_meet(new, event_date):
        return ("source_date", (f"'{new}' agrees with the event's date '{event_date}': a source's date is recorded "
                                "only where it disagrees (CODEBOOK.md 18.4); to refine the event's date use 'date'"))  # fmt: skip
    if not isinstance(note, str) or not note.strip():
        return ("source_date_note", ("a disagreeing date needs a 'source_date_note': how this text dates the act and "
                                     "why the event's date was kept (CODEBOOK.md 18.2, 18.4)"))  # fmt: skip
    if after_publication(start, article):
        return ("source_date", _after_publication_message(new, article))
    return {"date": new, "date_note": " ".join(note.split())}


def _written_date(new: Any, field: str) -> dt.date | tuple[str, str]:
    """The first day of a date written in a log, or a problem as (field, message)."""
    if not isinstance(new, str):
        return (field, f"{new!r}: write the date as a quoted string, 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
    try:
        start, _, _ = parse_partial_date(new)
    except ValueError as exc:
        return (field, str(exc))
    return start


def _after_publication_message(new: str, article: Article) -> str:
    return (f"'{new}' is after the article's publication ({article.published}): nothing is reported before it "
            "happens (CODEBOOK.md 18.2)")


def _record_problems(new: Mapping[str, list[dict[str, Any]]], ds: Any) -> list[DataProblem]:
    """Early, located checks of the new reference records (the whole folder is checked again on saving)."""
    problems: list[DataProblem] = []
    countries = [c["iso3"] for c in new["new_countries"]]
    for record in new["new_countries"]:
        problems.extend(p for p in additions.country_problems(record, ds) if p.is_error)
    for record in new["new_places"]:
        problems.extend(p for p in additions.place_problems(record, ds, countries) if p.is_error)
    return problems


def check_logs(paths: Sequence[str | os.PathLike[str]], data_dir: str | os.PathLike[str],
               articles_dir: str | os.PathLike[str]) -> Batch:  # fmt: skip
    """Plan the logs and run the save's whole-folder check on the result, writing nothing: what `apply_logs`
    would refuse, `check_logs` reports (`problems` is empty when the save would go through)."""
    batch = plan_logs(paths, data_dir, articles_dir)
    if not batch.problems and batch.changes:
        batch.problems = store.problems_after(data_dir, batch.changes)
    return batch


def apply_logs(paths: Sequence[str | os.PathLike[str]], data_dir: str | os.PathLike[str],
               articles_dir: str | os.PathLike[str]) -> Batch:  # fmt: skip
    """Plan the logs and save them in one checked, atomic save (the folder's state is read before the logs are
    planned, so a file changed meanwhile is refused). `problems` is empty when saved."""
    seen = store.read_state(data_dir)
    batch = plan_logs(paths, data_dir, articles_dir)
    if batch.problems:
        return batch
    if not batch.changes:
        return batch  # everything was there already
    batch.problems = store.save(data_dir, batch.changes, seen)
    return batch


def merge_events(duplicate: str, keep: str, data_dir: str | os.PathLike[str]) -> tuple[list[str], list[DataProblem]]:
    """Merge two events that report one occurrence (CODEBOOK.md 8) in one checked save: `duplicate`'s sources
    are appended to `keep` (those already cited there skipped) and `duplicate` is removed. Refused when the
    two differ in actor, target or event type, when an article is a source of both with different quotes, or
    when anything (a briefing) still names `duplicate` (the save's whole-folder check). Returns the articles
    added to `keep` and the problems (none when saved)."""
    folder = Path(data_dir).resolve()
    seen = store.read_state(folder)
    label = f"{folder.name}/events.yaml"
    events = {str(r.get("id")): r for r in _raw(folder, "events.yaml", "events")}
    missing = [DataProblem(label, f"event '{e}'", None, "no such event") for e in (duplicate, keep) if e not in events]
    if missing or duplicate == keep:
        return [], missing or [DataProblem(label, f"event '{keep}'", None, "an event cannot be merged into itself")]
    old, new = events[duplicate], events[keep]
    differ = [f for f in ("actor", "target", "event_type") if old.get(f) != new.get(f)]
    if differ:
        return [], [DataProblem(label, f"event '{duplicate}'", differ[0], f"{old.get(differ[0])!r} here, {new.get(differ[0])!r} in "
                                f"'{keep}': not the same occurrence (CODEBOOK.md 8: same actor, target, act and time)")]  # fmt: skip
    cited = {str(s.get("article")): normalise_whitespace(str(s.get("quote") or "")) for s in new.get("sources") or []}
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    added: list[str] = []
    for i, source in enumerate(old.get("sources") or []):
        article = str(source.get("article"))
        if article in cited:
            if cited[article] != normalise_whitespace(str(source.get("quote") or "")):
                return [], [DataProblem(label, f"event '{duplicate}'", f"sources[{i}].quote", f"'{article}' is a source of "
                                        f"'{keep}' with another quote: keep one quote per article (CODEBOOK.md 9)")]  # fmt: skip
            continue
        try:
            text = append_to_record(text, "events", keep, "sources", dict(source))
        except YamlEditError as exc:
            return [], [DataProblem(label, f"event '{keep}'", "sources", str(exc))]
        added.append(article)
    text = remove_record(text, "events", duplicate)
    return added, store.save(folder, {"events.yaml": text}, seen)


def save_periods(records: Sequence[Mapping[str, Any]], data_dir: str | os.PathLike[str]) -> list[DataProblem]:
    """Add periods (checked: schema, no overlap with each other or those listed) in one save."""
    folder = Path(data_dir).resolve()
    seen = store.read_state(folder)
    listed: list[Any] = list(_raw(folder, "periods.yaml", "periods"))
    problems: list[DataProblem] = []
    for record in records:
        problems.extend(additions.period_problems(record, listed, f"{folder.name}/periods.yaml"))
        listed.append(record)
    if problems:
        return problems
    return store.save(folder, curate.changes(folder, curate.Plan(periods=[dict(r) for r in records])), seen)


def set_colours(actor_ids: Sequence[str], colour: str | None, data_dir: str | os.PathLike[str]
                ) -> tuple[dict[str, str], list[DataProblem]]:  # fmt: skip
    """Give actors colours of their own in one checked save: `colour` for a single actor, else each the next
    palette colour no actor uses; returns actor id -> colour and the problems (none when saved)."""
    folder = Path(data_dir).resolve()
    seen = store.read_state(folder)
    text = (folder / "actors.yaml").read_text(encoding="utf-8")
    records = {str(r.get("id")): r for r in _raw(folder, "actors.yaml", "actors")}
    label = f"{folder.name}/actors.yaml"
    unknown = [DataProblem(label, f"actor '{a}'", None, "no such actor") for a in actor_ids if a not in records]
    if unknown:
        return {}, unknown
    if colour and len(actor_ids) != 1:
        return {}, [DataProblem(label, None, "colour", "one --colour is for one actor: two actors never share a colour")]
    given: dict[str, str] = {}
    palette = curate.palette(text)
    for actor_id in actor_ids:
        used = [str(r.get("colour")) for i, r in records.items() if i != actor_id] + list(given.values())
        given[actor_id] = (colour or curate.next_colour(palette, used)).upper()
        records[actor_id] = {**records[actor_id], "colour": given[actor_id]}
        try:
            text = replace_record(text, "actors", records[actor_id])
        except YamlEditError as exc:
            return {}, [DataProblem(label, f"actor '{actor_id}'", "colour", str(exc))]
    return given, store.save(folder, {"actors.yaml": text}, seen)


def set_colour(actor_id: str, colour: str | None, data_dir: str | os.PathLike[str]) -> tuple[str | None, list[DataProblem]]:
    """Give one actor a colour (default: the first palette colour no actor uses), in one checked save."""
    given, problems = set_colours([actor_id], colour, data_dir)
    return given.get(actor_id), problems


# ---------------------------------------------------------------------------
# command line


def _print_problems(problems: Sequence[DataProblem]) -> None:
    for p in problems:
        print(terminal_safe(p), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """`python -m lib.curate draft | apply | add-period | merge | duplicates | colour`; exit 0 when done, 1 with located problems."""
    parser = argparse.ArgumentParser(prog="python -m lib.curate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--data", help="data folder (default: $DASHBOARD_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    draft = sub.add_parser("draft", help="draft an article and write its curation-log skeleton")
    draft.add_argument("article", help="the article file (front matter, then the body as found)")
    draft.add_argument("--log", required=True, help="the curation log to write (refused if it exists)")
    apply = sub.add_parser("apply", help="save curation logs' articles, reference records and events in one checked save")
    apply.add_argument("logs", nargs="+", help="curation log files")
    apply.add_argument("--articles", help="folder of the article files (default: the logs' sibling folder articles/)")
    apply.add_argument("--curation-dir", default=str(ROOT / "bench" / "curation"),
                       help="where the applied logs are copied (default: bench/curation/)")
    apply.add_argument("--check", action="store_true", help="check only: write nothing")
    period = sub.add_parser("add-period", help="add a period (checked: dates, no overlap) in one save")
    for name in ("id", "label", "start", "end"):
        period.add_argument(f"--{name}", required=True)
    period.add_argument("--description", default="")
    merge = sub.add_parser("merge", help="merge an event into another that reports the same occurrence (its sources "
                           "added, it removed) in one checked save")  # fmt: skip
    merge.add_argument("duplicate", help="the event to remove")
    merge.add_argument("--into", required=True, help="the event to keep (the better-dated one)")
    dupes = sub.add_parser("duplicates", help="list possible duplicates: same actor, target and type, dates within "
                           "--days of each other, no shared article, not reviewed as distinct")  # fmt: skip
    dupes.add_argument("--days", type=int, default=duplicates.WINDOW_DAYS)
    dupes.add_argument("--all", action="store_true", help="list the pairs reviewed as distinct (distinct_events.yaml) too")
    colour = sub.add_parser("colour", help="give actors colours of their own (default: the first unused palette colours)")
    colour.add_argument("actors", nargs="+")
    colour.add_argument("--colour", help="#RRGGBB (default: the first palette colour no actor uses)")
    args = parser.parse_args(argv)
    folder = data_dir(args.data)
    os.environ[CURATE_ENV] = "1"  # this command is a curation tool: it may write to the data folder
    if args.command == "draft":
        out = Path(args.log)
        if out.exists():
            print(f"{out}: already exists; not overwritten", file=sys.stderr)
            return 1
        try:
            text = log_skeleton(args.article, folder)
        except DashboardError as exc:
            print(f"{exc.title}: {exc.message}", file=sys.stderr)
            return 1
        write_atomic(out, text)
        print(f"{out}: curation log with {text.count('draft_id:')} proposals", file=sys.stderr)
        return 0
    if args.command == "apply":
        logs = [Path(p) for p in args.logs]
        articles = Path(args.articles) if args.articles else logs[0].resolve().parent.parent / "articles"
        batch = check_logs(logs, folder, articles) if args.check else apply_logs(logs, folder, articles)
        if batch.problems:
            _print_problems(batch.problems)
            print(f"{len(batch.problems)} problem(s); nothing was written", file=sys.stderr)
            return 1
        added = "; ".join(f"{len(v)} {k}" for k, v in batch.added.items()) or "nothing new"
        skipped = "; ".join(f"{len(v)} {k}" for k, v in batch.skipped.items())
        print(f"{'would add' if args.check else 'added'}: {added}" + (f" (already there: {skipped})" if skipped else ""))
        if not args.check:
            target = Path(args.curation_dir)
            for log in logs:
                write_atomic(target / log.name, log.read_bytes())
            print(f"copied {len(logs)} log(s) to {target}")
        return 0
    if args.command == "add-period":
        record = additions.period_record(id=args.id, label=args.label, start=args.start, end=args.end,
                                         description=args.description)  # fmt: skip
        problems = save_periods([record], folder)
        _print_problems(problems)
        if not problems:
            print(f"added period {record['id']} ({record['start']} to {record['end']})")
        return 1 if problems else 0
    if args.command == "merge":
        added, problems = merge_events(args.duplicate, args.into, folder)
        _print_problems(problems)
        if not problems:
            print(f"merged {args.duplicate} into {args.into} ({len(added)} source(s) added: {', '.join(added) or 'none'})")
        return 1 if problems else 0
    if args.command == "duplicates":
        ds = load_dataset(folder)
        if any(p.is_error for p in ds.problems):
            _print_problems([p for p in ds.problems if p.is_error])
            return 1
        found = duplicates.candidates(ds, args.days, reviewed=args.all)
        for candidate in found:
            print(terminal_safe(candidate.line()))
        hidden = len(duplicates.candidates(ds, args.days, reviewed=True)) - len(found)
        print(f"{len(found)} possible duplicate pair(s) within {args.days} days"
              + (f" ({hidden} more reviewed as distinct in {DISTINCT_FILE}; --all lists them)" if hidden else "")
              + ": judge each (CODEBOOK.md 8); merge with `python -m lib.curate merge DUPLICATE --into KEEP`, or list "
              f"distinct acts in {DISTINCT_FILE}", file=sys.stderr)  # fmt: skip
        return 0
    given, problems = set_colours(args.actors, args.colour, folder)
    _print_problems(problems)
    for actor_id, chosen in given.items() if not problems else ():
        print(f"{actor_id}: colour {chosen}")
    return 1 if problems else 0
