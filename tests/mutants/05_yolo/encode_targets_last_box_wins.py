"""encode_targets lets a later box overwrite a cell that already holds one (the last box listed wins)."""

TARGET = "encode_targets"
BASE = "encode_targets_stacked"
PATCH = [("        if target[i, j, 4] == 1:\n            continue\n", "        target[i, j] = 0\n")]
