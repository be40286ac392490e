"""Speed and memory measurements (never timed unit tests)."""
