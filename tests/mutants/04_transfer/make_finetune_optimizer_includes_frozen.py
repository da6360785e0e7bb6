"""make_finetune_optimizer putting frozen parameters (requires_grad=False) in the backbone group."""


def make_finetune_optimizer(model, lr, backbone_lr_factor=0.1, momentum=0.9, weight_decay=5e-4):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if id(p) not in head_ids]
    return torch.optim.SGD([{"params": backbone, "lr": lr * backbone_lr_factor},
                            {"params": list(model.fc.parameters()), "lr": lr}],
                           lr=lr, momentum=momentum, weight_decay=weight_decay)
