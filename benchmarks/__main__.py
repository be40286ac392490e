"""``python -m benchmarks``: the engines benchmark (Mesa vs vector, and the 10-million-migrant run)."""

from benchmarks.bench_engines import main

raise SystemExit(main())
