"""subset_per_class refusing a class that has exactly k examples (<= instead of <)."""

TARGET = "subset_per_class"
PATCH = [("if len(members) < k:", "if len(members) <= k:")]
