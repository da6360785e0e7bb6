"""subset_per_class returning the indices grouped by class, not sorted."""

TARGET = "subset_per_class"
PATCH = [
    ('return torch.sort(torch.cat(chosen)).values', 'return torch.cat(chosen)')
]
