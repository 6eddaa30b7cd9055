"""A simulated national catalogue: trainings in several provinces and years, with their
answer files, for the docs, the tests and the benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._resources import bundled_questionnaire
from ..questionnaire import load_questionnaire
from ..simulate import simulate

PROVINCES = ("Aceh", "Lampung", "Jawa Barat", "Nusa Tenggara Timur", "Papua")


def example_catalogue(folder: str | Path, *, trainings: int = 6, groups: int = 4,
                      per_group: tuple[int, int] = (12, 20), provinces: tuple[str, ...] = PROVINCES,
                      years: tuple[int, ...] = (2025, 2026), seed: int = 0, file_format: str = "csv") -> Path:
    """Simulate trainings with the bundled questionnaire and write their catalogue.

    Parameters
    ----------
    folder : str or Path
        Created if needed; receives ``katalog.yaml`` and one folder of answer files per
        training.
    trainings, groups : int
        Number of trainings, and of groups in each (at most the questionnaire's 10).
    per_group : (int, int)
        Range of participants per group.
    provinces, years : tuple
        Trainings are spread over these in turn.
    seed : int
    file_format : {"csv", "parquet"}
        Format of the answer files.

    Returns
    -------
    Path
        The catalogue file.

    Examples
    --------
    >>> from evalkit.rollup import example_catalogue, load_catalogue
    >>> path = example_catalogue("contoh", trainings=3, groups=2)
    >>> [t.province for t in load_catalogue(path).trainings]
    ['Aceh', 'Lampung', 'Jawa Barat']
    """
    from ..io import write_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    q_path = Path(bundled_questionnaire())
    q = load_questionnaire(q_path)
    rng = np.random.default_rng(seed)
    lines = ["title: Contoh roll-up nasional (simulasi)", "trainings:"]
    for i in range(trainings):
        province, year = provinces[i % len(provinces)], years[(i // len(provinces)) % len(years)]
        tid = f"{province[:3].upper()}-{year}-{i + 1:03d}"
        # Each training's true effect varies around the programme's, and grows a little a year.
        effect = rng.normal(0.5 + 0.1 * (year - years[0]), 0.15)
        pre, post = simulate(q, n_groups=groups, n_per_group=per_group, seed=seed * 100_003 + i,
                             effects=effect + np.linspace(-0.1, 0.1, groups))
        place = folder / tid
        place.mkdir(exist_ok=True)
        write_table(pre, place / f"pre.{file_format}")
        write_table(post, place / f"post.{file_format}")
        month = 1 + i % 12
        lines += [f"  - id: {tid}", f"    province: {province}", f"    office: Kanwil {province}",
                  f"    start: {year}-{month:02d}-10", f"    end: {year}-{month:02d}-12",
                  f"    questionnaire: {q_path}", f"    pre: {tid}/pre.{file_format}",
                  f"    post: {tid}/post.{file_format}"]
    path = folder / "katalog.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
