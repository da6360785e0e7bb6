"""subset_per_class drawing with replacement (torch.randint), so an example can be picked twice."""

TARGET = "subset_per_class"
PATCH = [
    ('members[torch.randperm(len(members), generator=generator)[:k]]', 'members[torch.randint(0, len(members), (k,), generator=generator)]')
]
