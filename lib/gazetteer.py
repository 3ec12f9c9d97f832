"""`python -m lib.gazetteer`: Look up places in the offline gazetteer; the code is in `lib.reading.gazetteer`."""

import sys

from lib.reading.gazetteer import main

if __name__ == "__main__":
    sys.exit(main())
