"""make_finetune_optimizer whose backbone group is every trainable parameter, model.fc included."""


def make_finetune_optimizer(model, lr, backbone_lr_factor=0.1, momentum=0.9, weight_decay=5e-4):
    backbone = [p for p in model.parameters() if p.requires_grad]
    head = [p for p in model.fc.parameters() if p.requires_grad]
    return torch.optim.SGD([{"params": backbone, "lr": lr * backbone_lr_factor}, {"params": head, "lr": lr}],
                           lr=lr, momentum=momentum, weight_decay=weight_decay)
