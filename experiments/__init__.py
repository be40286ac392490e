"""Experiments, command line, charts: everything that runs the model and shows what it found."""
