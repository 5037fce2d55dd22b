"""Analyses: pure functions from frames or a graph to DataFrames. They never touch the store."""
