from litwatch.cli import main

raise SystemExit(main())
