"""set_frozen_bn_eval putting every BatchNorm in eval mode, also those whose parameters are trainable."""

TARGET = "set_frozen_bn_eval"
PATCH = [("if all(not p.requires_grad for p in module.parameters()):\n                module.eval()", "module.eval()")]
