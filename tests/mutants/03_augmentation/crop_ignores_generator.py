"""random_crop draws its offsets from the global generator and ignores `generator`."""

TARGET = "random_crop"
BASE = "random_crop_sliced"
PATCH = [("top = torch.randint(0, height + 2 * padding - size + 1, (count,), generator=generator)",
          "top = torch.randint(0, height + 2 * padding - size + 1, (count,))"),
         ("left = torch.randint(0, width + 2 * padding - size + 1, (count,), generator=generator)",
          "left = torch.randint(0, width + 2 * padding - size + 1, (count,))")]
