"""RQ side of the pipeline: queues, job ids, the stage jobs, the reconciler and the worker entry.

Jobs take ids only and use the JSON serializer. The database records every document's and page's state;
Redis is only transport, and ``jobs.reconcile`` re-creates any job Redis lost.
"""
