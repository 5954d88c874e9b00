"""``python -m termbrief``."""

from termbrief.cli import main

raise SystemExit(main())
