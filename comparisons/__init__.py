"""The public site: reads published data only, never writes.

Where things are, by file name:

- ``views.py``      the pages: home (search + latest), department, region, classification
                    browser (tree and code page), compare, completeness, original file
- ``urls.py``       their URL names under ``comparisons:``
- ``api.py``        the read-only JSON API (django-ninja), OpenAPI at /api/openapi.json
- ``compare.py``    comparison logic: which departments, which value, normalisation, ranks,
                    honest gaps (the rows behind the compare page, its export and the API)
- ``queries.py``    read aggregates and querysets the pages and the API show
- ``filtersets.py`` django-filter FilterSets shared by the pages and the API
- ``tables.py``     django-tables2 Tables of every public table (columns only; CSV/XLSX export)
- ``charts.py``     drawings: pure plotly builders from plain rows
- ``forms.py``      the comparison form (its state lives in the URL)
- ``templatetags/yujue.py``  amount (万元), percentage and source formatting
- ``management/commands/bench_pages.py``  server time and queries of every public page

"Published", "this region and below" and "level of a code" are defined once in
``disclosures.models``; this package calls them and never spells them out.
"""
