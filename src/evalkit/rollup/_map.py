"""The per-training stage of a roll-up: an independent map over trainings.

Each training becomes a :class:`ResultPackage`, read from its package file or computed
from its answer files (validation, scoring, matching, gains; none of the reviews). The map
runs in this process, or on a Dask cluster when a ``distributed.Client`` is given: only
the catalogue entry goes out and only the small package comes back.
"""

from __future__ import annotations

import functools
import warnings
from functools import partial
from pathlib import Path

from .._errors import EvalkitError
from .._i18n import tr
from ..pipeline import gains_table, ledger_summary, long_frame, scored_pairs
from ..questionnaire import fingerprint, load_questionnaire
from ._catalogue import Training
from ._parallel import fork_map
from ..report import ResultPackage, build_package, read_package

_M = {
    "fingerprint": {"code": "EK-RU-022", "id": "{file}: sidik kuesioner paket ({found}) berbeda dengan kuesioner {questionnaire} "
                          "({expected}) yang disebut katalog untuk pelatihan {training}.",
                    "en": "{file}: the package's questionnaire fingerprint ({found}) differs from that of "
                          "{questionnaire} ({expected}), which the catalogue names for training {training}."},
    "no_dask": {"code": "EK-RU-023", "id": "Menjalankan roll-up pada klaster memerlukan paket tambahan dask: "
                      "pip install \"evalkit[dask]\".",
                "en": "Running the roll-up on a cluster needs the dask extra: pip install \"evalkit[dask]\"."},
    "no_scheduler": {"code": "EK-RU-024", "id": "Penjadwal Dask {address} tidak dapat dihubungi ({problem}); periksa alamatnya, atau "
                           "jalankan tanpa --scheduler.",
                     "en": "The Dask scheduler {address} cannot be reached ({problem}); check the address, or run "
                           "without --scheduler."},
}


@functools.lru_cache(maxsize=32)
def _questionnaire(path: Path, mtime_ns: int, size: int):
    """A questionnaire file loaded once per process (catalogues repeat the same one), reloaded
    when the file changes. Questionnaires are frozen, so sharing one is safe."""
    return load_questionnaire(path)


def _load(path: Path):
    info = path.stat()
    return _questionnaire(path, info.st_mtime_ns, info.st_size)


def training_package(training: Training, *, strict: bool = True, fuzzy: bool = True) -> ResultPackage:
    """The result package of one catalogue entry (its file, or computed from its answers)."""
    if training.package is not None:
        package = read_package(training.package)
        if training.questionnaire is not None:
            expected = fingerprint(_load(training.questionnaire))
            found = package.questionnaire.get("fingerprint")
            if found != expected:
                raise EvalkitError(tr(_M["fingerprint"], file=training.package, found=found, expected=expected,
                                      questionnaire=training.questionnaire, training=training.id))
        return package
    q = _load(training.questionnaire)
    pre, post, _, _, _, ledger, long = scored_pairs(q, training.pre, training.post, by="group", strict=strict,
                                                    fuzzy=fuzzy, approved=None, key=None)
    matched = long_frame(long)
    summary = ledger_summary(ledger, {pre.wave: pre.rows_read, post.wave: post.rows_read})
    return build_package(q, matched, gains_table(q, matched, by="group", confidence=0.95), summary)


def _one(training: Training, *, strict: bool, fuzzy: bool) -> tuple[ResultPackage, list[str]]:
    """The package and the warnings raised while making it (kept, so none is lost on a worker)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        package = training_package(training, strict=strict, fuzzy=fuzzy)
    return package, list(dict.fromkeys(str(w.message) for w in caught))


def map_trainings(trainings, *, strict: bool = True, fuzzy: bool = True, client=None, workers: int | None = None
                  ) -> list[tuple[ResultPackage, list[str]]]:
    """Each training's package and warnings, in catalogue order.

    ``client``: a ``distributed.Client`` (the map runs on its workers), an address
    string (a client is opened on it, and closed after), or None: on this machine's
    cores (``workers`` processes, default one per core; 1 runs in this process).
    """
    work = partial(_one, strict=strict, fuzzy=fuzzy)
    if client is None:
        return fork_map(work, list(trainings), workers=workers)
    own = isinstance(client, str)
    if own:
        try:
            from distributed import Client
        except ImportError:
            raise EvalkitError(tr(_M["no_dask"])) from None
        try:
            client = Client(client, timeout="20s")
        except OSError as exc:
            raise EvalkitError(tr(_M["no_scheduler"], address=client, problem=exc)) from None
    try:
        futures = client.map(work, list(trainings), pure=False)
        return client.gather(futures)
    finally:
        if own:
            client.close()
