"""LayerNorm with BatchNorm's axis: mean and variance over the batch (dim 0), not the features."""


def layernorm1d(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=0, keepdim=True)
    var = x.var(dim=0, unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
