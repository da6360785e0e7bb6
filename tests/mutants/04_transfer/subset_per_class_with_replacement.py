"""subset_per_class drawing with replacement (torch.randint), so an example can be picked twice."""


def subset_per_class(labels, k, generator=None):
    chosen = []
    for c in torch.unique(labels).tolist():
        members = torch.nonzero(labels == c).flatten()
        if len(members) < k:
            raise ValueError(f"class {c} has only {len(members)} examples, fewer than k={k}")
        chosen.append(members[torch.randint(0, len(members), (k,), generator=generator)])
    return torch.sort(torch.cat(chosen)).values
