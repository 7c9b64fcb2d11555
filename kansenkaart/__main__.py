"""Entry point for ``python -m kansenkaart``."""

import sys

from kansenkaart.cli import main

sys.exit(main())
