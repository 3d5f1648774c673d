"""Browser-test helpers for staff pages."""

#: The password every test account is made with (``make_user`` in tests/conftest.py).
PASSWORD = "sandi-rahasia-123"


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign ``page`` in through the sign-in form (works without JavaScript)."""
    page.goto(base_url + "/akun/masuk/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
