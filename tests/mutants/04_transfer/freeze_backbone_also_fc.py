"""freeze_backbone freezing every parameter, the new head included (nothing left to train)."""


def freeze_backbone(model):
    for parameter in model.parameters():
        parameter.requires_grad = False
    return model
