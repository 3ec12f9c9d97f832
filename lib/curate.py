"""`python -m lib.curate`: curation logs to the data folder (draft a log, apply logs, add a period, list
possible duplicates and merge two events, give an actor a colour); the code is in `lib.reading.batch`."""

import sys

from lib.reading.batch import main

if __name__ == "__main__":
    sys.exit(main())
