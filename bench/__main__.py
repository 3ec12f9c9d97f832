"""`python -m bench scale|server|browser|export|draft|present|curation|agreement|draft-ceiling|all [options]`: run a benchmark (or a
curation report) and rewrite its RESULTS.md section."""

from __future__ import annotations

import importlib
import sys

COMMANDS = ("scale", "server", "browser", "export", "draft", "present")
REPORTS = ("curation", "agreement", "draft-ceiling")  # curation logs summarised, two coders compared, the drafter's
# ceiling (not run by `all`)
USAGE = ("usage: python -m bench {scale|server|browser|export|draft|present|curation|agreement|draft-ceiling|all} "
         "[options for that command, see --help]")


def main(argv: list[str] | None = None) -> int:
    """Dispatch to bench.<command>.main; `all` runs each in turn with default options."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*COMMANDS, *REPORTS, "all"):
        print(USAGE, file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    names = COMMANDS if command == "all" else (command,)
    status = 0
    for name in names:
        module = importlib.import_module(f"bench.{name.replace('-', '_')}")
        status |= module.main(rest if command != "all" else [])
    return status


if __name__ == "__main__":
    sys.exit(main())
