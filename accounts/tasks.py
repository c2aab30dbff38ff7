"""Background tasks of accounts: thin wrappers that call services."""

from django_tasks import task

from accounts.services import password_reset_send


@task(queue_name="mail")
def password_reset_mail(email: str) -> str:
    """Look the address up and queue the reset mail (or nothing); the web request only enqueued this."""
    return password_reset_send(email=email)
