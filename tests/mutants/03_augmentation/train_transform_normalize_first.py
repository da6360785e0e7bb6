"""The training pipeline normalizes before the affine warp, so the warp fills the border with 0, which is not
the normalized background."""


def make_train_transform():
    return v2.Compose([
        v2.Normalize(mean=[DIGIT_MEAN], std=[DIGIT_STD]),
        v2.RandomAffine(degrees=10, translate=(0.05, 0.05), scale=(0.9, 1.1), shear=10,
                        interpolation=v2.InterpolationMode.BILINEAR, fill=0),
    ])
