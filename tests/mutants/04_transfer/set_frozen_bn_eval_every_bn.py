"""set_frozen_bn_eval putting every BatchNorm in eval mode, also those whose parameters are trainable."""


def set_frozen_bn_eval(model):
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()
    return model
