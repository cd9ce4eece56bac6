"""Engines that run a batch beyond one process pool: the Dask engine (cluster.py) and the
partitions it schedules, writes and resumes (partitions.py). The single-machine engine is
extract/runner.py."""
