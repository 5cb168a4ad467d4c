"""Tests of observatory.problems."""

from __future__ import annotations

from observatory.problems import Problem, has_errors


def test_has_errors_only_counts_errors():
    warning = Problem("warning", "rasters", "m", "f")
    error = Problem("error", "units", "m", "f")
    assert not has_errors([])
    assert not has_errors([warning])
    assert has_errors([warning, error])


def test_a_problem_as_a_dict():
    error = Problem("error", "units", "m", "f")
    assert error.to_dict() == {"severity": "error", "layer": "units", "message": "m", "fix": "f"}
