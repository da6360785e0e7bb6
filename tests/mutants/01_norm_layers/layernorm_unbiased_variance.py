"""LayerNorm normalizing with the unbiased variance (torch.var's default) instead of the biased one."""


def layernorm1d(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=1, keepdim=True)
    var = x.var(dim=1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
