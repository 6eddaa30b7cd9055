"""Where evalkit may write: it never deletes or overwrites what it did not write.

Output folders (the report, ``<out>_pribadi/``, ``evalkit simulate --out``):

* A folder may be written when it does not exist, is empty, or carries the marker file
  :data:`MARKER` of an earlier evalkit run. The marker lists the files that run wrote
  (paths relative to the folder); only those are replaced or removed. Anything else in
  the folder — a note the analyst added — is kept as it is.
* Refused with :class:`~evalkit.OutputError`: a folder holding anything else and no
  marker; a folder that is, or lies above, an input file; the working folder or one of
  its parents (``--out .``); a path that is a file.
* The new contents are written into a temporary sibling folder and moved in only when
  complete, so a run stopped half-way leaves the previous report as it was.

Single output files (XLSForm, entry template, printable test, questionnaire skeleton):
never an input file, and an existing file is replaced only with ``overwrite=True``
(``--force``): evalkit cannot tell whether a lone file is one it wrote. They are written
to a temporary sibling and renamed, so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

from ._errors import OutputError
from ._i18n import tr

#: The file that marks a folder as evalkit's and lists the files evalkit wrote there.
MARKER = ".evalkit-report"

_M = {
    "is_cwd": {"code": "EK-OUT-001", "id": "{path}: folder keluaran tidak boleh folder kerja saat ini atau folder di atasnya "
                     "(isinya bukan tulisan evalkit). Pilih folder baru, mis. {suggest!r}.",
               "en": "{path}: the output folder cannot be the current working folder or a folder above it "
                     "(evalkit did not write what it holds). Choose a new folder, e.g. {suggest!r}."},
    "holds_input": {"code": "EK-OUT-002", "id": "{path}: folder keluaran ini {how} berkas masukan {input}; evalkit tidak menulis ke "
                          "sana agar berkas Anda tetap utuh. Pilih folder baru, mis. {suggest!r}.",
                    "en": "{path}: this output folder {how} the input file {input}; evalkit does not write there, "
                          "so that your files stay intact. Choose a new folder, e.g. {suggest!r}."},
    "is": {"code": "EK-OUT-003", "id": "adalah", "en": "is"},
    "contains": {"code": "EK-OUT-004", "id": "berisi", "en": "contains"},
    "not_ours": {"code": "EK-OUT-005", "id": "{path}: folder ini sudah berisi berkas yang tidak ditulis evalkit ({names}). evalkit "
                       "hanya menulis ke folder baru, folder kosong, atau folder laporan evalkit sebelumnya "
                       "(bertanda berkas {marker}), dan tidak pernah menghapus berkas Anda. "
                       "Pilih folder baru, mis. {suggest!r}.",
                 "en": "{path}: this folder already holds files evalkit did not write ({names}). evalkit only "
                       "writes to a new folder, an empty folder, or an earlier evalkit report folder (marked by "
                       "the file {marker}), and never deletes your files. Choose a new folder, e.g. {suggest!r}."},
    "not_a_folder": {"code": "EK-OUT-006", "id": "{path}: sudah ada berkas dengan nama ini (bukan folder). Pilih folder baru, "
                           "mis. {suggest!r}.",
                     "en": "{path}: a file of this name exists (not a folder). Choose a new folder, "
                           "e.g. {suggest!r}."},
    "clash": {"code": "EK-OUT-007", "id": "{path}: berkas {name!r} di folder ini tidak ditulis evalkit, tetapi keluaran baru memakai "
                    "nama yang sama; evalkit tidak menimpanya. Pindahkan berkas itu, atau pilih folder baru, "
                    "mis. {suggest!r}.",
              "en": "{path}: the file {name!r} in this folder was not written by evalkit, but the new output "
                    "uses the same name; evalkit does not overwrite it. Move that file, or choose a new folder, "
                    "e.g. {suggest!r}."},
    "file_is_input": {"code": "EK-OUT-008", "id": "{path}: berkas keluaran sama dengan berkas masukan; evalkit tidak menimpanya. "
                            "Pilih nama lain, mis. {suggest!r}.",
                      "en": "{path}: the output file is an input file; evalkit does not overwrite it. "
                            "Choose another name, e.g. {suggest!r}."},
    "file_exists": {"code": "EK-OUT-009", "id": "{path}: berkas sudah ada; evalkit tidak menimpanya. Pilih nama lain (mis. {suggest!r}), "
                          "atau tambahkan --force (overwrite=True) bila berkas itu memang boleh diganti.",
                    "en": "{path}: the file exists; evalkit does not overwrite it. Choose another name "
                          "(e.g. {suggest!r}), or add --force (overwrite=True) if it may be replaced."},
    "file_is_folder": {"code": "EK-OUT-010", "id": "{path}: ini folder, bukan berkas. Pilih nama berkas, mis. {suggest!r}.",
                       "en": "{path}: this is a folder, not a file. Choose a file name, e.g. {suggest!r}."},
    "note": {"code": "EK-OUT-011", "id": "Folder ini ditulis evalkit. Berkas di bawah 'files' akan diganti pada penulisan berikutnya "
                   "ke folder ini; berkas lain tidak disentuh. Jangan hapus berkas penanda ini.",
             "en": "evalkit wrote this folder. The files under 'files' are replaced by the next run writing "
                   "here; other files are left alone. Do not delete this marker file."},
}


# --------------------------------------------------------------------------- folders
def check_folder(folder, *, inputs: Iterable = (), base: str = "laporan",
                 suggestion: str | None = None) -> None:
    """Raise :class:`~evalkit.OutputError` unless evalkit may write the folder ``folder``.

    ``inputs``: the files read by the run (paths; other values are ignored). ``base``
    names the suggested new folder when the refused one is the working folder or holds an
    input; ``suggestion`` replaces the suggestion altogether.
    """
    folder = Path(folder)
    target = folder.resolve()

    def refuse(template: str, *, near: Path = folder, name: str | None = None, **values) -> None:
        raise OutputError(tr(_M[template], path=folder, marker=MARKER,
                             suggest=suggestion or free_name(near, name), **values))

    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        refuse("is_cwd", near=Path(base), name=base)  # a new folder inside the working folder
    for given in _paths(inputs):
        found = given.resolve()
        if found == target or target in found.parents:
            refuse("holds_input", name=base, how=tr(_M["is" if found == target else "contains"]), input=given)
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        refuse("not_a_folder")
    if _owned(folder) is None:
        names = sorted(p.name for p in folder.iterdir())
        if names:
            refuse("not_ours", names=", ".join(names[:3]) + (", ..." if len(names) > 3 else ""))


def replace_folder(folder, build: Callable[[Path], None], *, inputs: Iterable = (),
                   base: str = "laporan") -> Path:
    """Write a folder with ``build(work_folder)`` and put it at ``folder``, under the rules above.

    ``build`` writes into a new temporary sibling folder; only when it returns are its files
    moved in. In a marked folder the files of the previous run are moved aside first (and
    deleted at the end) and the folders they leave empty removed; every other file stays.
    While the files move, the marker lists the old and the new ones, so even a run killed
    then leaves a folder whose evalkit files the next run can replace.
    """
    folder = Path(folder)
    check_folder(folder, inputs=inputs, base=base)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.baru-", dir=folder.parent))
    try:
        build(work)
        new = _listing(work)
        if not os.path.lexists(folder):
            _write_marker(work, new)
            work.rename(folder)
            return folder
        old = _owned(folder) or []
        _check_clashes(folder, new, set(old))
        _write_marker(folder, sorted(set(old) | set(new)))
        trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.lama-", dir=folder.parent))
        for name in old:
            if (folder / name).is_symlink() or (folder / name).is_file():
                _move(folder / name, trash / name)
        for name in new:
            _move(work / name, folder / name)
        _remove_empty_folders(folder, old)
        _write_marker(folder, new)
        shutil.rmtree(trash)
        return folder
    finally:
        if work.exists():
            shutil.rmtree(work)


def _paths(values: Iterable) -> list[Path]:
    return [Path(v) for v in values if isinstance(v, (str, os.PathLike)) and str(v) and Path(v).exists()]


def free_name(near: Path, name: str | None = None) -> str:
    """A sibling of ``near`` that does not exist yet: ``name``, ``name_1``, ... (without ``name``:
    ``near``'s own name + ``_1``, ``_2``, ...)."""
    parent = near.parent
    stem = name or near.name
    candidates = ([stem] if name else []) + [f"{stem}_{i}" for i in range(1, 10_000)]
    return str(next(parent / c for c in candidates if not os.path.lexists(parent / c)))


def _owned(folder: Path) -> list[str] | None:
    """The files evalkit wrote in ``folder`` (from its marker), or None when it has no valid marker.

    Only plain relative paths inside the folder are taken from the marker, so that a damaged
    or hand-edited marker can never point evalkit at a file elsewhere.
    """
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(files, list):
        return None
    return [f for f in files if isinstance(f, str) and _inside(f)]


def _inside(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name \
        and name != MARKER and ":" not in path.parts[0]


def _listing(work: Path) -> list[str]:
    return sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if not p.is_dir() or p.is_symlink())


def _write_marker(folder: Path, files: list[str]) -> None:
    """Write the marker in one step (a temporary file renamed over it)."""
    from . import __version__

    text = json.dumps({"evalkit": __version__, "note": tr(_M["note"]), "files": files},
                      ensure_ascii=False, indent=1)
    temporary = folder / f"{MARKER}.baru"
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, folder / MARKER)


