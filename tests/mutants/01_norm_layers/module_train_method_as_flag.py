"""BatchNorm2d module testing `self.train` (a method, always truthy) instead of `self.training`."""

TARGET = "BatchNorm2d"
PATCH = [("if self.training:", "if self.train:")]
