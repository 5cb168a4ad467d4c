"""The HTML atlas: every page written, nothing outside the folder, figures, Arabic, a browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_cases import ARABIC_NAMES, chromium, needs_chromium, write_results
from series_cases import three_year_project

from observatory.engine import run
from observatory.errors import OutputExistsError
from observatory.io.published import read_published
from observatory.project import load_project
from observatory.report.atlas import write_atlas
from observatory.report.outputs import write_outputs

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return write_results(tmp_path_factory.mktemp("atlas"))


@pytest.fixture(scope="module")
def atlas_fr(results, tmp_path_factory):
    index = write_atlas(
        results, tmp_path_factory.mktemp("fr") / "atlas", language="fr", overwrite=False
    )
    return index.parent


@pytest.fixture(scope="module")
def atlas_ar(results, tmp_path_factory):
    index = write_atlas(
        results, tmp_path_factory.mktemp("ar") / "atlas", language="ar", overwrite=False
    )
    return index.parent


class References(HTMLParser):
    """Every src/href of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_atlas_has_a_page_per_indicator_and_per_unit(results, atlas_fr):
    published = read_published(results)
    names = {p.name for p in atlas_fr.iterdir()}
    assert {"index.html", "methods.html", "provenance.html", "atlas.css", "atlas.js"} <= names
    for indicator_id in published.provenance["indicators_computed"]:
        assert f"indicator-{indicator_id}.html" in names
    for level, layer in published.layers.items():
        for unit_id in layer["unit_id"]:
            assert f"unit-{level}-{unit_id}.html" in names
    assert not [n for n in names if n.startswith(".")]  # no staging left


def test_nothing_refers_outside_the_folder(atlas_fr, atlas_ar):
    for folder in (atlas_fr, atlas_ar):
        for path in folder.iterdir():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9]", text, re.IGNORECASE), path.name
            assert "@import" not in text and "url(http" not in text and "fetch(" not in text
            if path.suffix != ".html":
                continue
            parser = References()
            parser.feed(text)
            for reference in parser.found:
                if reference.startswith("#"):
                    continue
                target = reference.split("#")[0]
                assert (folder / target).is_file(), f"{path.name} → {reference}"


