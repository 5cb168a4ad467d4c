"""The build backend of this plugin template: Python's standard library, nothing to download.

``python -m pip install -e 08_plugins`` asks the backend named in pyproject.toml to build
the package. The usual backends (setuptools, hatchling) come from the package index; this
one is here, beside pyproject.toml, so the install works in a room without internet. You do
not need to read or change it. It reads the [project] table (name, version, dependencies,
entry points) and packs the modules that the entry points name.

Before building it checks what would make the install fail or do harm, and says so in a few
words instead of pages of build tool output: a name that is not a valid package name or that
is Observatory's own, a dependency on the unrelated package called "observatory" on the
index, an entry point naming a module that is not in this folder.

For a plugin you publish, use a common backend: see "Publishing a plugin" on the module page.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli is installed with Observatory
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

PLUGIN_GROUP = "observatory.indicators"
#: A valid distribution name (the Python packaging specifications, PEP 508).
VALID_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
#: A plain release number: 0.1.0, 1.2, 2.
VALID_VERSION = re.compile(r"^\d+(\.\d+)*$")
#: Names an install would take from Observatory itself.
OBSERVATORY_NAMES = ("observatory", "territorial-observatory")
DISTRIBUTION = "territorial-observatory"
EXAMPLE_NAME = "rsk-indicators"


class PluginError(Exception):
    """A mistake in pyproject.toml, said in English and in French."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fr = message_fr


