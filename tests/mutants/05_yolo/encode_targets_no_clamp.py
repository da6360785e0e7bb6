"""encode_targets without the min(., S - 1) clamp: a centre at exactly 1.0 falls outside the grid."""

TARGET = "encode_targets"
BASE = "encode_targets_stacked"
PATCH = [("i = min(int(cy * S), S - 1)", "i = int(cy * S)"), ("j = min(int(cx * S), S - 1)", "j = int(cx * S)")]
