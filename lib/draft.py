"""`python -m lib.draft`: Draft events from an article; the code is in `lib.reading.draft`."""

import sys

from lib.reading.draft import main

if __name__ == "__main__":
    sys.exit(main())
