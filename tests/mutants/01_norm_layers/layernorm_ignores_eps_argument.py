"""LayerNorm hard-coding eps = 1e-5 instead of using its eps argument."""

TARGET = "layernorm1d"
PATCH = [("torch.sqrt(var + eps)", "torch.sqrt(var + 1e-5)")]
