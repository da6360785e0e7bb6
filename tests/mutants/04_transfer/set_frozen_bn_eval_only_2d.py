"""set_frozen_bn_eval looking for nn.BatchNorm2d only, so a frozen BatchNorm1d keeps training."""


def set_frozen_bn_eval(model):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            if all(not p.requires_grad for p in module.parameters()):
                module.eval()
    return model
