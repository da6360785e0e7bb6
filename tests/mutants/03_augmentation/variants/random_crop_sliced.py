"""random_crop that cuts each image's window with a slice and stacks the crops, where the reference
gathers all windows at once with index tensors; terse error messages. Correct: for the same
generator, the same offsets and crops as the reference."""


def random_crop(images, size, padding=4, padding_mode="reflect", generator=None):
    if images.dim() != 4:
        raise ValueError(f"images must be [B, C, H, W], got {tuple(images.shape)}")
    count, _, height, width = images.shape
    if size > height + 2 * padding or size > width + 2 * padding:
        raise ValueError(f"size {size} is larger than the padded image")
    padded = F.pad(images, (padding,) * 4, mode=padding_mode) if padding else images
    top = torch.randint(0, height + 2 * padding - size + 1, (count,), generator=generator)
    left = torch.randint(0, width + 2 * padding - size + 1, (count,), generator=generator)
    offsets = zip(top.tolist(), left.tolist(), strict=True)
    return torch.stack([padded[b, :, t:t + size, c:c + size] for b, (t, c) in enumerate(offsets)])
