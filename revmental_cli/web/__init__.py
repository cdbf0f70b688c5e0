"""`revmental serve`: a read-only web view of the store (cohorts, schedule, roster,
attendance, completion, certificates) in Indonesian or English.

The package owns the pages and what they show: ``app`` (the Starlette application: routes,
security headers, basic auth, GET/HEAD only), ``pages`` (what each page shows, read through
the store interface and the services the commands use), ``masking`` and ``chart`` (pure
functions), ``texts`` (the words of the pages, in the gettext catalogue) and ``templates/``
(Jinja2, autoescaped). It never writes the store and never creates one. Starlette, Jinja2 and
uvicorn are the optional extra ``revmental[web]``: nothing outside this package imports them,
and this ``__init__`` imports nothing, so ``revmental --help`` never loads them.
"""
