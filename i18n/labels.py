"""Display labels of stored codes (document types, statuses, roles, languages, ...), as data.

The database keeps the codes (``charge_sheet``, ``indexed``); pages show ``gettext(label)`` in the
reader's language. English labels stay close to the codes the pages showed before. A code missing
here is shown as it is stored (with underscores as spaces), never hidden.
"""

from __future__ import annotations

from i18n import N_

LABELS: dict[str, dict[str, str]] = {
    "doc_type": {
        "judgment": N_("judgment"), "fir": N_("FIR"), "charge_sheet": N_("charge sheet (challan)"),
        "statement": N_("statement"), "medical_report": N_("medical report"), "order": N_("order"),
        "other": N_("other"),
    },
    "document_status": {
        "received": N_("received"), "processing": N_("processing"), "extracting": N_("extracting"),
        "indexing": N_("indexing"), "indexed": N_("indexed"), "failed": N_("failed"),
        "duplicate": N_("duplicate"),
    },
    "role": {
        "data_entry": N_("data entry"), "prosecutor": N_("prosecutor"), "librarian": N_("librarian"),
        "supervisor": N_("supervisor"), "admin": N_("admin"),
    },
    "batch_source": {"upload": N_("upload"), "cli": N_("command line"), "hot_folder": N_("hot folder")},
    "ocr_language": {
        "auto": N_("Detect automatically"), "eng": N_("English"), "urd": N_("Urdu"), "pus": N_("Pashto"),
        "eng+urd": N_("English and Urdu"),
    },
    "email_status": {
        "none": N_("not by e-mail"), "pending": N_("waiting to be sent"), "sending": N_("being sent"),
        "sent": N_("sent"), "failed": N_("failed"), "digest": N_("for the daily digest"),
        "digested": N_("sent in the digest"), "expired": N_("not sent in time"),
        "withheld": N_("not sent: you no longer have access to the case"),
    },
    "entity_kind": {
        "person": N_("People"), "org": N_("Organisations"), "place": N_("Places"), "date": N_("Dates"),
        "statute": N_("Statute sections"), "citation": N_("Citations"), "fir": N_("FIR numbers"),
        "case_number": N_("Case numbers"), "cnic": N_("CNIC numbers"), "phone": N_("Phone numbers"),
        "police_station": N_("Police stations"), "district": N_("Districts"), "court": N_("Courts"),
        "money": N_("Amounts"),
    },
    # The case file (casework): people, witnesses, deadlines, scrutiny, sealing.
    "party_role": {
        "complainant": N_("complainant"), "accused": N_("accused"), "victim": N_("victim"),
        "witness": N_("witness"), "other": N_("other"),
    },
    "witness_kind": {
        "eye_witness": N_("eye witness"), "recovery_witness": N_("recovery witness"),
        "investigating_officer": N_("investigating officer"), "doctor": N_("doctor"),
        "fsl_expert": N_("FSL expert"), "complainant": N_("complainant"), "marginal_witness": N_("marginal witness"),
        "magistrate": N_("magistrate"), "other": N_("other"),
    },
    "process_state": {
        "none": N_("no process"), "summons": N_("summons"), "bailable_warrant": N_("bailable warrant"),
        "non_bailable_warrant": N_("non-bailable warrant"), "served": N_("served"), "unserved": N_("unserved"),
    },
    "deadline_status": {
        "met": N_("met"), "met_late": N_("met late"), "overdue": N_("overdue"), "due_today": N_("due today"),
        "due_soon": N_("due soon"), "open": N_("open"),
    },
    "deadline_party": {
        "police": N_("police"), "prosecution": N_("prosecution"), "court": N_("court"),
        "complainant": N_("complainant"), "victim": N_("victim"),
    },
    "scrutiny_decision": {"returned": N_("returned with objections"), "accepted": N_("accepted")},
    "seal_reason": {
        "juvenile_accused": N_("juvenile accused"), "sexual_offence_victim": N_("victim of a sexual offence"),
        "protected_witness": N_("protected witness"), "other": N_("other"),
    },
}


def label(kind: str, code: str | None) -> str:
    """The untranslated label of ``code`` in list ``kind`` (translate it with gettext); the code itself,
    underscores as spaces, when the list does not have it. Raises ``KeyError`` for an unknown list."""
    if code is None:
        return ""
    return LABELS[kind].get(str(code), str(code).replace("_", " "))


__all__ = ["LABELS", "label"]
