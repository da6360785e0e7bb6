"""LayerNorm2d taking statistics over H and W only (that is InstanceNorm), not over C, H and W."""

TARGET = "layernorm2d"
PATCH = [("mean = x.mean(dim=(1, 2, 3), keepdim=True)", "mean = x.mean(dim=(2, 3), keepdim=True)"),
         ("var = x.var(dim=(1, 2, 3), unbiased=False, keepdim=True)", "var = x.var(dim=(2, 3), unbiased=False, keepdim=True)")]
