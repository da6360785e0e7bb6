"""BatchNorm2d module that always uses batch statistics, even after model.eval()."""


class BatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        self.num_batches_tracked.add_(1)
        return batchnorm2d_train(x, self.weight, self.bias, self.running_mean, self.running_var,
                                 momentum=self.momentum, eps=self.eps)
