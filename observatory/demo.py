"""The runs of ``observatory demo``: one bundled sample end to end, or both compared.

A sample's demo copies the project into a folder, computes every indicator into its
``results`` folder and writes the atlas into ``atlas``. The comparison demo does this for
each sample (``rsk`` and ``brussels`` subfolders), then compares the two results folders as
``observatory compare`` does, once per pair of levels of :data:`DEMO_COMPARISONS`. Every
output is checked before anything is computed, so a refused run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.engine import Progress, run
from observatory.io.atomic import check_writable
from observatory.io.outputs import claim_outputs
from observatory.io.published import read_published
from observatory.messages import _
from observatory.project import load_project
from observatory.report.atlas import INDEX, write_atlas
from observatory.report.atlas.comparison import write_comparison
from observatory.report.outputs import write_outputs
from observatory.results import Results
from observatory.sample import SAMPLE_REGIONS, write_sample_project

RESULTS, ATLAS = "results", "atlas"
#: The demo's working folder when none is given: by sample, and for the comparison.
DEMO_FOLDERS = {
    "rsk": "observatory-demo",
    "brussels": "observatory-demo-brussels",
    "compare": "observatory-demo-compare",
}
#: The comparisons of the comparison demo: folder → level of each sample, in the order of
#: :data:`~observatory.sample.SAMPLE_REGIONS`. The regions side by side, then the local
#: units (RSK communes, Belgian municipalities) ranked together.
DEMO_COMPARISONS = {
    "comparison-regions": ("region", "region"),
    "comparison-municipalities": ("commune", "municipality"),
}


@dataclass(frozen=True)
class SampleRun:
    """A sample computed by the demo.

    Attributes
    ----------
    region : str
        The sample (a key of :data:`~observatory.sample.SAMPLE_REGIONS`).
    folder : Path
        Where its project was copied; ``results`` and ``atlas`` are inside.
    results : Results
        The run.
    paths : list of Path
        The files of the results folder.
    atlas : Path
        The atlas's ``index.html``.
    """

    region: str
    folder: Path
    results: Results
    paths: list[Path]
    atlas: Path


def _claim(folder: Path, *, overwrite: bool) -> None:
    """Check and lock what a sample's demo writes in ``folder`` before any work (claiming
    twice is harmless: nothing is written between)."""
    claim_outputs(folder / RESULTS, overwrite=overwrite)
    check_writable(folder / ATLAS / INDEX, overwrite=overwrite)


def run_sample(
    region: str, folder: Path | str, *, overwrite: bool, progress: Progress
) -> SampleRun:
    """Copy the sample ``region`` into ``folder``, compute everything, write the atlas.

    Parameters
    ----------
    region : str
        A key of :data:`~observatory.sample.SAMPLE_REGIONS`.
    folder : path
        The working folder (project, ``results`` and ``atlas``).
    overwrite : bool
        Replace files that exist (without it, an error before anything is written).
    progress : callable
        Called with a line of progress.
    """
    folder = Path(folder)
    _claim(folder, overwrite=overwrite)
    project_file = write_sample_project(folder, region=region, overwrite=overwrite)
    results = run(load_project(project_file), progress=progress)
    paths = write_outputs(results, folder / RESULTS, overwrite=overwrite)
    progress(_("writing the atlas"))
    atlas = write_atlas(
        folder / RESULTS, folder / ATLAS, language=results.project.language, overwrite=overwrite
    )
    return SampleRun(region, folder, results, paths, atlas)


def compare_samples(
    folder: Path | str, *, overwrite: bool, progress: Progress
) -> tuple[list[SampleRun], list[Path]]:
    """Run the demo of every sample in a subfolder of ``folder``, then compare them.

    Returns the runs and the ``index.html`` of each comparison of
    :data:`DEMO_COMPARISONS`, written in the language of the first sample (as
    ``observatory compare`` does).
    """
    folder = Path(folder)
    for region in SAMPLE_REGIONS:
        _claim(folder / region, overwrite=overwrite)
    for name in DEMO_COMPARISONS:
        check_writable(folder / name / INDEX, overwrite=overwrite)
    runs = [
        run_sample(region, folder / region, overwrite=overwrite, progress=progress)
        for region in SAMPLE_REGIONS
    ]
    published = [read_published(sample.folder / RESULTS) for sample in runs]
    pages = []
    for name, levels in DEMO_COMPARISONS.items():
        progress(_("comparing the samples: {name}", name=name))
        write_comparison(
            published,
            folder / name,
            levels=levels,
            language=published[0].language,
            overwrite=overwrite,
        )
        pages.append(folder / name / INDEX)
    return runs, pages
