"""Query plans: `logical` (what a query does, as ordered steps) and `physical` (compiled, runnable)."""
