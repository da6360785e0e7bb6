"""Helpers that the course notebooks import: devices, data, training loops, plots and checks.

Nothing here is an exercise's solution: this package ships to students as it is.
"""
