"""make_finetune_optimizer giving the backbone the full learning rate (backbone_lr_factor ignored)."""

TARGET = "make_finetune_optimizer"
PATCH = [('return torch.optim.SGD([{"params": backbone, "lr": lr * backbone_lr_factor},\n                            {"params": head, "lr": lr}],\n                           lr=lr, momentum=momentum, weight_decay=weight_decay)', 'return torch.optim.SGD([{"params": backbone}, {"params": head}], lr=lr, momentum=momentum,\n                           weight_decay=weight_decay)')]
