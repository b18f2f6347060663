"""Shared fixtures: a catalogue of small groups with facts known from the literature."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import grouptools as gt  # noqa: E402

# name -> (constructor, order, number of conjugacy classes, abelian, solvable)
SMALL_GROUPS = {
    "C1": (lambda: gt.cyclic(1), 1, 1, True, True),
    "C7": (lambda: gt.cyclic(7), 7, 7, True, True),
    "C2xC2": (lambda: gt.abelian((2, 2)), 4, 4, True, True),
    "S3": (lambda: gt.symmetric(3), 6, 3, False, True),
    "D8": (lambda: gt.dihedral(4), 8, 5, False, True),
    "Q8": (lambda: gt.quaternion(8), 8, 5, False, True),
    "D10": (lambda: gt.dihedral(5), 10, 4, False, True),
    "A4": (lambda: gt.alternating(4), 12, 4, False, True),
    "Dic3": (lambda: gt.dicyclic(3), 12, 6, False, True),
    "S4": (lambda: gt.symmetric(4), 24, 5, False, True),
    "SL(2,3)": (lambda: gt.special_linear(2, 3), 24, 7, False, True),
    "GL(2,3)": (lambda: gt.general_linear(2, 3), 48, 8, False, True),
    "A5": (lambda: gt.alternating(5), 60, 5, False, False),
    "D60": (lambda: gt.dihedral(order=60), 60, 18, False, True),
    "S5": (lambda: gt.symmetric(5), 120, 7, False, False),
    "SL(2,5)": (lambda: gt.special_linear(2, 5), 120, 9, False, False),
    "PSL(2,7)": (lambda: gt.projective_special_linear(2, 7), 168, 6, False, False),
    "C5^2:Q8": (lambda: gt.smallgroup_200_44(), 200, 8, False, True),
}


@pytest.fixture(params=sorted(SMALL_GROUPS), scope="session")
def small_group(request):
    """Each catalogue group with its known order, class number, abelian and solvable flags."""
    make, order, nclasses, abelian, solvable = SMALL_GROUPS[request.param]
    return request.param, make(), order, nclasses, abelian, solvable


@pytest.fixture(scope="session")
def group_catalogue():
    """The whole catalogue as a dict name -> group."""
    return {name: spec[0]() for name, spec in SMALL_GROUPS.items()}
