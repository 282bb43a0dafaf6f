"""Benchmarks, outside the test suite: each figure is a ratio against a raw reference."""
