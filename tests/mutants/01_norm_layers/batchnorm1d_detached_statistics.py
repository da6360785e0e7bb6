"""BatchNorm1d treating the batch mean and variance as constants: no gradient flows through them."""


def batchnorm1d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(dim=0).detach()
    var = x.var(dim=0, unbiased=False).detach()
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * mean)
        running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
