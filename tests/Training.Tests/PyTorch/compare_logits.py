"""Loads weights that TorchEnv.Training exported (PyTorchStateDict) into the template's PyTorch SmallResNet
(templates/torchenv-train/pytorch/model.py) and compares its logits on a fixed batch with the ones the .NET model
computed. Exit 0 when they agree within the tolerance, 1 otherwise.

usage: compare_logits.py MODEL_PY_DIR WEIGHTS.pt BATCH.pt TOLERANCE
BATCH.pt holds "images" (the input) and "logits" (the .NET model's output in eval mode), also written by TorchEnv.
"""
import sys

import torch

model_dir, weights, batch_path, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sys.path.insert(0, model_dir)
from model import load  # noqa: E402  (the template's file, found through model_dir)

model = load(weights)    # strict load_state_dict: every name and shape must match
state = torch.load(weights, weights_only=True)
batch = torch.load(batch_path, weights_only=True)
with torch.no_grad():
    logits = model(batch["images"])
expected = batch["logits"]
difference = (logits - expected).abs().max().item()
same_names = sorted(state.keys()) == sorted(model.state_dict().keys())
same_classes = torch.equal(logits.argmax(1), expected.argmax(1))
print(f"torch {torch.__version__}: {len(state)} tensors loaded strictly, same names as the module's state_dict(): {same_names}; "
      f"max |logits - .NET logits| = {difference:.3g} over {expected.numel()} values (tolerance {tolerance:g}); "
      f"same predicted classes: {same_classes}")
sys.exit(0 if same_names and same_classes and difference <= tolerance else 1)
