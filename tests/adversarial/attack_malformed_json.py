"""Malformed JSON. The file is cut off mid-way, hoping to crash the batch or get a 0 that looks
like work graded (it must be reported `malformed`, with no score, and the others still graded)."""

ASSIGNMENT = "01_norm_layers"
STATUSES = {"malformed"}
HONEST_CELLS = set()


def build(release, source):
    return '{"cells": [{"cell_type": "code", "source": "import os", '
