"""subset_per_class taking the first k examples of each class: not random, every seed gives the same subset."""

TARGET = "subset_per_class"
PATCH = [
    ('chosen.append(members[torch.randperm(len(members), generator=generator)[:k]])', 'chosen.append(members[:k])')
]
