#!/usr/bin/env python3
"""PyTorch reference for train_bench: Annotune's detector and extraction model written layer by
layer in plain PyTorch, trained and run on the batches train_bench wrote.

Usage: train_reference.py FOLDER

FOLDER holds manifest.json (task, sizes, optimiser settings, threads, step counts), weights.pt (the
initial weights by Annotune's parameter names, loaded strictly so any difference in architecture
fails) and batch-N.pt (prepared batches). Prints one JSON object on stdout: parameter count, the
loss of the first step, training and inference throughput (batch size over the fastest timed step,
as train_bench measures Annotune: on a shared machine the least disturbed step). The script is written the way a PyTorch
user would write it: torch.optim.AdamW and clip_grad_norm_ with their defaults, eval() and
inference_mode() for inference.
"""

import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Detector -----------------------------------------------------------------------------------

class ConvBnAct(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.silu(self.bn(self.conv(x)))


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.a = ConvBnAct(channels, channels, 3, 1)
        self.b = ConvBnAct(channels, channels, 3, 1)

    def forward(self, x):
        return x + self.b(self.a(x))


class Detector(nn.Module):
    def __init__(self, classes, width, stride):
        super().__init__()
        w = width
        c4, c8, c16, c32 = 2 * w, 3 * w, 5 * w, 8 * w
        self.stride = stride
        self.stem = nn.Sequential(ConvBnAct(3, w, 3, 2), ConvBnAct(w, c4, 3, 2))
        self.stage8 = nn.Sequential(ConvBnAct(c4, c8, 3, 2), Residual(c8))
        self.stage16 = nn.Sequential(ConvBnAct(c8, c16, 3, 2), Residual(c16))
        self.stage32 = nn.Sequential(ConvBnAct(c16, c32, 3, 2), Residual(c32))
        self.lat8 = nn.Conv2d(c8, c8, 1)
        self.lat16 = nn.Conv2d(c16, c8, 1)
        self.lat32 = nn.Conv2d(c32, c8, 1)
        self.neck = ConvBnAct(c8, c8, 3, 1)
        self.cls_tower = ConvBnAct(c8, c8, 3, 1)
        self.reg_tower = ConvBnAct(c8, c8, 3, 1)
        self.cls_out = nn.Conv2d(c8, classes, 1)
        self.reg_out = nn.Conv2d(c8, 4, 1)

    def forward(self, images):
        def up(x, like):
            return F.interpolate(x, size=like.shape[-2:], mode="nearest")

        f8 = self.stage8(self.stem(images))
        f16 = self.stage16(f8)
        f32 = self.stage32(f16)
        p = self.lat16(f16) + up(self.lat32(f32), f16)
        p = self.neck(self.lat8(f8) + up(p, f8))
        heat = self.cls_out(self.cls_tower(p))
        sides = torch.exp(self.reg_out(self.reg_tower(p)).clamp(-6, 6)) * float(2 * self.stride)
        return heat, sides


def sides_to_boxes(sides, stride):
    h, w = sides.shape[2], sides.shape[3]
    xs = (torch.arange(w, dtype=sides.dtype) + 0.5) * stride
    ys = (torch.arange(h, dtype=sides.dtype) + 0.5) * stride
    cx = xs.view(1, 1, w).expand(1, h, w)
    cy = ys.view(1, h, 1).expand(1, h, w)
    return torch.stack([cx - sides[:, 0], cy - sides[:, 1], cx + sides[:, 2], cy + sides[:, 3]], 1)


def detection_loss(heat, sides, batch, stride):
    p = torch.sigmoid(heat).clamp(1e-4, 1 - 1e-4)
    target = batch["heatmap"]
    pos = target.eq(1).float()
    pos_loss = -torch.log(p) * (1 - p).pow(2) * pos
    neg_loss = -torch.log(1 - p) * p.pow(2) * (1 - target).pow(4) * (1 - pos)
    focal = (pos_loss.sum() + neg_loss.sum()) / pos.sum().clamp_min(1)

    pred, truth, weight = sides_to_boxes(sides, stride), batch["boxes"], batch["weight"]
    ix0 = torch.max(pred[:, 0], truth[:, 0])
    iy0 = torch.max(pred[:, 1], truth[:, 1])
    ix1 = torch.min(pred[:, 2], truth[:, 2])
    iy1 = torch.min(pred[:, 3], truth[:, 3])
    inter = (ix1 - ix0).clamp_min(0) * (iy1 - iy0).clamp_min(0)
    area_p = (pred[:, 2] - pred[:, 0]) * (pred[:, 3] - pred[:, 1])
    area_t = (truth[:, 2] - truth[:, 0]) * (truth[:, 3] - truth[:, 1])
    union = area_p + area_t - inter + 1e-6
    hull = (torch.max(pred[:, 2], truth[:, 2]) - torch.min(pred[:, 0], truth[:, 0])) * \
           (torch.max(pred[:, 3], truth[:, 3]) - torch.min(pred[:, 1], truth[:, 1])) + 1e-6
    giou = inter / union - (hull - union) / hull
    giou_loss = ((1 - giou) * weight).sum() / weight.sum().clamp_min(1e-6)
    return focal + 2 * giou_loss


# --- Extraction model ---------------------------------------------------------------------------

class LoraLinear(nn.Module):
    def __init__(self, cin, cout, rank, alpha):
        super().__init__()
        self.base = nn.Linear(cin, cout)
        self.rank = rank
        self.scale = alpha / rank if rank > 0 else 0.0
        if rank > 0:
            self.lora_a = nn.Parameter(torch.randn(rank, cin) / math.sqrt(cin))
            self.lora_b = nn.Parameter(torch.zeros(cout, rank))

    def forward(self, x):
        y = self.base(x)
        if self.rank > 0:
            y = y + F.linear(F.linear(x, self.lora_a), self.lora_b) * self.scale
        return y


class EncoderLayer(nn.Module):
    def __init__(self, m):
        super().__init__()
        d = m["model_dim"]
        self.heads = m["heads"]

        def make(name, cin, cout):
            rank = m["lora_rank"] if name in m["lora_targets"] else 0
            return LoraLinear(cin, cout, rank, m["lora_alpha"])

        self.q, self.k, self.v, self.o = make("q", d, d), make("k", d, d), make("v", d, d), make("o", d, d)
        self.ff1, self.ff2 = make("ff1", d, 2 * d), make("ff2", 2 * d, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, pad, bias=None):
        b, t, d = x.shape
        dh = d // self.heads
        h = self.norm1(x)

        def split(y):
            return y.view(b, t, self.heads, dh).transpose(1, 2)

        qh, kh, vh = split(self.q(h)), split(self.k(h)), split(self.v(h))
        scores = torch.matmul(qh, kh.transpose(-2, -1)) / math.sqrt(dh)
        if bias is not None:
            scores = scores + bias
        scores = scores.masked_fill(pad.view(b, 1, 1, t), -1e9)
        attended = torch.matmul(torch.softmax(scores, -1), vh).transpose(1, 2).reshape(b, t, d)
        y = x + self.o(attended)
        return y + self.ff2(F.gelu(self.ff1(self.norm2(y))))


class Extractor(nn.Module):
    def __init__(self, m):
        super().__init__()
        d, bins = m["model_dim"], m["position_bins"]
        self.dim = d
        self.text = nn.EmbeddingBag(m["hash_buckets"], d, mode="mean")
        self.context = nn.EmbeddingBag(m["hash_buckets"], d, mode="mean")
        self.x0, self.y0 = nn.Embedding(bins, d), nn.Embedding(bins, d)
        self.x1, self.y1 = nn.Embedding(bins, d), nn.Embedding(bins, d)
        self.mask_vector = nn.Parameter(torch.randn(d) * 0.02)
        self.spatial = m.get("spatial_bias", False)
        if self.spatial:
            # extractor.cpp's spatial attention bias: learnt per head by the bucket of the distance
            # between two words' doubled box centres, across and down; the buckets come in the weights.
            self.max_distance = 2 * (bins - 1)
            self.across = nn.Embedding(36, m["heads"])
            self.down = nn.Embedding(36, m["heads"])
            self.register_buffer("distance_bucket", torch.zeros(2 * self.max_distance + 1, dtype=torch.long))
        self.embed_norm, self.final_norm = nn.LayerNorm(d), nn.LayerNorm(d)
        self.layers = nn.ModuleList([EncoderLayer(m) for _ in range(m["layers"])])
        self.tag_head = nn.Linear(d, 2 * m["classes"] + 1)
        self.word_head = nn.Linear(d, m["word_targets"])

    def encode(self, batch):
        pad, boxes = batch["pad"], batch["boxes"]
        b, t = pad.shape
        words = self.text(batch["ngrams"], batch["offsets"]) + self.context(batch["context"], batch["context_offsets"])
        x = torch.zeros(b * t, self.dim, dtype=words.dtype).index_copy(0, batch["flat"], words).view(b, t, self.dim)
        x = x + self.x0(boxes[..., 0]) + self.y0(boxes[..., 1]) + self.x1(boxes[..., 2]) + self.y1(boxes[..., 3])
        x = self.embed_norm(x)
        bias = self.spatial_bias(boxes) if self.spatial else None
        for layer in self.layers:
            x = layer(x, pad, bias)
        return self.final_norm(x)

    def spatial_bias(self, boxes):
        def bucket(c):
            d = c.unsqueeze(-2) - c.unsqueeze(-1) + self.max_distance
            return self.distance_bucket[d]

        cx, cy = boxes[..., 0] + boxes[..., 2], boxes[..., 1] + boxes[..., 3]
        return (self.across(bucket(cx)) + self.down(bucket(cy))).movedim(-1, -3).contiguous()


OUTSIDE_TAG_WEIGHT = 0.3  # training/engine/extractor.h kOutsideTagWeight


def tag_loss(model, batch):
    logits = model.tag_head(model.encode(batch))
    weight = torch.ones(logits.shape[-1])
    weight[0] = OUTSIDE_TAG_WEIGHT
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["tags"].reshape(-1), weight=weight,
                           ignore_index=-100)


