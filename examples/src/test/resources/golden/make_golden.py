"""Reference values for the examples' tests: each function runs, in real PyTorch (Debian's
python3-torch 1.13), the same program as one Java example, with the same seed and sizes, and records
what the Java test compares. Run from this directory with Debian's interpreter:

    cd examples/src/test/resources/golden && /usr/bin/python3 make_golden.py

It writes one JSON file per example next to itself.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import ExponentialLR, LambdaLR
from torch.utils.data import DataLoader, Dataset, TensorDataset

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def dump(name, obj):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def flat(t):
    return t.detach().flatten().tolist()


# ------------------------------------------------------------------ the seed's two models

class Model(nn.Module):
    """Section 1."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))


class SimpleModel(nn.Module):
    """Section 3.1 (the conv net)."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.fc = nn.Linear(320, 50)

    def forward(self, x):
        x = torch.relu(torch.max_pool2d(self.conv1(x), 2))
        x = torch.relu(torch.max_pool2d(self.conv2(x), 2))
        x = x.view(-1, 320)
        return self.fc(x)


class LinearModel(nn.Module):
    """Sections 4.1 and 4.2 (also called SimpleModel there)."""
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(10, 2)

    def forward(self, x):
        return self.linear(x)


def models():
    torch.manual_seed(0)
    model = Model()
    x = torch.randn(2, 1, 28, 28)
    y = model(x)
    out = {"model_shape": list(y.shape), "model_sum": y.sum().item(), "model_first": flat(y[0, 0, 0, :8])}
    torch.manual_seed(0)
    simple = SimpleModel()
    x = torch.randn(3, 1, 28, 28)
    y = simple(x)
    out.update({"simple_shape": list(y.shape), "simple_sum": y.sum().item(), "simple_first": flat(y[0, :8])})
    out["named_parameters"] = [[n, list(p.size())] for n, p in simple.named_parameters()]
    dump("models", out)


# ------------------------------------------------------------------ section 2: dataset + collate_fn

class ListDataset(Dataset):
    def __init__(self, samples):
        self.list = samples
        self.dataset_size = len(samples)

    def __getitem__(self, index):
        image, target = self.list[index]
        return image, target

    def __len__(self):
        return self.dataset_size


class CollateFunc(object):
    def __call__(self, batch):
        targets = []
        images = []
        for sample in batch:
            images.append(sample[0])
            targets.append(sample[1])
        images = torch.stack(images, 0)  # [B, C, H, W]
        return images, targets


def dataset_collate():
    torch.manual_seed(0)
    samples = []
    for i in range(10):
        image = torch.randn(1, 8, 8)
        boxes = torch.rand(i % 3 + 1, 4)          # a varying number of boxes per image
        samples.append((image, boxes))
    loader = DataLoader(ListDataset(samples), batch_size=4, shuffle=True, collate_fn=CollateFunc())
    batches = []
    for epoch in range(2):
        for images, targets in loader:
            batches.append({"images_shape": list(images.shape), "images_sum": images.sum().item(),
                            "box_counts": [t.shape[0] for t in targets],
                            "boxes_sum": sum(t.sum().item() for t in targets)})
    dump("dataset_collate", {"batches": batches})


# ------------------------------------------------------------------ section 3.1: SGD + ExponentialLR

def sgd_exponential(epochs=20):
    torch.manual_seed(0)
    model = SimpleModel()
    inputs = torch.randn(96, 1, 28, 28)
    targets = torch.randint(0, 10, (96,))
    dataset = DataLoader(TensorDataset(inputs, targets), batch_size=32, shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = ExponentialLR(optimizer, gamma=0.9)
    lrs, losses = [], []
    for epoch in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        for input, target in dataset:
            optimizer.zero_grad()
            output = model(input)
            loss = loss_fn(output, target)
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
        scheduler.step()
    dump("sgd_exponential", {"epochs": epochs, "lr": lrs, "last_loss": losses,
                             "final_lr": optimizer.param_groups[0]["lr"], "fc_bias": flat(model.fc.bias)})


# ------------------------------------------------------------------ section 3.1: per-layer groups

def param_groups(steps=12):
    torch.manual_seed(0)
    model = SimpleModel()
    inputs = torch.randn(8, 1, 28, 28)
    targets = torch.randint(0, 10, (8,))
    conv = list(model.conv1.parameters()) + list(model.conv2.parameters())
    optimizer = optim.SGD(conv, lr=0.01, momentum=0.9)
    optimizer.add_param_group({"params": model.fc.parameters(), "lr": 0.001, "weight_decay": 1e-4})
    scheduler = LambdaLR(optimizer, lr_lambda=[lambda e: 0.95 ** e, lambda e: 1.0 / (1 + e)])
    lrs = []
    for step in range(steps):
        lrs.append([g["lr"] for g in optimizer.param_groups])
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs), targets)
        loss.backward()
        optimizer.step()
        scheduler.step()
    sd = optimizer.state_dict()
    dump("param_groups", {
        "steps": steps, "lr": lrs, "final_loss": loss.item(),
        "groups": [{k: v for k, v in g.items() if k != "params"} | {"params": g["params"]} for g in sd["param_groups"]],
        "state_keys": sorted(sd["state"].keys()),
        "conv1_bias": flat(model.conv1.bias), "fc_bias": flat(model.fc.bias)})


# ------------------------------------------------------------------ section 4.1: by epoch

def train_epoch():
    torch.manual_seed(0)
    model = LinearModel()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    x_dummy = torch.randn(1000, 10)
    y_dummy = torch.randint(0, 2, (1000,))
    dataset = TensorDataset(x_dummy, y_dummy)
    data_loader = DataLoader(dataset, batch_size=100, shuffle=True)
    accumulation_steps = 10
    model.train()
    losses = []
    for epoch in range(2):
        for i, (inputs, targets) in enumerate(data_loader):
            outputs = model(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            if (i + 1) % accumulation_steps == 0:
                optimizer.step()
                optimizer.zero_grad()
            losses.append(loss.item())
    dump("train_epoch", {"losses": losses, "weight": flat(model.linear.weight), "bias": flat(model.linear.bias)})


# ------------------------------------------------------------------ section 4.2: by iteration

def train_iteration(max_iter=100):
    torch.manual_seed(0)
    model = LinearModel()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    x_dummy = torch.randn(1000, 10)
    y_dummy = torch.randint(0, 2, (1000,))
    data_loader = DataLoader(TensorDataset(x_dummy, y_dummy), batch_size=100, shuffle=True)
    accumulation_steps = 10
    model.train()
    losses, passes = [], 1
    iterator = iter(data_loader)
    for it in range(1, max_iter):
        try:
            inputs, targets = next(iterator)
        except StopIteration:
            iterator = iter(data_loader)
            passes += 1
            inputs, targets = next(iterator)
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        if it % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
        losses.append(loss.item())
    dump("train_iteration", {"max_iter": max_iter, "losses": losses, "passes": passes,
                             "weight": flat(model.linear.weight), "bias": flat(model.linear.bias)})


if __name__ == "__main__":
    models()
    dataset_collate()
    sgd_exponential()
    param_groups()
    train_epoch()
    train_iteration()
