"""subset_per_class looping over range(labels.max() + 1): labels that are not 0..C-1 raise for absent classes."""


def subset_per_class(labels, k, generator=None):
    chosen = []
    for c in range(int(labels.max()) + 1):
        members = torch.nonzero(labels == c).flatten()
        if len(members) < k:
            raise ValueError(f"class {c} has only {len(members)} examples, fewer than k={k}")
        chosen.append(members[torch.randperm(len(members), generator=generator)[:k]])
    return torch.sort(torch.cat(chosen)).values