def test_the_home_page_shows_the_territory_and_its_key_figures(atlas_fr):
    home = (atlas_fr / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in home
    assert "Rabat-Salé-Kénitra" in home
    assert f"4{NNBSP}400" in home  # the region's population in 2024 (1100 + ... = 4400)
    assert 'href="indicator-population.html"' in home
    assert 'href="unit-commune-04.001.html"' in home


def test_an_indicator_page_has_maps_a_sortable_table_and_its_sheet(atlas_fr):
    page = (atlas_fr / "indicator-population.html").read_text(encoding="utf-8")
    assert page.count('<svg class="choropleth"') == 4  # province and commune, 2014 and 2024
    assert 'data-n="Salé-Sud" data-v="1' in page
    assert '<table class="sortable">' in page
    assert f'data-sort="1320.0"><bdi>1{NNBSP}320</bdi>' in page
    for heading in ("Définition", "Formule", "Unité de mesure", "Référence ODD / NPU et sources"):
        assert heading in page


def test_a_unit_profile_compares_it_with_its_parent_and_the_territory(atlas_fr):
    page = (atlas_fr / "unit-commune-04.002.html").read_text(encoding="utf-8")
    row = re.search(r"Population</a></td><td><bdi>2024</bdi></td>(.*?)</tr>", page).group(1)
    assert re.findall(r"<bdi>([^<]*)</bdi>", row)[:3] == [
        f"1{NNBSP}320",
        f"1{NNBSP}760",
        f"4{NNBSP}400",
    ]
    assert '<svg class="bars"' in row
    assert '<svg class="locator"' in page


def trend_of(page: str, indicator_id: str) -> str | None:
    """The trend chart of an indicator on a unit's page, None if it has none."""
    found = re.search(
        rf'<figure class="trend"><figcaption><a href="indicator-{indicator_id}.html">'
        r"(.*?)</figure>",
        page,
    )
    return found.group(1) if found else None


def test_with_two_years_a_profile_draws_the_years_but_not_a_single_change(atlas_fr):
    page = (atlas_fr / "unit-commune-04.002.html").read_text(encoding="utf-8")
    population = trend_of(page, "population")
    assert re.findall(r"<title>([^<]*)</title>", population) == [
        f"2014: 1{NNBSP}200",
        f"2024: 1{NNBSP}320",
    ]
    assert trend_of(page, "population_growth_rate") is None  # one period is no trend
    assert trend_of(page, "degurba_l1") is None  # a class has no line


@pytest.fixture(scope="module")
def atlas_three_years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-years")
    results = run(load_project(three_year_project(folder / "project")))
    write_outputs(results, folder / "results", overwrite=False)
    return write_atlas(folder / "results", folder / "atlas", language="fr", overwrite=False).parent


def test_a_three_year_profile_charts_each_indicator_over_its_three_years(atlas_three_years):
    page = (atlas_three_years / "unit-commune-04.001.html").read_text(encoding="utf-8")
    assert "<h2>Évolutions</h2>" in page
    population = trend_of(page, "population")
    assert re.findall(r"<title>([^<]*)</title>", population) == [
        "2000: 400",
        "2005: 440",
        "2015: 484",
    ]
    assert 'aria-label="Population: Salé-Nord"' in population
    growth = trend_of(page, "population_growth_rate")
    # 100 ln(1.1)/5, 100 ln(1.1)/10, and the whole span 100 ln(1.21)/15 dashed
    assert re.findall(r"<title>([^<]*)</title>", growth) == [
        "2000–2005: 1,91",
        "2005–2015: 0,95",
        "2000–2015: 1,27",
    ]
    assert 'class="span"' in growth
    land = trend_of(page, "land_consumption_rate")
    assert "2000–2015: 2,43" in land
    no_built_up = (atlas_three_years / "unit-commune-04.004.html").read_text(encoding="utf-8")
    assert trend_of(no_built_up, "land_consumption_rate") is None  # no value in any period


def test_the_arabic_atlas_is_right_to_left_with_arabic_names(atlas_ar):
    home = (atlas_ar / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in home
    assert ARABIC_NAMES["regions"][0] in home
    assert "أرقام رئيسية" in home  # "Key figures"
    profile = (atlas_ar / "unit-commune-04.002.html").read_text(encoding="utf-8")
    assert f"<h1>{ARABIC_NAMES['communes'][1]}</h1>" in profile
    degurba = (atlas_ar / "indicator-degurba_l1.html").read_text(encoding="utf-8")
    assert re.search("مدينة|بلدة أو منطقة شبه كثيفة|منطقة قروية", degurba)


def test_an_atlas_is_not_overwritten_without_leave(results, atlas_fr):
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_atlas(results, atlas_fr, language="fr", overwrite=False)
    write_atlas(results, atlas_fr, language="fr", overwrite=True)


def dump(page: Path) -> str:
    run = chromium("--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@needs_chromium
def test_chromium_renders_the_home_an_indicator_and_a_unit_page(atlas_fr):
    home = dump(atlas_fr / "index.html")
    assert f"4{NNBSP}400" in home and "Chiffres clés" in home
    indicator = dump(atlas_fr / "indicator-population_density.html")
    assert indicator.count("<use ") >= 2 * 6  # the units drawn (2 + 4 per period)
    profile = dump(atlas_fr / "unit-commune-04.002.html")
    assert "Salé-Sud" in profile and f"1{NNBSP}320" in profile


@needs_chromium
def test_chromium_shows_the_arabic_atlas_right_to_left(atlas_ar, tmp_path):
    home = dump(atlas_ar / "index.html")
    assert 'dir="rtl"' in home and ARABIC_NAMES["regions"][0] in home
    shot = tmp_path / "home.png"
    run = chromium(
        "--window-size=1000,800", f"--screenshot={shot}", (atlas_ar / "index.html").as_uri()
    )
    assert run.returncode == 0 and shot.stat().st_size > 20_000  # not a blank page


@needs_chromium
def test_a_unit_profile_prints_to_one_or_two_a4_pages(atlas_fr, tmp_path):
    pdf = tmp_path / "profile.pdf"
    page = atlas_fr / "unit-commune-04.002.html"
    run = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    content = pdf.read_bytes()
    assert content[:4] == b"%PDF"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", content))
    assert 1 <= pages <= 2
