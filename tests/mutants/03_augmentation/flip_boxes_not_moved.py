"""random_horizontal_flip flips the images but returns the boxes unchanged."""


def random_horizontal_flip(images, boxes=None, p=0.5, generator=None):
    if images.dim() != 4:
        raise ValueError(f"images must be [B, C, H, W], got {tuple(images.shape)}")
    if boxes is not None and len(boxes) != images.shape[0]:
        raise ValueError("one box tensor per image")
    flip = torch.rand(images.shape[0], generator=generator) < p
    new_images = torch.where(flip.view(-1, 1, 1, 1), images.flip(-1), images)
    return new_images, None if boxes is None else [b.clone() for b in boxes]
