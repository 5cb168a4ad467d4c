"""The training runner: the course manifest, checks with friendly verdicts, the workspace.

The course content (pages, starter files, checks, solutions) is in the ``training/`` folder,
shipped inside the wheel; see DESIGN §8.
"""

from observatory.workshop.checks import CheckContext, CheckFailed, CheckItem, Verdict
from observatory.workshop.manifest import Course, Exercise, Module, load_course
from observatory.workshop.runner import run_check
from observatory.workshop.workspace import (
    Workspace,
    bundled_course,
    find_workspace,
    start_workspace,
)

__all__ = [
    "CheckContext",
    "CheckFailed",
    "CheckItem",
    "Course",
    "Exercise",
    "Module",
    "Verdict",
    "Workspace",
    "bundled_course",
    "find_workspace",
    "load_course",
    "run_check",
    "start_workspace",
]
