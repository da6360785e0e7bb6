"""BatchNorm2d module without the num_batches_tracked buffer: its state_dict no longer loads strictly."""

TARGET = "BatchNorm2d"
PATCH = [("self.num_features = num_features\n        self.eps = eps\n        self.momentum = momentum", "self.eps, self.momentum = eps, momentum"),
         ('\n        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))', ""),
         ("\n            self.num_batches_tracked.add_(1)", "")]
