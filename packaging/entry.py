"""Entry script of the frozen build: the same `custody-desk` command as the installed package."""

from app.cli.main import main

raise SystemExit(main())
