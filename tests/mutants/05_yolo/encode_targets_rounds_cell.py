"""encode_targets rounds c * S to the nearest cell instead of taking its floor (a centre past a cell's middle goes one cell too far)."""

TARGET = "encode_targets"
PATCH = [("i = min(int(cy * S), S - 1)", "i = min(round(float(cy * S)), S - 1)"),
         ("j = min(int(cx * S), S - 1)", "j = min(round(float(cx * S)), S - 1)")]
