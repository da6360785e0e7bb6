"""set_frozen_bn_eval treating a BatchNorm as frozen when any (not all) of its parameters is frozen."""

TARGET = "set_frozen_bn_eval"
PATCH = [("if all(not p.requires_grad for p in module.parameters()):", "if any(not p.requires_grad for p in module.parameters()):")]
