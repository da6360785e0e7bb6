"""The evaluation pipeline reuses the random training augmentations, so evaluation is not deterministic."""


def make_eval_transform():
    return v2.Compose([
        v2.RandomAffine(degrees=10, scale=(0.9, 1.1), shear=10, interpolation=v2.InterpolationMode.BILINEAR),
        v2.Normalize(mean=[DIGIT_MEAN], std=[DIGIT_STD]),
    ])