def normalized(name: str) -> str:
    """The name as the package index compares names: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return normalized(re.split(r"[\s\[<>=!~;(@]", requirement.strip(), maxsplit=1)[0])


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or "TODO" in name:
        raise PluginError(
            f'name = {name!r}: give the package a name, e.g. name = "{EXAMPLE_NAME}".',
            f'name = {name!r} : donnez un nom au paquet, p. ex. name = "{EXAMPLE_NAME}".',
        )
    if not VALID_NAME.match(name):
        raise PluginError(
            f"name = {name!r} is not a valid package name: use only letters, digits and - _ . "
            f"(no spaces, no accents), starting and ending with a letter or a digit, e.g. "
            f'"{EXAMPLE_NAME}".',
            f"name = {name!r} n'est pas un nom de paquet valide : seulement des lettres, des "
            f"chiffres et - _ . (ni espace ni accent), avec une lettre ou un chiffre au début "
            f'et à la fin, p. ex. "{EXAMPLE_NAME}".',
        )
    if normalized(name) in OBSERVATORY_NAMES:
        raise PluginError(
            f"name = {name!r} is Observatory's own name: installing the plugin would replace "
            f'Observatory. Choose another, e.g. "{EXAMPLE_NAME}".',
            f"name = {name!r} est le nom d'Observatory lui-même : installer le plugin "
            f'remplacerait Observatory. Choisissez-en un autre, p. ex. "{EXAMPLE_NAME}".',
        )
    return name


def _check_dependencies(dependencies: object) -> list[str]:
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise PluginError(
            f'dependencies must be a list of texts, e.g. ["{DISTRIBUTION}"].',
            f'dependencies doit être une liste de textes, p. ex. ["{DISTRIBUTION}"].',
        )
    if any(_requirement_name(d) == "observatory" for d in dependencies):
        raise PluginError(
            f'dependencies: "observatory" on the package index is an unrelated project; '
            f'Observatory is distributed as "{DISTRIBUTION}": write dependencies = '
            f'["{DISTRIBUTION}"].',
            f"dependencies : « observatory » sur l'index des paquets est un autre projet ; "
            f"Observatory est distribué sous le nom « {DISTRIBUTION} » : écrivez "
            f'dependencies = ["{DISTRIBUTION}"].',
        )
    return dependencies


def _plugin_modules(folder: Path, entry_points: dict) -> list[str]:
    """The modules named by the entry points, each a ``.py`` file of ``folder``."""
    plugins = entry_points.get(PLUGIN_GROUP)
    if not isinstance(plugins, dict) or not plugins:
        quoted = entry_points.get("observatory", {})
        unquoted = isinstance(quoted, dict) and "indicators" in quoted
        why_en = " (the group name needs its quotes)" if unquoted else ""
        why_fr = " (le nom du groupe a besoin de ses guillemets)" if unquoted else ""
        raise PluginError(
            f'No table [project.entry-points."{PLUGIN_GROUP}"]{why_en}: Observatory would '
            "not find your indicators.",
            f'Pas de table [project.entry-points."{PLUGIN_GROUP}"]{why_fr} : Observatory ne '
            "trouverait pas vos indicateurs.",
        )
    modules = []
    for key, value in plugins.items():
        module = str(value).split(":")[0].strip()
        if not (folder / f"{module}.py").is_file():
            raise PluginError(
                f'{key} = "{value}": there is no file {module}.py beside pyproject.toml; name '
                "the module as Python imports it: its file name without .py.",
                f"{key} = « {value} » : pas de fichier {module}.py à côté de pyproject.toml ; "
                "nommez le module comme Python l'importe : le nom du fichier sans .py.",
            )
        modules.append(module)
    return modules


def read_project(folder: Path) -> dict:
    """The [project] table of ``folder``/pyproject.toml, checked; PluginError otherwise."""
    if tomllib is None:
        raise PluginError(
            "Python 3.10 cannot read pyproject.toml here: install with "
            "python -m pip install --no-build-isolation -e 08_plugins",
            "Python 3.10 ne peut pas lire pyproject.toml ici : installez avec "
            "python -m pip install --no-build-isolation -e 08_plugins",
        )
    try:
        document = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PluginError(
            f"pyproject.toml is not valid TOML: {error}.",
            f"pyproject.toml n'est pas un TOML valide : {error}.",
        ) from None
    project = document.get("project", {})
    version = str(project.get("version", ""))
    if not VALID_VERSION.match(version):
        raise PluginError(
            f'version = "{version}": write a release number such as "0.1.0".',
            f'version = « {version} » : écrivez un numéro de version comme "0.1.0".',
        )
    entry_points = dict(project.get("entry-points", {}))
    if project.get("scripts"):
        entry_points["console_scripts"] = project["scripts"]
    return {
        "name": _check_name(project.get("name")),
        "version": version,
        "dependencies": _check_dependencies(project.get("dependencies", [])),
        "entry_points": entry_points,
        "modules": _plugin_modules(folder, entry_points),
    }


def _dist_info(project: dict) -> dict[str, bytes]:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    lines += [f"Requires-Dist: {dependency}" for dependency in project["dependencies"]]
    entry_points = []
    for group, entries in project["entry_points"].items():
        entry_points.append(f"[{group}]")
        entry_points += [f"{key} = {value}" for key, value in entries.items()]
        entry_points.append("")
    wheel = ["Wheel-Version: 1.0", "Generator: plugin_build", "Root-Is-Purelib: true"]
    return {
        "METADATA": "\n".join(lines) + "\n",
        "WHEEL": "\n".join([*wheel, "Tag: py3-none-any"]) + "\n",
        "entry_points.txt": "\n".join(entry_points),
    }


def _stem(project: dict) -> str:
    """``<name>-<version>`` as wheel and archive file names spell them."""
    return f"{re.sub(r'[-_.]+', '_', project['name']).lower()}-{project['version']}"


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def write_wheel(folder: Path, directory: Path, *, editable: bool) -> str:
    """Build the wheel of the plugin in ``folder`` into ``directory``; its file name.

    An editable wheel holds a ``.pth`` file naming ``folder``, so Python imports the
    modules from there and an edit needs no new install.
    """
    project = read_project(folder)
    stem = _stem(project)
    if editable:
        files = {f"{stem.split('-')[0]}.pth": f"{folder.resolve()}\n".encode()}
    else:
        files = {f"{m}.py": (folder / f"{m}.py").read_bytes() for m in project["modules"]}
    files.update(
        {f"{stem}.dist-info/{name}": text.encode() for name, text in _dist_info(project).items()}
    )
    record = f"{stem}.dist-info/RECORD"
    lines = [_record_line(path, data) for path, data in files.items()] + [f"{record},,"]
    files[record] = ("\n".join(lines) + "\n").encode()
    name = f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(Path(directory) / name, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return name


def _language() -> str | None:
    """The language of the training workspace above this folder (None when unknown)."""
    settings = Path.cwd().parent / "workshop.toml"
    try:
        document = tomllib.loads(settings.read_text(encoding="utf-8"))
    except (AttributeError, OSError, ValueError):  # no tomllib, no workspace, a broken file
        return None
    return document.get("workshop", {}).get("language")


def _reported(build, *arguments, **options) -> str:
    """``build(...)``; a PluginError is printed in a few lines and ends the build."""
    try:
        return build(*arguments, **options)
    except PluginError as error:
        language = _language()
        shown = {"en": [error.message_en], "fr": [error.message_fr]}.get(
            language, [error.message_en, error.message_fr]
        )
        print("\n".join(["", "pyproject.toml:", *shown, ""]), file=sys.stderr)
        raise SystemExit(1) from None


# -- the hooks pip calls (PEP 517 and PEP 660) ---------------------------------------------
def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _reported(write_wheel, Path.cwd(), Path(wheel_directory), editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _reported(write_wheel, Path.cwd(), Path(wheel_directory), editable=True)


def build_sdist(sdist_directory, config_settings=None):
    return _reported(write_sdist, Path.cwd(), Path(sdist_directory))


def write_sdist(folder: Path, directory: Path) -> str:
    """The source archive of the plugin in ``folder``, written into ``directory``."""
    project = read_project(folder)
    stem = _stem(project)
    files = ["pyproject.toml", Path(__file__).name, *(f"{m}.py" for m in project["modules"])]
    metadata = _dist_info(project)["METADATA"].encode()
    with tarfile.open(directory / f"{stem}.tar.gz", "w:gz") as archive:
        for file in files:
            archive.add(folder / file, arcname=f"{stem}/{file}")
        info = tarfile.TarInfo(f"{stem}/PKG-INFO")
        info.size = len(metadata)
        archive.addfile(info, io.BytesIO(metadata))
    return f"{stem}.tar.gz"