def _check_clashes(folder: Path, new: list[str], old: set[str]) -> None:
    """Refuse when a new file would land on (or under) something evalkit did not write."""
    for name in new:
        parts = PurePosixPath(name).parts
        folders = [folder.joinpath(*parts[:depth]) for depth in range(1, len(parts))]
        blocked = next((p for p in folders if os.path.lexists(p) and (p.is_symlink() or not p.is_dir())), None)
        target = folder / name
        if blocked is None and os.path.lexists(target) and (
                name not in old or target.is_dir() and not target.is_symlink()):
            blocked = target
        if blocked is not None:
            raise OutputError(tr(_M["clash"], path=folder, name=blocked.relative_to(folder).as_posix(),
                                 suggest=free_name(folder)))


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _remove_empty_folders(folder: Path, files: list[str]) -> None:
    """Remove the subfolders of ``files`` that are now empty (deepest first)."""
    parents = {parent for name in files for parent in PurePosixPath(name).parents if parent.parts}
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        path = folder / parent
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()


# --------------------------------------------------------------------------- files
def check_file(path, *, inputs: Iterable = (), overwrite: bool = False) -> Path:
    """Raise :class:`~evalkit.OutputError` unless evalkit may write the file ``path``; return it.

    Never an input file; an existing file only with ``overwrite``.
    """
    path = Path(path)
    if any(given.resolve() == path.resolve() for given in _paths(inputs)):
        raise OutputError(tr(_M["file_is_input"], path=path, suggest=_free_file(path)))
    if path.is_dir():
        raise OutputError(tr(_M["file_is_folder"], path=path, suggest=str(path / f"keluaran{path.suffix}")))
    if os.path.lexists(path) and not overwrite:
        raise OutputError(tr(_M["file_exists"], path=path, suggest=_free_file(path)))
    return path


@contextlib.contextmanager
def writing_file(path, *, inputs: Iterable = (), overwrite: bool = False) -> Iterator[Path]:
    """Check ``path`` (:func:`check_file`), yield a temporary sibling to write, then rename it to ``path``."""
    path = check_file(path, inputs=inputs, overwrite=overwrite)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(name)
        os.replace(name, path)
    finally:
        if os.path.lexists(name):
            os.unlink(name)


def _free_file(path: Path) -> str:
    return str(next(c for i in range(1, 10_000)
                    if not os.path.lexists(c := path.with_name(f"{path.stem}_{i}{path.suffix}"))))
