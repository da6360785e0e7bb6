"""count_parameters that counts parameter tensors (len of the list), not their scalar elements."""


def count_parameters(model, trainable_only=False):
    return len([p for p in model.parameters() if p.requires_grad or not trainable_only])
