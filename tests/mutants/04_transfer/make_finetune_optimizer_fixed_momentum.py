"""make_finetune_optimizer hard-coding momentum 0.9 and weight decay 5e-4 instead of passing the arguments."""

TARGET = "make_finetune_optimizer"
PATCH = [("lr=lr, momentum=momentum, weight_decay=weight_decay)", "lr=lr, momentum=0.9, weight_decay=5e-4)")]
