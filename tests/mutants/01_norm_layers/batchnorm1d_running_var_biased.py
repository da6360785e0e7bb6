"""BatchNorm1d updating the running variance with the biased batch variance (PyTorch uses n/(n-1))."""


def batchnorm1d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    mean = x.mean(dim=0)
    var = x.var(dim=0, unbiased=False)
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * mean)
        running_var.mul_(1 - momentum).add_(momentum * var)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
