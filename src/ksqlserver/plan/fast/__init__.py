"""Generated loops for the common query shapes; each hands back to the generic path what it cannot do
exactly."""
