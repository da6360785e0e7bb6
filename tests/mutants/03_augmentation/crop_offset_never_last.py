"""random_crop draws offsets in range(Hp - size), so the last position (bottom/right) is never used."""

TARGET = "random_crop"
BASE = "random_crop_sliced"
PATCH = [("torch.randint(0, height + 2 * padding - size + 1,", "torch.randint(0, max(1, height + 2 * padding - size),"),
         ("torch.randint(0, width + 2 * padding - size + 1,", "torch.randint(0, max(1, width + 2 * padding - size),")]
