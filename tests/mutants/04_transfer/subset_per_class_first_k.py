"""subset_per_class taking the first k examples of each class: not random, every seed gives the same subset."""


def subset_per_class(labels, k, generator=None):
    chosen = []
    for c in torch.unique(labels).tolist():
        members = torch.nonzero(labels == c).flatten()
        if len(members) < k:
            raise ValueError(f"class {c} has only {len(members)} examples, fewer than k={k}")
        chosen.append(members[:k])
    return torch.sort(torch.cat(chosen)).values
