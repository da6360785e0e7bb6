"""count_parameters that ignores trainable_only: frozen parameters are always counted."""


def count_parameters(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters())
