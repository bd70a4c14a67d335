"""Stateful operators the compiled pipelines call: joins, time windows, an aggregate's materialisation."""
