"""Small helpers the pipeline notebooks call, so the notebooks stay narrative: parameters, data
preparation, KSQL statements and bounded queries, stage summaries."""
