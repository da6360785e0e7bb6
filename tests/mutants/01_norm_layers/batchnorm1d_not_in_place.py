"""BatchNorm1d rebinding the local names instead of updating the running statistics in place."""


def batchnorm1d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(dim=0)
    var = x.var(dim=0, unbiased=False)
    running_mean = (1 - momentum) * running_mean + momentum * mean.detach()
    running_var = (1 - momentum) * running_var + momentum * var.detach() * n / (n - 1)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta
