"""Performance benchmarks of the course: `make bench` (python -m bench). See bench/__main__.py.

Figures to compare across machines are ratios against references run in the same process
(interleaved repeats, median); absolute times are recorded with the machine's load average.
"""
