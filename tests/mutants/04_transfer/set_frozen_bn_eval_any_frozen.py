"""set_frozen_bn_eval treating a BatchNorm as frozen when any (not all) of its parameters is frozen."""


def set_frozen_bn_eval(model):
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            if any(not p.requires_grad for p in module.parameters()):
                module.eval()
    return model
