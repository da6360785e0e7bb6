"""LayerNorm2d taking statistics over H and W only (that is InstanceNorm), not over C, H and W."""


def layernorm2d(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = x.var(dim=(2, 3), unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
