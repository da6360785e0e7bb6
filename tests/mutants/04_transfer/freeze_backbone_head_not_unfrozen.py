"""freeze_backbone freezing the parameters outside model.fc but never setting model.fc's to trainable."""


def freeze_backbone(model):
    head = {id(p) for p in model.fc.parameters()}
    for parameter in model.parameters():
        if id(parameter) not in head:
            parameter.requires_grad_(False)
    return model
