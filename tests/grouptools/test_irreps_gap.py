"""Irreps of every GAP reference group (all groups of order <= 32 and the larger ones) through
the JSON export: characters agree with GAP's table, GAP's relators hold in every irrep, every
image is unitary. Reference data: ``scripts/gen_gap_reference.py``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import grouptools as gt

DATA = Path(__file__).resolve().parents[1] / "data" / "gap_reference.json"
GROUPS = [g for g in json.loads(DATA.read_text())["groups"] if g["order"] <= 1000]


def _matrix(rows) -> np.ndarray:
    a = np.asarray(rows, dtype=float)
    return a[..., 0] + 1j * a[..., 1]


def _evaluate(word: tuple[int, ...], images: list[np.ndarray]) -> np.ndarray:
    d = images[0].shape[0]
    out = np.eye(d, dtype=complex)
    for c in word:
        m = images[abs(c) - 1]
        out = out @ (m if c > 0 else m.conj().T)
    return out


@pytest.mark.parametrize("ref", GROUPS, ids=[g["label"] for g in GROUPS])
def test_irreps_json_agrees_with_gap(ref):
    G = gt.from_presentation(ref["presentation"])
    assert G.order == ref["order"]
    data = json.loads(json.dumps(gt.irreps_to_json(G)))  # through text, as the CLI prints it
    assert data["order"] == ref["order"] and data["generators"] == ref["generators"]
    gap_chars = np.array([[complex(gt.Cyclotomic.from_gap(v)) for v in row]
                          for row in ref["characters"]])
    class_words = [c["word"] for c in ref["classes"]]
    ours = []
    for rep in data["irreps"]:
        images = [_matrix(rep["images"][name]) for name in data["generators"]]
        d = rep["dim"]
        for m in images:
            assert np.allclose(m @ m.conj().T, np.eye(d), atol=1e-12)
        for rel in ref["relators"]:
            word = gt.parse_word(rel, ref["generators"])
            assert np.allclose(_evaluate(word, images), np.eye(d), atol=1e-9), rel
        ours.append([np.trace(_evaluate(gt.parse_word(w, ref["generators"]), images))
                     for w in class_words])
    ours = np.array(ours)
    assert len(ours) == len(gap_chars)
    # every GAP character is the character of exactly one of our irreps
    dist = np.abs(ours[:, None, :] - gap_chars[None, :, :]).max(axis=2)
    match = dist < 1e-8
    assert np.all(match.sum(axis=0) == 1) and np.all(match.sum(axis=1) == 1)
