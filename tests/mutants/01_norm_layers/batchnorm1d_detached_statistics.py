"""BatchNorm1d treating the batch mean and variance as constants: no gradient flows through them."""

TARGET = "batchnorm1d_train"
PATCH = [("mean = x.mean(dim=0)", "mean = x.mean(dim=0).detach()"),
         ("var = x.var(dim=0, unbiased=False)", "var = x.var(dim=0, unbiased=False).detach()")]
