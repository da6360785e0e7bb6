"""random_crop draws offsets over the unpadded size (H - size + 1): windows never start in the bottom/right padding."""

TARGET = "random_crop"
PATCH = [("torch.randint(0, padded_h - size + 1,", "torch.randint(0, height - size + 1,"),
         ("torch.randint(0, padded_w - size + 1,", "torch.randint(0, width - size + 1,")]
