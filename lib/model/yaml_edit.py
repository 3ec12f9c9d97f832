"""Round-trip edits of the data folder's YAML (ruamel.yaml): comments, key order, quoting and layout of
everything not edited stay byte for byte, so a saved change is a small, readable diff.

New values are written in the codebook's style: long texts (summary, date_note, place_note, description) as
folded `>-` blocks on one line (their runs of whitespace made one space), a quote exactly as given (copied from
its article: a folded `>-` line when YAML can hold it that way, else a double-quoted string with escapes, so
repeated spaces, tabs, line breaks and end spaces stay), dates as quoted strings, short code lists (countries, aliases) in flow
style `[KAZ, AFG]`, missing values as `null`. Every edit is read back and compared with what was meant:
a value YAML would read differently is an error, never a silent change.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from lib.model.read import load_yaml

FOLDED = frozenset({"summary", "date_note", "place_note", "description"})
VERBATIM = frozenset({"quote"})  # copied from an article: never reflowed
QUOTED = frozenset({"date", "published", "start", "end", "colour"})
FLOW = frozenset({"countries", "aliases", "admin1_of"})
_WHITESPACE = re.compile(r"\s+")
_RESOLVER = yaml.resolver.Resolver()


class YamlEditError(ValueError):
    """An edit that cannot be written as asked (the file's shape, or a value YAML would read back differently)."""


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)  # the data files' layout: "  - id: ..." under the list key
    y.width = 1_000_000_000  # never wrap a line (a wrapped double-quoted line can lose a space at the break)
    y.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def styled(key: str, value: Any) -> Any:
    """`value` for field `key` in the codebook's YAML style (nested mappings and lists too)."""
    if isinstance(value, Mapping):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = styled(str(k), v)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq([styled(key, v) for v in value])
        if key in FLOW and all(isinstance(v, str) and "," not in v for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        if key in VERBATIM:
            return _verbatim(value)
        if key in FOLDED:
            text = _WHITESPACE.sub(" ", value).strip()  # a folded block joins its lines: keep it to one line
            return FoldedScalarString(text) if text else text
        if key in QUOTED or _read_as_other_than_text(value):
            return SingleQuotedScalarString(value)
    return value


def _verbatim(text: str) -> Any:
    """`text` written so that YAML reads back exactly `text`: one folded `>-` line when it has no line break, tab,
    other control or space character but the plain space, and no space at either end (a folded line keeps its
    inner runs of spaces); otherwise double-quoted, where every other character has an escape."""
    if not text:
        return text
    if text.isprintable() and text == text.strip(" "):
        return FoldedScalarString(text)
    return DoubleQuotedScalarString(text)


def _read_as_other_than_text(value: str) -> bool:
    """True if the loader (PyYAML, YAML 1.1) would read `value` written plain as something else than this
    text: `yes`, `null`, `2011-05-18`, `1e3` (ruamel, YAML 1.2, would write some of them plain)."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"


def _plain(value: Any) -> Any:
    """What YAML reads a value back as, for the comparison after an edit."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _expected(record: Mapping[str, Any]) -> dict[str, Any]:
    def one(key: str, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): one(str(k), v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [one(key, v) for v in value]
        if isinstance(value, str) and key in FOLDED:
            return _WHITESPACE.sub(" ", value).strip()
        return value

    return {str(k): one(str(k), v) for k, v in record.items()}


def _load(text: str, key: str) -> tuple[YAML, Any, CommentedSeq]:
    y = _yaml()
    try:
        doc = y.load(text)
    except Exception as exc:  # ruamel raises several error types for malformed YAML
        raise YamlEditError(f"the file is not valid YAML ({exc.__class__.__name__}); fix it by hand first") from exc
    if not isinstance(doc, CommentedMap) or not isinstance(doc.get(key), CommentedSeq):
        raise YamlEditError(f"expected a mapping with a '{key}:' list at the top")
    return y, doc, doc[key]


def _dump(y: YAML, doc: Any) -> str:
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _check(text: str, key: str, id_field: str, record: Mapping[str, Any]) -> None:
    items = load_yaml(text)[key]
    found = [item for item in items if isinstance(item, dict) and item.get(id_field) == record.get(id_field)]
    if not found or _plain(found[-1]) != _expected(record):
        raise YamlEditError(f"{id_field} {record.get(id_field)!r} would not read back as entered")


def _blank_line_between_items(text: str) -> bool:
    """Whether the file separates its list items with a blank line (events.yaml does, actors.yaml does not)."""
    return bool(re.search(r"\n[ \t]*\n[ \t]*(?:#[^\n]*\n[ \t]*)*- ", text))


def append_record(text: str, key: str, record: Mapping[str, Any], id_field: str = "id") -> str:
    """`text` (a YAML file with a top-level `key:` list) with `record` appended to the list, in the style
    of the file; everything else unchanged."""
    y, doc, seq = _load(text, key)
    if any(isinstance(item, Mapping) and item.get(id_field) == record.get(id_field) for item in seq):
        raise YamlEditError(f"{id_field} {record.get(id_field)!r} is already in the list")
    seq.append(styled(key, record))
    if len(seq) > 1 and _blank_line_between_items(text):
        seq.yaml_set_comment_before_after_key(len(seq) - 1, before="\n", indent=2)
    new = _dump(y, doc)
    _check(new, key, id_field, record)
    return new


def replace_record(text: str, key: str, record: Mapping[str, Any], id_field: str = "id",
                   old_id: str | None = None) -> str:  # fmt: skip
    """`text` with the list item whose `id_field` is `old_id` (default: the record's own id) changed to
    `record`: changed values replaced in place, new fields added after the others, dropped fields removed;
    the item's comments and the rest of the file unchanged."""
    y, doc, seq = _load(text, key)
    wanted = old_id if old_id is not None else record.get(id_field)
    for item in seq:
        if isinstance(item, CommentedMap) and item.get(id_field) == wanted:
            break
    else:
        raise YamlEditError(f"no entry with {id_field} {wanted!r} in the '{key}:' list")
    for name in [k for k in item if k not in record]:
        del item[name]
    for name, value in record.items():
        if name not in item or _plain(item[name]) != _plain(value):
            item[name] = styled(name, value)
    new = _dump(y, doc)
    _check(new, key, id_field, record)
    return new


def set_fields(text: str, key: str, record_id: str, fields: Mapping[str, Any], id_field: str = "id") -> str:
    """`text` with `fields` set on the `key:` item whose `id_field` is `record_id` (an event's `date` and
    `date_note`, say): a field it lacks is put after the last of `fields` it has; its other fields, its comments
    and the rest of the file unchanged."""
    y, doc, seq = _load(text, key)
    item = next((i for i in seq if isinstance(i, CommentedMap) and i.get(id_field) == record_id), None)
    if item is None:
        raise YamlEditError(f"no entry with {id_field} {record_id!r} in the '{key}:' list")
    expected = {**_plain(item), **{str(k): v for k, v in fields.items()}}
    for name, value in fields.items():
        if name in item:
            if _plain(item[name]) != _plain(value):
                item[name] = styled(name, value)
            continue
        present = [list(item).index(f) for f in fields if f in item]
        item.insert(max(present) + 1 if present else len(item), name, styled(name, value))
    new = _dump(y, doc)
    _check(new, key, id_field, expected)
    return new


def remove_record(text: str, key: str, record_id: str, id_field: str = "id") -> str:
    """`text` without the `key:` item whose `id_field` is `record_id`; the rest of the file unchanged."""
    y, doc, seq = _load(text, key)
    found = [n for n, i in enumerate(seq) if isinstance(i, CommentedMap) and i.get(id_field) == record_id]
    if not found:
        raise YamlEditError(f"no entry with {id_field} {record_id!r} in the '{key}:' list")
    del seq[found[0]]
    new = _dump(y, doc)
    if any(isinstance(i, dict) and i.get(id_field) == record_id for i in load_yaml(new)[key]):
        raise YamlEditError(f"{id_field} {record_id!r} would still be in the list")
    return new


def _block(value: Any) -> bool:
    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def append_to_record(text: str, key: str, record_id: str, name: str, value: Any, id_field: str = "id") -> str:
    """`text` with `value` appended to the list field `name` of the `key:` item whose `id_field` is `record_id`
    (an event's `sources`, say): the item's other fields, the list's earlier entries and the rest of the file
    unchanged."""
    y, doc, seq = _load(text, key)
    item = next((i for i in seq if isinstance(i, CommentedMap) and i.get(id_field) == record_id), None)
    if item is None:
        raise YamlEditError(f"no entry with {id_field} {record_id!r} in the '{key}:' list")
    if not isinstance(item.get(name), CommentedSeq):
        raise YamlEditError(f"{id_field} {record_id!r} has no '{name}:' list to add to")
    expected = {**_plain(item), name: [*_plain(item[name]), _plain(value)]}
    added = styled(name, value)
    previous = item[name][-1] if item[name] else None
    item[name].append(added)
    if isinstance(previous, CommentedMap) and isinstance(added, CommentedMap) and previous and added:
        # the blank line (or comment) that ended the item hangs on the former last entry's last key: move it down
        tokens = previous.ca.items.get(list(previous)[-1])
        if tokens and len(tokens) > 2 and tokens[2] is not None:
            token, was, now = tokens[2], previous[list(previous)[-1]], added[list(added)[-1]]
            if _block(was) and not _block(now):  # a block scalar's own line break ended the line: say it
                token = CommentToken("\n" + token.value, token.start_mark, token.end_mark)
            elif not _block(was) and _block(now) and token.value.startswith("\n"):
                token = CommentToken(token.value[1:], token.start_mark, token.end_mark)
            added.ca.items[list(added)[-1]] = [None, None, token, None]
            tokens[2] = None
    new = _dump(y, doc)
    _check(new, key, id_field, expected)
    return new


def article_text(meta: Mapping[str, Any], body: str) -> str:
    """An article file: the front matter (in the order given, dates quoted, missing values `null`) between
    `---` lines, then the body exactly as given (line endings made `\\n`, one final newline)."""
    y = _yaml()
    y.indent(mapping=2, sequence=2, offset=0)
    front = _dump(y, styled("", dict(meta)))
    text = "---\n" + front + "---\n" + body.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
    read_back = load_yaml(front)
    if read_back != _expected(dict(meta)):
        raise YamlEditError("the front matter would not read back as entered")
    return text

