"""cutout zeroes the squares in the input tensor itself (masked_fill_) and returns it."""


def cutout(images, size, generator=None):
    if images.dim() != 4 or size < 1:
        raise ValueError("images must be [B, C, H, W] and size a positive int")
    count, _, height, width = images.shape
    top = torch.randint(0, height, (count,), generator=generator) - size // 2
    left = torch.randint(0, width, (count,), generator=generator) - size // 2
    rows, cols = torch.arange(height), torch.arange(width)
    in_rows = (rows >= top[:, None]) & (rows < top[:, None] + size)
    in_cols = (cols >= left[:, None]) & (cols < left[:, None] + size)
    return images.masked_fill_((in_rows[:, :, None] & in_cols[:, None, :])[:, None], 0)
