"""The Django project: settings, shell pages, accounts and roles, jobs, audit log, API root."""
