"""``python -m termbrief``."""

from termbrief.cli.main import main

raise SystemExit(main())
