"""make_finetune_optimizer putting frozen parameters (requires_grad=False) in the backbone group."""

TARGET = "make_finetune_optimizer"
PATCH = [("backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]\n    head = [p for p in model.fc.parameters() if p.requires_grad]", "backbone = [p for p in model.parameters() if id(p) not in head_ids]"),
         ('{"params": head, "lr": lr}],', '{"params": list(model.fc.parameters()), "lr": lr}],')]
