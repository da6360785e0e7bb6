"""make_finetune_optimizer listing the head group first and the backbone group second."""

TARGET = "make_finetune_optimizer"
PATCH = [('return torch.optim.SGD([{"params": backbone, "lr": lr * backbone_lr_factor},', 'return torch.optim.SGD([{"params": head, "lr": lr},'),
         ('{"params": head, "lr": lr}],', '{"params": backbone, "lr": lr * backbone_lr_factor}],')]
