"""cutout puts the square's top-left corner (not its centre) on the random pixel."""


def cutout(images, size, generator=None):
    if images.dim() != 4 or size < 1:
        raise ValueError("images must be [B, C, H, W] and size a positive int")
    count, _, height, width = images.shape
    rows = torch.randint(0, height, (count,), generator=generator)
    cols = torch.randint(0, width, (count,), generator=generator)
    out = images.clone()
    for b, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        out[b, :, r:r + size, c:c + size] = 0
    return out
