"""count_parameters that counts the whole state_dict: BatchNorm's running statistics (buffers) included."""


def count_parameters(model, trainable_only=False):
    if trainable_only:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return sum(t.numel() for t in model.state_dict().values())
