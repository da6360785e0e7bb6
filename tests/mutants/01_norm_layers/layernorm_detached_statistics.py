"""LayerNorm treating the row mean and variance as constants (detached): wrong gradient for x."""

TARGET = "layernorm1d"
PATCH = [("mean = x.mean(dim=1, keepdim=True)", "mean = x.mean(dim=1, keepdim=True).detach()"),
         ("var = x.var(dim=1, unbiased=False, keepdim=True)", "var = x.var(dim=1, unbiased=False, keepdim=True).detach()")]
