"""GroupNorm grouping channels c, c+G, c+2G, ... (strided) instead of consecutive channels."""


def groupnorm(x, num_groups, gamma, beta, eps=1e-5):
    B, C, H, W = x.shape
    if C % num_groups != 0:
        raise ValueError(f"groupnorm: C={C} is not divisible by num_groups={num_groups}")
    groups = x.reshape(B, C // num_groups, num_groups, H * W).transpose(1, 2).reshape(B, num_groups, -1)
    mean = groups.mean(dim=2, keepdim=True)
    var = groups.var(dim=2, unbiased=False, keepdim=True)
    x_hat = ((groups - mean) / torch.sqrt(var + eps)).reshape(B, num_groups, C // num_groups, H * W)
    x_hat = x_hat.transpose(1, 2).reshape(B, C, H, W)
    return x_hat * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1)
