"""make_finetune_optimizer whose backbone group is every trainable parameter, model.fc included."""

TARGET = "make_finetune_optimizer"
PATCH = [("head_ids = {id(p) for p in model.fc.parameters()}\n    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]", "backbone = [p for p in model.parameters() if p.requires_grad]")]
