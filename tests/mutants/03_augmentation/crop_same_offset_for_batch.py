"""random_crop draws one (top, left) offset and cuts every image of the batch at it."""

TARGET = "random_crop"
BASE = "random_crop_sliced"
PATCH = [("count, _, height, width = images.shape", "_, _, height, width = images.shape"),
         ("top = torch.randint(0, height + 2 * padding - size + 1, (count,), generator=generator)",
          "top = int(torch.randint(0, height + 2 * padding - size + 1, (1,), generator=generator))"),
         ("left = torch.randint(0, width + 2 * padding - size + 1, (count,), generator=generator)",
          "left = int(torch.randint(0, width + 2 * padding - size + 1, (1,), generator=generator))"),
         ("    offsets = zip(top.tolist(), left.tolist(), strict=True)\n"
          "    return torch.stack([padded[b, :, t:t + size, c:c + size] for b, (t, c) in enumerate(offsets)])",
          "    return padded[:, :, top:top + size, left:left + size].clone()")]
