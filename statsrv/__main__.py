"""`python -m statsrv` is the `statsrv` command."""

import sys

from statsrv.cli import main

sys.exit(main())
