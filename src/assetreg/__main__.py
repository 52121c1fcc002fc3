"""``python -m assetreg``: the same as the ``assetreg`` command."""

import sys

from assetreg.cli import main

sys.exit(main())
