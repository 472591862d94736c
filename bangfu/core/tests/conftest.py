from bangfu.core.tests.browser import browser, phone_page  # noqa: F401 - fixtures
