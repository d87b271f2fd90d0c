"""Lets `python -m roark_tui` behave like the `roark-tui` command."""

import sys

from roark_tui.cli import main

sys.exit(main())
