"""BatchNorm2d module storing the running statistics as nn.Parameters: the optimizer would train them."""


class BatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)
        self.running_var = nn.Parameter(torch.ones(num_features), requires_grad=False)
        self.num_batches_tracked = nn.Parameter(torch.tensor(0, dtype=torch.long), requires_grad=False)

    def forward(self, x):
        if self.training:
            self.num_batches_tracked.add_(1)
            return batchnorm2d_train(x, self.weight, self.bias, self.running_mean, self.running_var,
                                     momentum=self.momentum, eps=self.eps)
        return batchnorm2d_eval(x, self.weight, self.bias, self.running_mean, self.running_var, eps=self.eps)
