"""The local stack: Elasticsearch node, Redis, PostgreSQL and the supervisord that runs CMMS."""
