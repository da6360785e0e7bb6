"""cutout draws the centre only where the whole square fits, so the square is never clipped at a border."""


def cutout(images, size, generator=None):
    if images.dim() != 4 or size < 1:
        raise ValueError("images must be [B, C, H, W] and size a positive int")
    count, _, height, width = images.shape
    top = torch.randint(0, max(1, height - size + 1), (count,), generator=generator)
    left = torch.randint(0, max(1, width - size + 1), (count,), generator=generator)
    out = images.clone()
    for b, (t, c) in enumerate(zip(top.tolist(), left.tolist(), strict=True)):
        out[b, :, t:t + size, c:c + size] = 0
    return out
