"""`python -m ia_licensing.cli …`: the command line, as the `ia-licensing` script runs it."""

import sys

from ia_licensing.cli import main

sys.exit(main())
