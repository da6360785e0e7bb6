"""Instructor-side code behind the Makefile: release table, grading runner, feedback filter."""
