"""LayerNorm normalizing with the unbiased variance (torch.var's default) instead of the biased one."""

TARGET = "layernorm1d"
PATCH = [("var = x.var(dim=1, unbiased=False, keepdim=True)", "var = x.var(dim=1, keepdim=True)")]
