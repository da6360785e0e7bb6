"""freeze_backbone freezing only the convolutions, leaving BatchNorm weights and biases trainable."""


def freeze_backbone(model):
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            for parameter in module.parameters():
                parameter.requires_grad = False
    for parameter in model.fc.parameters():
        parameter.requires_grad = True
    return model
