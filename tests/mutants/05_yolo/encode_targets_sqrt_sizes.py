"""encode_targets stores the square roots of w and h (the loss's job) instead of the sizes themselves."""

TARGET = "encode_targets"
PATCH = [("target[i, j, 2] = w\n", "target[i, j, 2] = w.sqrt()\n"), ("target[i, j, 3] = h\n", "target[i, j, 3] = h.sqrt()\n")]
