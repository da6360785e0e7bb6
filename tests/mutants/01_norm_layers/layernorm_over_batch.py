"""LayerNorm with BatchNorm's axis: mean and variance over the batch (dim 0), not the features."""

TARGET = "layernorm1d"
PATCH = [("mean = x.mean(dim=1, keepdim=True)", "mean = x.mean(dim=0, keepdim=True)"),
         ("var = x.var(dim=1, unbiased=False, keepdim=True)", "var = x.var(dim=0, unbiased=False, keepdim=True)")]
