"""National roll-up: many trainings, provinces and years in one analysis.

A catalogue of trainings (:func:`load_catalogue`, ``docs/rollup.md``) names each training's
province, office, dates, questionnaire and either its answer files or its result package
(:func:`write_package`: sums per group × scale, no personal data). :func:`rollup` turns each
training into a package (a map that may run on a Dask cluster), pools each scale across
trainings with the same fingerprint, and meta-analyses the per-training effects;
:func:`write_rollup` writes the tables, charts and the ``nasional`` report.

``evalkit.rollup`` at the top level is the function :func:`rollup`; import the other names
from this package: ``from evalkit.rollup import load_catalogue``.
"""

from ._analysis import MEASURES, RollUp, rollup
from ._catalogue import Catalogue, CatalogueError, Training, load_catalogue
from ._example import example_catalogue
from ._map import map_trainings, training_package
from ._output import write_rollup
from ..report import ResultPackage, build_package, package_from_analysis, read_package, write_package

__all__ = [
    "MEASURES", "Catalogue", "CatalogueError", "ResultPackage", "RollUp", "Training", "build_package",
    "example_catalogue", "load_catalogue", "map_trainings", "package_from_analysis", "read_package", "rollup",
    "training_package", "write_package", "write_rollup",
]
