"""Benchmarks and evaluations: each prints its figures beside a naive baseline measured in the same run."""
