"""The network of Model.cs written in PyTorch, with the same parameter names, so that the weights the .NET program
exports (`dotnet run -- --export-pytorch model.pt`) load into it strictly:

    import torch
    from model import load
    model = load("model.pt")              # SmallResNet with classes and width read from the file, in eval mode
    logits = model(images)                # images: float32 [n, 3, 32, 32], RGB, normalised as below

or by hand: `SmallResNet(classes=10, width=16).load_state_dict(torch.load("model.pt", weights_only=True))`.

Inputs are what the .NET loader feeds the model: RGB pixels scaled to [0, 1], then normalised per channel with
ImageNet's mean (0.485, 0.456, 0.406) and standard deviation (0.229, 0.224, 0.225), in NCHW layout. Class k is the
k-th class folder in ordinal (byte) order of the names, as torchvision's ImageFolder numbers them.
"""
import torch
from torch import nn


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with batch norm, added to the input (through a 1x1 projection when the shape changes)."""

    def __init__(self, input: int, output: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(input, output, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(output)
        self.conv2 = nn.Conv2d(output, output, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(output)
        if stride == 1 and input == output:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(nn.Conv2d(input, output, 1, stride=stride, bias=False), nn.BatchNorm2d(output))

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(input)))
        x = self.bn2(self.conv2(x))
        return torch.relu(x + self.shortcut(input))


class SmallResNet(nn.Module):
    """A 3x3 stem, three stages of residual blocks (the second and third halve the resolution and double the
    channels), global average pooling and a linear classifier."""

    def __init__(self, classes: int, width: int = 16):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.stage1 = ResidualBlock(width, width, stride=1)
        self.stage2 = ResidualBlock(width, 2 * width, stride=2)
        self.stage3 = ResidualBlock(2 * width, 4 * width, stride=2)
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(4 * width, classes)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.stem(images)
        x = self.stage1(x)
        x = self.stage2(x)
        x = self.stage3(x)
        return self.head(self.pool(x))


def load(path: str) -> SmallResNet:
    """The model exported to `path`, its size read from the weights (head.weight is [classes, 4 * width]), in eval mode."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    classes, features = state["head.weight"].shape
    model = SmallResNet(classes=classes, width=features // 4)
    model.load_state_dict(state)   # strict: every name and shape must match
    return model.eval()
