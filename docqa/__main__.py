"""`python -m docqa` is the `docqa` command."""

import sys

from docqa.server.cli import main

if __name__ == "__main__":
    sys.exit(main())
