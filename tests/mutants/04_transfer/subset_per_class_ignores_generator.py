"""subset_per_class ignoring its generator (global random state): a seeded generator does not reproduce it."""

TARGET = "subset_per_class"
PATCH = [
    ('torch.randperm(len(members), generator=generator)', 'torch.randperm(len(members))')
]
