"""Calibration against the record: the file, the summaries, the batched simulator, ABC-SMC, leave one year out."""
