"""Benchmarks that print ratios against floors measured in the same run (`make bench`)."""