# --- Timing -------------------------------------------------------------------------------------

def time_steps(warmup, steps, fn):
    seconds = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        fn(i)
        if i >= warmup:
            seconds.append(time.perf_counter() - t0)
    return seconds


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: train_reference.py FOLDER")
    folder = sys.argv[1]
    with open(f"{folder}/manifest.json") as f:
        m = json.load(f)
    torch.set_num_threads(m["threads"])
    batches = [torch.load(f"{folder}/batch-{i}.pt") for i in range(m["batches"])]
    detection = m["task"] == "detection"
    if detection:
        model = Detector(m["classes"], m["width"], m["stride"])

        def loss_of(batch):
            heat, sides = model(batch["images"])
            return detection_loss(heat, sides, batch, m["stride"])

        def infer(batch):
            model(batch["images"])
    else:
        model = Extractor(m)

        def loss_of(batch):
            return tag_loss(model, batch)

        def infer(batch):
            torch.softmax(model.tag_head(model.encode(batch)), -1).max(-1)

    model.load_state_dict(torch.load(f"{folder}/weights.pt"), strict=True)
    parameters = sum(p.numel() for p in model.parameters())
    batch_size, n = m["batch_size"], m["batches"]

    optimizer = torch.optim.AdamW(model.parameters(), lr=m["learning_rate"], weight_decay=m["weight_decay"])
    first = []
    model.train()

    def train_step(i):
        optimizer.zero_grad()
        loss = loss_of(batches[i % n])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), m["clip_norm"])
        optimizer.step()
        value = loss.item()
        if i == 0:
            first.append(value)

    train = time_steps(m["warmup"], m["steps"], train_step)
    model.eval()
    with torch.inference_mode():
        inference = time_steps(m["warmup"], m["steps"], lambda i: infer(batches[i % n]))
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": parameters,
        "first_loss": first[0],
        "train_items_per_second": batch_size / min(train),
        "infer_items_per_second": batch_size / min(inference),
    }))


if __name__ == "__main__":
    main()
