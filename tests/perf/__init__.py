"""The benchmarks behind `make bench` (`python -m tests.perf`); see docs/PERFORMANCE.md."""
