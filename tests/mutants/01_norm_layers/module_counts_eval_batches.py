"""BatchNorm2d module adding 1 to num_batches_tracked in evaluation mode too."""

TARGET = "BatchNorm2d"
PATCH = [("        if self.training:\n            self.num_batches_tracked.add_(1)\n",
          "        self.num_batches_tracked.add_(1)\n        if self.training:\n")]
