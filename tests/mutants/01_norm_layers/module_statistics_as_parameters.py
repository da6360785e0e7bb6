"""BatchNorm2d module storing the running statistics as nn.Parameters: the optimizer would train them."""

TARGET = "BatchNorm2d"
PATCH = [("self.num_features = num_features\n        self.eps = eps\n        self.momentum = momentum", "self.eps, self.momentum = eps, momentum"),
         ('self.register_buffer("running_mean", torch.zeros(num_features))', "self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)"),
         ('self.register_buffer("running_var", torch.ones(num_features))', "self.running_var = nn.Parameter(torch.ones(num_features), requires_grad=False)"),
         ('self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))', "self.num_batches_tracked = nn.Parameter(torch.tensor(0, dtype=torch.long), requires_grad=False)")]
