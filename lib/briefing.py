"""`python -m lib.briefing`: Build a briefing pack (PDF/HTML) or a briefing's deck (PPTX/PDF); the code is in `lib.exports.pack`."""

import sys

from lib.exports.pack import main

if __name__ == "__main__":
    sys.exit(main())
