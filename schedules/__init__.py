"""Unattended scheduling: APScheduler 3.x runs crawl → process → index by itself.

* :mod:`schedules.triggers` — cron triggers with wall-clock semantics across DST;
* :mod:`schedules.lock` — database leases so no two processes run the same work;
* :mod:`schedules.jobs` — the job functions (plain, importable callables) and the
  run-history records they write to the store's ``runs`` table;
* :mod:`schedules.service` — the one scheduler process, its persistent job store
  (same database as the store), job synchronisation from settings and
  ``sources.yaml``, and the listeners that record missed and failed runs.
"""
