"""Small helpers the pipeline notebooks call, so the notebooks stay narrative: parameters, data
preparation, stage summaries, and the glue between the notebooks and the product's packages
(`fraudlab.ksql`, `fraudlab.scoring`, `fraudlab.monitor`)."""
