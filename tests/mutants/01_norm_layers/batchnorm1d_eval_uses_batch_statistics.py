"""BatchNorm1d in evaluation mode still normalizing with the batch's own statistics."""

TARGET = "batchnorm1d_eval"
PATCH = [("return (x - running_mean) / torch.sqrt(running_var + eps) * gamma + beta", "mean = x.mean(dim=0)\n    var = x.var(dim=0, unbiased=False)\n    return (x - mean) / torch.sqrt(var + eps) * gamma + beta")]
