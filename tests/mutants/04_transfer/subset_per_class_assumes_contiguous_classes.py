"""subset_per_class looping over range(labels.max() + 1): labels that are not 0..C-1 raise for absent classes."""

TARGET = "subset_per_class"
PATCH = [("for c in torch.unique(labels).tolist():", "for c in range(int(labels.max()) + 1):")]
