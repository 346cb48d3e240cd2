"""The network: torchvision's MobileNetV3-small with a 7-class head, optionally from local ImageNet weights."""

import torch
from torch import nn
from torchvision.models import mobilenet_v3_small

from data import CODES


class WeightsError(Exception):
    """A --weights file that is not a MobileNetV3-small state dict; the message is one sentence for the user."""


def build_model(weights_file=None):
    model = mobilenet_v3_small()
    model.classifier = nn.Sequential(
        nn.Linear(576, 1024),
        nn.Hardswish(),
        nn.Dropout(0.2),
        nn.Linear(1024, len(CODES)),
    )
    if weights_file is not None:
        load_imagenet_weights(model, weights_file)
    return model


def load_imagenet_weights(model, weights_file):
    """Loads torchvision's ImageNet state dict (mobilenet_v3_small-047dcff4.pth) except the 1000-class layer."""
    try:
        state = torch.load(weights_file, map_location="cpu")
    except Exception as error:
        raise WeightsError(f"{weights_file} is not a PyTorch state dict ({error})") from error
    if not isinstance(state, dict):
        raise WeightsError(f"{weights_file} holds a {type(state).__name__}, not a state dict")
    # The final layer has 1000 ImageNet classes; ours has 7 and keeps its fresh initialisation.
    state = {k: v for k, v in state.items() if not k.startswith("classifier.3.")}
    result = model.load_state_dict(state, strict=False)
    unexpected = list(result.unexpected_keys)
    missing = [k for k in result.missing_keys if not k.startswith("classifier.3.")]
    if unexpected or missing:
        raise WeightsError(f"{weights_file} does not match mobilenet_v3_small "
                           f"(missing {missing[:3]}, unexpected {unexpected[:3]})")


def set_backbone_frozen(model, frozen):
    for parameter in model.features.parameters():
        parameter.requires_grad = not frozen
