"""set_frozen_bn_eval putting every child module except model.fc in eval mode (not only the frozen BatchNorms)."""


def set_frozen_bn_eval(model):
    for name, child in model.named_children():
        if name != "fc":
            child.eval()
    return model
