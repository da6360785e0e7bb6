"""set_frozen_bn_eval looking for nn.BatchNorm2d only, so a frozen BatchNorm1d keeps training."""

TARGET = "set_frozen_bn_eval"
PATCH = [("if isinstance(module, nn.modules.batchnorm._BatchNorm):", "if isinstance(module, nn.BatchNorm2d):")]
