"""random_crop draws one (top, left) offset and cuts every image of the batch at it."""


def random_crop(images, size, padding=4, padding_mode="reflect", generator=None):
    if images.dim() != 4:
        raise ValueError(f"images must be [B, C, H, W], got {tuple(images.shape)}")
    _, _, height, width = images.shape
    if size > height + 2 * padding or size > width + 2 * padding:
        raise ValueError(f"size {size} is larger than the padded image")
    padded = F.pad(images, (padding,) * 4, mode=padding_mode) if padding else images
    top = int(torch.randint(0, height + 2 * padding - size + 1, (1,), generator=generator))
    left = int(torch.randint(0, width + 2 * padding - size + 1, (1,), generator=generator))
    return padded[:, :, top:top + size, left:left + size].clone()
