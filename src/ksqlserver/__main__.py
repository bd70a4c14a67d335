"""`python -m ksqlserver ...`: see `ksqlserver.cli`."""

from ksqlserver.cli import main

raise SystemExit(main())
