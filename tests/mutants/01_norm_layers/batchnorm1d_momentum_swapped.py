"""BatchNorm1d with Keras's momentum convention: keeps `momentum` of the old running statistics."""


def batchnorm1d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(dim=0)
    var = x.var(dim=0, unbiased=False)
    with torch.no_grad():
        running_mean.mul_(momentum).add_((1 - momentum) * mean)
        running_var.mul_(momentum).add_((1 - momentum) * var * n / (n - 1))
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
