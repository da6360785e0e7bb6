"""random_horizontal_flip draws from the global generator and ignores `generator`: not reproducible."""


def random_horizontal_flip(images, boxes=None, p=0.5, generator=None):
    if images.dim() != 4:
        raise ValueError(f"images must be [B, C, H, W], got {tuple(images.shape)}")
    if boxes is not None and len(boxes) != images.shape[0]:
        raise ValueError("one box tensor per image")
    flip = torch.rand(images.shape[0]) < p
    new_images = torch.where(flip.view(-1, 1, 1, 1), images.flip(-1), images)
    if boxes is None:
        return new_images, None
    decisions = zip(boxes, flip.tolist(), strict=True)
    return new_images, [hflip_boxes(b, images.shape[-1]) if f else b.clone() for b, f in decisions]
