"""count_parameters summing m.parameters() over model.modules(): nested layers are counted many times."""


def count_parameters(model, trainable_only=False):
    return sum(p.numel() for m in model.modules() for p in m.parameters()
               if p.requires_grad or not trainable_only)
