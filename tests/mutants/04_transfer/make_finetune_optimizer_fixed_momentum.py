"""make_finetune_optimizer hard-coding momentum 0.9 and weight decay 5e-4 instead of passing the arguments."""


def make_finetune_optimizer(model, lr, backbone_lr_factor=0.1, momentum=0.9, weight_decay=5e-4):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    head = [p for p in model.fc.parameters() if p.requires_grad]
    return torch.optim.SGD([{"params": backbone, "lr": lr * backbone_lr_factor},
                            {"params": head, "lr": lr}],
                           lr=lr, momentum=0.9, weight_decay=5e-4)
