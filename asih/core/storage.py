"""Production static files: hashed names, precompressed, and scripts that import hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedModuleStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, with the ES module paths inside scripts rewritten to hashed names.

    A hashed file is cached for a year. Were `import "./my-sessions.js"` left as the plain name,
    a browser could pair a cached module of one deploy with a fresh one of the next. Django
    rewrites static `import`/`export … from` and literal `import("…")` paths (app.js names every
    module it loads that way), so an importer's own hash changes with what it imports.
    """

    support_js_module_import_aggregation = True
