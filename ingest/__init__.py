"""Intake and the pipeline's document logic: content sniffing, the SHA-256 file store, batches, the hot
folder, progress, entities, case links and the case-law base.

Public API other packages call:
``ingest.intake.accept_upload`` (web upload), ``ingest.intake.ingest_paths`` (CLI, hot folder),
``ingest.progress.batch_progress`` (web and CLI progress), ``ingest.store.FileStore``; for review and
repair: ``ingest.review`` (the review queue), ``ingest.retry`` (retries, replacements, failed lists),
``ingest.neardup`` and ``ingest.versions`` (re-scans and versions), ``ingest.reuse`` (same bytes in
another district).
The RQ side (queues, jobs, reconciler) lives in ``jobs/``.
"""
