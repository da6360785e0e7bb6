"""random_crop treats torch.randint's high as inclusive (Hp - size): the last offset is never drawn, and
torch raises when only one window exists."""

TARGET = "random_crop"
PATCH = [("torch.randint(0, padded_h - size + 1,", "torch.randint(0, padded_h - size,"),
         ("torch.randint(0, padded_w - size + 1,", "torch.randint(0, padded_w - size,")]
