"""set_frozen_bn_eval calling model.eval(): every module stops training, trainable BatchNorm included."""


def set_frozen_bn_eval(model):
    model.eval()
    return model
