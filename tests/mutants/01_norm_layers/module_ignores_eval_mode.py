"""BatchNorm2d module that always uses batch statistics, even after model.eval()."""

TARGET = "BatchNorm2d"
PATCH = [("self.num_features = num_features\n        self.eps = eps\n        self.momentum = momentum", "self.eps, self.momentum = eps, momentum"),
         ("if self.training:\n            self.num_batches_tracked.add_(1)\n            return batchnorm2d_train(x, self.weight, self.bias, self.running_mean, self.running_var,\n                                     momentum=self.momentum, eps=self.eps)\n        return batchnorm2d_eval(x, self.weight, self.bias, self.running_mean, self.running_var, eps=self.eps)", "self.num_batches_tracked.add_(1)\n        return batchnorm2d_train(x, self.weight, self.bias, self.running_mean, self.running_var,\n                                 momentum=self.momentum, eps=self.eps)")]
