"""Labels of the questions every evalkit field form adds to the questionnaire's items.

The XLSForm export shows these labels to the interviewer; a KoboToolbox or ODK "labels"
export then carries them as column headers (``Kode peserta``, ``Group``) and as values
(a wave chosen as ``Pre-test (sebelum pelatihan)``), so the readers map them back to the
questionnaire's names. Kept here, below both :mod:`evalkit.forms` and :mod:`evalkit.io`,
so that the two read one table.
"""

from __future__ import annotations

#: Header labels of the participant code, group and wave questions.
ROLE_LABELS = {
    "id": {"id": "Kode peserta", "en": "Participant code"},
    "group": {"id": "Kelompok", "en": "Group"},
    "wave": {"id": "Gelombang", "en": "Wave"},
}
#: Header labels of the usual personal columns.
PERSONAL_LABELS = {"nama": {"id": "Nama", "en": "Name"}, "no_hp": {"id": "Nomor HP", "en": "Mobile number"}}
#: Choice labels of the wave question.
WAVE_LABELS = {
    "pre": {"id": "Pre-test (sebelum pelatihan)", "en": "Pre-test (before the training)"},
    "post": {"id": "Post-test (sesudah pelatihan)", "en": "Post-test (after the training)"},
    "followup": {"id": "Tindak lanjut", "en": "Follow-up"},
}
