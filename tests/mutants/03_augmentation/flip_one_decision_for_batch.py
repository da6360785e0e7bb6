"""random_horizontal_flip draws one coin for the whole batch (like v2 on a batch tensor)."""


def random_horizontal_flip(images, boxes=None, p=0.5, generator=None):
    if images.dim() != 4:
        raise ValueError(f"images must be [B, C, H, W], got {tuple(images.shape)}")
    if boxes is not None and len(boxes) != images.shape[0]:
        raise ValueError("one box tensor per image")
    if torch.rand(1, generator=generator).item() < p:
        new_boxes = None if boxes is None else [hflip_boxes(b, images.shape[-1]) for b in boxes]
        return images.flip(-1), new_boxes
    return images.clone(), None if boxes is None else [b.clone() for b in boxes]
