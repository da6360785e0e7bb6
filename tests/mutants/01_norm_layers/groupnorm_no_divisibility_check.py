"""GroupNorm without the divisibility check: reshape fails with a RuntimeError, not a clear ValueError."""

TARGET = "groupnorm"
PATCH = [('\n    if C % num_groups != 0:\n        raise ValueError(f"groupnorm: C={C} channels cannot be split into num_groups={num_groups} "\n                         f"equal groups (C must be divisible by num_groups)")', "")]
