"""make_finetune_optimizer listing the head group first and the backbone group second."""


def make_finetune_optimizer(model, lr, backbone_lr_factor=0.1, momentum=0.9, weight_decay=5e-4):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    head = [p for p in model.fc.parameters() if p.requires_grad]
    return torch.optim.SGD([{"params": head, "lr": lr},
                            {"params": backbone, "lr": lr * backbone_lr_factor}],
                           lr=lr, momentum=momentum, weight_decay=weight_decay)
