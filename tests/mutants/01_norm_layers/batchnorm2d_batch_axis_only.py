"""BatchNorm2d taking statistics over the batch only (one per channel and pixel), not over B, H, W."""


def batchnorm2d_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(dim=0, keepdim=True)
    var = x.var(dim=0, unbiased=False, keepdim=True)
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * mean.mean(dim=(0, 2, 3)))
        running_var.mul_(1 - momentum).add_(momentum * var.mean(dim=(0, 2, 3)) * n / (n - 1))
    return (x - mean) / torch.sqrt(var + eps) * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1)
