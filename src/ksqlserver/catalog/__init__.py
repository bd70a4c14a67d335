"""What the engine knows: types, casts, the metastore of sources, WITH clauses, properties (see README.md)."""
