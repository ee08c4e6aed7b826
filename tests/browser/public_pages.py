"""Every public page type of the demo content in both languages: what layout and axe tests cover."""

# name → {language: path}. The guide with steps (the oxytocin massage) carries most blocks; the
# danger-signs guide is one without steps; the session is the guide's guided-session view.
PUBLIC_PAGES = {
    "home": {"id": "/id/", "en": "/en/"},
    "stage": {"id": "/id/setelah-melahirkan/", "en": "/en/after-birth/"},
    "guide": {
        "id": "/id/setelah-melahirkan/pijat-oksitosin/",
        "en": "/en/after-birth/oxytocin-massage/",
    },
    "guide-without-steps": {
        "id": "/id/saat-hamil/tanda-bahaya-kehamilan/",
        "en": "/en/pregnancy/danger-signs-in-pregnancy/",
    },
    "session": {
        "id": "/id/setelah-melahirkan/pijat-oksitosin/sesi/",
        "en": "/en/after-birth/oxytocin-massage/session/",
    },
    "plan": {
        "id": "/id/setelah-melahirkan/pijat-oksitosin/rencana/",
        "en": "/en/after-birth/oxytocin-massage/plan/",
    },
    "my-sessions": {"id": "/id/sesi-saya/", "en": "/en/my-sessions/"},
    "search-results": {"id": "/id/cari/?q=pijat", "en": "/en/search/?q=massage"},
    "search-empty": {"id": "/id/cari/?q=zzqx", "en": "/en/search/?q=zzqx"},
    "signup": {"id": "/id/daftar/", "en": "/en/sign-up/"},
    "consultation": {"id": "/id/konsultasi/", "en": "/en/consultation/"},
    "privacy": {"id": "/id/privasi/", "en": "/en/privacy/"},
    "not-found": {"id": "/id/tidak-ada/", "en": "/en/no-such-page/"},
}

PAGE_CASES = [(name, language) for name in PUBLIC_PAGES for language in ("id", "en")]
PAGE_IDS = [f"{name}-{language}" for name, language in PAGE_CASES]
