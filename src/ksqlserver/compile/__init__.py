"""Typed expressions compiled to Python: scopes, ksqlDB's typing rules, the expression compiler."""
