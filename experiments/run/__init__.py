"""The run side of experiments: experiment files, sweeps, the result store, the analysis of results."""
