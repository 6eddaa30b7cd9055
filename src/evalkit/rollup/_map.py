"""The per-training stage of a roll-up: an independent map over trainings.

Each training becomes a :class:`ResultPackage`, read from its package file or computed
from its answer files (validation, scoring, matching, gains; none of the reviews). The map
runs in this process, or on a Dask cluster when a ``distributed.Client`` is given: only
the catalogue entry goes out and only the small package comes back.
"""

from __future__ import annotations

import functools
import os
import warnings
from functools import partial
from pathlib import Path

from .._errors import EvalkitError
from .._i18n import tr
from ..io import read_parquet_batch
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
    return _from_answers(training, training.pre, training.post, strict=strict, fuzzy=fuzzy)


def _from_answers(training: Training, pre, post, *, strict: bool, fuzzy: bool) -> ResultPackage:
    """A training's package from its answers: files, or :class:`~evalkit.io.Responses` read already."""
    q = _load(training.questionnaire)
    pre, post, _, _, _, ledger, long = scored_pairs(q, pre, post, by="group", strict=strict, fuzzy=fuzzy,
                                                    approved=None, key=None)
    matched = long_frame(long)
    summary = ledger_summary(ledger, {pre.wave: pre.rows_read, post.wave: post.rows_read})
    return build_package(q, matched, gains_table(q, matched, by="group", confidence=0.95), summary)


def _caught(make) -> tuple[ResultPackage, list[str]]:
    """``make()`` and the warnings raised while it ran (kept, so none is lost on a worker)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        package = make()
    return package, list(dict.fromkeys(str(w.message) for w in caught))


def _one(training: Training, *, strict: bool, fuzzy: bool) -> tuple[ResultPackage, list[str]]:
    return _caught(partial(training_package, training, strict=strict, fuzzy=fuzzy))


def _batch(trainings: list[Training], *, strict: bool, fuzzy: bool) -> list[tuple[ResultPackage, list[str]]]:
    """Trainings sharing a questionnaire: their Parquet answer files read and validated in one
    pass per wave (:func:`evalkit.io.read_parquet_batch`), then each training scored, matched
    and summed on its own (Holm's adjustment, the ledger and the ``ALL`` rows are per training).
    Files the batch cannot take (another layout, a problem, a warning) go one by one, so every
    message is the one-file message."""
    if not strict or len(trainings) < 2:
        return [_one(t, strict=strict, fuzzy=fuzzy) for t in trainings]
    q = _load(trainings[0].questionnaire)
    waves = [read_parquet_batch([getattr(t, w) for t in trainings], q, wave=w) for w in ("pre", "post")]
    if any(w is None for w in waves):
        return [_one(t, strict=strict, fuzzy=fuzzy) for t in trainings]
    return [_caught(partial(_from_answers, t, pre, post, strict=strict, fuzzy=fuzzy))
            for t, pre, post in zip(trainings, *waves)]


def _batches(trainings: list[Training], workers: int) -> list[list[Training]]:
    """Answer-file trainings in batches: those of one questionnaire together, cut so each
    worker gets a few batches (a batch's stacked answers stay a fraction of the whole)."""
    by_questionnaire: dict = {}
    for t in trainings:
        by_questionnaire.setdefault(t.questionnaire, []).append(t)
    size = max(1, -(-len(trainings) // (4 * workers)))
    return [group[i:i + size] for group in by_questionnaire.values() for i in range(0, len(group), size)]


def map_trainings(trainings, *, strict: bool = True, fuzzy: bool = True, client=None, workers: int | None = None
                  ) -> list[tuple[ResultPackage, list[str]]]:
    """Each training's package and warnings, in catalogue order.

    ``client``: a ``distributed.Client`` (the map runs on its workers), an address
    string (a client is opened on it, and closed after), or None: on this machine's
    cores (``workers`` processes, default one per core; 1 runs in this process).
    """
    trainings = list(trainings)
    if client is None:
        # Packages are small files: read here (starting workers and sending tables back costs more).
        found = {t.id: _one(t, strict=strict, fuzzy=fuzzy) for t in trainings if t.package is not None}
        workers = workers or os.cpu_count() or 1
        batches = _batches([t for t in trainings if t.package is None], workers)
        done = fork_map(partial(_batch, strict=strict, fuzzy=fuzzy), batches, workers=workers)
        found.update({t.id: result for batch, results in zip(batches, done) for t, result in zip(batch, results)})
        return [found[t.id] for t in trainings]
    work = partial(_one, strict=strict, fuzzy=fuzzy)
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
        futures = client.map(work, trainings, pure=False)
        return client.gather(futures)
    finally:
        if own:
            client.close()
